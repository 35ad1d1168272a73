"""Objects outside tables: schemas, extensions, roles, views and functions."""

from __future__ import annotations

from schemaprobe.compare._context import (
    Context,
    DocContext,
    exhaustive_sections,
    grants_of,
    role_name,
)
from schemaprobe.compare._grants import compare_grants
from schemaprobe.compare._items import Item, Items
from schemaprobe.introspect import model as cat
from schemaprobe.spec.model import (
    ExtensionSpec,
    FunctionSpec,
    GroupSpec,
    RoleSpec,
    SchemaSpec,
    ViewSpec,
    declared,
)

__all__ = [
    "compare_extension",
    "compare_function",
    "compare_group",
    "compare_role",
    "compare_schema",
    "compare_view",
]


def _absent_or_missing(item: Item, obj: str, title: str, absent: bool, exists: bool) -> bool:
    """Handle ``absent:`` and a missing object; True when there is nothing more to do."""
    if absent:
        if exists:
            item.add(obj, "absent", f"Unexpected {title}", "absent", "present")
        return True
    if not exists:
        item.add(obj, "missing", f"Missing {title}", "present", None)
        return True
    return False


def compare_schema(ctx: Context, dc: DocContext, items: Items, key: str, spec: SchemaSpec) -> None:
    item = items.new(f"schema[{key}]", ("schemas", key), spec.xfail)
    schema = ctx.catalog.schemas.get(key)
    obj = f"schema {cat.quote_ident(key)}"
    if _absent_or_missing(item, obj, "schema", spec.absent, schema is not None):
        return
    assert schema is not None
    ctx.claims.schemas.add(key)
    for aspect in ("owner", "comment"):
        if declared(spec, aspect):
            item.compare(obj, aspect, getattr(spec, aspect), getattr(schema, aspect))
    if spec.exposed is not None:
        grants = grants_of(schema.privileges, schema.owner)
        api = {role_name(r) for r in dc.doc.api_roles} | {cat.PUBLIC}
        exposed_to = sorted(r for r in api if "USAGE" in grants.get(r, ()))
        if spec.exposed != bool(exposed_to):
            item.add(
                obj,
                "exposed",
                "Schema exposed to API roles" if exposed_to else "Schema not exposed",
                "exposed" if spec.exposed else "not exposed to " + ", ".join(dc.doc.api_roles),
                f"USAGE granted to {', '.join(exposed_to)}"
                if exposed_to
                else "no API role has USAGE",
                ("exposed",),
            )
    sections = exhaustive_sections(spec.exhaustive, dc.doc.exhaustive)
    if spec.grants is not None or "grants" in sections:
        compare_grants(
            item,
            obj,
            spec.grants,
            schema.privileges,
            schema.owner,
            "schema",
            ctx.catalog.major_version,
            exhaustive="grants" in sections,
        )


def compare_extension(
    ctx: Context, dc: DocContext, items: Items, key: str, spec: ExtensionSpec
) -> None:
    item = items.new(f"extension[{key}]", ("extensions", key), spec.xfail)
    extension = ctx.catalog.extensions.get(key)
    obj = f"extension {key}"
    if _absent_or_missing(item, obj, "extension", spec.absent, extension is not None):
        return
    assert extension is not None
    ctx.claims.extensions.add(key)
    if spec.version is not None:
        item.compare(obj, "version", spec.version, extension.version)
    if spec.schema_ is not None:
        item.compare(obj, "schema", spec.schema_, extension.schema)


def compare_role(ctx: Context, dc: DocContext, items: Items, key: str, spec: RoleSpec) -> None:
    item = items.new(f"role[{key}]", ("roles", key), spec.xfail)
    role = ctx.catalog.roles.get(key)
    obj = f"role {cat.quote_ident(key)}"
    if _absent_or_missing(item, obj, "role", spec.absent, role is not None):
        return
    assert role is not None
    ctx.claims.roles.add(key)
    for aspect in (
        "login",
        "superuser",
        "bypassrls",
        "createrole",
        "createdb",
        "inherit",
        "connection_limit",
    ):
        value = getattr(spec, aspect)
        if value is not None:
            item.compare(obj, aspect, value, getattr(role, aspect))
    if spec.member_of is not None:
        item.compare(obj, "member_of", sorted(spec.member_of), sorted(role.member_of))


def compare_group(ctx: Context, dc: DocContext, items: Items, key: str, spec: GroupSpec) -> None:
    """Every listed table exists; the group's claimed size admits how many of them do."""
    item = items.new(f"group[{key}]", ("groups", key), spec.xfail)
    listed = {dc.qualify(t, "groups", key, "tables", i): i for i, t in enumerate(spec.tables)}
    present = 0
    for name, i in listed.items():
        if name in ctx.catalog.tables:
            present += 1
        else:
            item.add(f"table {name}", "missing", "Missing table", "present", None, ("tables", i))
    bounds = spec.counts.tables if spec.counts is not None else None
    if bounds is not None and not bounds.admits(present):
        item.add(
            f"group {key}",
            "count.tables",
            "Number of tables differs",
            str(bounds),
            str(present),
            ("counts", "tables"),
        )


_VIEW_KINDS = {"view": "view", "materialized view": "materialized"}


