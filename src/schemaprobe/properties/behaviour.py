"""Constraint behaviour beyond CHECK and NOT NULL: keys, references, actions, defaults,
``updated_at`` triggers. Each is one property item, judged by the server:

- ``unique``: a row whose key duplicates another's is refused (``23505``) by a unique
  constraint or index over exactly the key's columns, unless a key column is NULL and
  NULLs are distinct (``NULLS NOT DISTINCT`` written in the spec: refused then too);
- ``foreign_key``: a row whose key has no parent row is refused (``23503``); a key with a
  NULL goes in (``MATCH SIMPLE``; ``MATCH FULL``: only all NULL). The spec's verdict is
  the server's ``EXISTS`` over the parent table, so rows already in a DSN target count;
- ``on_delete``: deleting the parent row deletes the child (``cascade``), sets its key to
  NULL (``set null``) or to its default (``set default``: equal, on the server, to the
  column's live default), or is refused (``restrict``, ``no action``; deferred
  constraints are made immediate first);
- ``default``: a row that leaves the column out gets the spec's default: the same value
  where the spec's expression is constant within a transaction (``'en'``, ``0``,
  ``now()``), a non-NULL value where it is not (``gen_random_uuid()``);
- ``updated_at``: an ``UPDATE`` of a row changes its timestamp column.

Every example starts from the table's background row (:mod:`.background`) in the item's
transaction, inside a savepoint rolled back after it. Keys and references are explored
like CHECKs (their edge rows first, then Hypothesis); an action, a default and a trigger
do not depend on the row's values, so one example decides each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from random import Random
from typing import Any, Literal

import psycopg
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase
from hypothesis.errors import NoSuchExample, Unsatisfiable
from psycopg import errors, sql

from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties._explore import explore
from schemaprobe.properties.background import (
    Background,
    BackgroundCache,
    describe_error,
    find_background,
)
from schemaprobe.properties.execute import Inserter
from schemaprobe.properties.oracle import (
    Attempt,
    PropertyOutcome,
    render_counterexample,
)
from schemaprobe.properties.rows import LINKED, RowFactory, RowInsert, RowSet
from schemaprobe.properties.strategies import accepted, steered
from schemaprobe.properties.types import INT_RANGES, PgType, Value, parse_type

__all__ = ["Behaviour", "BehaviourKind", "run_behaviour"]

BehaviourKind = Literal["unique", "foreign_key", "on_delete", "default", "updated_at"]

#: What each ON DELETE action does to the child row, as the report says it.
_ACTIONS = {
    "cascade": "deletes the child row",
    "set null": "sets {columns} to NULL",
    "set default": "sets {columns} to their default",
    "restrict": "refuses the delete",
    "no action": "refuses the delete",
}
_PAST = "2000-01-01 00:00:00"


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One behaviour of ``table`` to test; ``promises`` are the spec's CHECK and NOT NULL
    predicates for the table, which every row used must keep."""

    table: QualifiedName
    kind: BehaviourKind
    label: str
    columns: tuple[str, ...]
    promises: tuple[sql.Composable, ...] = ()
    references: QualifiedName | None = None
    referenced: tuple[str, ...] = ()
    action: str | None = None
    match: str | None = None
    nulls_not_distinct: bool = False
    default: str | None = None
    update_columns: tuple[str, ...] = ()


