"""Which schemas the API exposes and which roles API traffic runs as: the rules' context.

Supabase (PostgREST) serves the schemas in its ``db-schemas`` setting as the roles
``anon`` (no login) and ``authenticated`` (any signed-in user). That setting lives
outside the database, so schemaprobe never guesses it silently: the exposed schemas are
either given (``--exposed-schema``, the spec) or derived from what the database itself
says, namely the schemas on which an API role was granted ``USAGE`` (directly or through
a role it is a member of). ``USAGE`` for ``PUBLIC`` does not count: every database
grants it on ``public`` by default, which says nothing about what an API serves.
:attr:`RuleContext.note` says which it was, and the CLI prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from schemaprobe.introspect.model import PUBLIC, Catalog, Privilege

if TYPE_CHECKING:
    from schemaprobe.spec.model import RuleSpec

__all__ = ["API_ROLES", "PROFILE_EXTENSIONS", "RuleContext", "context_for"]

API_ROLES = ("anon", "authenticated")

# What a compatibility profile itself puts where a rule would object: the Supabase
# profile installs uuid-ossp into public on purpose (see provision/sql/supabase.sql), so
# a database provisioned with it would always "have" an extension in public.
PROFILE_EXTENSIONS: dict[str, frozenset[str]] = {"supabase": frozenset({"uuid-ossp"})}


@dataclass(frozen=True)
class RuleContext:
    """What rules may assume beyond the catalog.

    ``exposed_schemas``: schemas the API serves. ``api_roles``: the API roles that exist
    in the database (a subset of :data:`API_ROLES`). ``derived``: whether the schemas were
    derived from grants rather than given. ``note``: one line saying so.
    """

    exposed_schemas: frozenset[str]
    api_roles: tuple[str, ...]
    derived: bool
    note: str
    # extensions a compatibility profile installed itself (not the project's choice)
    profile_extensions: frozenset[str] = frozenset()
    # role -> itself and every role it inherits privileges from (memberships, transitively)
    _reach: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    # the spec's settings for the rule being run (``rules: {<id>: ...}``); convention
    # templates read their parameters here, other rules may read options such as
    # ``owner_columns``. ``None``: run without a spec (lint) or with defaults.
    config: RuleSpec | None = field(default=None, compare=False)
    # audit mode: the database is a deployed one whose usage statistics mean something
    audit: bool = False

    def is_exposed(self, schema: str) -> bool:
        return schema in self.exposed_schemas

    def holders(
        self, privileges: Iterable[Privilege], privilege: str, *, via_public: bool = True
    ) -> tuple[str, ...]:
        """The API roles that hold ``privilege`` through these grants, in API_ROLES order.

        A grant to ``PUBLIC`` reaches every API role (unless ``via_public`` is false); a
        grant to a role an API role is a member of (with INHERIT) reaches it too, as
        ``has_*_privilege`` would say.
        """
        grantees = {p.grantee for p in privileges if p.privilege == privilege}
        if not grantees:
            return ()
        if via_public and PUBLIC in grantees:
            return self.api_roles
        return tuple(r for r in self.api_roles if self._reach.get(r, frozenset({r})) & grantees)

    def direct_grantees(self, privileges: Iterable[Privilege], privilege: str) -> tuple[str, ...]:
        """Who the grants name for ``privilege`` among PUBLIC and the API roles (what a
        REVOKE has to name), sorted with PUBLIC first."""
        wanted = {PUBLIC, *self.api_roles}
        found = {p.grantee for p in privileges if p.privilege == privilege and p.grantee in wanted}
        return tuple(sorted(found, key=lambda g: (g != PUBLIC, g)))

    @cached_property
    def roles_text(self) -> str:
        return ", ".join(self.api_roles) or "none"


def _reach(catalog: Catalog, role: str) -> frozenset[str]:
    """``role`` and the roles whose privileges it uses (inherited memberships)."""
    seen = {role}
    todo = [role]
    while todo:
        current = catalog.roles.get(todo.pop())
        if current is None or not current.inherit:
            continue
        for membership in current.memberships:
            if membership.inherit is False or membership.role in seen:
                continue
            seen.add(membership.role)
            todo.append(membership.role)
    return frozenset(seen)


def context_for(
    catalog: Catalog,
    exposed_schemas: Sequence[str] | None = None,
    profile: str | None = None,
    *,
    api_roles: Sequence[str] = API_ROLES,
    audit: bool = False,
) -> RuleContext:
    """The context for ``catalog``: the given exposed schemas, or derived ones (and why);
    ``profile`` is the compatibility layer the database was provisioned with, if any;
    ``api_roles`` the roles API traffic runs as (those that exist count)."""
    api_roles = tuple(r for r in api_roles if r in catalog.roles)
    reach = {role: _reach(catalog, role) for role in api_roles}
    extensions = PROFILE_EXTENSIONS.get(profile or "", frozenset())
    if exposed_schemas is not None:
        schemas = frozenset(exposed_schemas)
        note = f"exposed schemas (given): {', '.join(sorted(schemas)) or 'none'}"
        return RuleContext(schemas, api_roles, False, note, extensions, reach, audit=audit)
    if not api_roles:
        note = (
            f"exposed schemas: none (no API role {' or '.join(API_ROLES)} in the database; "
            "name them with --exposed-schema)"
        )
        return RuleContext(frozenset(), api_roles, True, note, extensions, reach, audit=audit)
    probe = RuleContext(frozenset(), api_roles, True, "", extensions, reach)
    schemas = frozenset(
        name
        for name, schema in catalog.schemas.items()
        if probe.holders(schema.privileges, "USAGE", via_public=False)
    )
    note = (
        f"exposed schemas (derived from USAGE granted to {', '.join(api_roles)}): "
        f"{', '.join(sorted(schemas)) or 'none'}; override with --exposed-schema"
    )
    return RuleContext(schemas, api_roles, True, note, extensions, reach, audit=audit)
