"""What policies say: always-true writes, WITH CHECK weaker than USING, overlaps, initplans."""

from __future__ import annotations

from tests.rules._lint import apply_fixes, catalog_of, findings, objects, reread

TABLE = """
CREATE TABLE public.notes (id int PRIMARY KEY, owner_id uuid, body text, archived bool);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
"""


def test_always_true_write_policies(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "read all" ON public.notes FOR SELECT USING (true);
        CREATE POLICY "insert any" ON public.notes FOR INSERT TO anon WITH CHECK (true);
        CREATE POLICY "insert unchecked" ON public.notes FOR INSERT TO authenticated;
        CREATE POLICY "delete any" ON public.notes FOR DELETE USING (1 = 1);
        CREATE POLICY "admins" ON public.notes FOR DELETE TO postgres USING (true);
        CREATE POLICY "delete own" ON public.notes FOR DELETE
            USING (owner_id = (select auth.uid()));
        CREATE POLICY "narrow" ON public.notes AS RESTRICTIVE FOR UPDATE USING (true);
        """,
    )
    found = {f.object: f for f in findings(catalog, "policy-always-true-for-write")}
    # SELECT (true) is a deliberate public read; roles outside the API, restrictive
    # policies and policies that restrict are not flagged.
    assert sorted(found) == [
        'policy "delete any" on public.notes',
        'policy "insert any" on public.notes',
        'policy "insert unchecked" on public.notes',
    ]
    assert found['policy "insert unchecked" on public.notes'].path == "with_check"
    assert found['policy "delete any" on public.notes'].path == "using"


def test_update_with_check_weaker_than_using(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "hand over" ON public.notes FOR UPDATE
            USING (owner_id = (select auth.uid())) WITH CHECK (true);
        CREATE POLICY "drops owner" ON public.notes FOR UPDATE
            USING (owner_id = (select auth.uid()) AND NOT archived) WITH CHECK (NOT archived);
        CREATE POLICY "reuses using" ON public.notes FOR UPDATE
            USING (owner_id = (select auth.uid()));
        CREATE POLICY "same check" ON public.notes FOR ALL
            USING (owner_id = (select auth.uid()) AND NOT archived)
            WITH CHECK (owner_id = (select auth.uid()));
        """,
    )
    found = {f.object: f for f in findings(catalog, "update-check-weaker-than-using")}
    # No WITH CHECK: PostgreSQL checks new rows with USING itself, which is safe.
    assert 'policy "reuses using" on public.notes' not in found
    # WITH CHECK keeps the owner tied to the caller (it may drop other conditions).
    assert 'policy "same check" on public.notes' not in found
    assert sorted(found) == [
        'policy "drops owner" on public.notes',
        'policy "hand over" on public.notes',
    ]
    assert found['policy "drops owner" on public.notes'].actual == (
        "WITH CHECK does not tie owner_id to the caller as USING does: WITH CHECK ((NOT archived))"
    )
    # the always-true WITH CHECK of an UPDATE that restricts USING is this rule's alone
    assert objects(catalog, "policy-always-true-for-write") == []
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "update-check-weaker-than-using") == []


def test_multiple_permissive_policies_per_role_and_command(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "own" ON public.notes FOR SELECT TO authenticated
            USING (owner_id = (select auth.uid()));
        CREATE POLICY "public ones" ON public.notes FOR ALL TO authenticated, anon
            USING (NOT archived);
        CREATE POLICY "only insert" ON public.notes FOR INSERT TO anon
            WITH CHECK (owner_id IS NULL);
        CREATE POLICY "restrict" ON public.notes AS RESTRICTIVE FOR SELECT USING (true);
        """,
    )
    found = {f.object: f for f in findings(catalog, "multiple-permissive-policies")}
    assert sorted(found) == [
        "table public.notes INSERT as anon",
        "table public.notes SELECT as authenticated",
    ]
    assert found["table public.notes SELECT as authenticated"].actual == "2: own, public ones"


def test_single_policy_per_command_is_clean(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "read" ON public.notes FOR SELECT USING (true);
        CREATE POLICY "write" ON public.notes FOR INSERT WITH CHECK (owner_id IS NOT NULL);
        """,
    )
    assert findings(catalog, "multiple-permissive-policies") == []


def test_auth_calls_per_row_are_wrapped_by_the_fix(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "Users see own notes" ON public.notes FOR SELECT
            USING (owner_id = auth.uid() OR current_setting('app.admin', true) = 'on');
        CREATE POLICY "insert" ON public.notes FOR INSERT
            WITH CHECK ((auth.jwt() ->> 'role') = 'editor');
        CREATE POLICY "wrapped" ON public.notes FOR UPDATE
            USING (owner_id = (select auth.uid()));
        CREATE POLICY "wrapped expression" ON public.notes FOR DELETE
            USING ((select auth.jwt() ->> 'role') = 'admin');
        CREATE TABLE public.members (team uuid, user_id uuid);
        CREATE POLICY "in a subquery" ON public.notes FOR DELETE TO authenticated
            USING (owner_id IN (SELECT team FROM public.members WHERE user_id = auth.uid()));
        """,
    )
    found = {f.object: f for f in findings(catalog, "auth-function-per-row")}
    # a scalar subquery without FROM is an InitPlan (once per statement); a subquery
    # reading a table calls it for every row it reads
    assert sorted(found) == [
        'policy "Users see own notes" on public.notes',
        'policy "in a subquery" on public.notes',
        "policy insert on public.notes",
    ]
    select = found['policy "Users see own notes" on public.notes']
    assert select.actual == ("called per row: auth.uid(), current_setting('app.admin'::text, true)")
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "auth-function-per-row") == []


def test_auth_calls_on_a_table_without_rls_are_left_to_the_rls_rules(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        "CREATE TABLE public.t (id int PRIMARY KEY, o uuid);"
        "CREATE POLICY p ON public.t USING (o = auth.uid());",
    )
    assert findings(catalog, "auth-function-per-row") == []


def test_policies_trusting_user_metadata(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        TABLE
        + """
        CREATE POLICY "admins" ON public.notes FOR DELETE
            USING (((select auth.jwt()) -> 'user_metadata' ->> 'role') = 'admin');
        CREATE POLICY "app admins" ON public.notes FOR UPDATE
            USING (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
        """,
    )
    found = {f.object: f for f in findings(catalog, "policy-uses-user-metadata")}
    assert sorted(found) == ["policy admins on public.notes"]
    assert found["policy admins on public.notes"].actual == "USING read user_metadata"
