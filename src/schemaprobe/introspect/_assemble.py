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

__all__ = ["RelationAssembler", "assemble"]

_TABLE_KINDS = {"r": "table", "p": "partitioned table", "f": "foreign table"}
_VIEW_KINDS = {"v": "view", "m": "materialized view"}
_PERSISTENCE = {"p": "permanent", "u": "unlogged", "t": "temporary"}

K = TypeVar("K")
V = TypeVar("V")

_by_name = attrgetter("name")
_NONE: tuple[()] = ()


def _frozen(items: dict[K, V]) -> Mapping[K, V]:
    return MappingProxyType(items)


def _sorted(items: list[Any] | None) -> tuple[Any, ...]:
    if not items:
        return _NONE
    if len(items) > 1:
        items.sort(key=_by_name)
    return tuple(items)


def assemble(
    parts: Parts,
    relations: RelationAssembler,
    rows: dict[str, list[Row]],
    schema_rows: list[Row],
    *,
    server_version: int,
    database: str,
    round_trips: int,
    connections: int,
) -> Catalog:
    """Build the catalog from the parts, the assembled relations and the rows kept as is."""
    tables, views, sequences = relations.finish(rows.get("sequences", []))
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


class RelationAssembler:
    """Tables and views, a share of the relations at a time; sequences at the end.

    A share (relations whose ``oid mod 10`` is in a range) can be assembled as soon as
    its policies, constraints and indexes are built, while the other share's are still
    being read: that keeps this work off the end of the read.
    """

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.owner = parts.lookups.role
        self.privileges = parts.acl.privileges
        self.tables: list[tuple[tuple[str, str], QualifiedName, Table]] = []
        self.views: list[tuple[tuple[str, str], QualifiedName, View]] = []
        # Partitions of each partitioned table, wherever they live.
        self.children: dict[int, list[int]] = {}
        for row in parts.relations:
            if row[8] and row[15]:
                self.children.setdefault(row[15][0], []).append(row[0])
        for row in parts.references:
            if row[3] and row[4]:
                self.children.setdefault(row[4][0], []).append(row[0])

    def add_share(self, share: tuple[int, int]) -> None:
        """Assemble the tables and views whose ``oid mod 10`` lies in ``share``."""
        low, high = share
        names = self.parts.names
        for row in self.parts.relations:
            relkind = row[3]
            if relkind == "S" or not low <= row[0] % 10 <= high:
                continue
            name = names[row[0]]
            if relkind in _TABLE_KINDS:
                self.tables.append(((row[1], row[2]), name, self._table(name, row)))
            elif relkind in _VIEW_KINDS:
                self.views.append(((row[1], row[2]), name, self._view(name, row)))

    def finish(
        self, sequence_rows: list[Row]
    ) -> tuple[
        dict[QualifiedName, Table], dict[QualifiedName, View], dict[QualifiedName, Sequence]
    ]:
        """Everything in (schema, name) order, with the sequences."""
        by_oid = {row[0]: row for row in sequence_rows}
        names = self.parts.names
        sequences: list[tuple[tuple[str, str], QualifiedName, Sequence]] = []
        for row in self.parts.relations:
            if row[3] == "S":
                sequence = self._sequence(names[row[0]], row, by_oid.get(row[0]))
                if sequence is not None:
                    sequences.append(((row[1], row[2]), names[row[0]], sequence))
        return (
            {name: table for _, name, table in sorted(self.tables, key=_first)},
            {name: view for _, name, view in sorted(self.views, key=_first)},
            {name: seq for _, name, seq in sorted(sequences, key=_first)},
        )

    def _table(self, name: QualifiedName, row: Row) -> Table:
        (
            oid,
            _schema,
            _name,
            relkind,
            owner_oid,
            persistence,
            rls,
            force_rls,
            ispartition,
            _populated,
            options,
            relacl,
            comment,
            partkey,
            partbound,
            parents,
            _viewdef,
        ) = row
        parts = self.parts
        names = parts.names
        owner = self.owner(owner_oid)
        parent_names = tuple(names[p] for p in parents if p in names) if parents else _NONE
        kids = self.children.get(oid)
        return Table(
            name,
            _TABLE_KINDS[relkind],
            owner,
            _PERSISTENCE[persistence],
            parts.column_tuples.get(oid, _NONE),
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
        (
            oid,
            _schema,
            _name,
            relkind,
            owner_oid,
            _persistence,
            _rls,
            _force_rls,
            _ispartition,
            populated,
            options,
            relacl,
            comment,
            _partkey,
            _partbound,
            _parents,
            viewdef,
        ) = row
        parts = self.parts
        owner = self.owner(owner_oid)
        check_option = option_value(options, "check_option")
        return View(
            name,
            _VIEW_KINDS[relkind],
            owner,
            viewdef or "",
            parts.column_tuples.get(oid, _NONE),
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

    def _sequence(self, name: QualifiedName, row: Row, seq: Row | None) -> Sequence | None:
        if seq is None:
            return None
        (
            _,
            type_,
            start,
            increment,
            minimum,
            maximum,
            cache,
            cycle,
            owner_schema,
            owner_table,
            owner_column,
            identity,
        ) = seq
        owned_by = (
            SequenceOwner(QualifiedName(owner_schema, owner_table), owner_column, identity)
            if owner_table is not None
            else None
        )
        owner = self.owner(row[4])
        return Sequence(
            name,
            owner,
            type_,
            start,
            increment,
            minimum,
            maximum,
            cache,
            cycle,
            owned_by,
            self.privileges(row[11], "sequence", owner),
            row[12],
        )
