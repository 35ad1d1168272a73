"""What API roles can reach: SECURITY DEFINER functions, definer views, grants, extensions."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from psycopg import sql

from schemaprobe.introspect.model import Catalog, Function, QualifiedName, Table, View
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import function_name, is_plain_table, relation_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]

_NOT_CALLABLE = ("trigger", "event_trigger")
_WRITES = ("INSERT", "UPDATE", "DELETE")
EXTENSIONS_SCHEMA = "extensions"


def _definer_functions(catalog: Catalog) -> Iterator[Function]:
    for overloads in catalog.functions.values():
        for function in overloads:
            if function.security_definer and function.kind in ("function", "procedure"):
                yield function


def _keyword(function: Function) -> str:
    return "PROCEDURE" if function.kind == "procedure" else "FUNCTION"


def _search_path_unpinned(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for function in _definer_functions(catalog):
        if any(setting.startswith("search_path=") for setting in function.config):
            continue
        alter = (
            "ALTER PROCEDURE {} SET search_path = '';"
            if function.kind == "procedure"
            else "ALTER FUNCTION {} SET search_path = '';"
        )
        yield Violation(
            object=function_name(function),
            subject=function.name,
            path="config",
            expected="SET search_path pinned (e.g. search_path = '')",
            actual="search_path inherited from the caller",
            fix=_fix.template(alter, _fix.function_ref(function)),
        )


def _definer_executable(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for function in _definer_functions(catalog):
        if function.returns in _NOT_CALLABLE or not context.is_exposed(function.name.schema):
            continue
        holders = context.holders(function.privileges, "EXECUTE")
        if not holders:
            continue
        direct = context.direct_grantees(function.privileges, "EXECUTE")
        revoke = (
            "REVOKE EXECUTE ON PROCEDURE {} FROM {};"
            if function.kind == "procedure"
            else "REVOKE EXECUTE ON FUNCTION {} FROM {};"
        )
        yield Violation(
            object=function_name(function),
            subject=function.name,
            path="privileges",
            expected=f"EXECUTE not granted to {context.roles_text}",
            actual=f"EXECUTE held by {', '.join(holders)}"
            + (f" (granted to {', '.join(direct)})" if direct else " (through a role membership)"),
            fix=_fix.template(revoke, _fix.function_ref(function), _fix.grantees(direct))
            if direct
            else None,
        )


@lru_cache(maxsize=8192)
def relations_read(definition: str) -> tuple[QualifiedName, ...]:
    """Schema-qualified relations a view definition names (``pg_get_viewdef`` under
    ``search_path = pg_catalog`` qualifies every one); empty if it does not parse."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(definition, dialect="postgres")
    except SqlglotError:
        return ()
    return tuple(
        dict.fromkeys(QualifiedName(t.db, t.name) for t in tree.find_all(exp.Table) if t.db)
    )


def _rls_tables_behind(
    catalog: Catalog, view: View, seen: frozenset[QualifiedName] = frozenset()
) -> list[Table]:
    """RLS tables the view reads as its owner, through definer views in between."""
    found: list[Table] = []
    for name in relations_read(view.definition):
        table = catalog.tables.get(name)
        if table is not None and table.rls_enabled:
            found.append(table)
        inner = catalog.views.get(name)
        if inner is not None and not inner.security_invoker and name not in seen:
            found += _rls_tables_behind(catalog, inner, seen | {view.name})
    return found


