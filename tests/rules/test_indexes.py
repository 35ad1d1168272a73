"""Keys and indexes: primary keys, FK coverage as PostgreSQL uses it, duplicates, prefixes."""

from __future__ import annotations

from tests.rules._lint import apply_fixes, catalog_of, findings, objects, reread

PARENTS = """
CREATE TABLE public.orgs (id int PRIMARY KEY, region text, UNIQUE (id, region));
"""


def test_table_without_primary_key(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Event Log" (id int, at timestamptz);
        CREATE TABLE public.keyed (id int PRIMARY KEY);
        CREATE TABLE public.parted (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE public.parted_2026 PARTITION OF public.parted
            FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        """,
        supabase=False,
    )
    found = {f.object: f for f in findings(catalog, "table-without-primary-key")}
    # the partition is reported through its parent
    assert sorted(found) == ['table public."Event Log"', "table public.parted"]
    # "id" is taken: the fix adds a fresh column
    fix = found['table public."Event Log"'].fix
    assert fix == (
        'ALTER TABLE "public"."Event Log" ADD COLUMN "id2" bigint GENERATED ALWAYS AS '
        "IDENTITY PRIMARY KEY;"
    )
    apply_fixes(scratch_dsn, [fix])
    assert 'table public."Event Log"' not in objects(
        reread(scratch_dsn, supabase=False), "table-without-primary-key"
    )


def test_foreign_keys_need_an_index_leading_with_their_columns(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        PARENTS
        + """
        CREATE TABLE public.uncovered (id int PRIMARY KEY, org_id int REFERENCES public.orgs);
        CREATE TABLE public.leading (id int PRIMARY KEY, org_id int REFERENCES public.orgs,
            at date);
        CREATE INDEX ON public.leading (org_id, at);
        CREATE TABLE public.tail (id int PRIMARY KEY, org_id int REFERENCES public.orgs,
            at date);
        CREATE INDEX ON public.tail (at, org_id);
        CREATE TABLE public.partial (id int PRIMARY KEY, org_id int REFERENCES public.orgs);
        CREATE INDEX ON public.partial (org_id) WHERE org_id > 0;
        CREATE TABLE public.swapped (id int PRIMARY KEY, org_id int, region text,
            FOREIGN KEY (org_id, region) REFERENCES public.orgs (id, region));
        CREATE INDEX ON public.swapped (region, org_id);
        CREATE TABLE public."By Key" ("Org" int PRIMARY KEY REFERENCES public.orgs);
        """,
        supabase=False,
    )
    found = {f.object: f for f in findings(catalog, "unindexed-foreign-key")}
    # leading columns in any order among themselves cover; trailing or partial do not;
    # the primary key's own index covers "By Key"
    assert sorted(found) == [
        "constraint partial_org_id_fkey on public.partial",
        "constraint tail_org_id_fkey on public.tail",
        "constraint uncovered_org_id_fkey on public.uncovered",
    ]
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn, supabase=False), "unindexed-foreign-key") == []


def test_duplicate_and_redundant_indexes(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, c text);
        CREATE INDEX t_a ON public.t (a);
        CREATE INDEX "t_a Copy" ON public.t (a);
        CREATE INDEX t_ab ON public.t (a, b);
        CREATE INDEX t_a_desc ON public.t (a DESC);
        CREATE INDEX t_a_partial ON public.t (a) WHERE b > 0;
        CREATE UNIQUE INDEX t_a_unique ON public.t (a, c);
        CREATE INDEX t_id ON public.t (id);
        CREATE INDEX t_c_hash ON public.t USING hash (c);
        CREATE INDEX t_c ON public.t (c);
        """,
        supabase=False,
    )
    duplicates = {f.object: f for f in findings(catalog, "duplicate-index")}
    assert sorted(duplicates) == ['index public."t_a Copy" on public.t']
    assert duplicates['index public."t_a Copy" on public.t'].actual == "same as t_a"
    redundant = {f.object: f for f in findings(catalog, "redundant-index")}
    # t_a leads t_ab (and t_a_unique); the duplicate is reported once, as a duplicate;
    # different order, predicate, method, or a constraint's own index are not redundant
    assert sorted(redundant) == ["index public.t_a on public.t"]
    assert redundant["index public.t_a on public.t"].actual == ("its keys lead t_a_unique, t_ab")
    apply_fixes(scratch_dsn, [f.fix for f in duplicates.values()])
    assert findings(reread(scratch_dsn, supabase=False), "duplicate-index") == []


def test_policy_columns_without_an_index(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.notes (id int PRIMARY KEY, owner_id uuid, "Team" uuid, body text);
        ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "own" ON public.notes FOR SELECT USING (owner_id = (select auth.uid()));
        CREATE POLICY "team" ON public.notes FOR UPDATE
            USING ("Team" = ((select auth.jwt()) ->> 'team')::uuid);
        CREATE POLICY "insert own" ON public.notes FOR INSERT
            WITH CHECK (body = (select auth.uid())::text);
        CREATE TABLE public.indexed (id int PRIMARY KEY, owner_id uuid);
        CREATE INDEX ON public.indexed (owner_id, id);
        ALTER TABLE public.indexed ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "own" ON public.indexed USING (owner_id = (select auth.uid()));
        """,
    )
    found = {f.object: f for f in findings(catalog, "policy-column-unindexed")}
    # an INSERT's WITH CHECK filters no query; an index leading with the column covers it
    assert sorted(found) == ['column public.notes."Team"', "column public.notes.owner_id"]
    assert found["column public.notes.owner_id"].actual == "no index; filtered on by own"
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn), "policy-column-unindexed") == []
