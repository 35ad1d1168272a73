"""What the API serves beyond tables with RLS: materialized views, foreign tables, auth.users.

None of these can have row level security, so whatever an API role may SELECT from them
in an exposed schema, every API caller reads in full.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemaprobe.introspect.model import Catalog, Privilege, QualifiedName
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import relation_name
from schemaprobe.rules.access import relations_read
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]

AUTH_USERS = QualifiedName("auth", "users")


def _revoke(
    name: QualifiedName, privileges: tuple[Privilege, ...], context: RuleContext
) -> str | None:
    direct = context.direct_grantees(privileges, "SELECT")
    if not direct:
        return None
    return _fix.template("REVOKE SELECT ON {} FROM {};", name.identifier, _fix.grantees(direct))


def _readable(
    kind: str, name: QualifiedName, privileges: tuple[Privilege, ...], context: RuleContext
) -> Violation | None:
    if not context.is_exposed(name.schema):
        return None
    holders = context.holders(privileges, "SELECT")
    if not holders:
        return None
    return Violation(
        object=relation_name(kind, name),
        subject=name,
        path="privileges",
        expected=f"SELECT not granted to {context.roles_text} (no RLS can guard a {kind})",
        actual=f"SELECT held by {', '.join(holders)}",
        fix=_revoke(name, privileges, context),
    )


def _materialized_views(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for view in catalog.views.values():
        if view.kind == "materialized view":
            found = _readable("materialized view", view.name, view.privileges, context)
            if found is not None:
                yield found


def _foreign_tables(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if table.kind == "foreign table":
            found = _readable("foreign table", table.name, table.privileges, context)
            if found is not None:
                yield found


def _auth_users_views(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for view in catalog.views.values():
        if AUTH_USERS not in relations_read(view.definition):
            continue
        if not context.is_exposed(view.name.schema):
            continue
        holders = context.holders(view.privileges, "SELECT")
        if not holders:
            continue
        yield Violation(
            object=relation_name(view.kind, view.name),
            subject=view.name,
            path="definition",
            expected=f"auth.users not readable by {context.roles_text} through a view",
            actual=f"reads auth.users; SELECT held by {', '.join(holders)}",
            fix=_revoke(view.name, view.privileges, context),
        )


RULES = (
    Rule(
        id="materialized-view-in-api",
        title="Materialized view readable by API roles",
        severity="warning",
        category="security",
        why="A materialized view has no row level security, so an API role that may SELECT "
        "it reads every row it stores, whatever the policies of the tables it came from.",
        trigger="A materialized view in an exposed schema whose SELECT reaches anon or "
        "authenticated.",
        check=_materialized_views,
    ),
    Rule(
        id="foreign-table-in-api",
        title="Foreign table readable by API roles",
        severity="warning",
        category="security",
        why="A foreign table has no row level security, so an API role that may SELECT it "
        "reads every row of the remote source.",
        trigger="A foreign table in an exposed schema whose SELECT reaches anon or authenticated.",
        check=_foreign_tables,
    ),
    Rule(
        id="auth-users-exposed",
        title="auth.users exposed through a view",
        severity="error",
        category="security",
        why="auth.users holds every user's email, phone and metadata; a view over it in an "
        "exposed schema hands them to API callers.",
        trigger="A view or materialized view in an exposed schema that reads auth.users and "
        "whose SELECT reaches anon or authenticated.",
        check=_auth_users_views,
    ),
)
