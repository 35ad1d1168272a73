"""Keys and indexes: a primary key on every table, FKs covered, no duplicate or dead index."""

from __future__ import annotations

from collections.abc import Iterator

from psycopg import sql

from schemaprobe.introspect.model import Catalog, Constraint, Index, Table, View, quote_ident
from schemaprobe.rules import _fix
from schemaprobe.rules._expr import guard_columns
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import column_name, index_name, is_plain_table, relation_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]


def _keys(index: Index) -> tuple[tuple[object, ...], ...]:
    """What makes two index keys the same: column or expression, opclass, collation, order."""
    return tuple(
        (c.name, c.expression, c.opclass, c.collation, c.descending, c.nulls_first)
        for c in index.columns
    )


def _shape(index: Index) -> tuple[object, ...]:
    return (
        index.method,
        _keys(index),
        index.include,
        index.predicate,
        index.unique,
        index.nulls_not_distinct,
        index.options,
    )


def _drop(table: Table | View, index: Index) -> str | None:
    """DROP INDEX for a plain index; constraint-backed ones are dropped with their
    constraint, which is a decision about the data model, so no fix is offered."""
    if index.constraint is not None:
        return None
    return f"DROP INDEX {_fix.ident(table.name.schema, index.name)};"


def _no_primary_key(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if not is_plain_table(table) or table.partition_of is not None:
            continue
        if table.primary_key is not None:
            continue
        yield Violation(
            object=relation_name("table", table.name),
            subject=table.name,
            path="primary_key",
            expected="a primary key",
            actual="none",
            fix=_fix.template(
                "ALTER TABLE {} ADD COLUMN {} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
                table.name.identifier,
                sql.Identifier(_free_column(table, "id")),
            ),
        )


def _free_column(table: Table, wanted: str) -> str:
    name, n = wanted, 1
    while table.column(name) is not None:
        n += 1
        name = f"{wanted}{n}"
    return name


def _covers(index: Index, columns: tuple[str, ...]) -> bool:
    """PostgreSQL can find referencing rows with ``index`` if its leading keys are the FK
    columns, in any order among themselves, and it is a complete (non-partial) index."""
    if index.predicate is not None or not index.valid or len(index.columns) < len(columns):
        return False
    leading = index.columns[: len(columns)]
    if any(c.expression for c in leading):
        return False
    return {c.name for c in leading} == set(columns)


def _unindexed_foreign_keys(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        for constraint in table.constraints:
            if constraint.kind != "foreign key" or constraint.inherited:
                continue
            if any(_covers(index, constraint.columns) for index in table.indexes):
                continue
            yield _fk_violation(table, constraint)


def _fk_violation(table: Table, constraint: Constraint) -> Violation:
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in constraint.columns)
    target = constraint.references.table if constraint.references else None
    return Violation(
        object=f"constraint {quote_ident(constraint.name)} on {table.name}",
        subject=table.name,
        path="index",
        expected=f"an index whose leading keys are ({', '.join(constraint.columns)})",
        actual="none" + (f" (references {target})" if target else ""),
        fix=_fix.template("CREATE INDEX ON {} ({});", table.name.identifier, columns),
    )


def _duplicates(table: Table) -> list[tuple[Index, Index]]:
    """(kept, duplicate) pairs: of identical indexes the constraint-backed (then the
    first-named) one is kept and the others are duplicates."""
    # a cheap part of the shape first: most tables have no two indexes alike even in
    # that, and the full shape (every key's six properties) is then never built
    rough: dict[tuple[object, ...], list[Index]] = {}
    for index in table.indexes:
        first = index.columns[0].name if index.columns else None
        rough.setdefault((index.method, len(index.columns), first, index.predicate), []).append(
            index
        )
    pairs: list[tuple[Index, Index]] = []
    for candidates in rough.values():
        if len(candidates) < 2:
            continue
        groups: dict[tuple[object, ...], list[Index]] = {}
        for index in candidates:
            groups.setdefault(_shape(index), []).append(index)
        for same in groups.values():
            if len(same) > 1:
                keep, *extra = sorted(same, key=lambda i: (i.constraint is None, i.name))
                pairs += [(keep, index) for index in extra]
    return pairs


def _duplicate_indexes(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if len(table.indexes) < 2:
            continue
        for keep, index in _duplicates(table):
            yield Violation(
                object=index_name(table, index.name),
                subject=table.name,
                path="definition",
                expected="no second index with the same definition",
                actual=f"same as {keep.name}",
                fix=_drop(table, index),
            )


def _is_prefix(shorter: Index, longer: Index) -> bool:
    short, long = _keys(shorter), _keys(longer)
    return len(short) < len(long) and long[: len(short)] == short


def _redundant_indexes(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        btrees = [i for i in table.indexes if i.method == "btree" and i.valid]
        if len(btrees) < 2:
            continue
        duplicates = {index.name for _keep, index in _duplicates(table)}
        for index in btrees:
            if index.unique or index.constraint is not None or index.include:
                continue
            if index.name in duplicates:  # reported by duplicate-index, once is enough
                continue
            wider = [
                other.name
                for other in btrees
                if other.predicate == index.predicate and _is_prefix(index, other)
            ]
            if wider:
                yield Violation(
                    object=index_name(table, index.name),
                    subject=table.name,
                    path="definition",
                    expected="no index whose keys lead another index with the same properties",
                    actual=f"its keys lead {', '.join(sorted(wider))}",
                    fix=_drop(table, index),
                )


def _leads_an_index(table: Table, column: str) -> bool:
    return any(
        index.valid
        and index.predicate is None
        and index.columns
        and not index.columns[0].expression
        and index.columns[0].name == column
        for index in table.indexes
    )


def _policy_columns_unindexed(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if not table.rls_enabled or not table.policies:
            continue
        policies: dict[str, list[str]] = {}
        for policy in table.policies:
            # an INSERT's WITH CHECK tests the new row, it filters no query
            check = policy.with_check if policy.command != "INSERT" else None
            for text in (policy.using, check):
                guards = guard_columns(text) if text else None
                for column in guards or ():
                    if table.column(column) is not None:
                        policies.setdefault(column, []).append(policy.name)
        for column, names in sorted(policies.items()):
            if _leads_an_index(table, column):
                continue
            yield Violation(
                object=column_name(table, column),
                subject=table.name,
                path="index",
                expected="an index leading with it (policies filter every query on it)",
                actual=f"no index; filtered on by {', '.join(sorted(set(names)))}",
                fix=_fix.template(
                    "CREATE INDEX ON {} ({});", table.name.identifier, sql.Identifier(column)
                ),
            )


_SCANNED = "scanned by some query since statistics were last reset"
_NOT_SCANNED = "0 scans since statistics were last reset"


def _with_indexes(catalog: Catalog) -> Iterator[Table | View]:
    """Tables and materialized views whose indexes are scanned themselves: partitioned
    tables' indexes are never scanned (their partitions' are), and a partition's index is
    usually attached to the parent's and cannot be dropped alone, so both are left out."""
    for table in catalog.tables.values():
        if table.kind == "table" and table.partition_of is None and table.indexes:
            yield table
    for view in catalog.views.values():
        if view.kind == "materialized view" and view.indexes:
            yield view


def _unused_indexes(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    if not context.audit:  # a freshly built database has scanned nothing: no evidence
        return
    for relation in _with_indexes(catalog):
        for index in relation.indexes:
            if index.scans != 0 or not index.valid:
                continue
            # unique indexes enforce something whether or not queries scan them
            if index.unique or index.primary or index.constraint is not None:
                continue
            # positional, in field order (object, path, expected, actual, fix, detail,
            # subject): a fresh 10,000-table database makes 30,000 of these
            yield Violation(
                index_name(relation, index.name),
                "scans",
                _SCANNED,
                _NOT_SCANNED,
                f"DROP INDEX {_fix.ident(relation.name.schema, index.name)};",
                None,
                relation.name,
            )


RULES = (
    Rule(
        id="table-without-primary-key",
        title="Table without a primary key",
        severity="warning",
        category="performance",
        why="Without a primary key rows cannot be addressed one by one: updates and deletes "
        "by row, logical replication and most tools depend on one.",
        trigger="An ordinary or partitioned table (not a partition) with no PRIMARY KEY.",
        check=_no_primary_key,
    ),
    Rule(
        id="unindexed-foreign-key",
        title="Foreign key without a covering index",
        severity="warning",
        category="performance",
        why="Deleting or updating a referenced row scans the referencing table for matches "
        "unless an index leads with the foreign key's columns, and joins along it scan too.",
        trigger="A foreign key whose columns are not the leading keys (in any order among "
        "themselves) of a valid, non-partial index on the referencing table.",
        check=_unindexed_foreign_keys,
    ),
    Rule(
        id="duplicate-index",
        title="Duplicate index",
        severity="warning",
        category="performance",
        why="Two identical indexes cost two writes on every change and twice the space and "
        "cache, and the planner uses only one.",
        trigger="Two indexes on one table with the same method, keys (column or expression, "
        "operator class, collation, order), INCLUDE columns, predicate, uniqueness and options.",
        check=_duplicate_indexes,
    ),
    Rule(
        id="redundant-index",
        title="Redundant index",
        severity="info",
        category="performance",
        why="A btree index whose keys lead a wider btree index with the same predicate "
        "answers nothing the wider one cannot, and every write pays for both.",
        trigger="A valid btree index, not unique, not backing a constraint, without INCLUDE, "
        "whose keys (with their properties) are a strict prefix of another valid btree "
        "index's keys with the same predicate.",
        check=_redundant_indexes,
    ),
    Rule(
        id="policy-column-unindexed",
        title="Policy predicate column without an index",
        severity="warning",
        category="performance",
        why="A policy's predicate is added to every query on the table; if the column it "
        "ties to the caller (user_id = auth.uid()) leads no index, every query scans.",
        trigger="A column of a table with RLS that a policy's USING (or an UPDATE/ALL's "
        "WITH CHECK) ties to the caller's identity, and that no valid, non-partial index "
        "has as its first key.",
        check=_policy_columns_unindexed,
    ),
    Rule(
        id="unused-index",
        title="Index never scanned",
        severity="info",
        category="performance",
        why="An index no query has scanned since statistics were last reset still costs a "
        "write on every change, disk and cache; only a deployed database's statistics say "
        "so, hence audit mode only.",
        trigger="In audit mode only: a valid, non-unique index not backing a constraint, on a "
        "table (not partitioned, not a partition) or materialized view, with 0 scans "
        "(pg_stat_all_indexes.idx_scan) since statistics were last reset.",
        check=_unused_indexes,
        default=False,
        audit=True,
    ),
)
