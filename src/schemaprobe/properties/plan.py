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
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from psycopg import sql

from schemaprobe._location import Location
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.behaviour import Behaviour, BehaviourKind
from schemaprobe.properties.expressions import analyse
from schemaprobe.properties.oracle import Property, PropertyKind
from schemaprobe.properties.rls.model import COMMANDS, TenancyModel, resolve_tenancy
from schemaprobe.spec.load import LoadedSpec, SpecSet
from schemaprobe.spec.model import TableSpec, split_reference

ItemKind = PropertyKind | BehaviourKind | Literal["rls"]

#: Item name prefix per kind: ``check_property[...]``, ``unique_property[...]`` ...
ITEM_NAMES: dict[str, str] = {
    "check": "check_property",
    "nullable": "nullable_property",
    "unique": "unique_property",
    "foreign_key": "foreign_key_property",
    "on_delete": "on_delete_property",
    "default": "default_property",
    "updated_at": "updated_at_property",
    "rls": "rls_property",
}
_BEHAVIOURS: dict[str, BehaviourKind] = {
    "unique": "unique",
    "foreign_key": "foreign_key",
    "on_delete": "on_delete",
    "default": "default",
    "updated_at": "updated_at",
}
#: Column names an ``updated_at`` trigger keeps, first match wins.
TIMESTAMP_COLUMNS = ("updated_at", "modified_at", "updated_on", "last_modified")

__all__ = ["MARKER", "PropertyPlan", "plan_properties"]

MARKER = "schemaprobe_property"
#: Isolation items carry this marker too: ``-m schemaprobe_rls`` runs the isolation suite.
RLS_MARKER = "schemaprobe_rls"


@dataclass(frozen=True, slots=True)
class PropertyPlan:
    """One property item: what to test, where the spec states it, and its waiver."""

    id: str
    name: str
    spec: LoadedSpec
    path: tuple[str | int, ...]
    table: QualifiedName
    kind: ItemKind
    label: str
    columns: tuple[str, ...]
    expression: str | None
    nullable: bool | None
    spec_checks: tuple[str, ...]
    not_null: tuple[str, ...]
    waiver: str | None
    references: QualifiedName | None = None
    referenced: tuple[str, ...] = ()
    action: str | None = None
    match: str | None = None
    nulls_not_distinct: bool = False
    default: str | None = None
    update_columns: tuple[str, ...] = ()
    trigger: str | None = None
    tenancy: TenancyModel | None = None
    """The table's tenancy model (``rls`` items; ``label`` is the command)."""
    waiver_strict: bool = True
    """False for the key, reference and default items of a column waived as a whole, and
    for the orphan item of a waived reference: the waiver does not say which of the
    behaviours differ, so one that holds is no error (XPASS, not a failure)."""

    @property
    def location(self) -> Location | None:
        return self.spec.locate(*self.path)

    @property
    def search_path(self) -> str:
        return self.spec.document.default_schema

    def to_behaviour(self, live_columns: Collection[str] | None = None) -> Behaviour:
        """The behaviour's view: what to test and the spec's promises rows must keep."""
        live = set(live_columns) if live_columns is not None else None
        promises = [
            _sql.predicate(t)
            for t in self.spec_checks
            if live is None or analyse(t).columns <= live
        ]
        promises += [_not_null(c) for c in self.not_null if live is None or c in live]
        kind = _BEHAVIOURS.get(self.kind)
        if kind is None:
            raise ValueError(f"{self.name} is a property, not a behaviour")
        return Behaviour(
            table=self.table,
            kind=kind,
            label=self.label,
            columns=self.columns,
            promises=tuple(promises),
            references=self.references,
            referenced=self.referenced,
            action=self.action,
            match=self.match,
            nulls_not_distinct=self.nulls_not_distinct,
            default=self.default,
            update_columns=self.update_columns,
        )

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
        if self.kind not in ("check", "nullable"):
            raise ValueError(f"{self.name} is a behaviour, not a CHECK or NOT NULL property")
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
            kind="check" if self.kind == "check" else "nullable",
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


Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    """One item a table spec makes, before it becomes a :class:`PropertyPlan`."""

    label: str
    kind: ItemKind
    path: Path_
    columns: tuple[str, ...]
    waiver: str | None
    expression: str | None = None
    nullable: bool | None = None
    details: tuple[tuple[str, Any], ...] = ()
    strict: bool = True


def _key_entries(base: Path_, spec: TableSpec) -> list[_Entry]:
    entries = []
    for i, unique in enumerate(spec.unique):
        columns = tuple(unique.columns)
        nnd = (("nulls_not_distinct", bool(unique.nulls_not_distinct)),)
        label = unique.name or ", ".join(columns)
        entries.append(
            _Entry(label, "unique", (*base, "unique", i), columns, unique.xfail, details=nnd)
        )
    for key, column in spec.columns.items():
        if column.unique:
            path = (*base, "columns", key, "unique")
            entries.append(_Entry(key, "unique", path, (key,), column.xfail, strict=False))
    return entries


