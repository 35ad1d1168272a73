"""Who the application runs as: RLS not forced on its tables, privileged roles in reach.

Roles are cluster-wide: each test makes its own (random suffix, dropped after the test's
database) and never changes anon or authenticated, which other tests share; an API role
of the test's own stands in for them through the rule context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from psycopg import sql

from schemaprobe.introspect.model import Catalog
from schemaprobe.rules import context_for
from schemaprobe.rules._model import Violation
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.registry import rule_by_id
from schemaprobe.spec.model import RuleSpec
from tests.introspect.helpers import Roles
from tests.rules._lint import apply_fixes, catalog_of, findings, reread

NOT_FORCED = "rls-not-forced-for-app-owner"
REACHES = "api-role-reaches-privileged-role"


@pytest.fixture
def roles(server_dsn: str) -> Iterator[Roles]:
    made = Roles(server_dsn)
    yield made
    made.drop_all()


def _ddl(text: str, **names: str) -> str:
    """``text`` with ``{name}`` placeholders filled by quoted identifiers."""
    identifiers = {k: sql.Identifier(v) for k, v in names.items()}
    return sql.SQL(text).format(**identifiers).as_string()  # type: ignore[arg-type,unused-ignore]


def _check(rule_id: str, catalog: Catalog, context: RuleContext) -> list[Violation]:
    return sorted(rule_by_id(rule_id).check(catalog, context), key=lambda v: v.object)


OWNED = """
CREATE TABLE public.notes (id int PRIMARY KEY, user_id uuid);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON public.notes USING (user_id = (select auth.uid()));
ALTER TABLE public.notes OWNER TO {app};
CREATE TABLE public.forced (id int PRIMARY KEY);
ALTER TABLE public.forced ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE public.forced OWNER TO {app};
CREATE TABLE public.no_rls (id int PRIMARY KEY);
ALTER TABLE public.no_rls OWNER TO {app};
CREATE TABLE public.admin_owned (id int PRIMARY KEY);
ALTER TABLE public.admin_owned ENABLE ROW LEVEL SECURITY;
CREATE TABLE public.bypass_owned (id int PRIMARY KEY);
ALTER TABLE public.bypass_owned ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.bypass_owned OWNER TO {bypasser};
CREATE TABLE public.group_owned (id int PRIMARY KEY);
ALTER TABLE public.group_owned ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.group_owned OWNER TO {owners};
GRANT {owners} TO {app};
CREATE TABLE public.shelved (id int PRIMARY KEY);
ALTER TABLE public.shelved ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.shelved OWNER TO {shelf};
GRANT {shelf} TO {noinherit};
GRANT {app} TO {early};
"""


def _owned(roles: Roles) -> dict[str, str]:
    return {
        "app": roles.make("app", "LOGIN"),
        "bypasser": roles.make("bypasser", "LOGIN BYPASSRLS"),
        "owners": roles.make("owners"),
        "shelf": roles.make("shelf"),
        "noinherit": roles.make("noinherit", "LOGIN NOINHERIT"),
        # a login role that inherits app's privileges and sorts first: app still owns
        # its tables as an application role itself, not through early
        "early": roles.make("aaa", "LOGIN"),
    }


def test_rls_not_forced_where_an_application_role_owns_or_inherits_the_table(
    roles: Roles, scratch_dsn: str
) -> None:
    names = _owned(roles)
    catalog = catalog_of(scratch_dsn, _ddl(OWNED, **names))
    found = {f.object: f for f in findings(catalog, NOT_FORCED)}
    # forced, without RLS, owned by the (superuser) test role, by a BYPASSRLS role that
    # FORCE would not bind, or by a role its only member does not inherit: not flagged
    assert sorted(found) == ["table public.group_owned", "table public.notes"]
    notes = found["table public.notes"]
    assert notes.severity == "warning"
    assert notes.actual == (
        f"not forced; owner {names['app']} is an application role "
        "(can log in, neither superuser nor BYPASSRLS)"
    )
    assert notes.fix == 'ALTER TABLE "public"."notes" FORCE ROW LEVEL SECURITY;'
    assert found["table public.group_owned"].actual == (
        f"not forced; owner {names['owners']}'s privileges are inherited by application "
        f"role {names['app']} (can log in, neither superuser nor BYPASSRLS)"
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), NOT_FORCED) == []


def test_the_rules_roles_name_the_application_roles(roles: Roles, scratch_dsn: str) -> None:
    names = _owned(roles)
    catalog = catalog_of(scratch_dsn, _ddl(OWNED, **names))
    context = replace(
        context_for(catalog, profile="supabase"),
        config=RuleSpec.model_validate({"roles": [names["shelf"]]}),
    )
    # named: the NOLOGIN shelf role counts, the LOGIN app role no longer does
    (violation,) = _check(NOT_FORCED, catalog, context)
    assert violation.object == "table public.shelved"
    assert violation.actual == (
        f"not forced; owner {names['shelf']} is an application role (named in the rule's roles)"
    )


def test_a_table_owned_by_an_api_role_is_an_application_table(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.feed (id int PRIMARY KEY);
        ALTER TABLE public.feed ENABLE ROW LEVEL SECURITY;
        ALTER TABLE public.feed OWNER TO authenticated;
        """,
    )
    (finding,) = findings(catalog, NOT_FORCED)
    assert finding.actual == "not forced; owner authenticated is an application role (an API role)"