class _Run:
    """The state of one behaviour item on one connection (inside its transaction)."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        factory: RowFactory,
        behaviour: Behaviour,
        background: Background,
    ) -> None:
        self.conn = conn
        self.factory = factory
        self.behaviour = behaviour
        self.background = background
        self.table = factory.table(behaviour.table)
        self.inserter = Inserter(conn)
        promises = behaviour.promises or (sql.SQL("true"),)
        self.verdicts = _sql.verdicts(behaviour.table, promises).as_bytes(conn)
        self.examples = 0
        self.discarded = 0
        self.last_error: str | None = None
        self._reference: bytes | None = None

    def start(self, changes: Mapping[str, Value], *, returning: Sequence[str] = ()) -> Attempt:
        """The attempt's parents and the background row with ``changes`` (not inserted)."""
        background = self.background
        rowset = background.row_with(changes)
        row = rowset.row
        if returning:
            row = RowInsert(row.table, row.values, row.links, tuple(returning), row.overriding)
        return Attempt(
            RowSet((*background.parents.inserts, row)),
            payloads=list(background.payloads),
            returned=list(background.returned),
        )

    def reference_verdict(self) -> bytes:
        if self._reference is None:
            self._reference = _reference_verdict(self.behaviour).as_bytes(self.conn)
        return self._reference

    def keeps_promises(self, values: Mapping[str, Value]) -> bool:
        verdict = self.conn.execute(self.verdicts, (json.dumps(values),)).fetchone()
        return verdict is not None and all(verdict)

    def insert(self, attempt: Attempt, insert: RowInsert, values: dict[str, Value]) -> None:
        """Insert one more row of the attempt (the error propagates)."""
        if attempt.rowset.inserts[-1] is not insert:
            attempt.rowset = RowSet((*attempt.rowset.inserts, insert))
        attempt.payloads.append(values)
        attempt.returned.append(self.inserter.insert(insert, values))

    def render(self, query: sql.Composed, params: Sequence[object]) -> str:
        """A statement for the reproduction, its parameters as literals."""
        return psycopg.ClientCursor(self.conn).mogrify(query, params) + ";"


# -- keys -------------------------------------------------------------------------------


def _key_constraints(table: cat.Table, columns: Iterable[str], kinds: set[str]) -> set[str]:
    """Names of live constraints (and unique indexes) over exactly ``columns``."""
    wanted = set(columns)
    names = {c.name for c in table.constraints if c.kind in kinds and set(c.columns) == wanted}
    if "unique" in kinds:
        for index in table.indexes:
            keys = [c.name for c in index.columns if not c.expression]
            if index.unique and len(keys) == len(index.columns) and set(keys) == wanted:
                names.add(index.name)
    return names


def _distinct(pg: PgType, value: Value) -> Value:
    """Another value of the type near ``value`` (to keep a second row off other keys)."""
    if value is None or value is LINKED:
        return value
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        _low, high = INT_RANGES.get(pg.name, INT_RANGES["bigint"])
        return value + 1 if value < high else value - 1
    if isinstance(value, float):
        return value + 1.0
    if isinstance(value, str):
        if pg.name == "uuid" and value:
            last = "0" if value[-1] != "0" else "1"
            return value[:-1] + last
        if pg.is_number:
            try:
                return str(Decimal(value) + 1)
            except InvalidOperation:
                return value
        if pg.is_text:
            return (value[:-1] + ("b" if value[-1:] != "b" else "c")) if value else "b"
    return value


def _unique_attempt(run: _Run, changes: Mapping[str, Value]) -> Attempt | None:
    behaviour = run.behaviour
    attempt = run.start(changes)
    first = attempt.rowset.row
    values = RowSet.linked(first, attempt.returned)
    for name in behaviour.columns:  # a key left out is NULL: say so in the INSERTs
        column = run.table.column(name)
        if name not in values and column is not None and column.default is None:
            values[name] = None
    if not run.keeps_promises(values):
        return None
    try:
        run.insert(attempt, first, values)
    except psycopg.Error as exc:
        run.last_error = describe_error(exc)
        return None
    # the second row: the same key, every other unique column moved off the first's
    others = {
        c
        for k in run.table.constraints
        if k.kind in ("unique", "primary key")
        for c in k.columns
        if c not in behaviour.columns
    }
    others |= {
        c.name
        for i in run.table.indexes
        if i.unique
        for c in i.columns
        if not c.expression and c.name not in behaviour.columns
    }
    # NULLS NOT DISTINCT keys clash on NULL too: those get a value of their own
    not_distinct = {c for k in run.table.constraints if k.nulls_not_distinct for c in k.columns}
    not_distinct |= {c.name for i in run.table.indexes if i.nulls_not_distinct for c in i.columns}
    not_distinct -= set(behaviour.columns)
    second_values = dict(values)
    for name in others & (set(values) | not_distinct):
        column = run.table.column(name)
        if column is None:
            continue
        pg = parse_type(column.type)
        value = values.get(name)
        if value is None and name in not_distinct:
            second_values[name] = _some_value(run, name, pg)
        else:
            second_values[name] = _distinct(pg, value)
    second = RowInsert(first.table, second_values, (), (), first.overriding)
    attempt.payloads.append(second_values)
    attempt.rowset = RowSet((*attempt.rowset.inserts, second))
    key_nulls = any(values.get(c) is None for c in behaviour.columns)
    attempt.spec_accepts = key_nulls and not behaviour.nulls_not_distinct
    mine = _key_constraints(run.table, behaviour.columns, {"unique", "primary key"})
    return _judged(
        run,
        attempt,
        lambda: run.inserter.insert(second, second_values),
        errors.UniqueViolation,
        mine,
    )