def compare_view(ctx: Context, dc: DocContext, items: Items, key: str, spec: ViewSpec) -> None:
    name = dc.qualify(key, "views", key)
    item = items.new(str(name), ("views", key), spec.xfail)
    view = ctx.catalog.views.get(name)
    obj = f"view {name}"
    if _absent_or_missing(item, obj, "view", spec.absent, view is not None):
        return
    assert view is not None
    ctx.claims.views.add(name)
    if spec.kind is not None:
        item.compare(obj, "kind", spec.kind, _VIEW_KINDS.get(view.kind, view.kind))
    for aspect in ("owner", "comment", "security_invoker", "security_barrier"):
        if declared(spec, aspect):
            item.compare(obj, aspect, getattr(spec, aspect), getattr(view, aspect))
    if declared(spec, "check_option"):
        live = view.check_option.lower() if view.check_option else None
        item.compare(obj, "check_option", spec.check_option, live)
    if spec.columns is not None:
        live_columns = {c.name: c.type for c in view.columns}
        if list(spec.columns) != list(live_columns):
            item.add(
                obj,
                "columns",
                "View columns differ",
                list(spec.columns),
                list(live_columns),
                ("columns",),
            )
        for column, type_ in spec.columns.items():
            live_type = live_columns.get(column)
            if live_type is not None and not ctx.oracle.same_type(type_, live_type):
                item.add(
                    obj,
                    f"columns.{column}",
                    "View column type differs",
                    type_,
                    live_type,
                    ("columns", column),
                )
    sections = exhaustive_sections(None, _schema_exhaustive(dc, name.schema), dc.doc.exhaustive)
    if spec.grants is not None or "grants" in sections:
        compare_grants(
            item,
            obj,
            spec.grants,
            view.privileges,
            view.owner,
            "table",
            ctx.catalog.major_version,
            exhaustive="grants" in sections,
        )


def _schema_exhaustive(dc: DocContext, schema: str) -> object:
    spec = dc.doc.schemas.get(schema)
    return spec.exhaustive if spec else None


def resolve_function(ctx: Context, dc: DocContext, key: str) -> cat.Function | None:
    """The live function a spec key names: ``schema.name(args)`` or an only overload."""
    head, paren, _rest = _split_signature(key)
    name = dc.qualify(head.strip(), "functions", key)
    overloads = ctx.catalog.functions.get(name, ())
    if not paren:
        return overloads[0] if len(overloads) == 1 else None
    for function in overloads:
        if _same_signature(key, function, name):
            return function
    resolved = ctx.oracle.function(key if "." in head else f"{name}({_rest}")
    if resolved is None:
        return None
    return ctx.catalog.function(resolved[0], resolved[1])


def _split_signature(key: str) -> tuple[str, str, str]:
    """``schema.name(args)`` -> (``schema.name``, ``(``, ``args)``), quotes respected."""
    quoted = False
    for i, char in enumerate(key):
        if char == '"':
            quoted = not quoted
        elif char == "(" and not quoted:
            return key[:i], "(", key[i + 1 :]
    return key, "", ""


def _same_signature(key: str, function: cat.Function, name: cat.QualifiedName) -> bool:
    _head, _paren, rest = _split_signature(key)
    arguments = rest.rstrip().removesuffix(")")
    return " ".join(arguments.split()) == " ".join(function.arguments.split())


def _search_path(value: str | None) -> list[str] | None:
    if value is None:
        return None
    parts = [p.strip().strip('"') for p in value.split(",")]
    return [p for p in parts if p]


def compare_function(
    ctx: Context, dc: DocContext, items: Items, key: str, spec: FunctionSpec
) -> None:
    item = items.new(f"function[{key}]", ("functions", key), spec.xfail)
    function = resolve_function(ctx, dc, key)
    obj = f"function {key}"
    if _absent_or_missing(item, obj, "function", spec.absent, function is not None):
        return
    assert function is not None
    ctx.claims.functions.add((function.name, function.arguments))
    obj = f"function {function.signature}"
    if spec.kind is not None:
        item.compare(obj, "kind", spec.kind, function.kind)
    if spec.returns is not None:
        same = spec.returns == function.returns or (
            function.returns is not None
            and bool(ctx.oracle.same_type(spec.returns, function.returns))
        )
        if not same:
            item.add(
                obj, "returns", "Return type differs", spec.returns, function.returns, ("returns",)
            )
    for aspect in ("language", "volatility", "parallel"):
        value = getattr(spec, aspect)
        if value is not None:
            item.compare(obj, aspect, value, getattr(function, aspect).lower())
    for aspect in ("security_definer", "strict", "leakproof", "owner"):
        value = getattr(spec, aspect)
        if value is not None:
            item.compare(obj, aspect, value, getattr(function, aspect))
    if declared(spec, "comment"):
        item.compare(obj, "comment", spec.comment, function.comment)
    if declared(spec, "search_path"):
        live = next(
            (c.partition("=")[2] for c in function.config if c.startswith("search_path=")), None
        )
        item.compare(
            obj,
            "search_path",
            _search_path(spec.search_path),
            _search_path(live),
            message="search_path not pinned" if live is None else "search_path differs",
        )
    sections = exhaustive_sections(
        None, _schema_exhaustive(dc, function.name.schema), dc.doc.exhaustive
    )
    if spec.grants is not None or "grants" in sections:
        compare_grants(
            item,
            obj,
            spec.grants,
            function.privileges,
            function.owner,
            "function",
            ctx.catalog.major_version,
            exhaustive="grants" in sections,
        )
