"""``groups:``: a named list of tables whose claimed size is held against the list.

Schema documents group tables under headings with a count ("V19 New Tables (6)"); the
group item fails when a listed table is missing or when the claim does not admit how
many listed tables exist, and is waivable like any other node.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemaprobe.compare.canonical import ServerCanonicalizer
from schemaprobe.compare.engine import compare_specs, plan
from schemaprobe.findings import ItemResult
from schemaprobe.introspect import read_catalog
from schemaprobe.spec.load import load_specs
from tests.spec.helpers import problems_of

SCHEMA = "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);"


def check(dsn: str, tmp_path: Path, groups: str) -> dict[str, ItemResult]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"version: 1\ntables: {{a: {{}}, b: {{}}}}\ngroups:\n{groups}", "utf-8")
    with psycopg.connect(dsn) as conn:
        conn.execute(SCHEMA)
        catalog = read_catalog(conn)
        results = compare_specs(load_specs([spec]), catalog, ServerCanonicalizer(conn))
        conn.rollback()
    return {r.name: r for r in results}


def findings(result: ItemResult) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.object, f.path, f.expected, f.actual) for f in result.findings]


def test_group_whose_claim_matches_its_tables_passes(scratch_dsn: str, tmp_path: Path) -> None:
    results = check(
        scratch_dsn, tmp_path, "  core:\n    tables: [a, public.b]\n    counts: {tables: 2}\n"
    )
    assert findings(results["group[core]"]) == []
    assert results["group[core]"].waiver is None


def test_claim_that_differs_from_the_list_is_a_finding(scratch_dsn: str, tmp_path: Path) -> None:
    results = check(scratch_dsn, tmp_path, "  new:\n    tables: [a, b]\n    counts: {tables: 1}\n")
    assert findings(results["group[new]"]) == [("group new", "count.tables", "1", "2")]


def test_missing_table_is_a_finding_and_not_counted(scratch_dsn: str, tmp_path: Path) -> None:
    groups = "  g:\n    tables: [a, b, c]\n    counts: {tables: {min: 3}}\n"
    results = check(scratch_dsn, tmp_path, groups)
    assert findings(results["group[g]"]) == [
        ("table public.c", "missing", "present", None),
        ("group g", "count.tables", "at least 3", "2"),
    ]
    assert results["group[g]"].findings[0].spec is not None
    assert results["group[g]"].findings[0].spec.line == 5  # the list entry naming c


def test_group_without_counts_checks_only_existence(scratch_dsn: str, tmp_path: Path) -> None:
    results = check(scratch_dsn, tmp_path, "  g:\n    tables: [a, b]\n")
    assert findings(results["group[g]"]) == []


def test_waived_group_reports_the_contradiction_and_goes_stale(
    scratch_dsn: str, tmp_path: Path
) -> None:
    waived = "    xfail: heading says 1 but lists 2\n"
    results = check(
        scratch_dsn, tmp_path, f"  g:\n    tables: [a, b]\n    counts: {{tables: 1}}\n{waived}"
    )
    group = results["group[g]"]
    assert group.waiver == "heading says 1 but lists 2"
    assert [f.waived for f in group.findings] == ["heading says 1 but lists 2"]
    stale = check(
        scratch_dsn, tmp_path, f"  g:\n    tables: [a, b]\n    counts: {{tables: 2}}\n{waived}"
    )
    assert stale["group[g]"].waiver is not None
    assert stale["group[g]"].findings == ()


def test_groups_are_planned_without_a_database(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\ngroups:\n  g: {tables: [a]}\n  h: {tables: [b]}\n", "utf-8")
    assert [r.name for r in plan(load_specs([spec]))] == ["group[g]", "group[h]"]


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("g: {tables: []}", "groups.g.tables"),
        ("g: {tables: [a], counts: {views: 1}}", "unknown key 'views'"),
        ("g: {tables: [a], count: 1}", "did you mean 'counts'"),
    ],
)
def test_malformed_groups_are_spec_errors(tmp_path: Path, group: str, message: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"version: 1\ngroups:\n  {group}\n", "utf-8")
    assert any(message in line for line in problems_of(spec))