def _judged(
    run: _Run,
    attempt: Attempt,
    insert: Callable[[], object],
    refusal: type[psycopg.Error],
    mine: set[str] | None,
) -> Attempt | None:
    """``attempt`` with the database's verdict on ``insert``: refused when it raises
    ``refusal`` from one of ``mine`` (``None``: from any constraint), accepted when it
    goes in; ``None`` (the example says nothing) when something else refuses it."""
    try:
        insert()
    except refusal as exc:
        if mine is not None and exc.diag.constraint_name not in mine:
            run.last_error = describe_error(exc)
            return None
        attempt.database_accepts = False
        attempt.refusal = describe_error(exc)
    except psycopg.Error as exc:
        run.last_error = describe_error(exc)
        return None
    return attempt


# -- references -------------------------------------------------------------------------


def _link(run: _Run) -> tuple[int, tuple[str, ...]] | None:
    """The background's parent insert the tested foreign key points at, and its columns."""
    for link in run.background.row.links:
        if link.columns == run.behaviour.columns:
            return link.parent, link.parent_columns
    return None


def _foreign_key_attempt(run: _Run, changes: Mapping[str, Value]) -> Attempt | None:
    behaviour = run.behaviour
    if behaviour.references is None:
        return None
    attempt = run.start(changes)
    row = attempt.rowset.row
    values = RowSet.linked(row, attempt.returned)
    found = run.conn.execute(run.reference_verdict(), (json.dumps(values),)).fetchone()
    if found is None or not found[0]:
        return None  # another promise of the spec refuses the row
    attempt.spec_accepts = bool(found[1])
    # a foreign key the database lacks: any reference refusal is the verdict
    mine = _key_constraints(run.table, behaviour.columns, {"foreign key"}) or None
    return _judged(
        run,
        attempt,
        lambda: run.insert(attempt, row, values),
        errors.ForeignKeyViolation,
        mine,
    )


def _reference_verdict(behaviour: Behaviour) -> sql.Composed:
    """``SELECT`` whether the row in the parameter keeps the spec's other promises, and
    whether it may go in as far as the reference goes."""
    assert behaviour.references is not None
    record = sql.Identifier(behaviour.table.name)
    mine = [sql.SQL("{}.{}").format(record, sql.Identifier(c)) for c in behaviour.columns]
    parent = sql.Identifier("schemaprobe_parent")
    equal = sql.SQL(" AND ").join(
        sql.SQL("{}.{} = {}").format(parent, sql.Identifier(p), m)
        for p, m in zip(behaviour.referenced, mine, strict=True)
    )
    exists = sql.SQL("EXISTS (SELECT 1 FROM {} AS {} WHERE {})").format(
        behaviour.references.identifier, parent, equal
    )
    any_null = sql.SQL(" OR ").join(sql.SQL("{} IS NULL").format(m) for m in mine)
    all_null = sql.SQL(" AND ").join(sql.SQL("{} IS NULL").format(m) for m in mine)
    if behaviour.match == "full":
        condition = sql.SQL("({}) OR (NOT ({}) AND {})").format(all_null, any_null, exists)
    else:
        condition = sql.SQL("({}) OR {}").format(any_null, exists)
    promises = sql.SQL(" AND ").join(
        sql.SQL("{} IS NOT FALSE").format(p) for p in behaviour.promises or (sql.SQL("true"),)
    )
    return sql.SQL("SELECT {}, {} FROM {}").format(
        promises, condition, _sql.record(behaviour.table)
    )


