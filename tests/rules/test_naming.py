"""naming-convention: full-match patterns per kind, {table} as the literal table name."""

from __future__ import annotations

import re

import pytest

from schemaprobe.rules.templates._patterns import _exact, matches
from schemaprobe.spec.model import NamingRuleSpec
from tests.rules._lint import apply_fixes, catalog_of, reread
from tests.rules._templates import run, spec

PATTERNS = {
    "table_names": "[a-z][a-z0-9_.]*",
    "columns": "[a-z][a-z0-9_]*",
    "indexes": "idx_{table}_[a-z0-9_]+",
    "primary_keys": "^{table}_pkey$",
    "foreign_keys": "{table}_[a-z0-9_]+_fkey",
    "unique_constraints": "{table}_[a-z0-9_]+_key",
    "checks": "{table}_[a-z0-9_]+_check",
    "policies": "[A-Z][A-Za-z ]+",
    "triggers": "{table}_[a-z_]+",
}

SETUP = """
    CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql
        AS 'begin return new; end';
"""

CONFORMING = """
    CREATE TABLE public.notes (
        id int PRIMARY KEY,
        parent int REFERENCES public.notes,
        slug text UNIQUE,
        stars int CHECK (stars >= 0));
    CREATE INDEX idx_notes_parent ON public.notes (parent);
    ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY "Owners read" ON public.notes FOR SELECT USING (true);
    CREATE TRIGGER notes_touch BEFORE UPDATE ON public.notes
        FOR EACH ROW EXECUTE FUNCTION public.touch();
"""


def test_names_that_follow_the_patterns_pass(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SETUP + CONFORMING, supabase=False)
    assert run(catalog, "naming-convention", spec(NamingRuleSpec, PATTERNS)) == {}


def test_every_kind_of_name_is_judged_and_literal_patterns_get_a_rename(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        SETUP
        + CONFORMING
        + """
        CREATE TABLE public."Bad Table" (
            "Mixed Case" int,
            CONSTRAINT bt_pk PRIMARY KEY ("Mixed Case"),
            CONSTRAINT "Bad Table_stars" CHECK ("Mixed Case" > 0),
            CONSTRAINT "points to notes" FOREIGN KEY ("Mixed Case") REFERENCES public.notes,
            CONSTRAINT "Bad Table_ok_key" UNIQUE ("Mixed Case"));
        CREATE INDEX bad_idx ON public."Bad Table" ("Mixed Case");
        ALTER TABLE public."Bad Table" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "lower case" ON public."Bad Table" USING (true);
        CREATE TRIGGER touch BEFORE UPDATE ON public."Bad Table"
            FOR EACH ROW EXECUTE FUNCTION public.touch();
        -- '.' in {table} is literal: oddxname_pkey would match an unescaped pattern
        CREATE TABLE public."odd.name" (id int CONSTRAINT oddxname_pkey PRIMARY KEY);
        """,
        supabase=False,
    )
    config = spec(NamingRuleSpec, PATTERNS)
    found = run(catalog, "naming-convention", config)
    assert sorted(found) == [
        'column public."Bad Table"."Mixed Case"',
        'constraint "Bad Table_stars" on public."Bad Table"',
        'constraint "points to notes" on public."Bad Table"',
        'constraint bt_pk on public."Bad Table"',
        'constraint oddxname_pkey on public."odd.name"',
        'index public.bad_idx on public."Bad Table"',
        'policy "lower case" on public."Bad Table"',
        'table public."Bad Table"',
        'trigger touch on public."Bad Table"',
    ]
    key = found['constraint bt_pk on public."Bad Table"']
    assert (key.path, key.expected, key.actual) == (
        "name (primary_keys)",
        "a name matching ^{table}_pkey$",
        "bt_pk",
    )
    assert (
        key.fix == 'ALTER TABLE "public"."Bad Table" RENAME CONSTRAINT "bt_pk" TO "Bad Table_pkey";'
    )
    assert found['constraint oddxname_pkey on public."odd.name"'].fix == (
        'ALTER TABLE "public"."odd.name" RENAME CONSTRAINT "oddxname_pkey" TO "odd.name_pkey";'
    )
    # a pattern, not one name: which name is right is the project's call
    assert found['index public.bad_idx on public."Bad Table"'].fix is None
    assert found['table public."Bad Table"'].fix is None
    # the unique constraint's index carries its name and is judged as the constraint
    assert not any("Bad Table_ok_key" in name for name in found)

    apply_fixes(scratch_dsn, [f.fix for f in found.values() if f.fix])
    left = run(reread(scratch_dsn, supabase=False), "naming-convention", config)
    assert len(left) == len(found) - 2
    assert not any("pkey" in name or "bt_pk" in name for name in left)


