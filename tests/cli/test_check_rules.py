"""``schemaprobe check`` runs the rules a spec switches on, with baselines, beside structure;
and rules installed through the ``schemaprobe.rules`` entry point join the catalogue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from schemaprobe.cli import main

SCHEMA = """
CREATE TABLE public.accounts (id int PRIMARY KEY);
CREATE TABLE public.orders (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
"""
SPEC = """\
version: 1
tables:
  accounts: {}
rules:
  unindexed-foreign-key: error
  table-without-primary-key: warning
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schema.sql").write_text(SCHEMA)
    (tmp_path / "app.yaml").write_text(SPEC)
    return tmp_path


def check(project: Path, dsn: str, *sql: str) -> list[str]:
    files = [str(project / "schema.sql"), *(str(project / s) for s in sql)]
    return ["check", str(project / "app.yaml"), "--sql", *files, "--dsn", dsn]


def test_check_reports_spec_rules_with_their_spec_line(
    project: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *check(project, server_dsn), "--format", "json")
    assert code == 1
    (finding,) = json.loads(out)
    assert finding["id"] == f"{project / 'app.yaml'}::rules::unindexed-foreign-key"
    assert finding["kind"] == "rule"
    assert finding["rule"] == "unindexed-foreign-key"
    assert finding["severity"] == "error"
    assert finding["spec"] == f"{project / 'app.yaml'}:5"
    # which schemas counted as exposed is said (the API roles are cluster-wide: another
    # test may have made them on a shared server, so the note's reason may vary)
    assert f"{project / 'app.yaml'}: exposed schemas" in err


def test_unknown_rule_in_a_spec_exits_2_before_any_server(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.yaml").write_text("version: 1\nrules:\n  no-such-rule: error\n")
    code, out, err = run(
        capsys, "check", str(project / "app.yaml"), "--dsn", "postgresql://nobody@127.0.0.1:1/x"
    )
    assert code == 2
    assert f"{project / 'app.yaml'}:3:3: rules.no-such-rule: unknown rule" in err
    assert "Traceback" not in out + err


def test_baseline_round_trip_with_check(
    project: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = project / "baseline.json"
    code, _, err = run(capsys, *check(project, server_dsn), "--write-baseline", str(baseline))
    assert code == 0
    assert "wrote 1 finding(s)" in err
    code, out, _ = run(capsys, *check(project, server_dsn), "--baseline", str(baseline))
    assert code == 0, out

    # a new defect: only it fails
    (project / "more.sql").write_text(
        "CREATE TABLE public.lines (id int PRIMARY KEY, order_id int REFERENCES public.orders);"
    )
    code, out, _ = run(
        capsys,
        *check(project, server_dsn, "more.sql"),
        "--baseline",
        str(baseline),
        "--format",
        "json",
    )
    assert code == 1
    assert [f["object"] for f in json.loads(out)] == [
        "constraint lines_order_id_fkey on public.lines"
    ]


RULE_PACKAGE = """
from schemaprobe.rules import Rule, Violation


def _tables_named_tmp(catalog, context):
    for table in catalog.tables.values():
        if table.name.name.startswith("tmp_"):
            yield Violation(
                object=f"table {table.name}",
                path="name",
                expected="no scratch tables",
                actual=table.name.name,
                fix=f"DROP TABLE {table.name};",
                subject=table.name,
            )


RULES = [
    Rule(
        id="no-scratch-tables",
        title="Scratch tables left behind",
        severity="warning",
        category="convention",
        why="Scratch tables are forgotten, never cleaned and never secured.",
        trigger="A table whose name starts with tmp_.",
        check=_tables_named_tmp,
    )
]
"""


@pytest.fixture
def rule_package(tmp_path: Path) -> Path:
    """An installed distribution (a dist-info on the path) registering one rule."""
    site = tmp_path / "site"
    (site / "acme_rules").mkdir(parents=True)
    (site / "acme_rules" / "__init__.py").write_text(RULE_PACKAGE)
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[schemaprobe.rules]\nacme = acme_rules:RULES\n")
    return site


def schemaprobe(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    return subprocess.run(
        [sys.executable, "-m", "schemaprobe", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_an_installed_rule_runs_in_lint_and_in_a_spec(
    rule_package: Path, tmp_path: Path, server_dsn: str
) -> None:
    listed = schemaprobe(rule_package, "lint", "--list-rules")
    assert listed.returncode == 0, listed.stderr
    assert "no-scratch-tables" in listed.stdout

    sql = tmp_path / "scratch.sql"
    sql.write_text("CREATE TABLE public.tmp_import (id int PRIMARY KEY);")
    linted = schemaprobe(
        rule_package,
        *("lint", "--sql", str(sql), "--dsn", server_dsn, "--rule", "no-scratch-tables"),
        *("--format", "json"),
    )
    assert linted.returncode == 1, linted.stderr
    (finding,) = json.loads(linted.stdout)
    assert (finding["rule"], finding["object"]) == ("no-scratch-tables", "table public.tmp_import")

    spec = tmp_path / "app.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            version: 1
            rules:
              no-scratch-tables:
                waivers: {table public.tmp_import: loaded by tonight's import job}
            """
        )
    )
    checked = schemaprobe(rule_package, "check", str(spec), "--sql", str(sql), "--dsn", server_dsn)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 waived" in checked.stdout


def test_a_broken_entry_point_is_one_line_naming_it(rule_package: Path) -> None:
    entry_points = rule_package / "acme_rules-1.0.dist-info" / "entry_points.txt"
    entry_points.write_text("[schemaprobe.rules]\nacme = acme_rules:NOPE\n")
    listed = schemaprobe(rule_package, "lint", "--list-rules")
    assert listed.returncode == 2
    assert "cannot load rules from entry point 'acme = acme_rules:NOPE' (acme-rules 1.0)" in (
        listed.stderr
    )
    assert "Traceback" not in listed.stderr