# -- actions, defaults, triggers: one example each ----------------------------------------


def _primary_key(table: cat.Table) -> tuple[str, ...]:
    for constraint in table.constraints:
        if constraint.kind == "primary key":
            return constraint.columns
    return ()


def _where(columns: Sequence[str]) -> sql.Composable:
    return sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)


def _why_no_delete(run: _Run, key: tuple[str, ...]) -> str:
    behaviour = run.behaviour
    if not key:
        return f"{behaviour.table} has no primary key to find the child row by"
    if not _key_constraints(run.table, behaviour.columns, {"foreign key"}):
        columns = ", ".join(behaviour.columns)
        return f"the database has no foreign key over ({columns}) to act on"
    return f"no parent row of {behaviour.references} in the background row"


def _on_delete_attempt(run: _Run, changes: Mapping[str, Value]) -> Attempt | None:
    behaviour, conn = run.behaviour, run.conn
    key = _primary_key(run.table)
    link = _link(run)
    if not key or link is None or behaviour.action is None:
        run.last_error = _why_no_delete(run, key)
        return None
    parent_index, parent_columns = link
    parent_insert = run.background.parents.inserts[parent_index]
    attempt = run.start(changes, returning=(*key, *behaviour.columns))
    row = attempt.rowset.row
    values = RowSet.linked(row, attempt.returned)
    try:
        run.insert(attempt, row, values)
    except psycopg.Error as exc:
        run.last_error = describe_error(exc)
        return None
    child = attempt.returned[-1]
    before = tuple(child.get(c) for c in behaviour.columns)
    parent_key = [attempt.returned[parent_index].get(c) for c in parent_columns]
    delete = sql.SQL("DELETE FROM {} WHERE {}").format(
        parent_insert.table.identifier, _where(parent_columns)
    )
    attempt.extra.append(run.render(delete, parent_key))
    names = ", ".join(behaviour.columns)
    expected = _ACTIONS[behaviour.action].format(columns=names)
    if behaviour.action == "set default" and all(
        (c := run.table.column(n)) is not None and c.default is None for n in behaviour.columns
    ):
        expected = _ACTIONS["set null"].format(columns=names)  # no default: NULL is the default
    attempt.expected = f"deleting the parent row {expected}"
    try:
        conn.execute(delete, parent_key)
    except (errors.ForeignKeyViolation, errors.RestrictViolation) as exc:
        actual = _ACTIONS["restrict"]
        attempt.refusal = describe_error(exc)
    except psycopg.Error as exc:
        # SET NULL on a NOT NULL column, a trigger's error: the delete fails otherwise
        actual = "fails"
        attempt.refusal = describe_error(exc)
    else:
        select = sql.SQL("SELECT {} FROM {} WHERE {}").format(
            sql.SQL(", ").join(
                sql.SQL("{}::text").format(sql.Identifier(c)) for c in behaviour.columns
            ),
            behaviour.table.identifier,
            _where(key),
        )
        key_values = [child.get(c) for c in key]
        attempt.extra.append(run.render(select, key_values))
        after = conn.execute(select, key_values).fetchone()
        actual = _child_after(run, None if after is None else tuple(after), before, key_values)
    attempt.actual = f"deleting the parent row {actual}"
    attempt.spec_accepts = True
    attempt.database_accepts = attempt.actual == attempt.expected
    return attempt


def _child_after(
    run: _Run,
    after: tuple[object, ...] | None,
    before: tuple[object, ...],
    key: Sequence[object],
) -> str:
    """What the DELETE did to the child row: ``after`` is its key columns read again by
    its primary ``key`` (``None``: the row is gone), ``before`` what they held."""
    names = ", ".join(run.behaviour.columns)
    if after is None:
        return _ACTIONS["cascade"]
    if all(v is None for v in after):
        return _ACTIONS["set null"].format(columns=names)
    if after == before:
        return f"keeps the child row with {names} unchanged"
    if _is_default(run, key):
        return _ACTIONS["set default"].format(columns=names)
    values = ", ".join("NULL" if v is None else repr(v) for v in after)
    return f"sets {names} to {values}, not their default"


