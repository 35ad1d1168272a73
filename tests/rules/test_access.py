"""What API roles reach: SECURITY DEFINER functions, definer views, anon writes, extensions."""

from __future__ import annotations

import pytest

from tests.rules._lint import apply_fixes, catalog_of, findings, objects, reread

FUNCTIONS = """
CREATE FUNCTION public."Grant Me"(who uuid, n integer) RETURNS int
    LANGUAGE sql SECURITY DEFINER AS 'select 1';
CREATE FUNCTION public.pinned() RETURNS int
    LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'select 1';
CREATE FUNCTION public.invoker() RETURNS int LANGUAGE sql AS 'select 1';
CREATE SCHEMA internal;
CREATE FUNCTION internal.hidden() RETURNS int
    LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'select 1';
CREATE FUNCTION public.stamp() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS 'begin return new; end';
"""


def test_security_definer_without_search_path(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, FUNCTIONS)
    (finding,) = findings(catalog, "security-definer-search-path")
    assert finding.object == 'function public."Grant Me"(who uuid, n integer)'
    assert finding.fix == (
        """ALTER FUNCTION "public"."Grant Me"(who uuid, n integer) SET search_path = '';"""
    )
    apply_fixes(scratch_dsn, [finding.fix])
    assert findings(reread(scratch_dsn), "security-definer-search-path") == []


def test_security_definer_executable_by_api_roles(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, FUNCTIONS)
    found = {f.object: f for f in findings(catalog, "security-definer-executable-by-api")}
    # invoker functions, trigger functions and unexposed schemas are not flagged
    assert sorted(found) == [
        'function public."Grant Me"(who uuid, n integer)',
        "function public.pinned()",
    ]
    pinned = found["function public.pinned()"]
    assert pinned.actual == (
        "EXECUTE held by anon, authenticated (granted to PUBLIC, anon, authenticated)"
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "security-definer-executable-by-api") == []


VIEWS = """
CREATE TABLE public.secrets (id int PRIMARY KEY, owner_id uuid);
ALTER TABLE public.secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON public.secrets USING (owner_id = (select auth.uid()));
CREATE TABLE public.plain (id int PRIMARY KEY);
CREATE VIEW public."Secret Feed" AS SELECT id FROM public.secrets;
CREATE VIEW public.stacked AS SELECT id FROM public."Secret Feed";
CREATE VIEW public.plain_feed AS SELECT id FROM public.plain;
CREATE VIEW public.unreachable AS SELECT id FROM public.secrets;
REVOKE ALL ON public.unreachable FROM anon, authenticated;
"""


@pytest.mark.pg(">= 15")
def test_views_over_rls_tables_without_security_invoker(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        VIEWS + "CREATE VIEW public.invoker WITH (security_invoker = true)"
        " AS SELECT id FROM public.secrets;",
    )
    found = {f.object: f for f in findings(catalog, "security-definer-view")}
    # plain_feed reads no RLS table; unreachable is granted to no API role
    assert sorted(found) == ['view public."Secret Feed"', "view public.stacked"]
    assert found["view public.stacked"].actual is not None
    assert "over RLS table(s) public.secrets" in found["view public.stacked"].actual
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "security-definer-view") == []


def test_anon_write_grant_only_where_rls_does_not_guard(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        VIEWS
        + """
        CREATE TABLE public.read_only (id int PRIMARY KEY);
        REVOKE INSERT, UPDATE, DELETE ON public.read_only FROM anon;
        """,
    )
    found = {f.object: f for f in findings(catalog, "anon-write-grant")}
    # secrets has RLS; read_only grants anon nothing to write
    assert sorted(found) == ["table public.plain"]
    assert found["table public.plain"].actual == "anon holds INSERT, UPDATE, DELETE; RLS disabled"
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "anon-write-grant") == []


def test_extension_in_public(scratch_dsn: str) -> None:
    # citext is relocatable and available on every test server (tests/snapshot uses it);
    # the Supabase profile's own uuid-ossp in public is not the project's choice.
    catalog = catalog_of(scratch_dsn, "CREATE EXTENSION citext SCHEMA public;")
    (finding,) = findings(catalog, "extension-in-public")
    assert finding.object == "extension citext"
    apply_fixes(scratch_dsn, [finding.fix])
    catalog = reread(scratch_dsn)
    assert catalog.extensions["citext"].schema == "extensions"
    assert objects(catalog, "extension-in-public") == []
