"""Running planned property items on one connection, each in a transaction rolled back.

One :class:`PropertyRunner` per pytest process (per xdist worker): one probe session, one
type lookup, one row factory for all items. Each item runs in its own transaction that
is always rolled back (examples in savepoints inside it), so against a database named by
a DSN nothing is ever committed; where schemaprobe loaded the schema itself, the plugin
points the runner at a private clone on top of that.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from hypothesis.database import ExampleDatabase

from schemaprobe.errors import SchemaprobeError
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName, quote_ident
from schemaprobe.properties._database import item_database
from schemaprobe.properties.behaviour import Behaviour, run_behaviour
from schemaprobe.properties.oracle import PropertyOutcome, item_seed, run_property
from schemaprobe.properties.plan import PropertyPlan
from schemaprobe.properties.rls import DEFAULT_WORLDS, run_isolation
from schemaprobe.properties.rows import RowFactory, RowFactoryError, RowSet
from schemaprobe.properties.typeinfo import lookup_types, unknown_types
from schemaprobe.provision.session import connect

__all__ = ["DEFAULT_EXAMPLES", "PropertyRunner", "Skipped"]

DEFAULT_EXAMPLES = 100


@dataclass(frozen=True, slots=True)
class Skipped:
    """Why an item could not run (its table or a column is missing: structural items say so)."""

    reason: str


_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', %s, true)"


class PropertyRunner:
    """Runs :class:`PropertyPlan` items against ``dsn``; close it when done.

    CHECK and NOT NULL items go to :func:`~schemaprobe.properties.oracle.run_property`,
    the others to :func:`~schemaprobe.properties.behaviour.run_behaviour`; ``database``
    is Hypothesis' example database (``None``: none), seen by each item under its own
    keys.
    """

    def __init__(
        self,
        dsn: str,
        catalog: cat.Catalog,
        plans: Sequence[PropertyPlan],
        *,
        examples: int = DEFAULT_EXAMPLES,
        worlds: int = DEFAULT_WORLDS,
        seed: int | str | None = None,
        database: ExampleDatabase | None = None,
    ) -> None:
        self.dsn = dsn
        self.database = database
        self.catalog = catalog
        self.examples = examples
        self.worlds = worlds
        self.seed = seed
        checks: dict[QualifiedName, list[str]] = {}
        not_null: dict[QualifiedName, set[str]] = {}
        for plan in plans:
            found = checks.setdefault(plan.table, [])
            found += [t for t in plan.spec_checks if t not in found]
            not_null.setdefault(plan.table, set()).update(plan.not_null)
        self._checks = checks
        self._not_null = not_null
        self._conn: psycopg.Connection[Any] | None = None
        self._factory: RowFactory | None = None
        self._parents: dict[QualifiedName, RowSet] = {}

    def _connection(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            self._conn = connect(self.dsn)
        return self._conn

    def factory(self) -> RowFactory:
        """The row factory for the catalog, with enum and domain types looked up once."""
        if self._factory is None:
            conn = self._connection()
            try:
                catalog = self._with_parents(conn)
                types = lookup_types(conn, unknown_types(catalog.tables.values()))
            finally:
                conn.rollback()
            self._factory = RowFactory(catalog, types, self._checks, self._not_null)
        return self._factory

    def _with_parents(self, conn: psycopg.Connection[Any]) -> cat.Catalog:
        """The catalog plus the tables foreign keys reach outside it (``auth.users`` when
        the Supabase profile leaves ``auth`` out of the read): rows need their parents."""
        tables = self.catalog.tables
        missing: set[str] = set()
        for table in tables.values():
            for constraint in table.constraints:
                target = constraint.references
                if target is not None and target.table not in tables:
                    missing.add(target.table.schema)
        if not missing:
            return self.catalog
        from schemaprobe.introspect import read_catalog

        extra = read_catalog(conn, include_schemas=sorted(missing))
        merged = {**extra.tables, **tables}
        return dataclasses.replace(self.catalog, tables=merged)

    def run(self, plan: PropertyPlan) -> PropertyOutcome | Skipped:
        """One item, in a transaction that is rolled back whatever happens."""
        table = self.catalog.tables.get(plan.table)
        if table is None:
            return Skipped(f"table {plan.table} is missing")
        missing = [c for c in plan.columns if table.column(c) is None]
        if missing:
            return Skipped(f"column {', '.join(missing)} of {plan.table} is missing")
        if plan.kind == "on_delete" and plan.references == plan.table:
            return Skipped("the ON DELETE action of a self-reference is not tested (yet)")
        seed = item_seed(plan.id, self.seed)
        factory = self.factory()
        conn = self._connection()
        live = {c.name for c in table.columns}
        options: dict[str, Any] = {
            "max_examples": self.examples,
            "seed_value": seed,
            "parent_cache": self._parents,
            "parent_seed": item_seed("parents", self.seed),
            "database": item_database(self.database, plan.id),
        }
        try:
            conn.execute(_SEARCH_PATH, (quote_ident(plan.search_path),))
            if plan.kind in ("check", "nullable"):
                return run_property(conn, factory, plan.to_property(live), **options)
            if plan.kind == "rls" and plan.tenancy is not None:
                options["max_examples"] = self.worlds
                return run_isolation(conn, factory, plan.tenancy, plan.label, **options)
            behaviour = plan.to_behaviour(live)
            if behaviour.kind in ("foreign_key", "on_delete"):
                behaviour = self._referenced(behaviour)
            return run_behaviour(conn, factory, behaviour, **options)
        except RowFactoryError as exc:
            return PropertyOutcome(0, 0, seed, error=str(exc))
        finally:
            conn.rollback()

    def _referenced(self, behaviour: Behaviour) -> Behaviour:
        """The parent's columns a reference names: as the spec writes them, else those of
        the live foreign key over the same columns, else the parent's primary key."""
        if behaviour.referenced:
            return behaviour
        table = self.factory().table(behaviour.table)
        for constraint in table.constraints:
            fk = constraint.references
            if fk is not None and constraint.columns == behaviour.columns:
                return dataclasses.replace(behaviour, referenced=fk.columns)
        parent = self.factory().catalog.tables.get(behaviour.references or behaviour.table)
        if parent is None:
            return behaviour
        key = next((c.columns for c in parent.constraints if c.kind == "primary key"), ())
        return dataclasses.replace(behaviour, referenced=key)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def run_plans(
    dsn: str, catalog: cat.Catalog, plans: Sequence[PropertyPlan], **options: Any
) -> list[tuple[PropertyPlan, PropertyOutcome | Skipped]]:
    """Every plan in turn (for scripts and benchmarks); errors of one item stay its own."""
    runner = PropertyRunner(dsn, catalog, plans, **options)
    try:
        results: list[tuple[PropertyPlan, PropertyOutcome | Skipped]] = []
        for plan in plans:
            try:
                results.append((plan, runner.run(plan)))
            except SchemaprobeError as exc:
                results.append((plan, PropertyOutcome(0, 0, 0, error=str(exc))))
        return results
    finally:
        runner.close()
