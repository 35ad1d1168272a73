"""Catalog → a deterministic, JSON-ready dict (what ``schemaprobe snapshot`` writes).

Shape: top-level keys ``server_version``, ``database``, ``schemas``, ``extensions``,
``roles``, ``tables``, ``views``, ``sequences``, ``functions``; objects are keyed by
name (relations by their quoted qualified name ``app."My Table"``, functions by their
signature ``auth.uid()``), in catalog order (schema, then name; columns by position).
A key whose value would be ``null``, ``false`` or empty is left out, so the output
reads like a spec and stays small; integers are always kept.

Privileges are grouped by grantee as GRANT-like words: ``"SELECT"``,
``"UPDATE WITH GRANT OPTION"``, plus ``" GRANTED BY alice"`` when the grantor is not
the object's owner.

Speed: built directly from the frozen model (no ``dataclasses.asdict`` deep copies).
Objects the catalog shares (one ``Column`` used by many tables, one privilege tuple for
every table with the same ACL) are converted once and the result is shared too, so
treat the returned structure as read-only.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from schemaprobe.introspect.model import (
    Catalog,
    Column,
    Constraint,
    ForeignKey,
    Function,
    Index,
    IndexColumn,
    Policy,
    Privilege,
    Role,
    Sequence,
    Table,
    Trigger,
    View,
)

__all__ = ["catalog_to_dict"]

JSON = dict[str, Any]


def catalog_to_dict(catalog: Catalog) -> JSON:
    """The whole catalog as plain dicts, lists, strings, numbers and booleans."""
    # Hundreds of thousands of new dicts that all stay alive: the cyclic garbage
    # collector would only slow this down (see read_catalog).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _catalog(catalog)
    finally:
        if collecting:
            gc.enable()


def _catalog(catalog: Catalog) -> JSON:
    out = _Serializer()
    return {
        "server_version": catalog.server_version,
        "database": catalog.database,
        "schemas": {
            name: _compact(
                {
                    "owner": schema.owner,
                    "comment": schema.comment,
                    "privileges": out.privileges(schema.privileges, schema.owner),
                }
            )
            for name, schema in catalog.schemas.items()
        },
        "extensions": {
            name: _compact(
                {
                    "version": ext.version,
                    "schema": ext.schema,
                    "relocatable": ext.relocatable,
                    "comment": ext.comment,
                }
            )
            for name, ext in catalog.extensions.items()
        },
        "roles": {name: _role(role) for name, role in catalog.roles.items()},
        "tables": {str(name): out.table(table) for name, table in catalog.tables.items()},
        "views": {str(name): out.view(view) for name, view in catalog.views.items()},
        "sequences": {str(name): out.sequence(seq) for name, seq in catalog.sequences.items()},
        "functions": {
            function.signature: out.function(function)
            for overloads in catalog.functions.values()
            for function in overloads
        },
    }


def _compact(items: JSON) -> JSON:
    """Drop ``None``, ``False`` and empty values; keep every integer (0 included)."""
    return {
        key: value
        for key, value in items.items()
        if value is not None and value is not False and (value or isinstance(value, int))
    }


def _role(role: Role) -> JSON:
    return _compact(
        {
            "login": role.login,
            "superuser": role.superuser,
            "bypassrls": role.bypassrls,
            "createrole": role.createrole,
            "createdb": role.createdb,
            "inherit": role.inherit,
            "replication": role.replication,
            "connection_limit": role.connection_limit,
            "member_of": [
                _compact(
                    {
                        "role": m.role,
                        "admin": m.admin,
                        "inherit": m.inherit,
                        "set": m.set,
                    }
                )
                for m in role.memberships
            ],
            "comment": role.comment,
        }
    )


class _Serializer:
    """Converts model objects, once per distinct (shared) object."""

    def __init__(self) -> None:
        # Keyed by id(): the catalog keeps every object alive while this runs, so an id
        # cannot be reused; hashing frozen dataclasses field by field would cost more.
        self._done: dict[tuple[int, str], Any] = {}

    def _once(self, obj: object, owner: str, build: Callable[[], Any]) -> Any:
        key = (id(obj), owner)
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = build()
        return found

    def privileges(self, privileges: tuple[Privilege, ...], owner: str) -> JSON:
        return self._once(  # type: ignore[no-any-return]
            privileges, owner, lambda: _privileges(privileges, owner)
        )

    def table(self, table: Table) -> JSON:
        owner = table.owner
        out: JSON = {"kind": table.kind, "owner": owner}
        if table.persistence != "permanent":
            out["persistence"] = table.persistence
        if table.comment is not None:
            out["comment"] = table.comment
        out["columns"] = self.columns(table.columns, owner)
        if table.constraints:
            constraint = self.constraint
            out["constraints"] = {c.name: constraint(c) for c in table.constraints}
        if table.indexes:
            index = self.index
            out["indexes"] = {i.name: index(i) for i in table.indexes}
        if table.triggers:
            trigger = self.trigger
            out["triggers"] = {t.name: trigger(t) for t in table.triggers}
        if table.rls_enabled:
            out["rls_enabled"] = True
        if table.rls_forced:
            out["rls_forced"] = True
        if table.policies:
            policy = self.policy
            out["policies"] = {p.name: policy(p) for p in table.policies}
        privileges = self.privileges(table.privileges, owner)
        if privileges:
            out["privileges"] = privileges
        if table.partition_key is not None:
            out["partition_key"] = table.partition_key
        if table.partitions:
            out["partitions"] = [str(p) for p in table.partitions]
        if table.partition_of is not None:
            out["partition_of"] = str(table.partition_of)
        if table.partition_bound is not None:
            out["partition_bound"] = table.partition_bound
        if table.inherits:
            out["inherits"] = [str(p) for p in table.inherits]
        if table.options:
            out["options"] = list(table.options)
        return out

    def view(self, view: View) -> JSON:
        owner = view.owner
        return _compact(
            {
                "kind": view.kind,
                "owner": owner,
                "comment": view.comment,
                "definition": view.definition,
                "columns": self.columns(view.columns, owner),
                "indexes": {i.name: self.index(i) for i in view.indexes},
                "triggers": {t.name: self.trigger(t) for t in view.triggers},
                "security_invoker": view.security_invoker,
                "security_barrier": view.security_barrier,
                "check_option": view.check_option,
                "populated": None if view.kind == "view" else view.populated,
                "privileges": self.privileges(view.privileges, owner),
                "options": list(view.options),
            }
        )

    def columns(self, columns: tuple[Column, ...], owner: str) -> JSON:
        done = self._done
        out = {}
        for column in columns:
            key = (id(column), owner)
            found = done.get(key)
            if found is None:
                found = done[key] = self._column(column, owner)
            out[column.name] = found
        return out

    def _column(self, column: Column, owner: str) -> JSON:
        return _compact(
            {
                "position": column.position,
                "type": column.type,
                "not_null": column.not_null,
                "default": column.default,
                "identity": column.identity,
                "generated": column.generated,
                "generation": column.generation,
                "collation": column.collation,
                "comment": column.comment,
                "privileges": self.privileges(column.privileges, owner),
            }
        )

    def constraint(self, constraint: Constraint) -> JSON:
        out: JSON = {"kind": constraint.kind}
        if constraint.columns:
            out["columns"] = list(constraint.columns)
        if constraint.check is not None:
            out["check"] = constraint.check
        references = constraint.references
        if references is not None:
            key = (id(references), "")
            found = self._done.get(key)
            if found is None:
                found = self._done[key] = _foreign_key(references)
            out["references"] = found
        if constraint.definition is not None:
            out["definition"] = constraint.definition
        if constraint.nulls_not_distinct:
            out["nulls_not_distinct"] = True
        if constraint.deferrable:
            out["deferrable"] = True
        if constraint.initially_deferred:
            out["initially_deferred"] = True
        if not constraint.validated:
            out["not_valid"] = True
        if not constraint.enforced:
            out["not_enforced"] = True
        if constraint.no_inherit:
            out["no_inherit"] = True
        if constraint.inherited:
            out["inherited"] = True
        if constraint.index is not None:
            out["index"] = constraint.index
        if constraint.comment is not None:
            out["comment"] = constraint.comment
        return out

    def index(self, index: Index) -> JSON:
        key = (id(index.columns), "")
        keys = self._done.get(key)
        if keys is None:
            keys = self._done[key] = _index_keys(index.columns)
        out: JSON = {"method": index.method, "columns": keys}
        if index.include:
            out["include"] = list(index.include)
        if index.unique:
            out["unique"] = True
        if index.nulls_not_distinct:
            out["nulls_not_distinct"] = True
        if index.primary:
            out["primary"] = True
        if index.constraint is not None:
            out["constraint"] = index.constraint
        if index.predicate is not None:
            out["predicate"] = index.predicate
        if not index.valid:
            out["invalid"] = True
        if index.options:
            out["options"] = list(index.options)
        if index.comment is not None:
            out["comment"] = index.comment
        return out

    def policy(self, policy: Policy) -> JSON:
        key = (id(policy), "")
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = self._policy(policy)
        return found

    def _policy(self, policy: Policy) -> JSON:
        out: JSON = {"command": policy.command}
        if not policy.permissive:
            out["restrictive"] = True
        out["roles"] = list(policy.roles)
        if policy.using is not None:
            out["using"] = policy.using
        if policy.with_check is not None:
            out["with_check"] = policy.with_check
        if policy.comment is not None:
            out["comment"] = policy.comment
        return out

    def trigger(self, trigger: Trigger) -> JSON:
        return _compact(
            {
                "timing": trigger.timing,
                "events": list(trigger.events),
                "update_columns": list(trigger.update_columns),
                "level": trigger.level,
                "function": str(trigger.function),
                "arguments": list(trigger.arguments),
                "when": trigger.when,
                "enabled": trigger.enabled,
                "constraint": trigger.constraint,
                "deferrable": trigger.deferrable,
                "initially_deferred": trigger.initially_deferred,
                "old_table": trigger.old_table,
                "new_table": trigger.new_table,
                "inherited": trigger.inherited,
                "comment": trigger.comment,
            }
        )

    def sequence(self, sequence: Sequence) -> JSON:
        owned_by = sequence.owned_by
        return _compact(
            {
                "owner": sequence.owner,
                "type": sequence.type,
                "start": sequence.start,
                "increment": sequence.increment,
                "minimum": sequence.minimum,
                "maximum": sequence.maximum,
                "cache": sequence.cache,
                "cycle": sequence.cycle,
                "owned_by": _compact(
                    {
                        "table": str(owned_by.table),
                        "column": owned_by.column,
                        "identity": owned_by.identity,
                    }
                )
                if owned_by
                else None,
                "privileges": self.privileges(sequence.privileges, sequence.owner),
                "comment": sequence.comment,
            }
        )

    def function(self, function: Function) -> JSON:
        return _compact(
            {
                "kind": function.kind,
                "arguments": function.arguments,
                "returns": function.returns,
                "language": function.language,
                "volatility": function.volatility,
                "strict": function.strict,
                "security_definer": function.security_definer,
                "leakproof": function.leakproof,
                "parallel": function.parallel,
                "config": list(function.config),
                "owner": function.owner,
                "privileges": self.privileges(function.privileges, function.owner),
                "source": function.source,
                "comment": function.comment,
            }
        )


def _privileges(privileges: tuple[Privilege, ...], owner: str) -> JSON:
    grouped: dict[str, list[str]] = {}
    for p in privileges:
        words = p.privilege
        if p.grantable:
            words += " WITH GRANT OPTION"
        if p.grantor != owner:
            words += f" GRANTED BY {p.grantor}"
        grouped.setdefault(p.grantee, []).append(words)
    return {grantee: sorted(words) for grantee, words in sorted(grouped.items())}


def _foreign_key(fk: ForeignKey) -> JSON:
    return _compact(
        {
            "table": str(fk.table),
            "columns": list(fk.columns),
            "on_update": fk.on_update,
            "on_delete": fk.on_delete,
            "match": fk.match,
            "on_delete_set_columns": list(fk.on_delete_set_columns),
        }
    )


def _index_keys(keys: tuple[IndexColumn, ...]) -> list[Any]:
    """Plain column keys as their name; anything else as a dict."""
    out: list[Any] = []
    for key in keys:
        plain = not (key.expression or key.opclass or key.collation)
        if plain and not (key.descending or key.nulls_first):
            out.append(key.name)
        else:
            out.append(
                _compact(
                    {
                        "expression" if key.expression else "column": key.name,
                        "opclass": key.opclass,
                        "collation": key.collation,
                        "descending": key.descending,
                        "nulls_first": key.nulls_first,
                    }
                )
            )
    return out
