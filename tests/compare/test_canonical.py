"""The canonicaliser on a real server: spec spellings come back exactly as the catalog reads.

Every expectation is checked against what ``read_catalog`` returned for a live object
made with another spelling, so a change in introspection's rendering shows up here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.pq import Trace

from schemaprobe.compare import canonical
from schemaprobe.compare._sqlnorm import expression_problem, type_problem
from schemaprobe.compare.canonical import (
    CanonicalError,
    ExpressionRequest,
    ServerCanonicalizer,
    equivalent,
    normalize_type,
)
from schemaprobe.introspect import Catalog, QualifiedName, read_catalog
from schemaprobe.introspect import model as cat

SCHEMA = """
CREATE SCHEMA auth;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid';
CREATE FUNCTION public.add_tax(amount numeric, rate integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS 'SELECT amount * (100 + rate) / 100';
CREATE TYPE public.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
CREATE TABLE public.members (task_id integer, user_id uuid);
CREATE TABLE public.tasks (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL DEFAULT 'new',
    retry_count int4 CONSTRAINT retry_range CHECK (retry_count BETWEEN 0 AND 5),
    price numeric(12,2) CONSTRAINT price_positive CHECK (price > 0),
    qty integer,
    total numeric GENERATED ALWAYS AS (price * qty) STORED,
    body text,
    user_id uuid,
    created_at timestamptz DEFAULT now(),
    clone_id integer
);
CREATE INDEX tasks_search ON public.tasks USING gin (to_tsvector('english', body));
CREATE INDEX tasks_open ON public.tasks (lower(status)) WHERE status IN ('new', 'open');
ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Members can view tasks" ON public.tasks FOR SELECT USING (
    EXISTS (SELECT 1 FROM members m WHERE m.task_id = tasks.clone_id AND m.user_id = auth.uid()));
CREATE POLICY "Owners insert" ON public.tasks FOR INSERT WITH CHECK (auth.uid() = user_id);
CREATE TRIGGER status_changed BEFORE UPDATE ON public.tasks FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION suppress_redundant_updates_trigger();
CREATE SCHEMA archive;
CREATE TABLE archive.tasks (id bigint, note text CONSTRAINT note_set CHECK (note <> ''));
CREATE SCHEMA "Odd Schema";
CREATE TABLE "Odd Schema"."My ""odd"" table" (
    "Retry Count" integer CONSTRAINT "Non-negative ✓" CHECK ("Retry Count" >= 0),
    "Ünïcode" varchar(10) DEFAULT 'ä'
);
ALTER TABLE "Odd Schema"."My ""odd"" table" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own heroes" ON "Odd Schema"."My ""odd"" table"
    USING ("Retry Count" < 10);
