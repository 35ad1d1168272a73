"""Rules of a spec's own, written as SQL: one query per rule, one row per offending object.

Every other rule reads the catalog in memory; a SQL rule asks the database, so that a
team can state a convention schemaprobe has no template for (``every table has a
comment``, ``no column named data``) in the language they already use. All queries of a
run go in one READ ONLY transaction (the server refuses writes, whatever the query
says), each under a savepoint so one broken query reports its own error and the others
still run; the transaction is rolled back. The session's statement timeout applies.

The query returns a column ``object`` (the offending object's name, also the finding's
identity for waivers and baselines) and may return ``actual``, ``expected``, ``fix``,
``detail`` and ``schema``/``table`` (the subject the spec's selectors match).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from schemaprobe._location import Location
from schemaprobe.errors import SpecError, SpecProblem
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.rules._model import Rule, Violation

if TYPE_CHECKING:
    from schemaprobe.introspect.model import Catalog
    from schemaprobe.rules.exposure import RuleContext
    from schemaprobe.spec.model import RuleSpec

__all__ = ["COLUMNS", "SqlQuery", "fetch_violations", "sql_rule"]

REQUIRED = "object"
COLUMNS = (REQUIRED, "actual", "expected", "fix", "detail", "schema", "table")


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """One spec's SQL rule: its id, query, and where the query is written."""

    key: str
    """Unique within a run: ``<spec path>::<rule id>``."""
    text: str
    location: Location | None


def sql_rule(rule_id: str, settings: RuleSpec, violations: Sequence[Violation]) -> Rule:
    """The :class:`Rule` of a spec's SQL rule, reporting ``violations`` (fetched already)."""
    found = tuple(violations)

    def check(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
        return iter(found)

    return Rule(
        id=rule_id,
        title=settings.title or rule_id,
        severity=settings.severity or "warning",
        category=settings.category or "convention",
        why=settings.why or "",
        check=check,
        trigger="The spec's own query returns the object.",
    )


def fetch_violations(
    conn: psycopg.Connection[Any], queries: Sequence[SqlQuery]
) -> dict[str, tuple[Violation, ...]]:
    """Run every query (read only, rolled back): query key -> its violations.

    Raises :class:`SpecError` with every broken query at once (file:line, the server's
    message), as for any other mistake in a spec.
    """
    found: dict[str, tuple[Violation, ...]] = {}
    problems: list[SpecProblem] = []
    if not queries:
        return found
    conn.rollback()
    try:
        conn.execute("SET TRANSACTION READ ONLY")
        for query in queries:
            conn.execute("SAVEPOINT schemaprobe_sql_rule")
            try:
                found[query.key] = _violations(conn, query)
            except _BadRows as exc:
                problems.append(_problem(query, str(exc)))
            except psycopg.Error as exc:
                conn.execute("ROLLBACK TO SAVEPOINT schemaprobe_sql_rule")
                problems.append(_problem(query, _server_message(exc, query.text)))
    finally:
        conn.rollback()
    if problems:
        raise SpecError(problems)
    return found


class _BadRows(Exception):
    """The query ran but its rows cannot be findings."""


def _violations(conn: psycopg.Connection[Any], query: SqlQuery) -> tuple[Violation, ...]:
    # the spec author's own query, run as written (read only): not composed from parts
    cursor = conn.execute(sql.SQL(query.text))
    names = [column.name for column in cursor.description or ()]
    if REQUIRED not in names:
        raise _BadRows(
            f"the query returns no column named {REQUIRED} "
            f"(it returns {', '.join(names) or 'nothing'}); alias one, e.g. "
            "SELECT format('table %s', oid::regclass) AS object ..."
        )
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise _BadRows(
            f"unknown column(s) {', '.join(unknown)}; a rule query may return {', '.join(COLUMNS)}"
        )
    violations = []
    for values in cursor.fetchall():
        row = {
            name: None if value is None else str(value)
            for name, value in zip(names, values, strict=True)
        }
        if row[REQUIRED] is None:
            raise _BadRows(f"a row has {REQUIRED} NULL; every row must name its object")
        schema, table = row.get("schema"), row.get("table")
        violations.append(
            Violation(
                object=str(row[REQUIRED]),
                path="sql",
                expected=row.get("expected"),
                actual=row.get("actual"),
                fix=row.get("fix"),
                detail=row.get("detail"),
                subject=QualifiedName(schema, table) if schema and table else None,
            )
        )
    return tuple(sorted(violations, key=lambda v: v.object))


def _server_message(exc: psycopg.Error, text: str) -> str:
    """The server's message, with the line of the query it points at."""
    message = (exc.diag.message_primary or str(exc)).strip()
    position = exc.diag.statement_position
    if position and position.isdigit():
        line = text[: int(position) - 1].count("\n") + 1
        message += f" (line {line} of the query)"
    return f"the query fails: {message}"


def _problem(query: SqlQuery, message: str) -> SpecProblem:
    rule_id = query.key.rpartition("::")[2]
    return SpecProblem(query.location, f"rules.{rule_id}.sql", message)
