"""Catalog → spec document: the live database written in the spec format (``snapshot``).

The result is a plain dict (strings, integers, booleans, ``None``, lists, dicts) that
:class:`~schemaprobe.spec.model.SpecDocument` validates and that checks clean against the
database it came from: ``snapshot`` then ``check`` gives no findings. Choices:

- ``exhaustive: true``: every object of the database is declared, so whatever appears
  later is a finding. Everything is keyed fully qualified (``default_schema`` is left at
  its default and never relied on): relations as ``str(QualifiedName)``, functions by
  their signature ``schema.name(identity arguments)``.
- Deterministic order: objects by name (code point order; relations by schema, then
  name), columns by position, constraints, indexes, triggers and policies by name,
  grantees and privileges sorted.
- No noise: a field is written when it says something (``comment`` when set, ``kind``
  when not the ordinary one, ``strict`` when true ...). Empty ``grants`` are left out:
  under ``exhaustive`` an absent ``grants`` already means "no grants besides the
  owner's". Exceptions that state a default on purpose: ``nullable``, ``rls``,
  ``security_definer``/``security_invoker``, foreign key actions, and a policy's
  ``using``/``with_check`` (``null`` checks that there is none).
- Values are the catalog's own text (types, defaults, expressions), so comparing them
  needs no canonicalisation round trip.

Objects the catalog shares (one ``Column`` for many tables, one privilege tuple per
distinct ACL) are converted once and the result is shared: treat the returned structure
as read-only. What the spec model cannot state (sequences, view definitions, partition
bounds, ...) is listed in docs/cli.md.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import partial
from typing import Any

from schemaprobe.introspect.model import (
    Catalog,
    Column,
    Constraint,
    Function,
    Index,
    Policy,
    Privilege,
    Schema,
    Table,
    View,
)
from schemaprobe.spec._dump_parts import (
    extension_spec,
    grants_spec,
    index_key,
    policy_spec,
    reference,
    role_spec,
    trigger_spec,
)

__all__ = ["catalog_to_spec"]

JSON = dict[str, Any]

_TABLE_KINDS = {"partitioned table": "partitioned", "foreign table": "foreign"}


def catalog_to_spec(catalog: Catalog) -> JSON:
    """The whole catalog as a spec document (a plain dict; see the module docstring)."""
    # Hundreds of thousands of new dicts that all stay alive: the cyclic garbage
    # collector would only slow this down (as in read_catalog).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Dumper().document(catalog)
    finally:
        if collecting:
            gc.enable()


class _Dumper:
    """Builds the document, converting each shared catalog object once."""

    def __init__(self) -> None:
        # Keyed by id(): the catalog keeps every object alive while this runs, so an id
        # cannot be reused; hashing frozen dataclasses field by field would cost more.
        self._done: dict[tuple[int, str | None], Any] = {}
        self._policy_sets: dict[tuple[int, ...], JSON] = {}
        self._rls = {
            (enabled, forced): {"enabled": enabled, "forced": forced}
            for enabled in (False, True)
            for forced in (False, True)
        }

    def _once(self, obj: object, extra: str | None, build: Callable[[], Any]) -> Any:
        key = (id(obj), extra)
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = build()
        return found

    def grants(self, privileges: tuple[Privilege, ...], owner: str | None) -> JSON:
        if not privileges:
            return {}
        return self._once(privileges, owner, lambda: grants_spec(privileges, owner))  # type: ignore[no-any-return]

    # -- the document --------------------------------------------------------------

    def document(self, catalog: Catalog) -> JSON:
        doc: JSON = {"version": 1, "exhaustive": True}
        sections: list[tuple[str, JSON]] = [
            ("schemas", {n: self.schema(catalog.schemas[n]) for n in sorted(catalog.schemas)}),
            (
                "extensions",
                {n: extension_spec(catalog.extensions[n]) for n in sorted(catalog.extensions)},
            ),
            (
                "roles",
                {
                    n: role_spec(catalog.roles[n])
                    for n in sorted(catalog.roles)
                    if not n.startswith("pg_")
                },
            ),
            ("tables", {str(n): self.table(catalog.tables[n]) for n in sorted(catalog.tables)}),
            ("views", {str(n): self.view(catalog.views[n]) for n in sorted(catalog.views)}),
            (
                "functions",
                {
                    f.signature: self.function(f)
                    for name in sorted(catalog.functions)
                    for f in sorted(catalog.functions[name], key=lambda f: f.arguments)
                },
            ),
        ]
        for section, objects in sections:
            if objects:
                doc[section] = objects
        return doc

    def schema(self, schema: Schema) -> JSON:
        out: JSON = {"owner": schema.owner}
        if schema.comment is not None:
            out["comment"] = schema.comment
        grants = self.grants(schema.privileges, schema.owner)
        if grants:
            out["grants"] = grants
        return out

    # -- tables --------------------------------------------------------------------

    def table(self, table: Table) -> JSON:
        out: JSON = {}
        kind = _TABLE_KINDS.get(table.kind)
        if kind is not None:
            out["kind"] = kind
        out["owner"] = table.owner
        if table.comment is not None:
            out["comment"] = table.comment
        out["rls"] = self._rls[table.rls_enabled, table.rls_forced]
        if table.partition_key is not None:
            out["partition_by"] = table.partition_key
        if table.columns:
            out["columns"] = self.columns(table.columns)
        self._constraints(out, table.constraints)
        indexes = sorted((i for i in table.indexes if i.constraint is None), key=lambda i: i.name)
        if indexes:
            out["indexes"] = [self.index(i) for i in indexes]
        if table.triggers:
            out["triggers"] = {
                t.name: trigger_spec(t) for t in sorted(table.triggers, key=lambda t: t.name)
            }
        if table.policies:
            out["policies"] = self.policies(table.policies)
        grants = self.grants(table.privileges, table.owner)
        if grants:
            out["grants"] = grants
        return out

    def columns(self, columns: tuple[Column, ...]) -> JSON:
        """Tables of one shape share their column tuple, and so this dict."""
        column = self.column
        return self._once(columns, None, lambda: {c.name: column(c) for c in columns})  # type: ignore[no-any-return]

    def column(self, column: Column) -> JSON:
        return self._once(column, None, lambda: self._column(column))  # type: ignore[no-any-return]

    def _column(self, column: Column) -> JSON:
        out: JSON = {"type": column.type, "nullable": not column.not_null}
        if column.default is not None:
            out["default"] = column.default
        if column.identity is not None:
            out["identity"] = column.identity
        if column.generation is not None:
            out["generated"] = column.generation
        if column.generated is not None:
            out["generated_storage"] = column.generated
        if column.collation is not None:
            out["collation"] = column.collation
        if column.comment is not None:
            out["comment"] = column.comment
        # Column ACLs hold only explicit grants; the engine compares them all (no owner).
        grants = self.grants(column.privileges, None)
        if grants:
            out["grants"] = grants
        return out

    def _constraints(self, out: JSON, constraints: tuple[Constraint, ...]) -> None:
        unique: list[JSON] = []
        foreign_keys: list[JSON] = []
        checks: list[JSON] = []
        exclusions: list[JSON] = []
        for c in sorted(constraints, key=lambda c: c.name):
            kind = c.kind
            if kind == "primary key":
                out["primary_key"] = {"name": c.name, "columns": list(c.columns)}
            elif kind == "unique":
                entry: JSON = {"name": c.name, "columns": list(c.columns)}
                if c.nulls_not_distinct:
                    entry["nulls_not_distinct"] = True
                if c.deferrable:
                    entry["deferrable"] = True
                unique.append(entry)
            elif kind == "foreign key" and c.references is not None:
                fk = self.foreign_key(c)
                if fk is not None:
                    foreign_keys.append(fk)
            elif kind == "check" and c.check is not None:
                checks.append({"name": c.name, "expression": c.check})
            elif kind == "exclude" and c.definition is not None:
                exclusions.append({"name": c.name, "definition": c.definition})
        for key, entries in (
            ("unique", unique),
            ("foreign_keys", foreign_keys),
            ("checks", checks),
            ("exclusions", exclusions),
        ):
            if entries:
                out[key] = entries

    def foreign_key(self, constraint: Constraint) -> JSON | None:
        ref = constraint.references
        assert ref is not None
        target = self._once(ref, None, lambda: reference(ref))
        if target is None:  # a target name the spec's syntax cannot hold
            return None
        out: JSON = {
            "name": constraint.name,
            "columns": list(constraint.columns),
            "references": target,
            "on_delete": ref.on_delete.lower(),
            "on_update": ref.on_update.lower(),
        }
        if ref.match != "SIMPLE":
            out["match"] = ref.match.lower()
        if constraint.deferrable:
            out["deferrable"] = True
        if constraint.initially_deferred:
            out["initially_deferred"] = True
        return out

    def index(self, index: Index) -> JSON:
        out: JSON = {"name": index.name}
        out["columns"] = self._once(
            index.columns, None, lambda: [index_key(k) for k in index.columns]
        )
        if index.method != "btree":
            out["method"] = index.method
        if index.unique:
            out["unique"] = True
        if index.predicate is not None:
            out["where"] = index.predicate
        if index.include:
            out["include"] = list(index.include)
        if index.nulls_not_distinct:
            out["nulls_not_distinct"] = True
        return out

    def policies(self, policies: tuple[Policy, ...]) -> JSON:
        """Equal policies are one shared object: equal sets of them share one dict."""
        ordered = sorted(policies, key=lambda p: p.name)
        key = tuple(map(id, ordered))
        found = self._policy_sets.get(key)
        if found is None:
            found = self._policy_sets[key] = {
                p.name: self._once(p, None, partial(policy_spec, p)) for p in ordered
            }
        return found

    # -- other objects -------------------------------------------------------------

    def view(self, view: View) -> JSON:
        out: JSON = {}
        if view.kind == "materialized view":
            out["kind"] = "materialized"
        out["owner"] = view.owner
        if view.comment is not None:
            out["comment"] = view.comment
        out["security_invoker"] = view.security_invoker
        if view.security_barrier:
            out["security_barrier"] = True
        if view.check_option is not None:
            out["check_option"] = view.check_option.lower()
        if view.columns:
            out["columns"] = {c.name: c.type for c in view.columns}
        grants = self.grants(view.privileges, view.owner)
        if grants:
            out["grants"] = grants
        return out

    def function(self, function: Function) -> JSON:
        out: JSON = {}
        if function.kind != "function":
            out["kind"] = function.kind
        if function.returns is not None:
            out["returns"] = function.returns
        out["language"] = function.language
        out["volatility"] = function.volatility.lower()
        out["security_definer"] = function.security_definer
        for setting in function.config:
            name, _, value = setting.partition("=")
            if name == "search_path":
                out["search_path"] = value
        if function.strict:
            out["strict"] = True
        if function.leakproof:
            out["leakproof"] = True
        if function.parallel != "UNSAFE":
            out["parallel"] = function.parallel.lower()
        out["owner"] = function.owner
        if function.comment is not None:
            out["comment"] = function.comment
        grants = self.grants(function.privileges, function.owner)
        if grants:
            out["grants"] = grants
        return out
