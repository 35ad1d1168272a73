"""The row factory: complete, valid rows for any table of the catalog model.

A row of a table with foreign keys needs rows of its parents first, so the factory's unit
is a :class:`RowSet`: the inserts of one example in foreign-key order, the table's own row
last. Parent keys are not invented: each parent insert returns the referenced columns and
the child takes them (:meth:`RowSet.linked`), so identity and defaulted keys work too.

How each column is filled:

- generated columns are never written; identity and serial columns get explicit numbers
  (``OVERRIDING SYSTEM VALUE`` where needed), so no sequence moves, even on rollback;
- columns with a default keep it, unless a CHECK of the
  table (live, or given as ``checks`` by the caller) names them: then a value is drawn, so
  the row checked is exactly the row inserted;
- other columns get a value of their type the table's one-column CHECKs accept
  (:func:`schemaprobe.properties.strategies.accepted`), or NULL where the column allows it;
  column pairs (``window_end > window_start``) are put in order when drawn the wrong way;
- foreign-key columns take the parent's values; a self-reference or a cycle is broken
  with NULL where the columns allow it, else :class:`RowFactoryError`.

``UNIQUE`` holds because each example is inserted into a savepoint that is rolled back:
one example never sees another's rows. Values of types the server alone knows (enums,
domains) come from :class:`~schemaprobe.properties.types.TypeInfo` the caller looks up.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hypothesis import strategies as st

from schemaprobe.errors import SchemaprobeError
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties.expressions import Analysis, analyse, evaluate
from schemaprobe.properties.strategies import accepted, python_value
from schemaprobe.properties.types import INT_RANGES, PgType, TypeInfo, Value, parse_type

__all__ = ["LINKED", "Fill", "Link", "RowFactory", "RowFactoryError", "RowInsert", "RowSet"]

Fill = Literal["complete", "required"]

#: An override's way to say "the parent's key, as without the override" (for a property
#: that puts NULL into a foreign-key column some of the time).
LINKED: Value = object()


class RowFactoryError(SchemaprobeError):
    """No valid row can be built (a NOT NULL foreign-key cycle, a missing parent table)."""


@dataclass(frozen=True, slots=True)
class Link:
    """Columns of this insert that take the values ``parent`` (an earlier insert) returned."""

    columns: tuple[str, ...]
    parent: int
    parent_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RowInsert:
    """One row to insert: explicit ``values`` (others keep their defaults), and links."""

    table: QualifiedName
    values: Mapping[str, Value]
    links: tuple[Link, ...] = ()
    returning: tuple[str, ...] = ()
    """Columns later inserts link to (returned as text)."""
    overriding: bool = False
    """``values`` writes a ``GENERATED ALWAYS`` identity column (``OVERRIDING SYSTEM VALUE``)."""


@dataclass(frozen=True, slots=True)
class RowSet:
    """The inserts of one example in foreign-key order; the last is the table's own row."""

    inserts: tuple[RowInsert, ...]

    @property
    def row(self) -> RowInsert:
        return self.inserts[-1]

    @staticmethod
    def linked(insert: RowInsert, returned: Sequence[Mapping[str, Value]]) -> dict[str, Value]:
        """``insert``'s values with its foreign-key columns filled from ``returned``."""
        values = dict(insert.values)
        for link in insert.links:
            parent = returned[link.parent]
            for column, parent_column in zip(link.columns, link.parent_columns, strict=True):
                if column not in values:  # an explicit value (a property's NULL) stays
                    values[column] = parent.get(parent_column)
        return values


@dataclass(frozen=True, slots=True)
class _Step:
    table: cat.Table
    links: tuple[Link, ...]
    nulled: frozenset[str]
    returning: tuple[str, ...]
    copy: int = 0
    """How many rows of the same table come before this one in the row set."""


