"""one-policy-per-command and user-data-crud-policies, on real RLS tables."""

from __future__ import annotations

import psycopg

from schemaprobe.spec.model import RuleSpec, UserDataRuleSpec
from tests.rules._lint import apply_fixes, catalog_of, reread
from tests.rules._templates import run, spec


def test_one_permissive_policy_per_command_and_role_passes(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Split Up" (id int);
        ALTER TABLE public."Split Up" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Anyone reads" ON public."Split Up" FOR SELECT TO anon USING (true);
        CREATE POLICY "Members read" ON public."Split Up" FOR SELECT TO authenticated
            USING (true);
        CREATE POLICY "Members write" ON public."Split Up" FOR INSERT TO authenticated
            WITH CHECK (true);
        CREATE POLICY "Only weekdays" ON public."Split Up" AS RESTRICTIVE FOR SELECT
            TO authenticated USING (extract(dow FROM now()) < 6);
        CREATE TABLE public.everything (id int);
        ALTER TABLE public.everything ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "All in one" ON public.everything USING (true);
        """,
    )
    assert run(catalog, "one-policy-per-command", None) == {}


def test_overlapping_policies_are_reported_per_command_and_role(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.shared (id int);
        ALTER TABLE public.shared ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Read own" ON public.shared FOR SELECT TO authenticated USING (true);
        CREATE POLICY "Everything" ON public.shared TO authenticated, anon USING (true);
        CREATE TABLE public."Twice Public" (id int);
        ALTER TABLE public."Twice Public" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY a ON public."Twice Public" FOR DELETE USING (true);
        CREATE POLICY b ON public."Twice Public" FOR DELETE USING (true);
        -- without RLS the policies do nothing: policies-without-rls's finding, not this one
        CREATE TABLE public.off (id int);
        CREATE POLICY a ON public.off FOR SELECT USING (true);
        CREATE POLICY b ON public.off FOR SELECT USING (true);
        """,
    )
    found = run(catalog, "one-policy-per-command", RuleSpec())
    assert sorted(found) == [
        'table public."Twice Public" DELETE as PUBLIC',
        "table public.shared SELECT as authenticated",
    ]
    shared = found["table public.shared SELECT as authenticated"]
    assert shared.expected == "at most one permissive policy governing SELECT for authenticated"
    assert shared.actual == '2: "Everything" (FOR ALL), "Read own" (FOR SELECT)'
    assert shared.fix is None
    assert shared.severity == "error"


USER_DATA = """
    CREATE TABLE public.good (id int, user_id uuid);
    ALTER TABLE public.good ENABLE ROW LEVEL SECURITY;
    CREATE POLICY r ON public.good FOR SELECT USING (true);
    CREATE POLICY c ON public.good FOR INSERT WITH CHECK (true);
    CREATE POLICY u ON public.good FOR UPDATE USING (true);
    CREATE POLICY d ON public.good FOR DELETE USING (true);
    CREATE TABLE public.lookup (id int, name text);
"""


def test_user_data_with_rls_and_a_policy_per_command_passes(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, USER_DATA)
    assert run(catalog, "user-data-crud-policies", None) == {}


