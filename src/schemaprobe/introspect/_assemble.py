"""Putting the parts together: relations with their columns, keys, indexes and policies."""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter
from types import MappingProxyType
from typing import Any, TypeVar

from schemaprobe.introspect._build import Parts
from schemaprobe.introspect._lookups import Row
from schemaprobe.introspect._names import QualifiedName
from schemaprobe.introspect._text import option_value, parse_bool
from schemaprobe.introspect.model import (
    Catalog,
    Extension,
    Function,
    Schema,
    Sequence,
    SequenceOwner,
    Table,
    View,
)

__all__ = ["assemble"]

_TABLE_KINDS = {"r": "table", "p": "partitioned table", "f": "foreign table"}
_VIEW_KINDS = {"v": "view", "m": "materialized view"}
_PERSISTENCE = {"p": "permanent", "u": "unlogged", "t": "temporary"}

K = TypeVar("K")
V = TypeVar("V")

_by_name = attrgetter("name")
_by_position = attrgetter("position")
_NONE: tuple[()] = ()


def _frozen(items: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(items)


def _columns(items: list[Any] | None) -> tuple[Any, ...]:
    # pg_attribute's physical order is not attnum order once a column has been altered.
    if not items:
        return _NONE
    items.sort(key=_by_position)
    return tuple(items)


def _sorted(items: list[Any] | None) -> tuple[Any, ...]:
    if not items:
        return _NONE
    if len(items) > 1:
        items.sort(key=_by_name)
    return tuple(items)


def assemble(
    parts: Parts,
    rows: dict[str, list[Row]],
    schema_rows: list[Row],
    *,
    server_version: int,
    database: str,
    round_trips: int,
    connections: int,
) -> Catalog:
    """Build the catalog from the parts and the rows kept as they are (``rows[query]``)."""
    tables, views, sequences = _Relations(parts, rows.get("sequences", [])).build()
    lookups = parts.lookups
    privileges = parts.acl.privileges
    schemas = {}
    for _oid, name, owner_oid, nspacl, comment, _ext in sorted(schema_rows, key=_second):
        owner = lookups.role(owner_oid)
        schemas[name] = Schema(name, owner, comment, privileges(nspacl, "schema", owner))
    extensions = {
        row[0]: Extension(row[0], row[1], row[2], row[3], row[4])
        for row in sorted(rows["extensions"], key=_first)
    }
    functions: dict[QualifiedName, list[Function]] = {}
    for function in sorted(parts.functions, key=_function_order):
        functions.setdefault(function.name, []).append(function)
    return Catalog(
        server_version=server_version,
        database=database,
        schemas=_frozen(schemas),
        extensions=_frozen(extensions),
        roles=_frozen(dict(sorted(lookups.roles.items()))),
        tables=_frozen(tables),
        views=_frozen(views),
        sequences=_frozen(sequences),
        functions=_frozen({name: tuple(overloads) for name, overloads in functions.items()}),
        round_trips=round_trips,
        connections=connections,
    )


def _first(row: Row) -> Any:
    return row[0]


def _second(row: Row) -> Any:
    return row[1]


def _function_order(function: Function) -> tuple[str, str, str]:
    return (function.name.schema, function.name.name, function.arguments)


class _Relations:
    """Tables, views and sequences from the relation rows and the parts keyed by oid."""

    def __init__(self, parts: Parts, sequence_rows: list[Row]) -> None:
        self.parts = parts
        self.owner = parts.lookups.role
        self.privileges = parts.acl.privileges
        self.sequence_rows = {row[0]: row for row in sequence_rows}
        # Partitions of each partitioned table, wherever they live.
        self.children: dict[int, list[int]] = {}
        for row in parts.relations:
            if row[8] and row[15]:
                self.children.setdefault(row[15][0], []).append(row[0])
        for row in parts.references:
            if row[3] and row[4]:
                self.children.setdefault(row[4][0], []).append(row[0])

    def build(
        self,
    ) -> tuple[
        dict[QualifiedName, Table], dict[QualifiedName, View], dict[QualifiedName, Sequence]
    ]:
        tables: dict[QualifiedName, Table] = {}
        views: dict[QualifiedName, View] = {}
        sequences: dict[QualifiedName, Sequence] = {}
        names = self.parts.names
        for row in sorted(self.parts.relations, key=_schema_and_name):
            relkind = row[3]
            name = names[row[0]]
            if relkind in _TABLE_KINDS:
                tables[name] = self._table(name, row)
            elif relkind in _VIEW_KINDS:
                views[name] = self._view(name, row)
            elif relkind == "S":
                sequence = self._sequence(name, row)
                if sequence is not None:
                    sequences[name] = sequence
        return tables, views, sequences

    def _table(self, name: QualifiedName, row: Row) -> Table:
        (oid, _schema, _name, relkind, owner_oid, persistence, rls, force_rls, ispartition,
         _populated, options, relacl, comment, partkey, partbound, parents, _viewdef) = row
        parts = self.parts
        names = parts.names
        owner = self.owner(owner_oid)
        parent_names = tuple(names[p] for p in parents or () if p in names)
        kids = self.children.get(oid)
        return Table(
            name,
            _TABLE_KINDS[relkind],
            owner,
            _PERSISTENCE[persistence],
            _columns(parts.columns.get(oid)),
            _sorted(parts.constraints.get(oid)),
            _sorted(parts.indexes.get(oid)),
            _sorted(parts.triggers.get(oid)),
            _sorted(parts.policies.get(oid)),
            rls,
            force_rls,
            self.privileges(relacl, "table", owner),
            partkey,
            tuple(sorted(names[k] for k in kids if k in names)) if kids else _NONE,
            parent_names[0] if ispartition and parent_names else None,
            partbound,
            _NONE if ispartition else parent_names,
            tuple(options) if options else _NONE,
            comment,
        )

    def _view(self, name: QualifiedName, row: Row) -> View:
        (oid, _schema, _name, relkind, owner_oid, _persistence, _rls, _force_rls, _ispartition,
         populated, options, relacl, comment, _partkey, _partbound, _parents, viewdef) = row
        parts = self.parts
        owner = self.owner(owner_oid)
        check_option = option_value(options, "check_option")
        return View(
            name,
            _VIEW_KINDS[relkind],
            owner,
            viewdef or "",
            _columns(parts.columns.get(oid)),
            _sorted(parts.indexes.get(oid)),
            _sorted(parts.triggers.get(oid)),
            parse_bool(option_value(options, "security_invoker")),
            parse_bool(option_value(options, "security_barrier")),
            check_option.upper() if check_option else None,
            populated,
            self.privileges(relacl, "table", owner),
            tuple(options) if options else _NONE,
            comment,
        )

    def _sequence(self, name: QualifiedName, row: Row) -> Sequence | None:
        seq = self.sequence_rows.get(row[0])
        if seq is None:
            return None
        (_, type_, start, increment, minimum, maximum, cache, cycle,
         owner_schema, owner_table, owner_column, identity) = seq
        owned_by = (
            SequenceOwner(QualifiedName(owner_schema, owner_table), owner_column, identity)
            if owner_table is not None
            else None
        )
        owner = self.owner(row[4])
        return Sequence(
            name, owner, type_, start, increment, minimum, maximum, cache, cycle,
            owned_by, self.privileges(row[11], "sequence", owner), row[12],
        )


def _schema_and_name(row: Row) -> tuple[str, str]:
    return (row[1], row[2])