@dataclass
class RowFactory:
    """Hypothesis strategies of valid rows for the tables of ``catalog``.

    ``types`` maps type names the server had to explain (enums, domains) to their
    :class:`TypeInfo`; ``checks`` adds CHECK expressions per table to honour beside the
    live ones, ``not_null`` columns to keep non-NULL beside the live NOT NULLs (a spec's
    promises, when the database may not keep them).
    """

    catalog: cat.Catalog
    types: Mapping[str, TypeInfo] = field(default_factory=dict)
    checks: Mapping[QualifiedName, Sequence[str]] = field(default_factory=dict)
    not_null: Mapping[QualifiedName, Collection[str]] = field(default_factory=dict)

    def table(self, name: QualifiedName) -> cat.Table:
        found = self.catalog.tables.get(name)
        if found is None:
            raise RowFactoryError(f"table {name} is not in the catalog")
        return found

    def analyses(self, table: cat.Table) -> list[Analysis]:
        """Every CHECK the rows honour: the live ones and the extra ones for the table."""
        texts = [c.check for c in table.constraints if c.kind == "check" and c.check]
        texts += list(self.checks.get(table.name, ()))
        return [analyse(text) for text in texts]

    def rows(
        self,
        name: QualifiedName,
        overrides: Mapping[str, st.SearchStrategy[Value]] | None = None,
        *,
        fill: Fill = "complete",
    ) -> st.SearchStrategy[RowSet]:
        """Valid rows of ``name`` with their parents; ``overrides`` draws the named columns
        from the given strategies instead (how a property pushes a column to its edges).

        ``fill="complete"`` draws every writable column without a default (NULL being one
        value of a nullable column); ``"required"`` only what a valid row needs (NOT NULL
        columns, columns a CHECK names), leaving the rest NULL: the quiet background a
        property wants, cheaper to draw and giving the shortest counterexamples.
        """
        steps = self._plan(self.table(name))
        return st.tuples(
            *(
                self._row(step, overrides if i == len(steps) - 1 else None, fill)
                for i, step in enumerate(steps)
            )
        ).map(lambda inserts: RowSet(tuple(inserts)))

    def parts(
        self,
        name: QualifiedName,
        overrides: Mapping[str, st.SearchStrategy[Value]] | None = None,
        *,
        fill: Fill = "complete",
    ) -> tuple[st.SearchStrategy[RowSet] | None, st.SearchStrategy[RowSet]]:
        """:meth:`rows` in two: the parents' row sets (``None``: no foreign keys) and row sets
        of the table's row alone, whose links point into the parents' returned keys.

        A property inserts one parent set per item and draws only the row per example:
        the parents are not what it tests, and every example then costs one insert.
        """
        steps = self._plan(self.table(name))
        row = self._row(steps[-1], overrides, fill).map(lambda r: RowSet((r,)))
        if len(steps) == 1:
            return None, row
        parents = st.tuples(*(self._row(step, None, fill) for step in steps[:-1]))
        return parents.map(lambda inserts: RowSet(tuple(inserts))), row

    # -- foreign-key order ------------------------------------------------------------

    def _plan(self, root: cat.Table) -> list[_Step]:
        steps: list[_Step] = []
        returning: dict[int, list[str]] = {}

        def visit(table: cat.Table, stack: tuple[QualifiedName, ...]) -> int:
            links: list[Link] = []
            nulled: set[str] = set()
            for constraint in table.constraints:
                fk = constraint.references
                if constraint.kind != "foreign key" or fk is None:
                    continue
                columns = [table.column(c) for c in constraint.columns]
                nullable = all(c is not None and not c.not_null for c in columns)
                if fk.table in (*stack, table.name):
                    if not nullable:
                        raise RowFactoryError(
                            f"cannot build a row of {root.name}: foreign key "
                            f"{constraint.name} of {table.name} closes a cycle through "
                            f"NOT NULL columns ({', '.join(constraint.columns)})"
                        )
                    nulled.update(constraint.columns)
                    continue
                parent = self.catalog.tables.get(fk.table)
                if parent is None:
                    if nullable:
                        nulled.update(constraint.columns)
                        continue
                    raise RowFactoryError(
                        f"cannot build a row of {root.name}: {table.name} references "
                        f"{fk.table}, which is not in the catalog (schema filtered out?)"
                    )
                index = visit(parent, (*stack, table.name))
                returning.setdefault(index, []).extend(fk.columns)
                links.append(Link(constraint.columns, index, fk.columns))
            steps.append(_Step(table, tuple(links), frozenset(nulled), ()))
            return len(steps) - 1

        visit(root, ())
        seen: dict[QualifiedName, int] = {}
        planned = []
        for i, s in enumerate(steps):
            copy = seen[s.table.name] = seen.get(s.table.name, -1) + 1
            back = tuple(dict.fromkeys(returning.get(i, ())))
            planned.append(_Step(s.table, s.links, s.nulled, back, copy))
        return planned

    # -- one row ----------------------------------------------------------------------

    def _row(
        self, step: _Step, overrides: Mapping[str, st.SearchStrategy[Value]] | None, fill: Fill
    ) -> st.SearchStrategy[RowInsert]:
        table = step.table
        checks = self.analyses(table)
        # what a CHECK or a spec's NOT NULL looks at is drawn, never left to a default: the
        # row a verdict is given on must be the row inserted
        named = frozenset(self.not_null.get(table.name, ())).union(*(c.columns for c in checks))
        linked = {c for link in step.links for c in link.columns}
        types: dict[str, PgType] = {}
        drawn: dict[str, st.SearchStrategy[Value]] = {}
        overriding = False
        for column in table.columns:
            if column.generated is not None:
                continue
            pg = types[column.name] = parse_type(column.type)
            if overrides and column.name in overrides:
                drawn[column.name] = overrides[column.name]
            elif column.name in linked:
                continue
            elif column.name in step.nulled:
                drawn[column.name] = st.none()
            elif _sequenced(column):
                # an explicit key instead of nextval(): sequences are not transactional,
                # and a probe must leave a target's sequences where they were
                # the n-th row of a table in one row set starts at n + 1, so the simplest
                # draw of two parent rows of one table does not clash on the key
                low, high = INT_RANGES.get(pg.name, INT_RANGES["integer"])
                first = min(max(low, 1) + step.copy, high)
                drawn[column.name] = st.integers(first, high)
                overriding = overriding or column.identity == "always"
            elif column.name not in named and (
                column.default is not None
                or column.identity is not None
                or (fill == "required" and not self._required(table, column))
            ):
                continue  # its default, or NULL: nothing a CHECK looks at
            else:
                strategy = self._valid(table, column, pg, checks)
                if strategy is not None:
                    drawn[column.name] = strategy
        pairs = [(c, pair) for c in checks for pair in c.pairs]
        fixed = frozenset(overrides or ())
        names = tuple(drawn)

        keys = {
            c
            for k in table.constraints
            if k.kind in ("primary key", "unique")
            for c in k.columns
            if c in drawn and not _sequenced(table.column(c))
        }

        def build(values: tuple[Value, ...]) -> RowInsert:
            row = {k: v for k, v in zip(names, values, strict=True) if v is not LINKED}
            _order_pairs(row, pairs, types, fixed)
            if step.copy:
                # the second parent row of a table must not repeat the first's key (two
                # all-zero uuids): the simplest draw would never go in
                for key in keys & set(row):
                    row[key] = _nudged(types[key], row[key], step.copy)
            return RowInsert(table.name, row, step.links, step.returning, overriding)

        strategy = st.tuples(*drawn.values()).map(build)
        if overrides:
            return strategy
        return strategy.filter(lambda r: _row_accepted(r.values, checks, types))

    def _required(self, table: cat.Table, column: cat.Column) -> bool:
        return column.not_null or column.name in self.not_null.get(table.name, ())

    def _valid(
        self, table: cat.Table, column: cat.Column, pg: PgType, checks: Sequence[Analysis]
    ) -> st.SearchStrategy[Value] | None:
        info = self.types.get(pg.element.name)
        values = accepted(pg, column.name, checks, info)
        if self._required(table, column):
            return values
        if values is None:
            return st.none()
        return st.one_of(st.none(), values)


