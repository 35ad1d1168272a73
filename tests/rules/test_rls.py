"""RLS switched on: disabled in an exposed schema, policies ignored, no policy at all."""

from __future__ import annotations

from tests.rules._lint import apply_fixes, catalog_of, findings, objects, reread

SCHEMA = """
CREATE TABLE public."Open Notes" (id int PRIMARY KEY, body text);
CREATE TABLE public.guarded (id int PRIMARY KEY, owner_id uuid);
ALTER TABLE public.guarded ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Own rows" ON public.guarded USING (owner_id = (select auth.uid()));
CREATE SCHEMA private;
CREATE TABLE private.jobs (id int PRIMARY KEY);
"""


def test_rls_disabled_in_exposed_schema_names_only_the_open_table(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    (finding,) = findings(catalog, "rls-disabled-in-exposed-schema")
    assert finding.object == 'table public."Open Notes"'
    assert finding.kind == "rule"
    assert finding.severity == "error"
    assert finding.key == 'rls-disabled-in-exposed-schema::table public."Open Notes"'
    assert finding.actual is not None and "SELECT to anon, authenticated" in finding.actual
    assert finding.fix == 'ALTER TABLE "public"."Open Notes" ENABLE ROW LEVEL SECURITY;'
    apply_fixes(scratch_dsn, [finding.fix])
    assert findings(reread(scratch_dsn), "rls-disabled-in-exposed-schema") == []


def test_a_schema_the_api_roles_cannot_use_is_not_exposed(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    assert "table private.jobs" not in objects(catalog, "rls-disabled-in-exposed-schema")
    # ... unless it is declared exposed
    assert objects(catalog, "rls-disabled-in-exposed-schema", exposed=["private"]) == [
        "table private.jobs"
    ]


def test_without_usage_granted_to_api_roles_nothing_is_exposed(scratch_dsn: str) -> None:
    # public's default USAGE for PUBLIC says nothing about what an API serves
    catalog = catalog_of(scratch_dsn, "CREATE TABLE t (id int PRIMARY KEY);", supabase=False)
    assert objects(catalog, "rls-disabled-in-exposed-schema") == []
    assert objects(catalog, "rls-disabled-in-exposed-schema", exposed=["public"]) == [
        "table public.t"
    ]


def test_policies_without_rls(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        SCHEMA + "CREATE POLICY p ON private.jobs USING (true);",
    )
    (finding,) = findings(catalog, "policies-without-rls")
    assert finding.object == "table private.jobs"  # any schema, exposed or not
    assert finding.actual == "disabled, with 1 policies: p"
    apply_fixes(scratch_dsn, [finding.fix])
    assert findings(reread(scratch_dsn), "policies-without-rls") == []


def test_rls_enabled_without_policy_is_info_without_fix(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn, SCHEMA + "ALTER TABLE private.jobs ENABLE ROW LEVEL SECURITY;"
    )
    (finding,) = findings(catalog, "rls-enabled-no-policy")
    assert finding.object == "table private.jobs"  # guarded has a policy: not flagged
    assert finding.severity == "info"
    assert finding.fix is None
