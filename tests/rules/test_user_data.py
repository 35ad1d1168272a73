"""Policies for PUBLIC or anon on tables that hold users' rows."""

from __future__ import annotations

from dataclasses import replace

from schemaprobe.introspect.model import QualifiedName
from schemaprobe.rules import context_for
from schemaprobe.rules.registry import rule_by_id
from schemaprobe.spec.model import UserDataRuleSpec
from tests.rules._lint import apply_fixes, catalog_of, findings, objects, reread

RULE = "policy-to-public-on-user-data"

SCHEMA = """
CREATE TABLE public."Diary Entries" (id int PRIMARY KEY, user_id uuid, body text);
ALTER TABLE public."Diary Entries" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Read own entries" ON public."Diary Entries" FOR SELECT
    USING (user_id = (select auth.uid()));
CREATE POLICY "Anyone writes" ON public."Diary Entries" FOR INSERT TO anon, service_role
    WITH CHECK (user_id IS NOT NULL);
CREATE POLICY signed_in ON public."Diary Entries" FOR UPDATE TO authenticated
    USING (user_id = (select auth.uid()));
CREATE POLICY only_own ON public."Diary Entries" AS RESTRICTIVE
    USING (user_id = (select auth.uid()));
CREATE TABLE public.orders (id int PRIMARY KEY, buyer uuid REFERENCES auth.users (id));
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY browse ON public.orders FOR SELECT TO anon USING (true);
CREATE TABLE public.posts (id int PRIMARY KEY, author uuid);
ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON public.posts FOR SELECT USING (true);
"""


def test_policies_for_public_or_anon_on_user_data(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    found = {f.object: f for f in findings(catalog, RULE)}
    # for authenticated, restrictive, or on a table without owner columns: not flagged
    assert sorted(found) == [
        'policy "Anyone writes" on public."Diary Entries"',
        'policy "Read own entries" on public."Diary Entries"',
        "policy browse on public.orders",
    ]
    read = found['policy "Read own entries" on public."Diary Entries"']
    assert read.severity == "warning"
    assert read.actual == "FOR SELECT TO PUBLIC on a table holding user data (column user_id)"
    assert read.fix == (
        'ALTER POLICY "Read own entries" ON "public"."Diary Entries" TO "authenticated";'
    )
    writes = found['policy "Anyone writes" on public."Diary Entries"']
    assert writes.actual == (
        "FOR INSERT TO anon, service_role on a table holding user data (column user_id)"
    )
    # the other roles it names stay
    assert writes.fix == (
        'ALTER POLICY "Anyone writes" ON "public"."Diary Entries" '
        'TO "authenticated", "service_role";'
    )
    assert found["policy browse on public.orders"].actual == (
        "FOR SELECT TO anon on a table holding user data (foreign key to auth.users)"
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    after = reread(scratch_dsn)
    assert findings(after, RULE) == []
    browse = after.tables[QualifiedName("public", "orders")].policy("browse")
    assert browse is not None and browse.roles == ("authenticated",)


def test_owner_columns_and_tables_come_from_the_rules_settings(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    settings = UserDataRuleSpec.model_validate({"owner_columns": ["author"]})
    context = replace(context_for(catalog, profile="supabase"), config=settings)
    flagged = sorted(v.object for v in rule_by_id(RULE).check(catalog, context))
    # user_id no longer counts, author does; the foreign key to auth.users still does
    assert flagged == ["policy browse on public.orders", "policy read on public.posts"]


def test_the_supabase_layer_alone_has_no_such_policy(scratch_dsn: str) -> None:
    assert objects(catalog_of(scratch_dsn, "SELECT 1;"), RULE) == []