def _definer_views(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for view in catalog.views.values():
        if view.kind != "view" or view.security_invoker:
            continue
        if not context.is_exposed(view.name.schema):
            continue
        holders = context.holders(view.privileges, "SELECT")
        if not holders:
            continue
        tables = sorted({str(t.name) for t in _rls_tables_behind(catalog, view)})
        if not tables:
            continue
        fix: str | None = None
        direct = context.direct_grantees(view.privileges, "SELECT")
        if catalog.major_version >= 15:
            fix = _fix.template(
                "ALTER VIEW {} SET (security_invoker = true);", view.name.identifier
            )
        elif direct:
            fix = _fix.template(
                "REVOKE SELECT ON {} FROM {};", view.name.identifier, _fix.grantees(direct)
            )
        yield Violation(
            object=relation_name("view", view.name),
            subject=view.name,
            path="security_invoker",
            expected="security_invoker = true (the caller's RLS applies)",
            actual=f"runs as its owner {view.owner} over RLS table(s) {', '.join(tables)}; "
            f"SELECT held by {', '.join(holders)}",
            fix=fix,
        )


def _extension_in_public(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for extension in catalog.extensions.values():
        if extension.schema != "public" or extension.name in context.profile_extensions:
            continue
        fix = None
        if extension.relocatable:
            fix = _fix.template(
                "CREATE SCHEMA IF NOT EXISTS {}; ALTER EXTENSION {} SET SCHEMA {};",
                sql.Identifier(EXTENSIONS_SCHEMA),
                sql.Identifier(extension.name),
                sql.Identifier(EXTENSIONS_SCHEMA),
            )
        yield Violation(
            object=f"extension {extension.name}",
            subject=QualifiedName(extension.schema, extension.name),
            path="schema",
            expected=f"installed in a schema of its own (e.g. {EXTENSIONS_SCHEMA})",
            actual="public" + ("" if extension.relocatable else " (not relocatable: reinstall)"),
            fix=fix,
        )


def _anon_writes(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    if "anon" not in context.api_roles:
        return
    for table in catalog.tables.values():
        if table.rls_enabled or not is_plain_table(table):
            continue
        if not context.is_exposed(table.name.schema):
            continue
        held = [p for p in _WRITES if "anon" in context.holders(table.privileges, p)]
        if not held:
            continue
        direct = sorted(
            {g for p in held for g in context.direct_grantees(table.privileges, p)},
            key=lambda g: (g != "PUBLIC", g),
        )
        fix = None
        if direct:
            fix = _fix.template(
                "REVOKE INSERT, UPDATE, DELETE ON {} FROM {};",
                table.name.identifier,
                _fix.grantees(tuple(direct)),
            )
        yield Violation(
            object=relation_name("table", table.name),
            subject=table.name,
            path="privileges",
            expected="no INSERT, UPDATE or DELETE for anon without row level security",
            actual=f"anon holds {', '.join(held)}; RLS disabled",
            fix=fix,
        )


RULES = (
    Rule(
        id="security-definer-search-path",
        title="SECURITY DEFINER function without a pinned search_path",
        severity="error",
        category="security",
        why="A SECURITY DEFINER function resolves names through its caller's search_path, so "
        "a caller who can create objects earlier on the path runs code with the owner's rights.",
        trigger="A SECURITY DEFINER function or procedure without SET search_path.",
        check=_search_path_unpinned,
    ),
    Rule(
        id="security-definer-executable-by-api",
        title="SECURITY DEFINER function executable by API roles",
        severity="warning",
        category="security",
        why="A SECURITY DEFINER function runs with its owner's rights and bypasses RLS; if "
        "anon or authenticated may execute it in an exposed schema, any API caller can.",
        trigger="A SECURITY DEFINER function in an exposed schema (not a trigger function) "
        "whose EXECUTE reaches anon or authenticated (directly, via PUBLIC or a membership).",
        check=_definer_executable,
    ),
    Rule(
        id="security-definer-view",
        title="View over RLS tables without security_invoker",
        severity="error",
        category="security",
        why="A view without security_invoker reads its tables as the view's owner, so the "
        "row level security of those tables does not apply to the API roles reading the view.",
        trigger="A view in an exposed schema, SELECT reaching anon or authenticated, "
        "security_invoker off, reading (directly or through such views) a table with RLS.",
        check=_definer_views,
    ),
    Rule(
        id="extension-in-public",
        title="Extension installed in public",
        severity="warning",
        category="security",
        why="Objects of an extension in public are exposed through the API with the "
        "application's tables and can shadow or be shadowed by them.",
        trigger="An extension whose schema is public.",
        check=_extension_in_public,
    ),
    Rule(
        id="anon-write-grant",
        title="Anonymous write access without RLS",
        severity="error",
        category="security",
        why="anon is whoever holds the public API key; INSERT, UPDATE or DELETE on a table "
        "without row level security lets any visitor change any row.",
        trigger="A table in an exposed schema with RLS disabled on which anon holds INSERT, "
        "UPDATE or DELETE (directly, via PUBLIC or a membership).",
        check=_anon_writes,
    ),
)
