"""A spec's ``rules:`` as pytest items: node ids, waiver items, baselines, check agreeing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from schemaprobe.cli import main

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")
SERVER = ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []
RUN = ["--schemaprobe", "--schemaprobe-sql", "schema.sql", *SERVER]

SCHEMA = """
CREATE TABLE public.accounts (id int PRIMARY KEY);
CREATE TABLE public.orders (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
CREATE TABLE public.imports (raw text);
"""
SPEC = """\
version: 1
tables:
  accounts: {}
rules:
  unindexed-foreign-key: error
  table-without-primary-key:
    waivers:
      table public.imports: a staging table the loader truncates
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".sql", schema=SCHEMA)
    (pytester.path / "specs").mkdir()
    (pytester.path / "specs" / "app.yaml").write_text(SPEC)
    return pytester


def test_rule_items_sit_under_their_spec(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q", *RUN)
    assert [line for line in result.stdout.lines if "::rules::" in line] == [
        "specs/app.yaml::rules::table-without-primary-key",
        "specs/app.yaml::rules::table-without-primary-key[table public.imports]",
        "specs/app.yaml::rules::unindexed-foreign-key",
    ]


def test_failures_waivers_and_the_exposure_note(project: pytest.Pytester) -> None:
    result = project.runpytest(*RUN, "-rA")
    result.assert_outcomes(passed=2, failed=1, xfailed=1)
    result.stdout.re_match_lines(
        [
            r"_+ specs/app\.yaml::rules::unindexed-foreign-key _+",
            r"specs/app\.yaml:5: rules::unindexed-foreign-key",
            r".*",
            r".*object: +constraint orders_account_id_fkey on public\.orders",
        ],
        consecutive=False,
    )
    result.stdout.fnmatch_lines(
        [
            "XFAIL specs/app.yaml::rules::table-without-primary-key[[]table public.imports[]]*"
            "a staging table the loader truncates"
        ]
    )
    result.stdout.fnmatch_lines(["schemaprobe rules: specs/app.yaml: exposed schemas*"])
    assert "Traceback" not in result.stdout.str()


def test_pytest_and_check_agree(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str], server_dsn: str
) -> None:
    result = project.runpytest(*RUN, "-q")
    failed = {line.split()[1] for line in result.stdout.lines if line.startswith("FAILED ")}
    capsys.readouterr()
    os.chdir(project.path)
    code = main(
        ["check", "specs/app.yaml", "--sql", "schema.sql", "--dsn", server_dsn, "--format", "json"]
    )
    out, _ = capsys.readouterr()
    assert code == 1
    assert (
        failed
        == {f["id"] for f in json.loads(out) if f["waived"] is None}
        == {"specs/app.yaml::rules::unindexed-foreign-key"}
    )


def test_a_baseline_makes_only_new_findings_fail(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str], server_dsn: str
) -> None:
    os.chdir(project.path)
    code = main(
        [
            *("check", "specs/app.yaml", "--sql", "schema.sql", "--dsn", server_dsn),
            *("--write-baseline", "baseline.json"),
        ]
    )
    capsys.readouterr()
    assert code == 0
    result = project.runpytest(*RUN, "--schemaprobe-baseline", "baseline.json")
    result.assert_outcomes(passed=3, xfailed=1)
    result.stdout.fnmatch_lines(["schemaprobe rules: baseline baseline.json: 1 accepted*"])

    # a new unindexed foreign key: only it fails, from the ini's baseline too
    Path(project.path, "schema.sql").write_text(
        SCHEMA + "CREATE TABLE public.lines (id int PRIMARY KEY, order_id int REFERENCES orders);"
    )
    project.makeini("[pytest]\nschemaprobe_baseline = baseline.json\n")
    result = project.runpytest(*RUN)
    result.assert_outcomes(passed=2, failed=1, xfailed=1)
    output = result.stdout.str()
    assert "constraint lines_order_id_fkey on public.lines" in output
    assert "orders_account_id_fkey" not in output


def test_unknown_rule_is_a_collection_error_at_its_line(project: pytest.Pytester) -> None:
    Path(project.path, "specs", "app.yaml").write_text(
        "version: 1\nrules:\n  unindexed-foreign-keys: error\n"
    )
    result = project.runpytest(*RUN)
    result.stdout.fnmatch_lines(
        ["*specs/app.yaml:3:3: rules.unindexed-foreign-keys: unknown rule*did you mean*"]
    )
    assert result.ret != 0
    assert "Traceback" not in result.stdout.str()
