"""The CHECK / NOT NULL oracle: the database accepts exactly the rows the spec allows.

For one property (a spec CHECK, or a spec ``nullable``), Hypothesis draws row sets from the
row factory with the property's columns pushed to their edges. Each example runs inside
``SAVEPOINT``/``ROLLBACK TO SAVEPOINT`` in one transaction the caller rolls back:

1. the parent rows are inserted (their keys returned for the row's foreign keys);
2. the server evaluates the spec's predicate, and every other predicate the spec states for
   the table, over the row's values as the table's row type: ``SELECT (p) IS NOT FALSE ...
   FROM jsonb_populate_record(NULL::t, $1)`` (SQL NULL semantics: a CHECK that yields NULL
   passes). A row another spec promise rejects says nothing about this one: discarded;
3. the row is inserted; accepted, or refused with the SQLSTATE the property is about
   (``23514`` check_violation; ``23502`` not_null_violation too for ``nullable``). Any other
   refusal (a unique or foreign-key clash, a value out of range) discards the example.

The verdicts must agree. When they do not, Hypothesis shrinks to a minimal row set, which
comes back as a :class:`Counterexample`: runnable ``INSERT`` statements, the spec's verdict
and the database's (with the constraint that fired).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import psycopg
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase
from hypothesis.errors import Unsatisfiable
from psycopg import errors, sql

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
from schemaprobe.properties.expressions import analyse
from schemaprobe.properties.rows import RowFactory, RowInsert, RowSet
from schemaprobe.properties.strategies import edge_values, steered
from schemaprobe.properties.types import PgType, Value, parse_type

__all__ = [
    "Counterexample",
    "Property",
    "PropertyOutcome",
    "item_seed",
    "run_property",
]

PropertyKind = Literal["check", "nullable"]

_REFUSALS: Mapping[PropertyKind, tuple[type[psycopg.Error], ...]] = {
    "check": (errors.CheckViolation,),
    "nullable": (errors.NotNullViolation, errors.CheckViolation),
}


@dataclass(frozen=True, slots=True)
class Property:
    """One behaviour to test on ``table``.

    ``predicate`` is the spec's verdict on what is tested (a CHECK's expression; for
    ``nullable: false``, ``col IS NOT NULL``); ``others`` the spec's other promises on the
    table (its other CHECKs and NOT NULLs) that a row must keep to count. ``columns`` are
    pushed to their edges, steered by ``predicate``'s text and the table's live CHECKs.
    """

    table: QualifiedName
    kind: PropertyKind
    label: str
    predicate: sql.Composable
    columns: tuple[str, ...]
    others: tuple[sql.Composable, ...] = ()
    steer: tuple[str, ...] = ()
    """CHECK texts whose constants steer the edges (the spec's expression among them)."""
    not_null: tuple[str, ...] = ()
    """Columns the spec declares NOT NULL (a CHECK property never pushes them to NULL)."""


@dataclass(frozen=True, slots=True)
class Counterexample:
    """The minimal disagreement: what to run, and who said what."""

    statements: tuple[str, ...]
    values: tuple[tuple[str, str | None], ...]
    """The tested columns of the row, as text (``None``: SQL NULL)."""
    spec_accepts: bool
    database_accepts: bool
    refusal: str | None
    """The database's error, ``SQLSTATE: message (constraint)``, when it refused."""
    expected: str | None = None
    actual: str | None = None
    """The spec's promise and what the database did instead, where accepting or refusing
    the last row is not what is tested (an ON DELETE action, a default, a trigger)."""
    context: tuple[str, ...] = ()
    """Lines shown instead of the row (an isolation world: principals, rows, actor)."""

    def reproduce(self) -> str:
        """``BEGIN; ...; ROLLBACK;``, runnable in psql."""
        return "\n".join(["BEGIN;", *self.statements, "ROLLBACK;"])


@dataclass(frozen=True, slots=True)
class PropertyOutcome:
    """How a property run went: examples tried and discarded, and a counterexample or an
    error (no example could be judged)."""

    examples: int
    discarded: int
    seed: int
    counterexample: Counterexample | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()
    """What the run left out and why (a side door it could not probe), for reports."""

    @property
    def passed(self) -> bool:
        return self.counterexample is None and self.error is None


def item_seed(node_id: str, base: int | str | None) -> int:
    """The seed of one item: stable per node id, changed by ``--hypothesis-seed``."""
    return zlib.crc32(f"{base if base is not None else 0}:{node_id}".encode())


@dataclass
class Attempt:
    """One judged example: the inserts made, and what the spec and the database said."""

    rowset: RowSet
    payloads: list[dict[str, Value]] = field(default_factory=list)
    returned: list[dict[str, Value]] = field(default_factory=list)
    spec_accepts: bool = True
    database_accepts: bool = True
    refusal: str | None = None
    extra: list[str] = field(default_factory=list)
    """Statements after the inserts (a DELETE, an UPDATE), rendered, for the reproduction."""
    expected: str | None = None
    actual: str | None = None
    """What the spec promises and what the database did, for behaviours other than
    accepting or refusing the last row."""


class _Probe:
    """Runs examples on one connection, inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any], prop: Property) -> None:
        self.conn = conn
        self.prop = prop
        self.background: Background | None = None
        self.verdicts = _sql.verdicts(prop.table, (prop.predicate, *prop.others)).as_bytes(conn)
        self.savepoint = _sql.SAVEPOINT.as_bytes(conn)
        self.rollback_to = _sql.ROLLBACK_TO.as_bytes(conn)
        self.inserter = Inserter(conn)
        self._statements: dict[tuple[tuple[str, ...], bool], bytes] = {}
        self.examples = 0
        self.discarded = 0
        self.last_error: str | None = None

    def attempt(self, changes: Mapping[str, Value]) -> Attempt | None:
        """One example: the background row with ``changes``; ``None`` when it cannot be
        judged (discarded). Inside the savepoint :func:`run_property` set, rolled back to
        after the example (``ROLLBACK TO`` keeps the savepoint for the next one)."""
        self.examples += 1
        background = self.background
        assert background is not None  # set by run_property before any example
        rowset = background.row_with(changes)
        attempt = Attempt(
            RowSet((*background.parents.inserts, *rowset.inserts)),
            payloads=list(background.payloads),
            returned=list(background.returned),
        )
        values = self.inserter.parents(rowset, attempt.returned, attempt.payloads)
        payload = json.dumps(values)
        conn = self.conn
        try:
            judged = conn.execute(self._judged(rowset.row, tuple(values)), (payload, payload))
            spec, others, _inserted = judged.fetchone() or (True, False, 0)
        except _REFUSALS[self.prop.kind] as exc:
            conn.execute(self.rollback_to)
            attempt.database_accepts = False
            attempt.refusal = describe_error(exc)
            verdict = conn.execute(self.verdicts, (payload,)).fetchone()
            if verdict is None or not all(verdict[1:]):
                return None
            attempt.spec_accepts = bool(verdict[0])
            return attempt
        except psycopg.Error as exc:
            conn.execute(self.rollback_to)
            self.last_error = describe_error(exc)
            return None
        conn.execute(self.rollback_to)
        if not others:
            return None
        attempt.spec_accepts = bool(spec)
        return attempt

    def _judged(self, row: RowInsert, columns: tuple[str, ...]) -> bytes:
        key = (columns, row.overriding)
        statement = self._statements.get(key)
        if statement is None:
            prop = self.prop
            composed = _sql.judged_insert(
                prop.table, columns, (prop.predicate, *prop.others), overriding=row.overriding
            )
            statement = self._statements[key] = composed.as_bytes(self.conn)
        return statement


def _columns(factory: RowFactory, prop: Property) -> dict[str, tuple[PgType, bool]]:
    """The tested columns a property may write: type, and whether NULL is theirs to try."""
    table = factory.table(prop.table)
    found: dict[str, tuple[PgType, bool]] = {}
    for name in prop.columns:
        column = table.column(name)
        if column is None or column.generated is not None:
            continue
        if prop.kind == "nullable":
            found[name] = (parse_type(column.type), True)
        else:
            # NULL in a NOT NULL column is the nullable property's business, not a CHECK's
            nullable = not column.not_null and name not in prop.not_null
            found[name] = (parse_type(column.type), nullable)
    return found


def _strategy(factory: RowFactory, prop: Property) -> st.SearchStrategy[dict[str, Value]]:
    """The tested columns' values per example (the background holds the rest)."""
    table = factory.table(prop.table)
    checks = [*factory.analyses(table), *(analyse(t) for t in prop.steer)]
    overrides: dict[str, st.SearchStrategy[Value]] = {}
    for name, (pg, nullable) in _columns(factory, prop).items():
        info = factory.types.get(pg.element.name)
        overrides[name] = steered(pg, name, checks, info, nullable=nullable)
    return st.fixed_dictionaries(overrides)


def edge_rows(
    factory: RowFactory, prop: Property, background: Background
) -> list[dict[str, Value]]:
    """The examples tried first, every time, before any random one: each tested column at
    each edge of the CHECKs (``b-1, b, b+1``, every IN member and its near misses, lengths
    around a bound), NULL where the property tries NULL, and column pairs made equal.

    Hypothesis is likely to draw these too, but "likely" depended on its version; these
    rows are certain, and being the background row with one value changed, already as
    small as a counterexample gets.
    """
    table = factory.table(prop.table)
    columns = _columns(factory, prop)
    if prop.kind == "nullable":
        # NULL, and the background's own value: all a NOT NULL can tell apart (what other
        # values the column takes is its CHECK items' business)
        base = background.row.values
        nulls: list[dict[str, Value]] = [{name: None} for name in columns]
        return nulls + [{n: base[n]} for n in columns if base.get(n) is not None]
    checks = [*factory.analyses(table), *(analyse(t) for t in prop.steer)]
    rows: list[dict[str, Value]] = []
    for name, (pg, nullable) in columns.items():
        hints = [h for c in checks for h in c.hints.get(name, ())]
        for value in edge_values(pg, hints):
            if value is not None or nullable:
                rows.append({name: value})
        if nullable:
            rows.append({name: None})
    base = background.values()
    for analysis in (analyse(t) for t in prop.steer):
        for a, b in analysis.pairs:
            if a in columns and b in columns and base.get(b) is not None:
                rows.append({a: base[b], b: base[b]})
    unique: dict[str, dict[str, Value]] = {}
    for row in rows:
        unique.setdefault(repr(sorted(row.items(), key=lambda kv: kv[0])), row)
    return list(unique.values())


def run_property(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    prop: Property,
    *,
    max_examples: int = 100,
    seed_value: int = 0,
    parent_cache: BackgroundCache | None = None,
    parent_seed: int = 0,
    database: ExampleDatabase | None = None,
) -> PropertyOutcome:
    """Test ``prop`` on ``conn`` (inside its open transaction, which the caller rolls back).

    First the background (parents and a valid row, :mod:`.background`; ``parent_cache``
    shares it between the items of a run), then the edge rows (:func:`edge_rows`), then
    Hypothesis' examples. ``database``: Hypothesis' example database, keyed per item by
    the caller (:mod:`._database`), so a failure found once is tried first next time.
    """
    probe = _Probe(conn, prop)
    background = find_background(
        conn, factory, prop.table, probe.verdicts, base_seed=parent_seed, cache=parent_cache
    )
    if isinstance(background, str):
        return PropertyOutcome(0, 0, seed_value, error=background)
    probe.background = background
    conn.execute(probe.savepoint)  # ROLLBACK TO after each example keeps it

    judged = 0
    for changes in edge_rows(factory, prop, background):
        attempt = probe.attempt(changes)
        if attempt is None:
            probe.discarded += 1
            continue
        judged += 1
        if attempt.spec_accepts != attempt.database_accepts:
            return PropertyOutcome(
                probe.examples,
                probe.discarded,
                seed_value,
                counterexample=render_counterexample(conn, factory, prop, attempt),
            )

    if prop.kind == "nullable":
        if judged == 0:
            return PropertyOutcome(
                probe.examples, probe.discarded, seed_value, error=_unjudged(probe)
            )
        return PropertyOutcome(probe.examples, probe.discarded, seed_value)

    def judge(changes: dict[str, Value]) -> Attempt | None:
        attempt = probe.attempt(changes)
        if attempt is None:
            probe.discarded += 1
        return attempt

    try:
        found = explore(
            judge,
            _strategy(factory, prop),
            rows=max_examples - judged,
            seed_value=seed_value,
            database=database,
        )
        if found is not None:
            return PropertyOutcome(
                probe.examples,
                probe.discarded,
                seed_value,
                counterexample=render_counterexample(conn, factory, prop, found),
            )
    except Unsatisfiable:
        return PropertyOutcome(probe.examples, probe.discarded, seed_value, error=_unjudged(probe))
    return PropertyOutcome(probe.examples, probe.discarded, seed_value)


def _unjudged(probe: _Probe) -> str:
    why = f" (last error: {probe.last_error})" if probe.last_error else ""
    return (
        "no generated row could be judged: every one broke another promise of the spec "
        f"or another constraint of the table{why}"
    )


def render_counterexample(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    prop: Property | tuple[str, ...],
    attempt: Attempt,
) -> Counterexample:
    """Render the attempt's inserts with each value as its type's text, in a savepoint;
    ``prop`` names the tested columns (a property, or the columns themselves)."""
    wanted = prop if isinstance(prop, tuple) else prop.columns
    statements: list[str] = []
    tested: tuple[tuple[str, str | None], ...] = ()
    conn.execute(_sql.SAVEPOINT)
    try:
        for insert, payload in zip(attempt.rowset.inserts, attempt.payloads, strict=False):
            columns = list(payload)
            texts: Sequence[str | None] = ()
            if columns:
                row = conn.execute(_sql.texts(insert.table, columns), (json.dumps(payload),))
                texts = row.fetchone() or ()
            pairs = list(zip(columns, texts, strict=False))
            if insert is not attempt.rowset.row:
                # the parent's keys were generated: write them out, so the child's
                # foreign-key values (taken from them) hold when the script is run
                keys = attempt.returned[len(statements)]
                pairs += [(k, str(v)) for k, v in keys.items() if k not in payload]
            table = factory.table(insert.table)
            overriding = any(
                (c := table.column(name)) is not None and c.identity == "always"
                for name, _ in pairs
            )
            statement = _sql.render_insert(insert.table, pairs, overriding=overriding)
            statements.append(statement.as_string(conn))
            if insert is attempt.rowset.row:
                tested = tuple(p for p in pairs if p[0] in wanted)
    finally:
        conn.execute(_sql.ROLLBACK_TO)
    return Counterexample(
        statements=(*statements, *attempt.extra),
        values=tested,
        spec_accepts=attempt.spec_accepts,
        database_accepts=attempt.database_accepts,
        refusal=attempt.refusal,
        expected=attempt.expected,
        actual=attempt.actual,
    )
