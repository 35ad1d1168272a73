"""Rows of the catalog queries → model objects.

The queries return bare catalog columns (attnum arrays, bit masks, oids); this module
names and decodes them. It runs once per row of a 10,000-table catalog, so it favours
positional construction, tuple unpacking and dictionary lookups over anything clever.
Row layouts follow the column order of the matching ``queries/*.sql`` file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from schemaprobe.introspect._acl import AclParser
from schemaprobe.introspect._index_keys import IndexTemplate
from schemaprobe.introspect._lookups import Lookups, Row
from schemaprobe.introspect._names import QualifiedName
from schemaprobe.introspect._text import trigger_when
from schemaprobe.introspect.model import (
    PUBLIC,
    Column,
    Constraint,
    ForeignKey,
    Function,
    Index,
    IndexColumn,
    Policy,
    Trigger,
)

__all__ = ["Parts"]

_CONSTRAINT_KINDS = {
    "p": "primary key",
    "u": "unique",
    "f": "foreign key",
    "c": "check",
    "x": "exclude",
}
_FK_ACTIONS = {
    "a": "NO ACTION",
    "r": "RESTRICT",
    "c": "CASCADE",
    "n": "SET NULL",
    "d": "SET DEFAULT",
}
_FK_MATCH = {"f": "FULL", "p": "PARTIAL", "s": "SIMPLE"}
_IDENTITY = {"": None, "a": "always", "d": "by default"}
_GENERATED = {"": None, "s": "stored", "v": "virtual"}
_by_position = attrgetter("position")
_POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}
_FUNCTION_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
_VOLATILITY = {"i": "IMMUTABLE", "s": "STABLE", "v": "VOLATILE"}
_PARALLEL = {"s": "SAFE", "r": "RESTRICTED", "u": "UNSAFE"}

# pg_trigger.tgtype bits (catalog/pg_trigger.h)
_ROW, _BEFORE, _INSERT, _DELETE, _UPDATE, _TRUNCATE, _INSTEAD = 1, 2, 4, 8, 16, 32, 64


class Parts:
    """Model parts keyed by the owning relation's oid, filled kind by kind.

    ``add_*`` methods may run in the thread that fetched the rows; each touches only
    its own attributes, and the ones that name columns are called after ``add_columns``.
    """

    def __init__(
        self,
        lookups: Lookups,
        acl: AclParser,
        names: dict[int, QualifiedName],
        encoding: str,
    ) -> None:
        self.lookups = lookups
        self.acl = acl
        self.encoding = encoding
        self.relations: list[Row] = []
        self._attnum_cache: dict[str, tuple[int, ...]] = {}
        self._column_cache: dict[tuple[Any, ...], Column] = {}
        # Table shapes: see _shape_tables(). The keys hold ids of cached Column objects.
        self._shapes: dict[tuple[int, ...], tuple[int, tuple[Column, ...]]] = {}
        self.shape: dict[int, int] = {}
        self.column_tuples: dict[int, tuple[Column, ...]] = {}
        self._colname_cache: dict[tuple[int, str | None], tuple[str, ...]] = {}
        self.references: list[Row] = []
        # oid → name of every relation we may mention: selected ones and references.
        self.names = names
        self.attnames: dict[int, dict[int, str]] = {}
        self.atttypes: dict[int, dict[int, tuple[int, int]]] = {}
        self.columns: dict[int, list[Column]] = {}
        self.constraints: dict[int, list[Constraint]] = {}
        self.indexes: dict[int, list[Index]] = {}
        self.triggers: dict[int, list[Trigger]] = {}
        self.policies: dict[int, list[Policy]] = {}
        self.functions: list[Function] = []

    # -- columns -------------------------------------------------------------------

    def add_columns(self, rows: Iterable[Row]) -> None:
        """Columns, shared between tables where every detail is equal.

        Column objects are immutable, and real schemas repeat the same column over and
        over (``id uuid DEFAULT gen_random_uuid()``, ``created_at timestamptz``): one
        object per distinct column saves both time and memory.
        """
        columns = self.columns
        attnames = self.attnames
        atttypes = self.atttypes
        seen = self._column_cache
        make = self._column
        last = None
        names: dict[int, str] = {}
        types: dict[int, tuple[int, int]] = {}
        cols: list[Column] = []
        touched: list[int] = []
        for row in rows:
            relid = row[0]
            if relid != last:
                last = relid
                found_names = attnames.get(relid)
                if found_names is None:
                    names = attnames[relid] = {}
                    types = atttypes[relid] = {}
                    cols = columns[relid] = []
                    touched.append(relid)
                else:
                    names = found_names
                    types = atttypes[relid]
                    cols = columns[relid]
            key = row[1:]
            column = seen.get(key)
            if column is None:
                column = seen[key] = make(key)
            names[row[1]] = row[2]
            types[row[1]] = (row[4], row[9])
            cols.append(column)
        self._shape_tables(touched)

    def _shape_tables(self, relids: list[int]) -> None:
        """Give tables with the very same columns one shape (and one column tuple).

        Column objects are shared, so equal tables have equal lists of the same objects;
        their shape id then keys caches of everything derived from column names.
        """
        shapes = self._shapes
        for relid in relids:
            cols = self.columns[relid]
            cols.sort(key=_by_position)
            key = tuple(map(id, cols))
            found = shapes.get(key)
            if found is None:
                found = shapes[key] = (len(shapes), tuple(cols))
            self.shape[relid] = found[0]
            self.column_tuples[relid] = found[1]

    def _column(self, row: Row) -> Column:
        (
            attnum,
            name,
            type_,
            typid,
            notnull,
            expr,
            identity,
            generated,
            collation,
            acl,
            comment,
        ) = row
        gen = _GENERATED[generated]
        lookups = self.lookups
        return Column(
            name,
            attnum,
            type_,
            notnull,
            None if gen else expr,
            _IDENTITY[identity],
            gen,
            expr if gen else None,
            None
            if not collation or collation == lookups.type_collation.get(typid, 0)
            else lookups.collation_name(collation),
            comment,
            () if acl is None else self.acl.privileges(acl, "column", ""),
        )

    def add_relations(self, rows: list[Row]) -> None:
        """Selected relations: named now, assembled once every part is there."""
        self.relations = rows
        names = self.names
        for row in rows:
            names[row[0]] = QualifiedName(row[1], row[2])

    def add_references(self, rows: list[Row]) -> None:
        """Relations outside the selection: only their names and column names are kept."""
        self.references.extend(rows)
        self.add_targets(rows)

    def add_targets(self, rows: list[Row]) -> None:
        """Foreign key targets: names and column names (already known ones are kept)."""
        for oid, schema, name, _ispartition, _parents, attnums, attnames in rows:
            self.names.setdefault(oid, QualifiedName(schema, name))
            self.attnames.setdefault(oid, dict(zip(attnums, attnames, strict=True)))

    def _attnums(self, text: str | None) -> tuple[int, ...]:
        """``{1,2}`` → ``(1, 2)``, once per distinct array text."""
        if not text:
            return ()
        found = self._attnum_cache.get(text)
        if found is None:
            inner = text[1:-1]
            found = self._attnum_cache[text] = (
                tuple(int(n) for n in inner.split(",")) if inner else ()
            )
        return found

    def _colnames(self, relid: int, attnums: Sequence[int] | None) -> tuple[str, ...]:
        if not attnums:
            return ()
        names = self.attnames.get(relid)
        if names is not None:
            try:
                return tuple([names[n] for n in attnums])
            except KeyError:
                pass
        names = names or {}
        return tuple([names.get(n) or f"<column {n}>" for n in attnums])

    # -- constraints ---------------------------------------------------------------

    def add_constraints(self, rows: Iterable[Row]) -> None:
        """Constraints; a key's backing index always carries the constraint's name."""
        out = self.constraints
        colnames = self._colnames
        attnums = self._attnums
        names = self.names
        foreign_keys: dict[tuple[Any, ...], ForeignKey] = {}
        shape_of = self.shape
        by_shape = self._colname_cache
        for (
            relid,
            name,
            contype,
            deferrable,
            deferred,
            validated,
            conkey,
            confrelid,
            confkey,
            updtype,
            deltype,
            matchtype,
            indid,
            noinherit,
            islocal,
            check,
            definition,
            comment,
            enforced,
            delsetcols,
            nulls_not_distinct,
        ) in rows:
            references = None
            if contype == "f":
                fk_key = (
                    confrelid,
                    confkey,
                    updtype,
                    deltype,
                    matchtype,
                    colnames(relid, attnums(delsetcols)),
                )
                references = foreign_keys.get(fk_key)
                if references is None:
                    target = names.get(confrelid) or QualifiedName("?", f"<relation {confrelid}>")
                    references = foreign_keys[fk_key] = ForeignKey(
                        target,
                        colnames(confrelid, attnums(confkey)),
                        _FK_ACTIONS[updtype],
                        _FK_ACTIONS[deltype],
                        _FK_MATCH[matchtype],
                        fk_key[5],
                    )
            shape = shape_of.get(relid)
            found = None if shape is None else by_shape.get((shape, conkey))
            if found is None:
                found = colnames(relid, attnums(conkey))
                if shape is not None:
                    by_shape[(shape, conkey)] = found
            key_columns = found
            rel_constraints = out.get(relid)
            if rel_constraints is None:
                rel_constraints = out[relid] = []
            rel_constraints.append(
                Constraint(
                    name,
                    _CONSTRAINT_KINDS[contype],
                    key_columns,
                    deferrable,
                    deferred,
                    validated,
                    enforced,
                    noinherit and contype == "c",
                    not islocal,
                    nulls_not_distinct,
                    check,
                    references,
                    definition,
                    name if indid and contype != "f" else None,
                    comment,
                )
            )

    # -- indexes -------------------------------------------------------------------

    def add_indexes(self, rows: Iterable[Row]) -> None:
        """Indexes, rebuilt from their key vectors.

        Tables made from one template have indexes with identical vectors and column
        names, so both the decoded vectors and the resolved key columns are cached.
        """
        out = self.indexes
        attnames = self.attnames
        atttypes = self.atttypes
        templates: dict[tuple[Any, ...], IndexTemplate] = {}
        resolved: dict[tuple[Any, ...], tuple[tuple[IndexColumn, ...], tuple[str, ...]]] = {}
        access_methods = self.lookups.access_methods
        shape_of = self.shape
        empty: dict[int, Any] = {}
        for (
            relid,
            name,
            am,
            unique,
            primary,
            valid,
            nkeyatts,
            indkey,
            indoption,
            indclass,
            indcollation,
            exprs,
            pred,
            definition,
            options,
            comment,
            nulls_not_distinct,
            backs_constraint,
            scans,
        ) in rows:
            tkey = (am, nkeyatts, indkey, indoption, indclass, indcollation, exprs, definition)
            template = templates.get(tkey)
            if template is None:
                template = templates[tkey] = IndexTemplate(tkey)
            shape = shape_of.get(relid)
            signature: tuple[Any, ...] = (tkey, shape)
            if shape is None:
                names = attnames.get(relid, empty)
                signature = (
                    tkey,
                    tuple([names.get(a) for a in template.attnums]),
                    tuple([atttypes.get(relid, empty).get(a) for a in template.key_attnums]),
                )
            found = resolved.get(signature)
            if found is None:
                found = resolved[signature] = template.resolve(
                    attnames.get(relid, empty), atttypes.get(relid, empty), self.lookups
                )
            rel_indexes = out.get(relid)
            if rel_indexes is None:
                rel_indexes = out[relid] = []
            rel_indexes.append(
                Index(
                    name,
                    access_methods.get(am) or f"<access method {am}>",
                    found[0],
                    found[1],
                    unique,
                    nulls_not_distinct,
                    primary,
                    name if backs_constraint else None,
                    pred,
                    valid,
                    tuple(options) if options else (),
                    comment,
                    scans,
                )
            )

    # -- triggers, policies, functions ----------------------------------------------

    def add_triggers(self, rows: Iterable[Row]) -> None:
        out = self.triggers
        encoding = self.encoding
        colnames = self._colnames
        kinds: dict[int, tuple[str, tuple[str, ...], str]] = {}
        functions: dict[tuple[str, str], QualifiedName] = {}
        for (
            relid,
            name,
            tgtype,
            enabled,
            tgattr,
            fn_schema,
            fn_name,
            tgargs,
            definition,
            constraint,
            deferrable,
            deferred,
            old_table,
            new_table,
            inherited,
            comment,
        ) in rows:
            kind = kinds.get(tgtype)
            if kind is None:
                kind = kinds[tgtype] = _trigger_kind(tgtype)
            function = functions.get((fn_schema, fn_name))
            if function is None:
                function = functions[(fn_schema, fn_name)] = QualifiedName(fn_schema, fn_name)
            arguments: tuple[str, ...] = ()
            if tgargs:
                arguments = tuple(a.decode(encoding) for a in bytes(tgargs).split(b"\x00")[:-1])
            rel_triggers = out.get(relid)
            if rel_triggers is None:
                rel_triggers = out[relid] = []
            rel_triggers.append(
                Trigger(
                    name,
                    kind[0],
                    kind[1],
                    colnames(relid, tgattr) if tgattr else (),
                    kind[2],
                    function,
                    arguments,
                    trigger_when(definition) if definition else None,
                    enabled,
                    constraint,
                    deferrable,
                    deferred,
                    old_table,
                    new_table,
                    inherited,
                    comment,
                )
            )

    def add_policies(self, rows: Iterable[Row]) -> None:
        """Policies; equal ones (same name and text on many tables) are one shared object."""
        out = self.policies
        role = self.lookups.role
        role_cache: dict[str, tuple[str, ...]] = {}
        seen: dict[tuple[Any, ...], Policy] = {}
        for relid, name, cmd, permissive, roles, qual, withcheck, comment in rows:
            key = (name, cmd, permissive, roles, qual, withcheck, comment)
            policy = seen.get(key)
            if policy is None:
                names = role_cache.get(roles)
                if names is None:
                    oids = self._attnums(roles)  # an oid array in the same text form
                    names = role_cache[roles] = tuple(
                        sorted(PUBLIC if oid == 0 else role(oid) for oid in oids)
                    )
                policy = seen[key] = Policy(
                    name, _POLICY_COMMANDS[cmd], permissive, names, qual, withcheck, comment
                )
            rel_policies = out.get(relid)
            if rel_policies is None:
                rel_policies = out[relid] = []
            rel_policies.append(policy)

    def add_functions(self, rows: Iterable[Row]) -> None:
        lookups = self.lookups
        for (
            schema,
            name,
            arguments,
            kind,
            returns,
            lang,
            volatility,
            strict,
            secdef,
            leakproof,
            parallel,
            config,
            owner_oid,
            source,
            acl,
            comment,
        ) in rows:
            owner = lookups.role(owner_oid)
            self.functions.append(
                Function(
                    QualifiedName(schema, name),
                    arguments,
                    _FUNCTION_KINDS[kind],
                    returns,
                    lookups.languages.get(lang, f"<language {lang}>"),
                    _VOLATILITY[volatility],
                    strict,
                    secdef,
                    leakproof,
                    _PARALLEL[parallel],
                    tuple(config) if config else (),
                    owner,
                    source,
                    self.acl.privileges(acl, "function", owner),
                    comment,
                )
            )


def _trigger_kind(tgtype: int) -> tuple[str, tuple[str, ...], str]:
    """Timing, events and level from ``pg_trigger.tgtype`` bits."""
    if tgtype & _INSTEAD:
        timing = "INSTEAD OF"
    elif tgtype & _BEFORE:
        timing = "BEFORE"
    else:
        timing = "AFTER"
    events = tuple(
        event
        for bit, event in (
            (_INSERT, "INSERT"),
            (_UPDATE, "UPDATE"),
            (_DELETE, "DELETE"),
            (_TRUNCATE, "TRUNCATE"),
        )
        if tgtype & bit
    )
    return timing, events, "ROW" if tgtype & _ROW else "STATEMENT"