def _is_default(run: _Run, key: Sequence[object]) -> bool:
    """Whether the child row's key columns (the row found by its primary ``key``) hold
    their live defaults (NULL for a column without one), compared by the server: a key
    changed to another parent (a trigger's doing) is not set to its default.

    A ``nextval()`` default is not evaluated (that would move the sequence, which a
    rollback does not undo): any non-NULL change counts as that default.
    """
    behaviour = run.behaviour
    defaults = [(c.default if (c := run.table.column(n)) else None) for n in behaviour.columns]
    if any(d is not None and "nextval(" in d.lower() for d in defaults):
        return True
    same = sql.SQL(" AND ").join(
        sql.SQL("{} IS NOT DISTINCT FROM {}").format(
            sql.Identifier(name), sql.SQL("NULL") if d is None else _sql.predicate(d)
        )
        for name, d in zip(behaviour.columns, defaults, strict=True)
    )
    query = sql.SQL("SELECT {} FROM {} WHERE {}").format(
        same, behaviour.table.identifier, _where(_primary_key(run.table))
    )
    found = run.conn.execute(query, list(key)).fetchone()
    return found is not None and bool(found[0])


def _default_attempt(run: _Run, changes: Mapping[str, Value]) -> Attempt | None:
    behaviour, conn = run.behaviour, run.conn
    (column,) = behaviour.columns
    if behaviour.default is None:
        return None
    attempt = run.start(changes)
    row = attempt.rowset.row
    values = {k: v for k, v in row.values.items() if k != column}
    row = RowInsert(row.table, values, row.links, (), row.overriding)
    attempt.rowset = RowSet((*attempt.rowset.inserts[:-1], row))
    values = RowSet.linked(row, attempt.returned)
    values.pop(column, None)
    spec_default = _sql.predicate(behaviour.default)
    query = _sql.default_check(behaviour.table, tuple(values), column, spec_default, row.overriding)
    attempt.payloads.append(values)
    select = sql.SQL("SELECT {}::text AS spec_default").format(spec_default)
    attempt.extra.append(run.render(select, []))
    try:
        found = conn.execute(query, (json.dumps(values),)).fetchone()
    except errors.CheckViolation as exc:
        # the default against the background's other values (expires_at > created_at
        # with a drawn expires_at): other values are tried (see run_behaviour)
        run.last_error = describe_error(exc)
        return None
    except psycopg.Error as exc:
        attempt.refusal = describe_error(exc)
        attempt.expected = f"the default {behaviour.default}"
        attempt.actual = "refuses the row its defaults make"
        attempt.database_accepts = False
        return attempt
    if found is None:
        return None
    same, constant, got, wanted = found
    attempt.spec_accepts = True
    if constant:
        attempt.expected = f"{column} = {wanted!r} (the default {behaviour.default})"
        attempt.database_accepts = bool(same)
    else:
        attempt.expected = (
            f"{column} not NULL (the default {behaviour.default}, a new value each row)"
        )
        attempt.database_accepts = got is not None
    attempt.actual = f"{column} = {'NULL' if got is None else repr(got)}"
    return attempt


