"""``schemaprobe lint``: exit codes, formats, rule selection, the exposed-schema note."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from schemaprobe.cli import main

CLEAN = """
CREATE TABLE public.notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES auth.users (id),
    body text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_owner_idx ON public.notes (owner_id);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Own notes" ON public.notes FOR ALL TO authenticated
    USING (owner_id = (select auth.uid()));
"""
DEFECTS = """
CREATE TABLE public."Open Table" (id int PRIMARY KEY, at timestamp);
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.sql"
    path.write_text(CLEAN)
    return path


@pytest.fixture
def defects(tmp_path: Path) -> Path:
    path = tmp_path / "defects.sql"
    path.write_text(DEFECTS)
    return path


def lint(server_dsn: str, *files: Path) -> list[str]:
    return ["lint", "--sql", *map(str, files), "--profile", "supabase", "--dsn", server_dsn]


def test_clean_database_exits_0_and_says_what_was_exposed(
    clean: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *lint(server_dsn, clean))
    assert code == 0, out
    assert out.strip().endswith("passed in lint")
    assert "exposed schemas (derived from USAGE granted to anon, authenticated): public" in err


def test_findings_exit_1_with_object_why_and_fix(
    clean: Path, defects: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *lint(server_dsn, clean, defects))
    assert code == 1
    assert "FAILED rules::rls-disabled-in-exposed-schema" in out
    assert 'object:   table public."Open Table"' in out
    assert 'fix:      ALTER TABLE "public"."Open Table" ENABLE ROW LEVEL SECURITY;' in out
    assert "rule:     rls-disabled-in-exposed-schema (error)" in out


def test_every_format(
    clean: Path,
    defects: Path,
    server_dsn: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    base = lint(server_dsn, clean, defects)
    code, out, err = run(capsys, *base, "--format", "json")
    assert code == 1
    findings = json.loads(out)  # the note is on stderr, stdout is only JSON
    assert "exposed schemas" in err
    by_key = {f["key"]: f for f in findings}
    entry = by_key['timestamp-without-time-zone::column public."Open Table".at']
    assert entry["kind"] == "rule"
    assert entry["rule"] == "timestamp-without-time-zone"
    assert entry["id"] == "rules::timestamp-without-time-zone"
    assert entry["severity"] == "warning"
    assert entry["fix"].startswith('ALTER TABLE "public"."Open Table" ALTER COLUMN "at"')

    report = tmp_path / "junit.xml"
    code, _, _ = run(capsys, *base, "--format", "junit", "-o", str(report))
    assert code == 1
    suite = ET.parse(report).getroot()
    assert int(suite.get("failures", "0")) >= 2

    code, out, _ = run(capsys, *base, "--format", "github")
    assert code == 1
    assert "::error title=" in out

    code, out, _ = run(capsys, *base, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    rule_ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert "rls-disabled-in-exposed-schema" in rule_ids
    result = next(r for r in sarif_run["results"] if r["ruleId"] == "timestamp-without-time-zone")
    assert result["level"] == "warning"
    assert rule_ids[result["ruleIndex"]] == "timestamp-without-time-zone"
    assert result["partialFingerprints"] == {
        "schemaprobe/v1": 'timestamp-without-time-zone::column public."Open Table".at'
    }


def test_rule_selection_and_exposed_schema_flag(
    clean: Path, defects: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = lint(server_dsn, clean, defects)
    code, out, _ = run(capsys, *base, "--rule", "table-without-primary-key", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(
        capsys,
        *base,
        "--skip-rule",
        "timestamp-without-time-zone",
        "--skip-rule",
        "rls-disabled-in-exposed-schema",
        "--skip-rule",
        "anon-write-grant",
    )
    assert code == 0, out
    # declared exposed schemas replace the derived ones, and the note says so
    code, out, err = run(capsys, *base, "--exposed-schema", "api", "--format", "json")
    assert "exposed schemas (given): api" in err
    assert "rls-disabled-in-exposed-schema" not in {f["rule"] for f in json.loads(out)}


def test_unknown_rule_is_a_usage_error_before_any_server(
    defects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "lint", "--sql", str(defects), "--rule", "duplicate-indexes", "--dsn", "x"
    )
    assert code == 2
    assert out == ""
    assert "did you mean 'duplicate-index'" in err.lower()


def test_unreachable_database_exits_2_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", "--dsn", "postgresql://app:hunter2@127.0.0.1:1/prod")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "hunter2" not in err


def test_list_rules_needs_no_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--list-rules")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == [
        "rls-disabled-in-exposed-schema",
        "error",
        "security",
    ]


def test_baseline_round_trip_fails_only_on_new_findings(
    clean: Path,
    defects: Path,
    server_dsn: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    baseline = tmp_path / "baseline.json"
    base = lint(server_dsn, clean, defects)
    code, _, err = run(capsys, *base, "--write-baseline", str(baseline))
    assert code == 0
    written = json.loads(baseline.read_text())
    keys = [entry["key"] for entry in written["findings"]]
    assert 'rls-disabled-in-exposed-schema::table public."Open Table"' in keys
    assert f"wrote {len(keys)} finding(s) to baseline" in err

    code, out, err = run(capsys, *base, "--baseline", str(baseline), "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert f"{len(keys)} accepted finding(s) not reported" in err

    # a new defect: only its findings are reported, and they fail the run
    added = tmp_path / "added.sql"
    added.write_text("CREATE TABLE public.more (id int PRIMARY KEY, at timestamp);")
    grown = lint(server_dsn, clean, defects, added)
    code, out, _ = run(capsys, *grown, "--baseline", str(baseline), "--format", "json")
    assert code == 1
    assert {f["object"] for f in json.loads(out)} == {
        "table public.more",
        "column public.more.at",
    }

    # a fixed defect: its entry is reported as no longer found, nothing fails
    code, _, err = run(capsys, *lint(server_dsn, clean), "--baseline", str(baseline))
    assert code == 0
    assert f"{len(keys)} entries no longer found (rewrite it with --write-baseline)" in err


def test_a_file_that_is_not_a_baseline_is_a_usage_error(
    defects: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"findings": []}')
    code, _, err = run(capsys, "lint", "--sql", str(defects), "--baseline", str(bogus))
    assert code == 2
    assert "not a schemaprobe baseline" in err


def test_audit_only_rules_run_with_audit_and_are_skipped_with_the_reason_without(
    tmp_path: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "indexed.sql"
    schema.write_text(
        "CREATE TABLE public.t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a ON t (a);"
    )
    base = ["lint", "--sql", str(schema), "--dsn", server_dsn, "--format", "json"]
    assert "unused-index" not in {f["rule"] for f in json.loads(run(capsys, *base)[1])}

    code, out, _ = run(capsys, *base[:-2], "--rule", "unused-index")
    assert code == 0
    assert "audit mode only" in out  # reported as not run, never as passed

    code, out, _ = run(capsys, *base, "--audit")  # a fresh database: nothing scanned t_a
    assert code == 1
    assert [f["object"] for f in json.loads(out) if f["rule"] == "unused-index"] == [
        "index public.t_a on public.t"
    ]