def _reference_entries(base: Path_, spec: TableSpec, schema: str) -> list[_Entry]:
    found: list[tuple[tuple[str, ...], str, str | None, str | None, Path_, str | None, bool]] = []
    for key, column in spec.columns.items():
        if column.references is not None:
            path = (*base, "columns", key, "references")
            ref = column.references
            found.append(((key,), ref, column.on_delete, None, path, column.xfail, False))
    for i, fk in enumerate(spec.foreign_keys):
        path = (*base, "foreign_keys", i)
        columns = tuple(fk.columns)
        found.append((columns, fk.references, fk.on_delete, fk.match, path, fk.xfail, True))
    entries = []
    for columns, target, on_delete, match, path, waiver, strict in found:
        parent_name, parent_columns = split_reference(target)
        details: tuple[tuple[str, Any], ...] = (
            ("references", QualifiedName.parse(parent_name, schema)),
            ("referenced", parent_columns),
            ("match", match),
        )
        label = ", ".join(columns)
        # a waived reference is mostly about its action: that orphans are refused may
        # well hold under the waiver
        entries.append(
            _Entry(label, "foreign_key", path, columns, waiver, details=details, strict=False)
        )
        if on_delete is not None:
            action = (("action", on_delete.lower()),)
            entries.append(
                _Entry(
                    label,
                    "on_delete",
                    path,
                    columns,
                    waiver,
                    details=details + action,
                    strict=strict,
                )
            )
    return entries


def _behaviour_entries(base: Path_, spec: TableSpec) -> list[_Entry]:
    """Defaults (not sequences: drawing one would move it) and ``updated_at`` triggers
    (``BEFORE UPDATE ... FOR EACH ROW`` on a table with a timestamp column of that name)."""
    entries = []
    for key, column in spec.columns.items():
        default = column.default
        if default is not None and "nextval" not in default.lower() and column.identity is None:
            path = (*base, "columns", key, "default")
            details: tuple[tuple[str, Any], ...] = (("default", default),)
            entries.append(
                _Entry(key, "default", path, (key,), column.xfail, details=details, strict=False)
            )
    stamp = next((c for c in TIMESTAMP_COLUMNS if c in spec.columns), None)
    for name, trigger in spec.triggers.items():
        if stamp is None or trigger.absent or "update" not in (trigger.events or ()):
            continue
        if trigger.timing not in (None, "before") or trigger.level not in (None, "row"):
            continue
        details = (("update_columns", tuple(trigger.columns or ())), ("trigger", name))
        path = (*base, "triggers", name)
        entries.append(_Entry(name, "updated_at", path, (stamp,), trigger.xfail, details=details))
    return entries


def _isolation_entries(
    base: Path_, loaded: LoadedSpec, table: QualifiedName, spec: TableSpec
) -> list[_Entry]:
    """One ``rls_property[<command>]`` per command of the table's tenancy model."""
    doc = loaded.document
    model = resolve_tenancy(table, spec, doc.tenancy, doc.default_schema)
    if model is None:
        return []
    own = spec.tenancy if spec.tenancy else None
    path: Path_ = (*base, "tenancy") if own is not None else ("tenancy",)
    # the table's own waiver, else (a table following the spec's default) the default's
    written = own.xfail if own is not None else (doc.tenancy.xfail if doc.tenancy else None)
    details: tuple[tuple[str, Any], ...] = (("tenancy", model),)
    return [
        _Entry(command, "rls", path, (model.link,), _waiver(written, command), details=details)
        for command in COMMANDS
    ]


def _waiver(written: str | Mapping[Any, str] | None, command: str) -> str | None:
    """A tenancy's waiver for one command's item: all four items, or per command."""
    if written is None or isinstance(written, str):
        return written
    return written.get(command)


def _table_plans(loaded: LoadedSpec, key: str, spec: TableSpec) -> list[PropertyPlan]:
    if spec.absent:
        return []
    schema = loaded.document.default_schema
    table = QualifiedName.parse(key, schema)
    base: Path_ = ("tables", key)
    entries: list[_Entry] = []
    for i, check in enumerate(spec.checks):
        label = check.name or check.expression
        path = (*base, "checks", i)
        columns = _tested_columns(check.expression, spec)
        entries.append(_Entry(label, "check", path, columns, check.xfail, check.expression))
    for column_key, column in spec.columns.items():
        if column.check is not None:
            path = (*base, "columns", column_key, "check")
            columns = _tested_columns(column.check, spec)
            entries.append(_Entry(column.check, "check", path, columns, column.xfail, column.check))
    spec_checks = tuple(dict.fromkeys(e.expression for e in entries if e.expression))
    not_null = tuple(k for k, c in spec.columns.items() if c.nullable is False)
    for column_key, column in spec.columns.items():
        if column.nullable is not None:
            path = (*base, "columns", column_key, "nullable")
            nullable = column.nullable
            entries.append(
                _Entry(column_key, "nullable", path, (column_key,), column.xfail, None, nullable)
            )
    entries += _key_entries(base, spec)
    entries += _reference_entries(base, spec, schema)
    entries += _behaviour_entries(base, spec)
    entries += _isolation_entries(base, loaded, table, spec)
    plans: list[PropertyPlan] = []
    seen: set[str] = set()
    for entry in entries:
        name = f"{table}::{ITEM_NAMES[entry.kind]}[{entry.label}]"
        if name in seen:
            continue
        seen.add(name)
        plans.append(
            PropertyPlan(
                id=f"{loaded.path}::{name}",
                name=name,
                spec=loaded,
                path=entry.path,
                table=table,
                kind=entry.kind,
                label=entry.label,
                columns=entry.columns,
                expression=entry.expression,
                nullable=entry.nullable,
                spec_checks=spec_checks,
                not_null=not_null,
                waiver=entry.waiver,
                waiver_strict=entry.strict,
                **dict(entry.details),
            )
        )
    return plans


def plan_properties(specs: SpecSet) -> list[PropertyPlan]:
    """Every property item of every spec, in spec order (checks, then nullables, per table)."""
    plans: list[PropertyPlan] = []
    for loaded in specs.specs:
        for key, table in loaded.document.tables.items():
            plans.extend(_table_plans(loaded, key, table))
    return plans
