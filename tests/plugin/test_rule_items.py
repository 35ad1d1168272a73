"""Built-in rules as pytest items: opt-in, ``rules::<id>`` node ids, failures with fixes.

The project has no spec at all: rule items need only a database. ``lint`` and the items
must agree, so one test runs both over the same SQL and compares the failing rules.
"""

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
CREATE TABLE public."Event Log" (id int, at timestamp);
CREATE TABLE public.keyed (id int PRIMARY KEY, at timestamptz);
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".sql", schema=SCHEMA)
    return pytester


def test_no_rule_items_unless_asked_for(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q", *RUN)
    assert "rules::" not in result.stdout.str()


def test_each_rule_is_an_item_named_by_its_id(project: pytest.Pytester) -> None:
    from schemaprobe.rules import BUILTIN_RULES

    result = project.runpytest("--collect-only", "-q", *RUN, "--schemaprobe-rule", "all")
    collected = [line for line in result.stdout.lines if line.startswith("rules::")]
    assert collected == [f"rules::{rule.id}" for rule in BUILTIN_RULES if rule.default]


def test_failing_rules_show_object_why_and_fix(project: pytest.Pytester) -> None:
    rules = ["table-without-primary-key", "timestamp-without-time-zone", "duplicate-index"]
    args = [a for rule in rules for a in ("--schemaprobe-rule", rule)]
    result = project.runpytest(*RUN, *args)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.re_match_lines(
        [
            r"_+ rules::table-without-primary-key _+",
            r"rules::table-without-primary-key",
            r"Without a primary key rows cannot be addressed one by one.*",
            r'  object: +table public\."Event Log"',
            r"  rule: +table-without-primary-key \(warning\)",
            r'  fix: +ALTER TABLE "public"\."Event Log" ADD COLUMN "id2" .*',
        ]
    )
    result.stdout.fnmatch_lines(["schemaprobe rules: exposed schemas*"])
    assert "Traceback" not in result.stdout.str()


def test_ini_selects_rules_and_k_deselects_them(project: pytest.Pytester) -> None:
    project.makeini(
        "[pytest]\nschemaprobe_rules =\n    table-without-primary-key\n    duplicate-index\n"
    )
    result = project.runpytest(*RUN, "-k", "not duplicate")
    result.assert_outcomes(failed=1, deselected=1)


def test_unknown_rule_is_a_collection_error(project: pytest.Pytester) -> None:
    result = project.runpytest(*RUN, "--schemaprobe-rule", "duplicate-indexes")
    result.stdout.fnmatch_lines(["*unknown rule 'duplicate-indexes'*duplicate-index*"])
    assert result.ret != 0


def test_items_and_lint_agree(
    project: pytest.Pytester, capsys: pytest.CaptureFixture[str], server_dsn: str
) -> None:
    result = project.runpytest(*RUN, "--schemaprobe-rule", "all", "-q")
    failed = {line.split()[1] for line in result.stdout.lines if line.startswith("FAILED rules::")}
    schema = Path(project.path, "schema.sql")
    capsys.readouterr()  # the in-process pytest run's own output
    code = main(["lint", "--sql", str(schema), "--dsn", server_dsn, "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert failed == {f["id"] for f in json.loads(out)}
