"""CHECK expressions read with sqlglot: hints, edges, and a local evaluator that agrees with
the server wherever it claims to know."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemaprobe.properties.expressions import UNKNOWN, Hint, analyse, evaluate
from schemaprobe.properties.strategies import edge_values
from schemaprobe.properties.types import PgType, parse_type
from schemaprobe.provision.session import connect


def test_hints_from_the_spellings_people_and_pg_get_expr_use() -> None:
    assert analyse("retry_count BETWEEN 0 AND 5").hints == {
        "retry_count": (Hint("number", Decimal(0)), Hint("number", Decimal(5)))
    }
    live = analyse("(language = ANY (ARRAY['en'::text, 'pt'::text]))")
    assert live.hints == {"language": (Hint("member", "en"), Hint("member", "pt"))}
    assert live.finite == {"language"}
    assert analyse("length(name) <= 50").hints == {"name": (Hint("length", 50),)}
    assert analyse("window_end > window_start").pairs == (("window_end", "window_start"),)
    assert analyse("NOT (x IS NULL OR x < -3)").hints == {
        "x": (Hint("null"), Hint("number", Decimal(-3)))
    }
    assert analyse("this is ( not sql").tree is None


def test_edges_sit_on_both_sides_of_every_constant() -> None:
    integer = parse_type("integer")
    assert edge_values(integer, [Hint("number", Decimal(5))]) == [4, 5, 6]
    assert edge_values(parse_type("numeric(8,2)"), [Hint("number", Decimal(5))])[:3] == [
        "4.99",
        "5",
        "5.01",
    ]
    near = edge_values(parse_type("text"), [Hint("member", "en")])
    assert {"en", "EN", "en ", " en", "e", "enx"} <= set(near)
    assert edge_values(parse_type("varchar(9)"), [Hint("length", 2)]) == ["a", "aa", "aaa"]
    assert edge_values(integer, [Hint("number", Decimal(2**31 - 1))]) == [2**31 - 2, 2**31 - 1]


def test_types_as_format_type_prints_them() -> None:
    assert parse_type("character varying(20)[]") == PgType("character varying", (20,), 1)
    assert parse_type("timestamp(3) with time zone") == PgType("timestamp with time zone", (3,), 0)
    assert parse_type("numeric(12,2)") == PgType("numeric", (12, 2))
    assert parse_type("int4") == PgType("integer")
    assert parse_type("public.mood") == PgType("public.mood")


CASES = [
    ("x <= 5", {"x": 5}),
    ("x <= 5", {"x": 6}),
    ("x <= 5", {"x": None}),
    ("x BETWEEN 1 AND 3", {"x": 0}),
    ("x IN (1, 2)", {"x": None}),
    ("NOT (x > 1 AND y IS NULL)", {"x": 2, "y": None}),
    ("x > 1 OR y > 1", {"x": None, "y": 2}),
    ("x > 1 OR y > 1", {"x": None, "y": 0}),
    ("length(t) BETWEEN 1 AND 2", {"t": ""}),
    ("t IN ('a', 'b')", {"t": "A"}),
    ("t <> 'a'", {"t": "a"}),
    ("t < 'b'", {"t": "a"}),  # collation: the evaluator does not claim to know
]


@pytest.mark.parametrize(("expression", "row"), CASES)
def test_the_local_evaluator_agrees_with_the_server(
    scratch_dsn: str, expression: str, row: dict[str, object]
) -> None:
    local = evaluate(analyse(expression), row)
    with connect(scratch_dsn) as conn:
        params = {"x": row.get("x"), "y": row.get("y"), "t": row.get("t")}
        server = conn.execute(
            "SELECT " + expression + " FROM (SELECT %(x)s::int AS x, %(y)s::int AS y,"
            " %(t)s::text AS t) AS r",
            params,
        ).fetchone()
    assert server is not None
    if local is not UNKNOWN:
        assert local == server[0]
    else:
        assert expression == "t < 'b'"


MOMENTS = ["infinity", "-infinity", "2024-05-01 10:00:00+00:00", "2024-05-02 10:00:00+00:00"]


@pytest.mark.parametrize("start", MOMENTS)
@pytest.mark.parametrize("end", MOMENTS)
def test_infinite_moments_are_ordered_as_the_server_orders_them(
    scratch_dsn: str, start: str, end: str
) -> None:
    """'infinity' = 'infinity', and after every finite moment: the row factory relies on this
    to keep ``window_end > window_start`` rows valid when both ends are drawn infinite."""
    from schemaprobe.properties.strategies import python_value

    pg = parse_type("timestamp with time zone")
    row = {"s": python_value(pg, start), "e": python_value(pg, end)}
    local = evaluate(analyse("e > s"), row)
    with connect(scratch_dsn) as conn:
        server = conn.execute("SELECT %s::timestamptz > %s::timestamptz", (end, start)).fetchone()
    assert server is not None
    assert local == server[0]
