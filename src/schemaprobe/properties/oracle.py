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
from random import Random
from typing import Any, Literal

import psycopg
from hypothesis import HealthCheck, Phase, Verbosity, find, given, reject, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable
from psycopg import errors, sql

from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.execute import Inserter
from schemaprobe.properties.expressions import analyse
from schemaprobe.properties.rows import LINKED, RowFactory, RowSet
from schemaprobe.properties.strategies import accepted, steered
from schemaprobe.properties.types import Value, parse_type

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

    @property
    def passed(self) -> bool:
        return self.counterexample is None and self.error is None


def item_seed(node_id: str, base: int | str | None) -> int:
    """The seed of one item: stable per node id, changed by ``--hypothesis-seed``."""
    return zlib.crc32(f"{base if base is not None else 0}:{node_id}".encode())


@dataclass
class _Attempt:
    rowset: RowSet
    payloads: list[dict[str, Value]] = field(default_factory=list)
    returned: list[dict[str, Value]] = field(default_factory=list)
    spec_accepts: bool = True
    database_accepts: bool = True
    refusal: str | None = None


class _Disagreement(Exception):
    def __init__(self, attempt: _Attempt) -> None:
        super().__init__("the database and the spec disagree")
        self.attempt = attempt


@dataclass(frozen=True, slots=True)
class _Parents:
    """The parent rows of an item, inserted once: what they were and what they returned."""

    rowset: RowSet
    payloads: tuple[dict[str, Value], ...]
    returned: tuple[dict[str, Value], ...]


_NO_PARENTS = _Parents(RowSet(()), (), ())


