"""Which property items a spec set makes, from the specs alone (no database).

Every CHECK a table spec states (``checks:`` entries and column ``check:`` shorthands)
becomes a ``check_property[<name or expression>]`` item, every column with ``nullable``
written a ``nullable_property[<column>]`` item, beside the table's structural items:
``specs/app.yaml::public.stories::check_property[retry_count <= 5]``. Like structural
items they are planned without a database, so ``--collect-only`` and every xdist worker
see the same ones. A waiver on the CHECK or the column covers its property item too: a
CHECK known to differ behaves differently as well.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from psycopg import sql

from schemaprobe._location import Location
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.expressions import analyse
from schemaprobe.properties.oracle import Property, PropertyKind
from schemaprobe.spec.load import LoadedSpec, SpecSet
from schemaprobe.spec.model import TableSpec

__all__ = ["MARKER", "PropertyPlan", "plan_properties"]

MARKER = "schemaprobe_property"


@dataclass(frozen=True, slots=True)
class PropertyPlan:
    """One property item: what to test, where the spec states it, and its waiver."""

    id: str
    name: str
    spec: LoadedSpec
    path: tuple[str | int, ...]
    table: QualifiedName
    kind: PropertyKind
    label: str
    columns: tuple[str, ...]
    expression: str | None
    nullable: bool | None
    spec_checks: tuple[str, ...]
    not_null: tuple[str, ...]
    waiver: str | None

    @property
    def location(self) -> Location | None:
        return self.spec.locate(*self.path)

    @property
    def search_path(self) -> str:
        return self.spec.document.default_schema

    def to_property(self, live_columns: Collection[str] | None = None) -> Property:
        """The oracle's view: the predicate, the other promises, the columns to push.

        Other promises on columns the live table lacks are left out (``live_columns``):
        the missing column is its structural item's finding, and a predicate naming it
        could not be evaluated for any row.
        """

        def live(text: str) -> bool:
            return live_columns is None or analyse(text).columns <= set(live_columns)

        not_null = {
            c: _not_null(c) for c in self.not_null if live_columns is None or c in live_columns
        }
        if self.kind == "check" and self.expression is not None:
            predicate = _sql.predicate(self.expression)
            others = [
                _sql.predicate(t) for t in self.spec_checks if t != self.expression and live(t)
            ]
            others += not_null.values()
            steer: tuple[str, ...] = (self.expression,)
        else:
            column = self.columns[0]
            predicate = not_null.pop(column, sql.SQL("true"))
            others = [_sql.predicate(t) for t in self.spec_checks if live(t)]
            others += not_null.values()
            steer = ()
        return Property(
            table=self.table,
            kind=self.kind,
            label=self.label,
            predicate=predicate,
            columns=self.columns,
            others=tuple(others),
            steer=steer,
            not_null=self.not_null,
        )


def _not_null(column: str) -> sql.Composable:
    return sql.SQL("{} IS NOT NULL").format(sql.Identifier(column))


def _tested_columns(expression: str, spec: TableSpec) -> tuple[str, ...]:
    analysis = analyse(expression)
    if analysis.tree is not None and analysis.columns:
        return tuple(sorted(analysis.columns))
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_$]*", expression))
    return tuple(c for c in spec.columns if c in words)


def _table_plans(loaded: LoadedSpec, key: str, spec: TableSpec) -> list[PropertyPlan]:
    if spec.absent:
        return []
    table = QualifiedName.parse(key, loaded.document.default_schema)
    base: tuple[str | int, ...] = ("tables", key)
    checks: list[tuple[str, str, tuple[str | int, ...], str | None]] = []
    for i, check in enumerate(spec.checks):
        label = check.name or check.expression
        checks.append((label, check.expression, (*base, "checks", i), check.xfail))
    for column_key, column in spec.columns.items():
        if column.check is not None:
            path = (*base, "columns", column_key, "check")
            checks.append((column.check, column.check, path, column.xfail))
    spec_checks = tuple(dict.fromkeys(text for _, text, _, _ in checks))
    not_null = tuple(k for k, c in spec.columns.items() if c.nullable is False)
    plans: list[PropertyPlan] = []
    seen: set[str] = set()

    def add(
        label: str,
        kind: PropertyKind,
        path: tuple[str | int, ...],
        columns: tuple[str, ...],
        expression: str | None,
        nullable: bool | None,
        waiver: str | None,
    ) -> None:
        item = f"{'check' if kind == 'check' else 'nullable'}_property[{label}]"
        name = f"{table}::{item}"
        if name in seen:
            return
        seen.add(name)
        plans.append(
            PropertyPlan(
                id=f"{loaded.path}::{name}",
                name=name,
                spec=loaded,
                path=path,
                table=table,
                kind=kind,
                label=label,
                columns=columns,
                expression=expression,
                nullable=nullable,
                spec_checks=spec_checks,
                not_null=not_null,
                waiver=waiver,
            )
        )

    for label, text, path, waiver in checks:
        add(label, "check", path, _tested_columns(text, spec), text, None, waiver)
    for column_key, column in spec.columns.items():
        if column.nullable is not None:
            path = (*base, "columns", column_key, "nullable")
            add(column_key, "nullable", path, (column_key,), None, column.nullable, column.xfail)
    return plans


def plan_properties(specs: SpecSet) -> list[PropertyPlan]:
    """Every property item of every spec, in spec order (checks, then nullables, per table)."""
    plans: list[PropertyPlan] = []
    for loaded in specs.specs:
        for key, table in loaded.document.tables.items():
            plans.extend(_table_plans(loaded, key, table))
    return plans