def test_the_supabase_layer_alone_reaches_no_privileged_role(scratch_dsn: str) -> None:
    # service_role has BYPASSRLS by design; only authenticator (not an API role) is its member
    catalog = catalog_of(scratch_dsn, "SELECT 1;")
    assert catalog.roles["service_role"].bypassrls
    assert findings(catalog, REACHES) == []


def _api_context(catalog: Catalog, *api_roles: str) -> RuleContext:
    return replace(context_for(catalog), api_roles=api_roles)


def test_api_roles_reaching_bypassrls_or_superuser_roles(roles: Roles, scratch_dsn: str) -> None:
    api = roles.make("api")
    mid = roles.make("mid")
    boss = roles.make("boss", "NOLOGIN BYPASSRLS")
    chief = roles.make("chief", "NOLOGIN SUPERUSER")
    harmless = roles.make("harmless")
    ddl = "GRANT {mid} TO {api}; GRANT {boss} TO {mid}; GRANT {chief} TO {api};"
    ddl += "GRANT {harmless} TO {api};"
    names = {"api": api, "mid": mid, "boss": boss, "chief": chief, "harmless": harmless}
    catalog = catalog_of(scratch_dsn, _ddl(ddl, **names), supabase=False)
    found = _check(REACHES, catalog, _api_context(catalog, api))
    assert [(v.object, v.actual) for v in found] == [
        (f"role {api} reaching {boss}", f"{boss} (BYPASSRLS) through {api} -> {mid} -> {boss}"),
        (f"role {api} reaching {chief}", f"{chief} (SUPERUSER) through {api} -> {chief}"),
    ]
    assert {v.subject for v in found} == {None}  # roles are in no schema
    assert [v.fix for v in found] == [
        f'REVOKE "{mid}" FROM "{api}";',
        f'REVOKE "{chief}" FROM "{api}";',
    ]
    apply_fixes(scratch_dsn, [v.fix for v in found])
    after = reread(scratch_dsn, supabase=False)
    assert _check(REACHES, after, _api_context(after, api)) == []


def test_an_api_role_that_is_itself_bypassrls(roles: Roles, scratch_dsn: str) -> None:
    api = roles.make("api", "NOLOGIN BYPASSRLS")
    catalog = catalog_of(scratch_dsn, "SELECT 1;", supabase=False)
    (violation,) = _check(REACHES, catalog, _api_context(catalog, api))
    assert (violation.object, violation.actual) == (f"role {api}", "BYPASSRLS")
    assert violation.fix == f'ALTER ROLE "{api}" NOBYPASSRLS;'
    apply_fixes(scratch_dsn, [violation.fix])
    after = reread(scratch_dsn, supabase=False)
    assert _check(REACHES, after, _api_context(after, api)) == []


def test_the_rules_roles_replace_the_api_roles(roles: Roles, scratch_dsn: str) -> None:
    api = roles.make("api")
    boss = roles.make("boss", "NOLOGIN BYPASSRLS")
    catalog = catalog_of(scratch_dsn, _ddl("GRANT {boss} TO {api};", api=api, boss=boss))
    assert findings(catalog, REACHES) == []  # anon and authenticated reach nothing
    context = replace(
        context_for(catalog), config=RuleSpec.model_validate({"roles": [api, "no such role"]})
    )
    assert [v.object for v in _check(REACHES, context=context, catalog=catalog)] == [
        f"role {api} reaching {boss}"
    ]


@pytest.mark.pg(">= 16")
def test_set_alone_is_enough_and_a_membership_without_options_is_not(
    roles: Roles, scratch_dsn: str
) -> None:
    api = roles.make("api")
    boss = roles.make("boss", "NOLOGIN BYPASSRLS")
    chief = roles.make("chief", "NOLOGIN SUPERUSER")
    ddl = (
        "GRANT {boss} TO {api} WITH INHERIT FALSE, SET TRUE;"
        "GRANT {chief} TO {api} WITH INHERIT FALSE, SET FALSE;"
    )
    catalog = catalog_of(scratch_dsn, _ddl(ddl, api=api, boss=boss, chief=chief), supabase=False)
    found = _check(REACHES, catalog, _api_context(catalog, api))
    assert [v.object for v in found] == [f"role {api} reaching {boss}"]
