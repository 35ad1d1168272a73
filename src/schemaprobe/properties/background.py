"""The background of a property: parent rows and one valid row of the table, found once.

A property is about a few columns (those its predicate reads, a key, a foreign key). The
rest of the row only has to be valid, so it is not drawn again for every example: one
row set (the table's parents in foreign-key order, then a row of the table) is found
once per table and run, kept in a cache, and each example changes only the columns its
property tests (:meth:`Background.row`). That keeps the examples cheap (Hypothesis draws
a handful of values, not a wide row) and the counterexamples short, and it makes edge
rows (one column at an edge, the rest known good) possible without any luck.

The row set found is the first the row factory's strategy yields that goes in and that
every promise the spec makes for the table accepts (Hypothesis tries the simplest draw
first, so it is usually the smallest). When no such row exists (the database refuses
what the spec demands), the first that merely goes in is taken instead; the items the
difference concerns then say so.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from random import Random
from typing import Any

import psycopg
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis.errors import NoSuchExample

from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.execute import Inserter
from schemaprobe.properties.rows import LINKED, RowFactory, RowInsert, RowSet
from schemaprobe.properties.types import Value

__all__ = ["Background", "BackgroundCache", "describe_error", "find_background"]

#: Row sets found per table for a run (the next item of the table inserts the same again).
BackgroundCache = dict[QualifiedName, RowSet]

_SETTINGS = settings(
    max_examples=60,
    database=None,
    deadline=None,
    verbosity=Verbosity.quiet,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.generate,),  # the first good one: shrinking would cost a search per table
)


def describe_error(exc: psycopg.Error) -> str:
    """``SQLSTATE: message (constraint name)``: what a report shows of a refusal."""
    diag = exc.diag
    text = f"{exc.sqlstate}: {diag.message_primary or exc}"
    if diag.constraint_name:
        text += f" (constraint {diag.constraint_name})"
    return text


@dataclass(frozen=True, slots=True)
class Background:
    """Parent rows inserted for an item (kept until its rollback) and a valid row on top."""

    parents: RowSet
    payloads: tuple[dict[str, Value], ...]
    returned: tuple[dict[str, Value], ...]
    row: RowInsert
    always: frozenset[str]
    """``GENERATED ALWAYS`` identity columns: writing one needs ``OVERRIDING SYSTEM VALUE``."""

    def values(self, changes: Mapping[str, Value] | None = None) -> dict[str, Value]:
        """The background row's values with ``changes`` applied (:data:`LINKED`: the parent's
        key), foreign keys filled from the parents."""
        values = dict(self.row.values)
        for column, value in (changes or {}).items():
            if value is LINKED:
                values.pop(column, None)
            else:
                values[column] = value
        return RowSet.linked(RowInsert(self.row.table, values, self.row.links), self.returned)

    def row_with(self, changes: Mapping[str, Value]) -> RowSet:
        """The background row with ``changes``, as a one-insert row set linked to the parents."""
        values = dict(self.row.values)
        for column, value in changes.items():
            if value is LINKED:
                values.pop(column, None)
            else:
                values[column] = value
        overriding = self.row.overriding or any(
            c in self.always and changes[c] is not None for c in changes
        )
        insert = RowInsert(self.row.table, values, self.row.links, (), overriding)
        return RowSet((insert,))


def _always(table: cat.Table) -> frozenset[str]:
    return frozenset(c.name for c in table.columns if c.identity == "always")


def find_background(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    table: QualifiedName,
    verdicts: bytes,
    *,
    base_seed: int,
    cache: BackgroundCache | None = None,
) -> Background | str:
    """Insert the parents of one valid row of ``table`` (inside the caller's transaction)
    and return the background; an error message when no row could be found.

    ``verdicts`` is the spec's promises for the table as a verdict query
    (:func:`schemaprobe.properties._sql.verdicts`): a background row keeps them all
    when one can.
    """
    inserter = Inserter(conn)
    live = factory.table(table)
    known = cache.get(table) if cache is not None else None
    if known is not None:
        conn.execute(_sql.SAVEPOINT_PARENTS)
        try:
            payloads, returned = _insert_all(inserter, RowSet(known.inserts[:-1]))
        except psycopg.Error:
            conn.execute(_sql.ROLLBACK_TO_PARENTS)
        else:
            conn.execute(_sql.RELEASE_PARENTS)
            return Background(
                RowSet(known.inserts[:-1]), payloads, returned, known.row, _always(live)
            )
    last_error: list[str] = []

    def goes_in(strict: bool) -> Callable[[RowSet], bool]:
        def check(rowset: RowSet) -> bool:
            conn.execute(_sql.SAVEPOINT_PARENTS)
            try:
                _payloads, returned = _insert_all(inserter, RowSet(rowset.inserts[:-1]))
                values = RowSet.linked(rowset.row, returned)
                if strict:
                    verdict = conn.execute(verdicts, (json.dumps(values),)).fetchone()
                    if verdict is None or not all(verdict):
                        return False
                inserter.insert(rowset.row, values)
                return True
            except psycopg.Error as exc:
                last_error[:] = [describe_error(exc)]
                return False
            finally:
                conn.execute(_sql.ROLLBACK_TO_PARENTS)

        return check

    strategy = factory.rows(table, fill="required")
    # seeded by the table, not the item: whichever item of the table comes first (xdist
    # decides) finds the same background
    table_seed = zlib.crc32(f"{base_seed}:{table}".encode())
    found: RowSet | None = None
    for strict in (True, False):
        try:
            found = find(strategy, goes_in(strict), settings=_SETTINGS, random=Random(table_seed))
            break
        except NoSuchExample:
            continue
    if found is None:
        why = f": {last_error[0]}" if last_error else ""
        return f"no valid row of {table} (with its parent rows) could be inserted{why}"
    parents = RowSet(found.inserts[:-1])
    try:
        payloads, returned = _insert_all(inserter, parents)
    except psycopg.Error as exc:
        return f"the parent rows of {table} went in once, not twice: {exc}"
    if cache is not None:
        cache[table] = found
    return Background(parents, payloads, returned, found.row, _always(live))


def _insert_all(
    inserter: Inserter, rowset: RowSet
) -> tuple[tuple[dict[str, Value], ...], tuple[dict[str, Value], ...]]:
    returned: list[dict[str, Value]] = []
    payloads: list[dict[str, Value]] = []
    for row in rowset.inserts:
        values = RowSet.linked(row, returned)
        payloads.append(values)
        returned.append(inserter.insert(row, values))
    return tuple(payloads), tuple(returned)