def _updated_at_attempt(run: _Run, changes: Mapping[str, Value]) -> Attempt | None:
    behaviour, conn = run.behaviour, run.conn
    (column,) = behaviour.columns
    key = _primary_key(run.table)
    if not key:
        run.last_error = f"{behaviour.table} has no primary key to find the row by"
        return None
    attempt = run.start({column: _PAST}, returning=(*key, column))
    row = attempt.rowset.row
    values = RowSet.linked(row, attempt.returned)
    try:
        run.insert(attempt, row, values)
    except psycopg.Error as exc:
        run.last_error = describe_error(exc)
        return None
    inserted = attempt.returned[-1]
    target = behaviour.update_columns[0] if behaviour.update_columns else column
    update = sql.SQL("UPDATE {} SET {} = {} WHERE {} RETURNING {}::text").format(
        behaviour.table.identifier,
        sql.Identifier(target),
        sql.Identifier(target),
        _where(key),
        sql.Identifier(column),
    )
    key_values = [inserted.get(c) for c in key]
    attempt.extra.append(run.render(update, key_values))
    attempt.expected = f"an UPDATE changes {column} (it was {inserted.get(column)!r})"
    try:
        after = conn.execute(update, key_values).fetchone()
    except psycopg.Error as exc:
        run.last_error = describe_error(exc)
        return None
    now = after[0] if after else None
    attempt.spec_accepts = True
    attempt.database_accepts = now is not None and now != inserted.get(column)
    attempt.actual = f"{column} = {'NULL' if now is None else repr(now)} after the UPDATE"
    return attempt


_ATTEMPTS: Mapping[BehaviourKind, Callable[[_Run, Mapping[str, Value]], Attempt | None]] = {
    "unique": _unique_attempt,
    "foreign_key": _foreign_key_attempt,
    "on_delete": _on_delete_attempt,
    "default": _default_attempt,
    "updated_at": _updated_at_attempt,
}


# -- what to try ------------------------------------------------------------------------


def _key_values(run: _Run) -> dict[str, tuple[PgType, bool]]:
    found: dict[str, tuple[PgType, bool]] = {}
    for name in run.behaviour.columns:
        column = run.table.column(name)
        if column is not None and column.generated is None:
            found[name] = (parse_type(column.type), not column.not_null)
    return found


_FIRST = settings(
    max_examples=20,
    database=None,
    deadline=None,
    verbosity=Verbosity.quiet,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.generate,),
)


def _some_value(run: _Run, name: str, pg: PgType) -> Value:
    """A non-NULL value of the column its CHECKs accept (the simplest one Hypothesis
    draws), or NULL when there is none."""
    info = run.factory.types.get(pg.element.name)
    values = accepted(pg, name, run.factory.analyses(run.table), info)
    if values is None:
        return None
    try:
        return find(values, lambda v: v is not None, settings=_FIRST, random=Random(0))
    except NoSuchExample:
        return None


def _edges(run: _Run) -> list[dict[str, Value]]:
    """The rows tried first: the background's own key (duplicated, or linked to its
    parent), the key with no NULL in it, each NULL, and for a reference one key no parent
    has."""
    kind = run.behaviour.kind
    if kind not in ("unique", "foreign_key"):
        return [{}]
    columns = _key_values(run)
    rows: list[dict[str, Value]] = [{}]
    if kind == "unique":
        base = run.background.values()
        filled = {
            name: _some_value(run, name, pg)
            for name, (pg, _n) in columns.items()
            if base.get(name) is None and name not in _foreign(run.table)
        }
        if filled:
            rows.append(filled)
    rows += [{name: None} for name, (_pg, nullable) in columns.items() if nullable]
    if kind == "foreign_key":
        link = _link(run)
        if link is not None:
            parent = run.background.returned[link[0]]
            orphan = {
                c: _distinct(pg, parent.get(p))
                for (c, (pg, _n)), p in zip(columns.items(), link[1], strict=False)
            }
            rows.append(orphan)
    return rows


def _foreign(table: cat.Table) -> set[str]:
    return {c for k in table.constraints if k.kind == "foreign key" for c in k.columns}


def _strategy(run: _Run) -> st.SearchStrategy[dict[str, Value]]:
    table = run.table
    checks = run.factory.analyses(table)
    drawn: dict[str, st.SearchStrategy[Value]] = {}
    for name, (pg, nullable) in _key_values(run).items():
        info = run.factory.types.get(pg.element.name)
        values = steered(pg, name, checks, info, nullable=nullable)
        if run.behaviour.kind == "foreign_key":
            values = st.one_of(st.just(LINKED), values)
        elif name in _foreign(table):
            # part of a key and of a reference: the parent's key (or NULL), never an orphan
            values = st.one_of(st.just(LINKED), st.none()) if nullable else st.just(LINKED)
        drawn[name] = values
    return st.fixed_dictionaries(drawn)