def test_user_data_without_rls_or_separate_policies(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        USER_DATA
        + """
        CREATE TABLE public."All Only" (id int, owner_id uuid);
        ALTER TABLE public."All Only" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Owner does all" ON public."All Only" TO authenticated
            USING (owner_id = auth.uid());
        CREATE TABLE public."Open Notes" (id int, user_id uuid);
        CREATE POLICY r ON public."Open Notes" FOR SELECT USING (true);
        CREATE POLICY c ON public."Open Notes" FOR INSERT WITH CHECK (true);
        CREATE POLICY u ON public."Open Notes" FOR UPDATE USING (true);
        CREATE POLICY d ON public."Open Notes" FOR DELETE USING (true);
        CREATE TABLE public.partial (id int, author uuid REFERENCES auth.users);
        ALTER TABLE public.partial ENABLE ROW LEVEL SECURITY;
        CREATE POLICY r ON public.partial FOR SELECT USING (true);
        CREATE POLICY w ON public.partial AS RESTRICTIVE FOR INSERT WITH CHECK (true);
        """,
    )
    found = run(catalog, "user-data-crud-policies", None)
    assert sorted(found) == [
        'table public."All Only"',
        'table public."Open Notes"',
        "table public.partial",
    ]
    partial = found["table public.partial"]
    assert (partial.path, partial.fix) == ("policies", None)
    assert partial.actual == (
        "holds user data (foreign key to auth.users); no INSERT, UPDATE, DELETE policy of its own"
    )
    opened = found['table public."Open Notes"']
    assert (opened.path, opened.actual) == (
        "rls",
        "holds user data (column user_id); row level security disabled",
    )
    assert opened.fix == 'ALTER TABLE "public"."Open Notes" ENABLE ROW LEVEL SECURITY;'
    all_only = found['table public."All Only"']
    assert all_only.actual == (
        "holds user data (column owner_id); no SELECT, INSERT, UPDATE, DELETE policy of its "
        'own (FOR ALL "Owner does all" (FOR ALL) is not a separate one)'
    )
    assert all_only.fix is not None and all_only.fix.startswith(
        'CREATE POLICY "Owner does all (select)" ON "public"."All Only" AS PERMISSIVE FOR SELECT '
        'TO "authenticated" USING ((owner_id = auth.uid()));'
    )

    apply_fixes(scratch_dsn, [opened.fix, all_only.fix])
    after = reread(scratch_dsn)
    assert list(run(after, "user-data-crud-policies", None)) == ["table public.partial"]
    split = after.tables[next(k for k in after.tables if k.name == "All Only")]
    assert sorted((p.name, p.command, p.roles, p.using, p.with_check) for p in split.policies) == [
        ("Owner does all (delete)", "DELETE", ("authenticated",), "(owner_id = auth.uid())", None),
        (
            "Owner does all (insert)",
            "INSERT",
            ("authenticated",),
            None,
            "(owner_id = auth.uid())",
        ),
        ("Owner does all (select)", "SELECT", ("authenticated",), "(owner_id = auth.uid())", None),
        (
            "Owner does all (update)",
            "UPDATE",
            ("authenticated",),
            "(owner_id = auth.uid())",
            "(owner_id = auth.uid())",
        ),
    ]


def test_owner_columns_and_tables_come_from_the_settings(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.people (id int PRIMARY KEY);
        CREATE TABLE public.posts (id int, "Author" int);
        CREATE TABLE public.notes (id int, user_id uuid);
        CREATE TABLE public.pets (id int, keeper int REFERENCES public.people);
        """,
    )
    config = spec(
        UserDataRuleSpec, {"owner_columns": ["Author"], "owner_tables": ["public.people"]}
    )
    found = run(catalog, "user-data-crud-policies", config)
    assert sorted(found) == ["table public.pets", "table public.posts"]
    # no policy at all: enabling RLS first would lock every caller out, so no fix
    assert all(f.fix is None for f in found.values())


def test_the_split_policies_admit_what_the_for_all_policy_did(scratch_dsn: str) -> None:
    """The fix changes layout, not access: the owner still reads and writes own rows only."""
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.items (id int, owner_id uuid);
        ALTER TABLE public.items ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own ON public.items TO authenticated USING (owner_id = auth.uid())
            WITH CHECK (owner_id = auth.uid() AND id > 0);
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.items TO authenticated;
        INSERT INTO public.items VALUES (1, '00000000-0000-0000-0000-00000000000a'),
            (2, '00000000-0000-0000-0000-00000000000b');
        """,
    )
    (finding,) = run(catalog, "user-data-crud-policies", None).values()
    apply_fixes(scratch_dsn, [finding.fix])
    with psycopg.connect(scratch_dsn) as conn:
        conn.execute("SET ROLE authenticated")
        conn.execute(
            "SELECT set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-00000000000a',"
            " true)"
        )
        assert conn.execute("SELECT id FROM public.items").fetchall() == [(1,)]
        assert conn.execute("UPDATE public.items SET id = 5 RETURNING id").fetchall() == [(5,)]
        assert conn.execute("DELETE FROM public.items RETURNING id").fetchall() == [(5,)]
        conn.execute("SAVEPOINT s")
        try:  # WITH CHECK kept: id > 0
            conn.execute("INSERT INTO public.items VALUES (0, auth.uid())")
            raise AssertionError("the insert passed WITH CHECK")
        except psycopg.errors.InsufficientPrivilege:
            conn.execute("ROLLBACK TO SAVEPOINT s")
        conn.rollback()