def test_literal_renames_for_indexes_policies_and_triggers_run(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        SETUP
        + """
        CREATE TABLE public."Tasks" (id int);
        CREATE INDEX "some index" ON public."Tasks" (id);
        ALTER TABLE public."Tasks" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "p" ON public."Tasks" USING (true);
        CREATE TRIGGER t BEFORE UPDATE ON public."Tasks"
            FOR EACH ROW EXECUTE FUNCTION public.touch();
        """,
        supabase=False,
    )
    config = spec(
        NamingRuleSpec,
        {"indexes": "{table}_idx", "policies": "{table} access", "triggers": "{table}_touch"},
    )
    found = run(catalog, "naming-convention", config)
    assert sorted(f.fix or "" for f in found.values()) == [
        'ALTER INDEX "public"."some index" RENAME TO "Tasks_idx";',
        'ALTER POLICY "p" ON "public"."Tasks" RENAME TO "Tasks access";',
        'ALTER TRIGGER "t" ON "public"."Tasks" RENAME TO "Tasks_touch";',
    ]
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert run(reread(scratch_dsn, supabase=False), "naming-convention", config) == {}


def test_without_patterns_nothing_is_judged(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, 'CREATE TABLE public."Bad Table" ("X" int);', supabase=False)
    assert run(catalog, "naming-convention", None) == {}
    assert run(catalog, "naming-convention", spec(NamingRuleSpec, {"tables": ["*"]})) == {}


@pytest.mark.parametrize(
    ("pattern", "name", "table", "expected"),
    [
        ("{table}_pkey", "notes_pkey", "notes", True),
        ("{table}_pkey", "notesXpkey", "notes", False),
        ("{table}_pkey", "oddxname_pkey", "odd.name", False),
        ("{table}_pkey", "odd.name_pkey", "odd.name", True),
        ("idx_{table}_[a-z0-9_]+", "idx_a_b_c", "a_b", True),  # the group's first try: "a"
        ("idx_{table}_[a-z0-9_]+", "idx_a_b_", "a_b", False),
        ("{table}_{table}", "ab_ab", "ab", True),
        ("{table}_{table}", "ab_ba", "ab", False),
        ("x{table}?", "x", "ab", True),  # {table} is one unit: optional as a whole
        ("x{table}?", "xa", "ab", False),
        (r"(a)\1{table}", "aa1", "1", True),  # not the back-reference \11
        ("(x|{table})+y", "xaby", "ab", True),
        ("(?i){table}_pk", "NOTES_PK", "notes", True),
        ("[a-z]+", "Notes", "notes", False),
        # the table's name inside a longer one, and underscores on both sides
        ("{table}_[a-z0-9_]+", "t_1_user_idx", "t_1", True),
        ("{table}_[a-z0-9_]+", "t_1_user_idx", "t_1_user", True),
        ("{table}_[a-z0-9_]+", "t_10_user_idx", "t_1", False),
        ("idx_{table}", "idx_t_t", "t", False),
        ("(?i)idx_{table}_[a-z]+", "IDX_Notes_USER", "notes", True),
        ("{table}$_x", "ab_x", "ab", False),  # an anchor before a placeholder: exact path
        ("{table}\\b_x", "ab_x", "ab", False),
        ("a|{table}", "ab", "ab", True),  # top-level alternation: exact path
        ("a|{table}", "a", "ab", True),
    ],
)
def test_patterns_match_in_full_with_the_table_name_literally(
    pattern: str, name: str, table: str, expected: bool
) -> None:
    assert matches(pattern, name, table) is expected
    exact = re.fullmatch(pattern.replace("{table}", f"(?:{re.escape(table)})"), name)
    assert (exact is not None) is expected


def test_a_placeholder_pattern_is_compiled_once_not_per_table() -> None:
    """At 10,000 tables a compile per table and kind (~90 us) would cost seconds."""
    before = _exact.cache_info().misses
    for i in range(2000):
        assert matches("^{table}_pkey$", f"t{i}_pkey", f"t{i}")
        assert not matches("^{table}_pkey$", f"t{i}_key", f"t{i}")
        # a suffix that could also take the table's name apart (underscores on both sides)
        assert matches("{table}_[a-z0-9_]+", f"t_{i}_user_idx", f"t_{i}")
        assert not matches("{table}_[a-z0-9_]+", f"t_{i}x_user_idx", f"t_{i}")
    assert _exact.cache_info().misses == before