CREATE TABLE public.typed (
    a int4, b varchar(255), c timestamptz, d text[], e numeric(12,2), f public.mood,
    g public.positive, h char, i timestamp(3), j varbit(5), k float8, l "char", m decimal(10)
);
"""
TASKS = QualifiedName("public", "tasks")
ARCHIVE = QualifiedName("archive", "tasks")
ODD = QualifiedName("Odd Schema", 'My "odd" table')

Live = Callable[[cat.Table], "str | None"]


def _trigger_context(trigger: cat.Trigger) -> str:
    """What the comparison engine passes for a trigger (compare/tables.py)."""
    return f"{trigger.timing} {' OR '.join(trigger.events)} FOR EACH {trigger.level}"


# (kind, table, context or a function of the catalog table, live text, equal spelling,
# different spelling)
CASES: list[tuple[str, QualifiedName, Any, Live, str, str]] = [
    ("check", TASKS, "", lambda t: t.constraint("retry_range").check,
     "retry_count between 0 and 5", "retry_count between 0 and 6"),
    ("check", TASKS, "", lambda t: t.constraint("price_positive").check,
     "(PRICE > 0)", "price >= 0"),
    ("default", TASKS, "status", lambda t: t.column("status").default, "'new'", "'old'"),
    ("default", TASKS, "created_at", lambda t: t.column("created_at").default,
     "NOW()", "clock_timestamp()"),
    ("generated", TASKS, "total", lambda t: t.column("total").generation,
     "price*qty", "price+qty"),
    ("index_expression", TASKS, "gin", lambda t: t.index("tasks_search").columns[0].name,
     "to_tsvector('english', body)", "to_tsvector('simple', body)"),
    ("index_expression", TASKS, "btree", lambda t: t.index("tasks_open").columns[0].name,
     "LOWER(status)", "upper(status)"),
    ("index_predicate", TASKS, "btree", lambda t: t.index("tasks_open").predicate,
     "status in ('new','open')", "status in ('new','closed')"),
    ("policy_using", TASKS, "", lambda t: t.policy("Members can view tasks").using,
     "exists (select 1 from members m where m.task_id = tasks.clone_id"
     " and m.user_id = auth.uid())",
     "exists (select 1 from members m where m.task_id = tasks.id)"),
    ("policy_with_check", TASKS, "", lambda t: t.policy("Owners insert").with_check,
     "auth.uid() = user_id", "auth.uid() <> user_id"),
    ("trigger_when", TASKS, lambda t: _trigger_context(t.trigger("status_changed")),
     lambda t: t.trigger("status_changed").when,
     "old.status is distinct from new.status", "old.status = new.status"),
    ("check", ARCHIVE, "", lambda t: t.constraint("note_set").check, "note != ''", "note <> 'x'"),
    ("check", ODD, "", lambda t: t.constraint("Non-negative ✓").check,
     '"Retry Count" >= 0', '"Retry Count" > 0'),
    ("default", ODD, "Ünïcode", lambda t: t.column("Ünïcode").default, "'ä'", "'a'"),
    ("policy_using", ODD, "", lambda t: t.policy("Users can view own heroes").using,
     '"Retry Count" < 10', '"Retry Count" <= 10'),
]  # fmt: skip


@pytest.fixture
def dsn(scratch_dsn: str) -> str:
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SCHEMA)
    return scratch_dsn


@pytest.fixture
def conn(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(dsn, options="-c lock_timeout=3000") as connection:
        yield connection


def _catalog(conn: psycopg.Connection[Any]) -> Catalog:
    return read_catalog(conn)


def _requests(catalog: Catalog, *, spelling: int) -> dict[ExpressionRequest, str]:
    """Request → the live text it must (spelling 4) or must not (5) come back as."""
    out: dict[ExpressionRequest, str] = {}
    for case in CASES:
        kind, name, context, live = case[:4]
        table = catalog.tables[name]
        ctx = context(table) if callable(context) else context
        text = live(table)
        assert text is not None, case
        out[ExpressionRequest(kind, name, case[spelling], ctx)] = text  # type: ignore[arg-type]
    return out


def test_equal_spellings_render_exactly_as_the_catalog(conn: psycopg.Connection[Any]) -> None:
    wanted = _requests(_catalog(conn), spelling=4)
    answers = ServerCanonicalizer(conn).expressions(wanted)
    wrong = {r.text: (answers[r], live) for r, live in wanted.items() if answers[r] != live}
    assert not wrong


def test_different_spellings_do_not(conn: psycopg.Connection[Any]) -> None:
    wanted = _requests(_catalog(conn), spelling=5)
    answers = ServerCanonicalizer(conn).expressions(wanted)
    for request, live in wanted.items():
        assert isinstance(answers[request], str), (request, answers[request])
        assert answers[request] != live, request


def test_errors_are_isolated(conn: psycopg.Connection[Any]) -> None:
    good = ExpressionRequest("check", TASKS, "retry_count > 0")
    bad = {
        ExpressionRequest("check", TASKS, "retry_cnt > 0"): 'column "retry_cnt" does not exist',
        ExpressionRequest("check", TASKS, "retry_count >"): "syntax error",
        ExpressionRequest("check", QualifiedName("public", "nope"), "a > 0"): "does not exist",
        ExpressionRequest("policy_using", TASKS, "id = nope()"): "function nope() does not exist",
        ExpressionRequest("default", TASKS, "'x'", "nope"): 'column "nope" does not exist',
        ExpressionRequest("index_expression", TASKS, "body::json", "gin"): "operator class",
        ExpressionRequest("trigger_when", TASKS, "true", "INSTEAD OF INSERT"): "unsupported",
    }
    answers = ServerCanonicalizer(conn).expressions([good, *bad])
    assert answers[good] == "(retry_count > 0)"
    for request, message in bad.items():
        answer = answers[request]
        assert isinstance(answer, CanonicalError), request
        assert message in answer.message, (request, answer)
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_spec_text_cannot_leave_its_parentheses(conn: psycopg.Connection[Any]) -> None:
    attacks = [
        "retry_count > 0) NOT VALID; CREATE TABLE public.pwned (x int); --",
        "retry_count > 0); CREATE TABLE public.pwned (x int",
        "note = E'\\';' ; CREATE TABLE public.pwned (x int); --'",
    ]
    canon = ServerCanonicalizer(conn)
    answers = canon.expressions([ExpressionRequest("check", TASKS, a) for a in attacks])
    assert all(isinstance(a, CanonicalError) for a in answers.values())
    typed = canon.types(["integer REFERENCES public.members", "int) INHERITS (public.tasks"])
    assert all(isinstance(a, CanonicalError) for a in typed.values())
    assert conn.execute("SELECT to_regclass('public.pwned')").fetchone() == (None,)


def test_no_lock_on_live_tables_and_nothing_left(dsn: str, conn: psycopg.Connection[Any]) -> None:
    before = _catalog(conn)
    settings = conn.execute(
        "SELECT current_setting('search_path'), current_setting('DateStyle')"
    ).fetchone()
    conn.rollback()
    wanted = _requests(before, spelling=4)
    with psycopg.connect(dsn) as other:
        # A migration holding ACCESS EXCLUSIVE on every live table does not block us.
        other.execute('LOCK public.tasks, archive.tasks, "Odd Schema"."My ""odd"" table"')
        answers = ServerCanonicalizer(conn).expressions(wanted)
        other.rollback()
    assert all(answers[r] == live for r, live in wanted.items())
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    leftovers = conn.execute(
        "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()),"
        " (SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()"
        "  AND relation = ANY(ARRAY['public.tasks'::regclass, 'archive.tasks'::regclass])),"
        " (SELECT count(*) FROM pg_prepared_statements),"
        " current_setting('search_path'), current_setting('DateStyle'),"
        " current_setting('schemaprobe.request', true)"
    ).fetchone()
    assert leftovers == (0, 0, 0, *settings, "")
    conn.rollback()
    assert _catalog(conn) == before


def _trace(conn: psycopg.Connection[Any], path: Path, call: Callable[[], object]) -> list[str]:
    """The protocol messages the client sent during ``call`` (libpq's own trace)."""
    with path.open("w") as file:
        conn.pgconn.trace(file.fileno())
        conn.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
        try:
            call()
        finally:
            conn.pgconn.untrace()
    return re.findall(r"^F\t\d+\t(\w+)", path.read_text(), re.MULTILINE)


@pytest.mark.parametrize("autocommit", [False, True])
def test_one_round_trip_whatever_the_number(dsn: str, tmp_path: Path, autocommit: bool) -> None:
    with psycopg.connect(dsn, autocommit=autocommit) as conn:
        canon = ServerCanonicalizer(conn)
        one = [ExpressionRequest("check", TASKS, "retry_count > 0")]
        many = [ExpressionRequest("check", TASKS, f"retry_count > {i}") for i in range(40)]
        many += [ExpressionRequest("check", ARCHIVE, f"id > {i}") for i in range(10)]
        sent = {
            "one": _trace(conn, tmp_path / "1", lambda: canon.expressions(one)),
            "many": _trace(conn, tmp_path / "2", lambda: canon.expressions(many)),
            "types": _trace(conn, tmp_path / "3", lambda: canon.types(["int4", "text", "mood"])),
            "functions": _trace(conn, tmp_path / "4", lambda: canon.functions(["auth.uid()"])),
        }
        for messages in sent.values():
            assert messages.count("Sync") == 1
            assert messages.count("Parse") == 5
        assert (canon.round_trips, canon.statements) == (4, 20)
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert conn.autocommit is autocommit


def test_chunks_stay_in_one_round_trip(
    conn: psycopg.Connection[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canonical, "CHUNK", 3)
    requests = [ExpressionRequest("check", TASKS, f"retry_count > {i}") for i in range(8)]
    requests += [
        ExpressionRequest("check", ARCHIVE, "id > 0"),
        ExpressionRequest("check", ODD, "x"),
    ]
    answers: dict[ExpressionRequest, object] = {}
    sent = _trace(
        conn,
        tmp_path / "t",
        lambda: answers.update(ServerCanonicalizer(conn).expressions(requests)),
    )
    assert (sent.count("Sync"), sent.count("Parse")) == (1, 2 + 3 * 4)
    assert [answers[r] for r in requests[:3]] == [
        "(retry_count > 0)",
        "(retry_count > 1)",
        "(retry_count > 2)",
    ]
    assert answers[requests[8]] == "(id > 0)"
    assert answers[requests[9]] == CanonicalError('column "x" does not exist')


def test_without_a_column_an_expression_keeps_its_own_type(conn: psycopg.Connection[Any]) -> None:
    requests = {
        ExpressionRequest("default", TASKS, "'new'"): "'new'::text",
        ExpressionRequest("default", TASKS, "'new'", "status"): "'new'::character varying",
        ExpressionRequest("generated", TASKS, "price * qty"): "(price * (qty)::numeric)",
        ExpressionRequest("generated", TASKS, "qty * 2", "total"): "(qty * 2)",
        ExpressionRequest("index_expression", TASKS, "(status)"): "status",
        ExpressionRequest("trigger_when", TASKS, "new.qty > 0", "AFTER INSERT"): "(new.qty > 0)",
    }
    answers = ServerCanonicalizer(conn).expressions(requests)
    assert {r: answers[r] for r in requests} == requests


def test_types_render_as_column_types(conn: psycopg.Connection[Any]) -> None:
    columns = {
        c.name: c.type for c in _catalog(conn).tables[QualifiedName("public", "typed")].columns
    }
    spellings = {
        "integer": "a", "character varying(255)": "b", "timestamp with time zone": "c",
        "TEXT []": "d", "numeric(12, 2)": "e", "mood": "f", "public.positive": "g",
        "character": "h", "timestamp(3) without time zone": "i", "bit varying(5)": "j",
        "double precision": "k", '"char"': "l", "numeric(10)": "m",
    }  # fmt: skip
    answers = ServerCanonicalizer(conn).types([*spellings, "nosuch", "serial", "SETOF int8"])
    assert {s: answers[s] for s in spellings} == {s: columns[c] for s, c in spellings.items()}
    assert answers["nosuch"] == CanonicalError('type "nosuch" does not exist')
    assert (answers["serial"], answers["SETOF int8"]) == ("integer", "SETOF bigint")


def test_functions_resolve_to_catalog_keys(conn: psycopg.Connection[Any]) -> None:
    catalog = _catalog(conn)
    answers = ServerCanonicalizer(conn).functions(
        ["add_tax(numeric, int4)", "auth.uid()", "public.add_tax(int)", "add_tax("]
    )
    name, arguments = answers["add_tax(numeric, int4)"]  # type: ignore[misc]
    assert catalog.function(name, arguments) is not None
    assert arguments == "amount numeric, rate integer"
    assert answers["auth.uid()"] == (QualifiedName("auth", "uid"), "")
    assert isinstance(answers["public.add_tax(int)"], CanonicalError)
    assert isinstance(answers["add_tax("], CanonicalError)


def test_read_only_session(dsn: str) -> None:
    with psycopg.connect(dsn) as conn:
        columns = {
            c.name: c.type for c in _catalog(conn).tables[QualifiedName("public", "typed")].columns
        }
    with psycopg.connect(dsn, options="-c default_transaction_read_only=on") as conn:
        canon = ServerCanonicalizer(conn)
        answers = canon.expressions([ExpressionRequest("check", TASKS, "retry_count > 0")])
        assert list(answers.values()) == [
            CanonicalError("read-only session: compared with sqlglot only")
        ]
        types = canon.types(["int4", "varchar(255)", "mood", "char", "numeric(12,2)", "nosuch"])
        assert types["int4"] == columns["a"]
        assert types["varchar(255)"] == columns["b"]
        assert types["mood"] == columns["f"]
        assert types["char"] == columns["h"]
        assert types["numeric(12,2)"] == columns["e"]
        assert isinstance(types["nosuch"], CanonicalError)
        assert canon.functions(["auth.uid()"]) == {"auth.uid()": (QualifiedName("auth", "uid"), "")}


def test_psycopg_read_only_connection_gets_no_ddl(conn: psycopg.Connection[Any]) -> None:
    conn.read_only = True
    request = ExpressionRequest("check", TASKS, "retry_count > 0")
    answers = ServerCanonicalizer(conn).expressions([request])
    assert answers[request] == CanonicalError("read-only session: compared with sqlglot only")
    assert conn.read_only is True


def test_callers_transaction_is_left_as_it_was(conn: psycopg.Connection[Any]) -> None:
    conn.execute("CREATE TEMP TABLE mine (x int)")
    conn.execute("SET LOCAL search_path = archive, public")
    answers = ServerCanonicalizer(conn).expressions(
        [
            ExpressionRequest("check", TASKS, "retry_count > 0"),
            ExpressionRequest("check", TASKS, "x"),
        ]
    )
    assert answers[ExpressionRequest("check", TASKS, "retry_count > 0")] == "(retry_count > 0)"
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    assert conn.execute(
        "SELECT current_setting('search_path'), to_regclass('mine') IS NOT NULL"
    ).fetchone() == ("archive, public", True)
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT 1/0")
    failed = ServerCanonicalizer(conn).expressions([ExpressionRequest("check", TASKS, "true")])
    assert isinstance(next(iter(failed.values())), CanonicalError)
    conn.rollback()


def test_search_path_of_the_spec(conn: psycopg.Connection[Any]) -> None:
    request = ExpressionRequest("policy_with_check", TASKS, "uid() = user_id")
    assert isinstance(ServerCanonicalizer(conn).expressions([request])[request], CanonicalError)
    found = ServerCanonicalizer(conn, search_path=("public", "auth")).expressions([request])
    assert found[request] == "(auth.uid() = user_id)"


EQUIVALENT = [
    ("retry_count BETWEEN 0 AND 5", "((retry_count >= 0) AND (retry_count <= 5))"),
    ("status IN ('a','b')", "(status = ANY (ARRAY['a'::text, 'b'::text]))"),
    ("status IN ('b', 'a')",
     "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
    ("auth.uid() = user_id", "(user_id = auth.uid())"),
    ("(select auth.uid()) = user_id", "(( SELECT auth.uid() AS uid) = user_id)"),
    ("(price > 0)", "price > 0"),
    ("now()", "now()"),
    ("0 < price", "(price > (0)::numeric)"),
    ("price > -1", "(price > '-1'::integer)"),
    ("status NOT IN ('a', 'b')", "(status <> ALL (ARRAY['a'::text, 'b'::text]))"),
    ("x NOT BETWEEN 1 AND 5", "((x < 1) OR (x > 5))"),
    ("a > 0 AND b > 0 AND c > 0", "((c > 0) AND ((b > 0) AND (a > 0)))"),
    ("name LIKE 'a%'", "(name ~~ 'a%'::text)"),
    ("OLD.status IS DISTINCT FROM NEW.status", "(old.status IS DISTINCT FROM new.status)"),
    ('"status" > 0', "(status > 0)"),
    ("is_public = true", "is_public"),
    ("is_public = false", "(NOT is_public)"),
    ("NOT (a > 0 AND b <> 1)", "a <= 0 OR b = 1"),
]  # fmt: skip
DIFFERENT = [
    ("retry_count <= 5", "retry_count <= 6"),
    ("a IN ('x','y')", "a IN ('x','y','z')"),
    ("a > 0", "a >= 0"),
    ("(a + b) * 2", "a + (b * 2)"),
    ("a - b > 0", "b - a > 0"),
    ('"Status" > 0', "(status > 0)"),
    ("a > 0 AND b > 0", "a > 0 OR b > 0"),
    ("status IN ('a','b')", "status NOT IN ('a','b')"),
    ("is_public IS TRUE", "is_public"),
    ("is_public = false", "is_public"),
    ("a ||| (", "a"),
    ("", "a"),
]


@pytest.mark.parametrize(("a", "b"), EQUIVALENT)
def test_equivalent(a: str, b: str) -> None:
    assert equivalent("check", a, b)
    assert equivalent("check", b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_not_equivalent(a: str, b: str) -> None:
    assert not equivalent("check", a, b)
    assert not equivalent("check", b, a)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("int4", "integer"), ("INT8", "bigint"), ("varchar(255)", "character varying(255)"),
        ("timestamptz", "timestamp with time zone"), ("timestamp", "timestamp without time zone"),
        ("bool", "boolean"), ("float8", "double precision"), ("serial", "integer"),
        ("bigserial", "bigint"), ("numeric(12, 2)", "numeric(12,2)"), ("int[]", "integer[]"),
        ("char", "character(1)"), ("timestamptz(3)", "timestamp(3) with time zone"),
        ("pg_catalog.text", "text"), ("public.mood", "public.mood"),
    ],
)  # fmt: skip
def test_normalize_type(text: str, canonical: str) -> None:
    assert normalize_type(text) == canonical
    assert equivalent("type", text, canonical)


@pytest.mark.parametrize(
    "text",
    ["a > 0); DROP TABLE t; --", "a > (0", "x = E'\\';' ; y", "x = 1; y", "/* ) */ a)", "$$"],
)
def test_expression_problem(text: str) -> None:
    assert expression_problem(text) is not None


@pytest.mark.parametrize(
    "text", ["x = ';'", "f(a) -- ;)", "x = $q$;)$q$", "/* ; ( */ a", "E'\\'' = x", '"a;)" > 0']
)
def test_expression_without_problem(text: str) -> None:
    assert expression_problem(text) is None


def test_type_problem() -> None:
    assert type_problem("timestamp(3) with time zone") is None
    assert type_problem('public."My Type"[]') is None
    assert type_problem("public.geometry(Point, 4326)") is None
    assert type_problem("int REFERENCES x") is not None
    assert type_problem("int, b int") is not None
