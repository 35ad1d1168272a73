"""Who the application runs as: table owners RLS does not bind, privileged roles in reach.

Role membership is read from the catalog (``Role.memberships``); nothing here asks the
server. Two ways of "reaching" a role are used, as PostgreSQL itself distinguishes them:

- *acting as its owner*: a role has the privileges of the roles it inherits from
  (INHERIT memberships, transitively), and for row level security a role with the
  owner's privileges is the owner (``has_privs_of_role``), so RLS does not apply to it
  unless the table FORCEs it;
- *becoming it*: any membership that grants INHERIT, SET (``SET ROLE``) or ADMIN (which
  lets the member grant the role to itself) is a way in. Before PostgreSQL 16 every
  membership allows ``SET ROLE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from psycopg import sql

from schemaprobe.introspect.model import Catalog, Membership, Role, Table, quote_ident
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import is_plain_table, relation_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["PLATFORM_ADMIN_ROLES", "RULES", "application_roles"]

# Roles a hosting platform or its tooling connects as to administer the database (the
# postgres role, Supabase's service roles, the admin roles of RDS, Cloud SQL, Azure): they
# own tables, but the application does not run as them.
PLATFORM_ADMIN_ROLES = frozenset(
    {
        "postgres",
        "supabase_admin",
        "supabase_auth_admin",
        "supabase_storage_admin",
        "supabase_functions_admin",
        "supabase_realtime_admin",
        "supabase_replication_admin",
        "supabase_etl_admin",
        "supabase_read_only_user",
        "dashboard_user",
        "rdsadmin",
        "rds_superuser",
        "cloudsqladmin",
        "cloudsqlsuperuser",
        "azure_pg_admin",
        "azuresu",
    }
)


def _privileged(role: Role | None) -> bool:
    return role is not None and (role.superuser or role.bypassrls)


def _inherits(role: Role, membership: Membership) -> bool:
    """Whether ``role`` has the privileges of ``membership.role`` without SET ROLE: the
    grant's INHERIT option (PostgreSQL 16+), else the member's own INHERIT attribute."""
    return membership.inherit if membership.inherit is not None else role.inherit


def _can_act_as(membership: Membership) -> bool:
    return membership.inherit is not False or membership.set is not False or membership.admin


def _privileges_of(catalog: Catalog, names: Iterable[str]) -> dict[str, str]:
    """Every role whose privileges one of ``names`` has (each of ``names`` included),
    mapped to the nearest of ``names`` that has them (breadth first from all at once)."""
    found = {name: name for name in names}
    queue = list(found)
    for name in queue:  # the list grows while it is walked
        role = catalog.roles.get(name)
        if role is None:
            continue
        for membership in role.memberships:
            if membership.role not in found and _inherits(role, membership):
                found[membership.role] = found[name]
                queue.append(membership.role)
    return found


def _configured_roles(context: RuleContext) -> list[str] | None:
    roles: list[str] | None = getattr(context.config, "roles", None)
    return roles or None


def application_roles(catalog: Catalog, context: RuleContext) -> dict[str, str]:
    """The roles the application runs as, each with why it counts.

    The spec's ``roles:`` for the rule, when given, names them. Otherwise: the API roles
    (anon, authenticated) and every role that can log in and is neither superuser,
    BYPASSRLS nor a platform's admin role (:data:`PLATFORM_ADMIN_ROLES`).
    """
    named = _configured_roles(context)
    if named is not None:
        return {name: "named in the rule's roles" for name in named}
    found = {name: "an API role" for name in context.api_roles}
    for role in sorted(catalog.roles.values(), key=lambda r: r.name):
        if role.login and not _privileged(role) and role.name not in PLATFORM_ADMIN_ROLES:
            found.setdefault(role.name, "can log in, neither superuser nor BYPASSRLS")
    return found


def _rls_not_forced(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    candidates = [t for t in catalog.tables.values() if t.rls_enabled and not t.rls_forced]
    if not candidates:
        return
    roles = application_roles(catalog, context)
    # SUPERUSER and BYPASSRLS skip RLS even where it is forced: nothing to fix by FORCE
    actors = [name for name in roles if not _privileged(catalog.roles.get(name))]
    acting = _privileges_of(catalog, actors)
    for table in candidates:
        actor = acting.get(table.owner)
        if actor is None or not is_plain_table(table):
            continue
        yield Violation(
            object=relation_name("table", table.name),
            subject=table.name,
            path="rls_forced",
            expected="row level security forced (it binds the owner too)",
            actual=f"not forced; {_owner_text(table, actor, roles[actor])}",
            fix=_fix.template("ALTER TABLE {} FORCE ROW LEVEL SECURITY;", table.name.identifier),
        )


def _owner_text(table: Table, actor: str, why: str) -> str:
    owner = quote_ident(table.owner)
    if actor == table.owner:
        return f"owner {owner} is an application role ({why})"
    return (
        f"owner {owner}'s privileges are inherited by application role {quote_ident(actor)} ({why})"
    )


def _reachable(catalog: Catalog, start: str) -> dict[str, tuple[str, ...]]:
    """Roles ``start`` can become or act as, each with the shortest membership path."""
    paths: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = [start]
    for name in queue:  # breadth first: the list grows while it is walked
        role = catalog.roles.get(name)
        if role is None:
            continue
        for membership in sorted(role.memberships):
            if membership.role in paths or not _can_act_as(membership):
                continue
            paths[membership.role] = (*paths[name], membership.role)
            queue.append(membership.role)
    return paths


def _attributes(role: Role) -> str:
    return " and ".join(
        a for a, on in (("SUPERUSER", role.superuser), ("BYPASSRLS", role.bypassrls)) if on
    )


def _revoked(role: Role) -> sql.Composable:
    """``NOSUPERUSER NOBYPASSRLS``: the attributes to take away."""
    words = [("NOSUPERUSER", role.superuser), ("NOBYPASSRLS", role.bypassrls)]
    return sql.SQL(" ").join(sql.SQL(word) for word, on in words if on)


def _api_roles(catalog: Catalog, context: RuleContext) -> list[str]:
    named = _configured_roles(context)
    return (
        [r for r in named if r in catalog.roles] if named is not None else list(context.api_roles)
    )


def _privileged_in_reach(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for api_role in _api_roles(catalog, context):
        role = catalog.roles[api_role]
        if _privileged(role):
            yield Violation(
                object=f"role {quote_ident(api_role)}",
                subject=None,
                path="attributes",
                expected="an API role without SUPERUSER or BYPASSRLS",
                actual=_attributes(role),
                fix=_fix.template("ALTER ROLE {} {};", sql.Identifier(api_role), _revoked(role)),
            )
        for target, path in _reachable(catalog, api_role).items():
            reached = catalog.roles.get(target)
            if target == api_role or reached is None or not _privileged(reached):
                continue
            yield Violation(
                object=f"role {quote_ident(api_role)} reaching {quote_ident(target)}",
                subject=None,
                path="memberships",
                expected=f"no SUPERUSER or BYPASSRLS role within reach of {api_role}",
                actual=f"{target} ({_attributes(reached)}) through "
                + " -> ".join(quote_ident(p) for p in path),
                # cut the API role's own membership on the path (another may remain: the
                # next run then reports that one)
                fix=_fix.template(
                    "REVOKE {} FROM {};", sql.Identifier(path[1]), sql.Identifier(api_role)
                ),
            )


RULES = (
    Rule(
        id="rls-not-forced-for-app-owner",
        title="RLS not forced on a table the application owns",
        severity="warning",
        category="security",
        why="Row level security does not apply to a table's owner (or a role with the "
        "owner's privileges) unless it is forced, so an application that connects as the "
        "owner reads and writes every row whatever the policies say.",
        trigger="A table with RLS enabled but not forced whose owner is an application role "
        "or has its privileges inherited by one: the spec's roles, else the API roles and "
        "every role that can log in and is neither superuser, BYPASSRLS nor a platform "
        "admin role (postgres, supabase_admin, ...).",
        check=_rls_not_forced,
    ),
    Rule(
        id="api-role-reaches-privileged-role",
        title="API traffic can reach a SUPERUSER or BYPASSRLS role",
        severity="error",
        category="security",
        why="A role API callers run as that can become, or use the privileges of, a "
        "SUPERUSER or BYPASSRLS role is one SET ROLE away from every row of every table.",
        trigger="An API role (anon, authenticated; or the rule's roles) that is itself "
        "SUPERUSER or BYPASSRLS, or is a member, directly or through other roles, with "
        "INHERIT, SET or ADMIN, of a role that is.",
        check=_privileged_in_reach,
    ),
)
