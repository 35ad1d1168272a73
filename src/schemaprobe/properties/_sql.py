"""The SQL a property probe sends, composed with ``psycopg.sql`` only.

Values never enter SQL text: a row travels as one ``jsonb`` parameter that
``jsonb_populate_record(NULL::<table>, $1)`` turns into the table's row type, so each
value is converted by its column's own type (enums, domains and all). Spec predicates are
SQL by design; they are placed inside parentheses they cannot leave (checked with the
canonicaliser's :func:`~schemaprobe.compare._sqlnorm.expression_problem`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from psycopg import sql

from schemaprobe.compare._sqlnorm import expression_problem
from schemaprobe.errors import UsageError
from schemaprobe.introspect.model import QualifiedName

__all__ = [
    "ROLLBACK_TO",
    "SAVEPOINT",
    "insert",
    "insert_literal",
    "judged_insert",
    "predicate",
    "render_insert",
    "texts",
    "verdicts",
]

SAVEPOINT = sql.SQL("SAVEPOINT schemaprobe_example")
ROLLBACK_TO = sql.SQL("ROLLBACK TO SAVEPOINT schemaprobe_example")
SAVEPOINT_PARENTS = sql.SQL("SAVEPOINT schemaprobe_parents")
ROLLBACK_TO_PARENTS = sql.SQL("ROLLBACK TO SAVEPOINT schemaprobe_parents")
RELEASE_PARENTS = sql.SQL("RELEASE SAVEPOINT schemaprobe_parents")
SET_CONSTRAINTS_IMMEDIATE = sql.SQL("SET CONSTRAINTS ALL IMMEDIATE")


def _record(table: QualifiedName) -> sql.Composed:
    return sql.SQL("pg_catalog.jsonb_populate_record(NULL::{}, %s::jsonb) AS {}").format(
        table.identifier, sql.Identifier(table.name)
    )


def record(table: QualifiedName) -> sql.Composed:
    """The row in the parameter as the table's row type, named like the table."""
    return _record(table)


def _insert_body(
    table: QualifiedName,
    columns: Sequence[str],
    overriding: bool,
    row: sql.Composable | None = None,
) -> sql.Composed:
    """``INSERT`` of ``columns`` of the row in the parameter (the rest keep defaults);
    ``row``: of that JSON literal instead (for statements sent as text with others)."""
    if not columns:
        return sql.SQL("INSERT INTO {} DEFAULT VALUES").format(table.identifier)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    over = sql.SQL(" OVERRIDING SYSTEM VALUE") if overriding else sql.SQL("")
    source = _record(table) if row is None else _record_of(table, row)
    return sql.SQL("INSERT INTO {} ({}){} SELECT {} FROM {}").format(
        table.identifier, names, over, names, source
    )


def _record_of(table: QualifiedName, row: sql.Composable) -> sql.Composed:
    return sql.SQL("pg_catalog.jsonb_populate_record(NULL::{}, {}::jsonb) AS {}").format(
        table.identifier, row, sql.Identifier(table.name)
    )


def insert_literal(
    table: QualifiedName, values: Mapping[str, object], *, overriding: bool = False
) -> sql.Composed:
    """``INSERT`` of ``values`` with the row as a JSON literal (no parameter): for a
    statement that travels in one string with the statements around it."""
    return _insert_body(table, tuple(values), overriding, sql.Literal(json.dumps(values)))


def insert(
    table: QualifiedName,
    columns: Sequence[str],
    returning: Sequence[str],
    *,
    overriding: bool = False,
) -> sql.Composed:
    """``INSERT`` of the row in the parameter (only ``columns``; the rest keep defaults)."""
    body = _insert_body(table, columns, overriding)
    if not returning:
        return sql.Composed([body])
    back = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in returning)
    return sql.SQL("{} RETURNING {}").format(body, back)


def predicate(text: str) -> sql.Composable:
    """A spec expression as SQL inside its own parentheses; a UsageError if it could leave them."""
    problem = expression_problem(text)
    if problem is not None:
        raise UsageError(f"CHECK expression {text!r} cannot be evaluated: {problem}")
    return sql.SQL("({})").format(sql.SQL(text))  # spec SQL, checked above