def _nudged(pg: PgType, value: Value, copy: int) -> Value:
    """``value`` made different for the ``copy``-th row of a table (keys only)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value + copy if value + copy <= INT_RANGES.get(pg.name, (0, 2**31 - 1))[1] else value
    if isinstance(value, str) and pg.name == "uuid" and len(value) == 36:
        return value[:-8] + f"{(int(value[-8:], 16) + copy) % 2**32:08x}"
    if isinstance(value, str) and pg.is_text:
        return f"{value}{copy}"
    return value


def _sequenced(column: cat.Column | None) -> bool:
    """Identity and serial columns: their default takes a number from a sequence."""
    if column is None:
        return False
    default = column.default or ""
    return column.identity is not None or default.startswith("nextval(")


def _order_pairs(
    row: dict[str, Value],
    pairs: Sequence[tuple[Analysis, tuple[str, str]]],
    types: Mapping[str, PgType],
    fixed: frozenset[str],
) -> None:
    """Swap a column pair drawn the wrong way round for the CHECK that compares them."""
    for analysis, (a, b) in pairs:
        if a in fixed or b in fixed or a not in row or b not in row:
            continue
        values = {c: python_value(types[c], row[c]) for c in (a, b)}
        if evaluate(analysis, values) is False:
            row[a], row[b] = row[b], row[a]


def _row_accepted(
    row: Mapping[str, Value], checks: Sequence[Analysis], types: Mapping[str, PgType]
) -> bool:
    values = {c: python_value(types[c], v) for c, v in row.items() if c in types}
    return all(evaluate(check, values) is not False for check in checks)