def _partners_found(
    run: _Run, attempt: Callable[[Mapping[str, Value]], Attempt | None], tries: int
) -> Attempt | None:
    """A default the background row refuses (a CHECK pairs the column with another):
    draw the columns its CHECKs pair it with until one row is judged."""
    (column,) = run.behaviour.columns
    partners = {
        c
        for a in run.factory.analyses(run.table)
        if column in a.columns
        for c in a.columns
        if c != column and run.table.column(c) is not None
    }
    if not partners:
        return None
    drawn: dict[str, st.SearchStrategy[Value]] = {}
    for name in sorted(partners):
        pg = parse_type(run.table.column(name).type)  # type: ignore[union-attr]
        info = run.factory.types.get(pg.element.name)
        values = accepted(pg, name, run.factory.analyses(run.table), info)
        if values is not None:
            drawn[name] = values
    found: list[Attempt] = []

    def judged(changes: dict[str, Value]) -> bool:
        result = attempt(changes)
        if result is None:
            run.discarded += 1
            return False
        found.append(result)
        return True

    search = settings(_FIRST, max_examples=max(1, tries))
    try:
        find(st.fixed_dictionaries(drawn), judged, settings=search, random=Random(0))
    except NoSuchExample:
        return None
    return found[0] if found else None


def run_behaviour(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    behaviour: Behaviour,
    *,
    max_examples: int = 100,
    seed_value: int = 0,
    parent_cache: BackgroundCache | None = None,
    parent_seed: int = 0,
    database: ExampleDatabase | None = None,
) -> PropertyOutcome:
    """Test ``behaviour`` on ``conn`` (inside its open transaction, which the caller rolls
    back); the same protocol as :func:`~schemaprobe.properties.oracle.run_property`."""
    promises = behaviour.promises or (sql.SQL("true"),)
    verdicts = _sql.verdicts(behaviour.table, promises).as_bytes(conn)
    background = find_background(
        conn, factory, behaviour.table, verdicts, base_seed=parent_seed, cache=parent_cache
    )
    if isinstance(background, str):
        return PropertyOutcome(0, 0, seed_value, error=background)
    run = _Run(conn, factory, behaviour, background)
    conn.execute(_sql.SET_CONSTRAINTS_IMMEDIATE)
    conn.execute(_sql.SAVEPOINT)
    judge = _ATTEMPTS[behaviour.kind]

    def attempt(changes: Mapping[str, Value]) -> Attempt | None:
        run.examples += 1
        try:
            return judge(run, changes)
        finally:
            conn.execute(_sql.ROLLBACK_TO)

    def outcome(found: Attempt | None = None, error: str | None = None) -> PropertyOutcome:
        counterexample = None
        if found is not None:
            counterexample = render_counterexample(conn, factory, behaviour.columns, found)
        return PropertyOutcome(
            run.examples, run.discarded, seed_value, counterexample=counterexample, error=error
        )

    judged = 0
    for changes in _edges(run):
        found = attempt(changes)
        if found is None:
            run.discarded += 1
            continue
        judged += 1
        if found.spec_accepts != found.database_accepts:
            return outcome(found)
    if behaviour.kind == "default" and not judged:
        found = _partners_found(run, attempt, max_examples)
        if found is not None:
            judged += 1
            if found.spec_accepts != found.database_accepts:
                return outcome(found)
    if behaviour.kind not in ("unique", "foreign_key"):
        return outcome() if judged else outcome(error=_unjudged(run))

    def judged_row(changes: dict[str, Value]) -> Attempt | None:
        found = attempt(changes)
        if found is None:
            run.discarded += 1
        return found

    try:
        found = explore(
            judged_row,
            _strategy(run),
            rows=max_examples - judged,
            seed_value=seed_value,
            database=database,
        )
        if found is not None:
            return outcome(found)
    except Unsatisfiable:
        return outcome(error=_unjudged(run))
    return outcome()


def _unjudged(run: _Run) -> str:
    why = f" (last error: {run.last_error})" if run.last_error else ""
    return f"no example could be judged{why}"
