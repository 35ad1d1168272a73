"""Column conventions: types that lose information, timestamps nobody maintains."""

from __future__ import annotations

import re
from collections.abc import Iterator

from psycopg import sql

from schemaprobe.introspect.model import Catalog, QualifiedName, Table
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import column_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]

_NAIVE = re.compile(r"timestamp(\(\d+\))? without time zone(\[\])?")


def _naive_timestamps(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if table.partition_of is not None:  # the parent is reported; the type is shared
            continue
        for column in table.columns:
            match = _NAIVE.fullmatch(column.type)
            if match is None:
                continue
            target = f"timestamp{match[1] or ''} with time zone{match[2] or ''}"
            convert = sql.SQL(
                "ALTER TABLE {} ALTER COLUMN {} TYPE {} USING {} AT TIME ZONE 'UTC';"
            ).format(
                table.name.identifier,
                sql.Identifier(column.name),
                sql.SQL(target),
                sql.Identifier(column.name),
            )
            yield Violation(
                object=column_name(table, column.name),
                subject=table.name,
                path="type",
                expected=target,
                actual=column.type,
                # an array's elements cannot be converted by one AT TIME ZONE
                fix=None if match[2] else _fix.render(convert),
            )


UPDATED_AT = "updated_at"


def _stamps(table: Table) -> bool:
    """Has an enabled BEFORE UPDATE row trigger (what keeps updated_at current)."""
    return any(
        t.timing == "BEFORE" and "UPDATE" in t.events and t.level == "ROW" and t.enabled != "D"
        for t in table.triggers
    )


def _stamp_function(catalog: Catalog) -> QualifiedName | None:
    """The one function the database's own updated_at triggers call, if there is one."""
    used = {
        trigger.function
        for table in catalog.tables.values()
        if table.column(UPDATED_AT) is not None
        for trigger in table.triggers
        if trigger.timing == "BEFORE" and "UPDATE" in trigger.events and trigger.level == "ROW"
    }
    return used.pop() if len(used) == 1 else None


def _updated_at_without_trigger(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    function = _stamp_function(catalog)
    for table in catalog.tables.values():
        if table.column(UPDATED_AT) is None or table.partition_of is not None:
            continue
        if _stamps(table) or table.kind == "foreign table":
            continue
        fix = None
        if function is not None:
            fix = _fix.template(
                "CREATE TRIGGER {} BEFORE UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION {}();",
                sql.Identifier(f"{table.name.name}_set_updated_at"),
                table.name.identifier,
                function.identifier,
            )
        yield Violation(
            object=column_name(table, UPDATED_AT),
            subject=table.name,
            path="trigger",
            expected="a BEFORE UPDATE row trigger that sets it",
            actual="no such trigger: updated_at keeps its insert-time value",
            fix=fix,
        )


RULES = (
    Rule(
        id="timestamp-without-time-zone",
        title="timestamp without time zone",
        severity="warning",
        category="convention",
        why="A timestamp without time zone stores wall-clock digits with no offset, so the "
        "same instant reads differently per session and comparisons across zones go wrong.",
        trigger="A table column of type timestamp (any precision, or an array of it).",
        check=_naive_timestamps,
    ),
    Rule(
        id="updated-at-without-trigger",
        title="updated_at column without a trigger",
        severity="warning",
        category="convention",
        why="An updated_at column that no trigger maintains says when a row was created, "
        "not when it changed, and code that trusts it (sync, caches) silently goes stale.",
        trigger="A table with a column named updated_at and no enabled BEFORE UPDATE row "
        "trigger. The fix reuses the function the database's other updated_at triggers call, "
        "when there is exactly one.",
        check=_updated_at_without_trigger,
    ),
)
