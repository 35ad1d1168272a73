"""The engine: one item per rule, stable keys, selection, and the exposed-schema note."""

from __future__ import annotations

import pytest

from schemaprobe.errors import UsageError
from schemaprobe.rules import BUILTIN_RULES, MARKER, Selection, context_for, evaluate
from tests.rules._lint import apply_fixes, catalog_of, reread

SCHEMA = """
CREATE TABLE public.open (id int PRIMARY KEY, at timestamp);
CREATE TABLE public.nokey (x int);
"""


DEFAULT_RULES = [rule for rule in BUILTIN_RULES if rule.default]


def test_one_item_per_rule_in_catalogue_order(scratch_dsn: str) -> None:
    results = evaluate(catalog_of(scratch_dsn, SCHEMA))
    # the default selection: templates and audit-only rules run only when named
    assert [r.id for r in results] == [f"rules::{rule.id}" for rule in DEFAULT_RULES]
    assert len(DEFAULT_RULES) < len(BUILTIN_RULES)
    assert {r.kind for r in results} == {"rule"}
    assert {r.marker for r in results} == {MARKER}
    by_id = {r.id: r for r in results}
    assert [f.object for f in by_id["rules::table-without-primary-key"].findings] == [
        "table public.nokey"
    ]
    assert by_id["rules::duplicate-index"].passed


def test_keys_are_stable_across_reads_and_unique(scratch_dsn: str) -> None:
    first = evaluate(catalog_of(scratch_dsn, SCHEMA))
    second = evaluate(reread(scratch_dsn))
    keys = [f.key for r in first for f in r.findings]
    assert keys == [f.key for r in second for f in r.findings]
    assert len(keys) == len(set(keys))
    assert "timestamp-without-time-zone::column public.open.at" in keys


def test_selection_only_and_skip(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    only = evaluate(catalog, Selection(only=("duplicate-index", "redundant-index")))
    assert [r.id for r in only] == ["rules::duplicate-index", "rules::redundant-index"]
    skipped = evaluate(catalog, Selection(skip=("duplicate-index",)))
    assert "rules::duplicate-index" not in [r.id for r in skipped]
    assert len(skipped) == len(DEFAULT_RULES) - 1
    named = evaluate(catalog, Selection(only=("one-policy-per-command",)))
    assert [r.id for r in named] == ["rules::one-policy-per-command"]


def test_unknown_rule_ids_are_usage_errors_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match="Did you mean 'duplicate-index'"):
        Selection(skip=("duplicate-indexes",)).rules()


def test_the_note_says_which_schemas_count_as_exposed_and_why(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, "CREATE SCHEMA api; GRANT USAGE ON SCHEMA api TO anon;")
    derived = context_for(catalog)
    assert derived.exposed_schemas == {"public", "api"}
    assert derived.note == (
        "exposed schemas (derived from USAGE granted to anon, authenticated): api, public; "
        "override with --exposed-schema"
    )
    given = context_for(catalog, ["api"])
    assert given.exposed_schemas == {"api"}
    assert given.note == "exposed schemas (given): api"


AWKWARD_NAMES = ['a"b', "Users can view own heroes", "Ünïcode", "select", 'trailing" ', "x"]
ODD_SCHEMA = 'Odd"Schema'


def test_fix_identifiers_are_psycopgs_quoting_and_the_server_reads_them_back(
    scratch_dsn: str,
) -> None:
    """``_fix.ident`` writes psycopg's connectionless ``Identifier`` quoting out by hand
    (for speed): the same text, and names the server reads back unchanged."""
    from psycopg import sql

    from schemaprobe.introspect.model import QualifiedName
    from schemaprobe.rules import _fix

    for name in AWKWARD_NAMES:
        assert _fix.ident(name) == sql.Identifier(name).as_string()
        assert _fix.ident(ODD_SCHEMA, name) == sql.Identifier(ODD_SCHEMA, name).as_string()
    catalog_of(scratch_dsn, f"CREATE SCHEMA {_fix.ident(ODD_SCHEMA)};", supabase=False)
    apply_fixes(
        scratch_dsn, [f"CREATE TABLE {_fix.ident(ODD_SCHEMA, n)} ();" for n in AWKWARD_NAMES]
    )
    tables = reread(scratch_dsn, supabase=False).tables
    assert {QualifiedName(ODD_SCHEMA, n) for n in AWKWARD_NAMES} <= set(tables)
