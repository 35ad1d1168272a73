"""Column conventions: timestamp without time zone."""

from __future__ import annotations

from tests.rules._lint import apply_fixes, catalog_of, findings, reread


def test_naive_timestamps_and_their_fix(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Events" ("Happened At" timestamp(3), at timestamptz,
            day date, seen timestamp[]);
        INSERT INTO public."Events" VALUES ('2026-01-02 03:04:05.678', now(), now(), NULL);
        """,
        supabase=False,
    )
    found = {f.object: f for f in findings(catalog, "timestamp-without-time-zone")}
    assert sorted(found) == [
        'column public."Events"."Happened At"',
        'column public."Events".seen',
    ]
    naive = found['column public."Events"."Happened At"']
    assert (naive.expected, naive.actual) == (
        "timestamp(3) with time zone",
        "timestamp(3) without time zone",
    )
    assert found['column public."Events".seen'].fix is None  # arrays: no one-line fix
    apply_fixes(scratch_dsn, [naive.fix])
    left = findings(reread(scratch_dsn, supabase=False), "timestamp-without-time-zone")
    assert [f.object for f in left] == ['column public."Events".seen']


def test_updated_at_without_a_trigger_reuses_the_databases_own_function(
    scratch_dsn: str,
) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE FUNCTION public."Touch"() RETURNS trigger LANGUAGE plpgsql
            AS 'begin new.updated_at = now(); return new; end';
        CREATE TABLE public.kept (id int PRIMARY KEY, updated_at timestamptz);
        CREATE TRIGGER touch BEFORE UPDATE ON public.kept
            FOR EACH ROW EXECUTE FUNCTION public."Touch"();
        CREATE TABLE public."Stale Rows" (id int PRIMARY KEY, updated_at timestamptz);
        CREATE TABLE public.switched_off (id int PRIMARY KEY, updated_at timestamptz);
        CREATE TRIGGER touch BEFORE UPDATE ON public.switched_off
            FOR EACH ROW EXECUTE FUNCTION public."Touch"();
        ALTER TABLE public.switched_off DISABLE TRIGGER touch;
        CREATE TABLE public.no_stamp (id int PRIMARY KEY, created_at timestamptz);
        """,
        supabase=False,
    )
    found = {f.object: f for f in findings(catalog, "updated-at-without-trigger")}
    assert sorted(found) == [
        'column public."Stale Rows".updated_at',
        "column public.switched_off.updated_at",
    ]
    assert found['column public."Stale Rows".updated_at'].fix == (
        'CREATE TRIGGER "Stale Rows_set_updated_at" BEFORE UPDATE ON "public"."Stale Rows" '
        'FOR EACH ROW EXECUTE FUNCTION "public"."Touch"();'
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert findings(reread(scratch_dsn, supabase=False), "updated-at-without-trigger") == []
