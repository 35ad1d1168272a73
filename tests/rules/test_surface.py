"""What the API serves without RLS: materialized views, foreign tables, auth.users views."""

from __future__ import annotations

from tests.rules._lint import apply_fixes, catalog_of, findings, reread

SCHEMA = """
CREATE TABLE public.scores (id int PRIMARY KEY, points int);
CREATE MATERIALIZED VIEW public."Top Scores" AS SELECT id, points FROM public.scores;
CREATE MATERIALIZED VIEW public.private_totals AS SELECT sum(points) FROM public.scores;
REVOKE ALL ON public.private_totals FROM anon, authenticated;
CREATE SCHEMA internal;
CREATE MATERIALIZED VIEW internal.totals AS SELECT sum(points) FROM public.scores;
GRANT USAGE ON SCHEMA internal TO service_role;
GRANT SELECT ON internal.totals TO anon;
"""


def test_materialized_views_readable_by_api_roles(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    found = {f.object: f for f in findings(catalog, "materialized-view-in-api")}
    # revoked, or in a schema the API roles cannot use: not flagged
    assert sorted(found) == ['materialized view public."Top Scores"']
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "materialized-view-in-api") == []


def test_foreign_tables_readable_by_api_roles(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE EXTENSION file_fdw;
        CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
        CREATE FOREIGN TABLE public.far (a integer) SERVER files OPTIONS (filename '/dev/null');
        CREATE FOREIGN TABLE public.hidden (a integer) SERVER files
            OPTIONS (filename '/dev/null');
        REVOKE ALL ON public.hidden FROM anon, authenticated;
        """,
    )
    found = {f.object: f for f in findings(catalog, "foreign-table-in-api")}
    assert sorted(found) == ["foreign table public.far"]
    assert found["foreign table public.far"].actual == "SELECT held by anon, authenticated"
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "foreign-table-in-api") == []


def test_views_over_auth_users(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE VIEW public.members AS SELECT id, email FROM auth.users;
        CREATE VIEW public.member_ids AS SELECT id FROM auth.users;
        REVOKE ALL ON public.member_ids FROM anon, authenticated;
        CREATE TABLE public.profiles (id uuid PRIMARY KEY);
        CREATE VIEW public.profile_ids AS SELECT id FROM public.profiles;
        """,
    )
    found = {f.object: f for f in findings(catalog, "auth-users-exposed")}
    assert sorted(found) == ["view public.members"]
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "auth-users-exposed") == []