def verdicts(table: QualifiedName, predicates: Sequence[sql.Composable]) -> sql.Composed:
    """``SELECT (p1) IS NOT FALSE, ...`` over the row in the parameter: SQL NULL passes."""
    columns = sql.SQL(", ").join(sql.SQL("{} IS NOT FALSE").format(p) for p in predicates)
    return sql.SQL("SELECT {} FROM {}").format(columns or sql.SQL("true"), _record(table))


def judged_insert(
    table: QualifiedName,
    columns: Sequence[str],
    predicates: Sequence[sql.Composable],
    *,
    overriding: bool = False,
) -> sql.Composed:
    """The spec's verdicts and the insert in one statement (one round trip per example).

    Returns ``(first predicate IS NOT FALSE, all others IS NOT FALSE, rows inserted)``;
    the row goes in only when the others hold. Takes the row twice (``%s, %s``). A
    refusal raises, and then the verdicts come from :func:`verdicts` instead.
    """
    first, *others = predicates
    rest = sql.SQL(" AND ").join(sql.SQL("{} IS NOT FALSE").format(p) for p in others)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    over = sql.SQL(" OVERRIDING SYSTEM VALUE") if overriding else sql.SQL("")
    return sql.SQL(
        "WITH schemaprobe_verdict AS (SELECT {} IS NOT FALSE AS spec, {} AS others FROM {}),"
        " schemaprobe_insert AS (INSERT INTO {} ({}){} SELECT {} FROM {}"
        " WHERE (SELECT others FROM schemaprobe_verdict) RETURNING 1)"
        " SELECT spec, others, (SELECT count(*) FROM schemaprobe_insert) FROM schemaprobe_verdict"
    ).format(
        first,
        rest if others else sql.SQL("true"),
        _record(table),
        table.identifier,
        names,
        over,
        names,
        _record(table),
    )


def default_check(
    table: QualifiedName,
    columns: Sequence[str],
    column: str,
    default: sql.Composable,
    overriding: bool,
) -> sql.Composed:
    """Insert the row in the parameter without ``column``; then ``(column IS NOT DISTINCT
    FROM default, default constant within the statement, column::text, default::text)``."""
    body = _insert_body(table, columns, overriding)
    col = sql.Identifier(column)
    return sql.SQL(
        "WITH schemaprobe_insert AS ({} RETURNING {}) SELECT {} IS NOT DISTINCT FROM {},"
        " {} IS NOT DISTINCT FROM {}, {}::text, ({})::text FROM schemaprobe_insert"
    ).format(body, col, col, default, default, default, col, default)


def texts(table: QualifiedName, columns: Sequence[str]) -> sql.Composed:
    """Each column of the row in the parameter as its type's text (for a runnable INSERT)."""
    cols = sql.SQL(", ").join(
        sql.SQL("{}.{}::text").format(sql.Identifier(table.name), sql.Identifier(c))
        for c in columns
    )
    return sql.SQL("SELECT {} FROM {}").format(cols, _record(table))


def render_insert(
    table: QualifiedName, values: Sequence[tuple[str, str | None]], *, overriding: bool
) -> sql.Composed:
    """A runnable ``INSERT ... VALUES`` with each value a literal of its text form (the
    untyped literal takes the column's type, as ``INSERT`` coerces it)."""
    if not values:
        return sql.SQL("INSERT INTO {} DEFAULT VALUES;").format(table.identifier)
    names = sql.SQL(", ").join(sql.Identifier(c) for c, _ in values)
    literals = sql.SQL(", ").join(
        sql.SQL("NULL") if v is None else sql.Literal(v) for _, v in values
    )
    over = sql.SQL(" OVERRIDING SYSTEM VALUE") if overriding else sql.SQL("")
    return sql.SQL("INSERT INTO {} ({}){} VALUES ({});").format(
        table.identifier, names, over, literals
    )