class _Probe:
    """Runs examples on one connection, inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any], prop: Property) -> None:
        self.conn = conn
        self.prop = prop
        self.parents = _NO_PARENTS
        self.verdicts = _sql.verdicts(prop.table, (prop.predicate, *prop.others)).as_bytes(conn)
        self.savepoint = _sql.SAVEPOINT.as_bytes(conn)
        self.rollback_to = _sql.ROLLBACK_TO.as_bytes(conn)
        self.inserter = Inserter(conn)
        self.examples = 0
        self.discarded = 0
        self.last_error: str | None = None

    def insert_parents(
        self,
        strategy: st.SearchStrategy[RowSet],
        base_seed: int,
        cache: dict[QualifiedName, RowSet] | None = None,
    ) -> str | None:
        """Insert one valid set of parent rows for the whole item (kept until the item's
        rollback); an error message when none could be inserted.

        The set is the *smallest* one that goes in (``hypothesis.find`` shrinks it), so a
        counterexample's parent INSERTs are as short as its row's. ``cache`` keeps the set
        found per table for the run: the next item of the table inserts it again (its
        transaction rolled the last one back) instead of searching again.
        """
        conn = self.conn
        known = cache.get(self.prop.table) if cache is not None else None
        if known is not None:
            conn.execute(_sql.SAVEPOINT_PARENTS)
            try:
                payloads, returned = self._insert_all(known)
            except psycopg.Error:
                conn.execute(_sql.ROLLBACK_TO_PARENTS)
            else:
                conn.execute(_sql.RELEASE_PARENTS)
                self.parents = _Parents(known, tuple(payloads), tuple(returned))
                return None

        def goes_in(rowset: RowSet) -> bool:
            conn.execute(_sql.SAVEPOINT_PARENTS)
            try:
                self._insert_all(rowset)
                return True
            except psycopg.Error as exc:
                self.last_error = _describe_error(exc)
                return False
            finally:
                conn.execute(_sql.ROLLBACK_TO_PARENTS)

        try:
            # seeded by the table, not the item: whichever item of the table comes first
            # (xdist decides) finds the same parents
            table_seed = zlib.crc32(f"{base_seed}:{self.prop.table}".encode())
            smallest = find(strategy, goes_in, settings=_PARENT_SETTINGS, random=Random(table_seed))
        except NoSuchExample:
            why = f": {self.last_error}" if self.last_error else ""
            return f"no valid parent rows could be inserted for {self.prop.table}{why}"
        try:
            payloads, returned = self._insert_all(smallest)
        except psycopg.Error as exc:
            return f"the parent rows of {self.prop.table} went in once, not twice: {exc}"
        self.parents = _Parents(smallest, tuple(payloads), tuple(returned))
        if cache is not None:
            cache[self.prop.table] = smallest
        return None

    def _insert_all(self, rowset: RowSet) -> tuple[list[dict[str, Value]], list[dict[str, Value]]]:
        returned: list[dict[str, Value]] = []
        payloads: list[dict[str, Value]] = []
        for row in rowset.inserts:
            values = RowSet.linked(row, returned)
            payloads.append(values)
            returned.append(self.inserter.insert(row, values))
        return payloads, returned

    def attempt(self, rowset: RowSet) -> _Attempt | None:
        """One example; ``None`` when it cannot be judged (discarded)."""
        self.examples += 1
        parents = self.parents
        attempt = _Attempt(
            RowSet((*parents.rowset.inserts, *rowset.inserts)),
            payloads=list(parents.payloads),
            returned=list(parents.returned),
        )
        conn = self.conn
        conn.execute(self.savepoint)
        try:
            values = self.inserter.parents(rowset, attempt.returned, attempt.payloads)
            verdict = conn.execute(self.verdicts, (json.dumps(values),)).fetchone()
            if verdict is None or not all(verdict[1:]):
                return None
            attempt.spec_accepts = bool(verdict[0])
            try:
                self.inserter.insert(rowset.row, values)
            except _REFUSALS[self.prop.kind] as exc:
                attempt.database_accepts = False
                attempt.refusal = _describe_error(exc)
            return attempt
        except psycopg.Error as exc:
            self.last_error = _describe_error(exc)
            return None
        finally:
            conn.execute(self.rollback_to)


def _describe_error(exc: psycopg.Error) -> str:
    diag = exc.diag
    text = f"{exc.sqlstate}: {diag.message_primary or exc}"
    if diag.constraint_name:
        text += f" (constraint {diag.constraint_name})"
    return text


_PARENT_SETTINGS = settings(
    max_examples=50,
    database=None,
    deadline=None,
    verbosity=Verbosity.quiet,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.generate, Phase.shrink),
)


def _strategy(
    factory: RowFactory, prop: Property
) -> tuple[st.SearchStrategy[RowSet] | None, st.SearchStrategy[RowSet]]:
    table = factory.table(prop.table)
    checks = [*factory.analyses(table), *(analyse(t) for t in prop.steer)]
    overrides: dict[str, st.SearchStrategy[Value]] = {}
    foreign = {c for k in table.constraints if k.kind == "foreign key" for c in k.columns}
    for name in prop.columns:
        column = table.column(name)
        if column is None or column.generated is not None:
            continue
        pg = parse_type(column.type)
        info = factory.types.get(pg.element.name)
        if prop.kind == "nullable":
            # NULL against values every CHECK accepts: only NOT NULL can refuse them
            if name in foreign:
                values: st.SearchStrategy[Value] | None = st.just(LINKED)
            else:
                values = accepted(pg, name, factory.analyses(table), info)
            overrides[name] = st.none() if values is None else st.one_of(st.none(), values)
        else:
            # NULL in a NOT NULL column is the nullable property's business, not a CHECK's
            nullable = not column.not_null and name not in prop.not_null
            overrides[name] = steered(pg, name, checks, info, nullable=nullable)
    return factory.parts(prop.table, overrides, fill="required")


def run_property(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    prop: Property,
    *,
    max_examples: int = 100,
    seed_value: int = 0,
    parent_cache: dict[QualifiedName, RowSet] | None = None,
    parent_seed: int = 0,
) -> PropertyOutcome:
    """Test ``prop`` on ``conn`` (inside its open transaction, which the caller rolls back).

    ``parent_cache`` (table -> parent rows) lets the items of one run share the parent
    rows found for a table.
    """
    probe = _Probe(conn, prop)
    parents, strategy = _strategy(factory, prop)
    if parents is not None:
        problem = probe.insert_parents(parents, parent_seed, parent_cache)
        if problem is not None:
            return PropertyOutcome(0, 0, seed_value, error=problem)

    @seed(seed_value)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.generate, Phase.shrink),
    )
    @given(strategy)
    def check(rowset: RowSet) -> None:
        attempt = probe.attempt(rowset)
        if attempt is None:
            probe.discarded += 1
            reject()
        if attempt.spec_accepts != attempt.database_accepts:
            raise _Disagreement(attempt)

    try:
        check()
    except _Disagreement as found:
        return PropertyOutcome(
            probe.examples,
            probe.discarded,
            seed_value,
            counterexample=_counterexample(conn, factory, prop, found.attempt),
        )
    except Unsatisfiable:
        why = f" (last error: {probe.last_error})" if probe.last_error else ""
        return PropertyOutcome(
            probe.examples,
            probe.discarded,
            seed_value,
            error=f"no generated row could be judged: every one broke another promise of "
            f"the spec or another constraint of the table{why}",
        )
    return PropertyOutcome(probe.examples, probe.discarded, seed_value)


def _counterexample(
    conn: psycopg.Connection[Any], factory: RowFactory, prop: Property, attempt: _Attempt
) -> Counterexample:
    """Render the attempt's inserts with each value as its type's text, in a savepoint."""
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
                tested = tuple(p for p in pairs if p[0] in prop.columns)
    finally:
        conn.execute(_sql.ROLLBACK_TO)
    return Counterexample(
        statements=tuple(statements),
        values=tested,
        spec_accepts=attempt.spec_accepts,
        database_accepts=attempt.database_accepts,
        refusal=attempt.refusal,
    )
