"""Built-in rules as pytest items: opt-in, ``rules::<id>`` node ids, failures with fixes.

The project has no spec at all: rule items need only a database. ``lint`` and the items
must agree, so one test runs both over the same Supabase schema and compares them finding
by finding; a ``lint --write-baseline`` file makes the items fail on new findings only.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
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


#: a Supabase schema that breaks twelve rules, some on several objects
SUPABASE_SCHEMA = """
CREATE TABLE public."Event Log" (id int, at timestamp, updated_at timestamptz);
CREATE TABLE public.accounts (id uuid PRIMARY KEY, created timestamp);
ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;
CREATE TABLE public.notes (
    id int PRIMARY KEY,
    account_id uuid REFERENCES public.accounts,
    user_id uuid,
    body text
);
CREATE INDEX notes_body_a ON public.notes (body);
CREATE INDEX notes_body_b ON public.notes (body);
CREATE POLICY "own notes" ON public.notes FOR SELECT USING (user_id = auth.uid());
CREATE POLICY "anyone writes" ON public.notes FOR INSERT WITH CHECK (true);
CREATE FUNCTION public.touch() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
"""
SUPABASE_RUN = [*RUN, "--schemaprobe-profile", "supabase", "--schemaprobe-rule", "all"]

_OBJECT = re.compile(r"^  object: +(.+)$", re.MULTILINE)
_RULE = re.compile(r"^  rule: +(\S+) \((\w+)\)$", re.MULTILINE)


def _item_findings(junit: Path) -> dict[str, list[tuple[str, str]]]:
    """Each ``rules::<id>`` item -> the (key, severity) of each finding its failure shows."""
    items: dict[str, list[tuple[str, str]]] = {}
    for case in ET.parse(junit).iter("testcase"):
        assert case.get("classname") == "rules"
        rule_id = str(case.get("name"))
        failure = case.find("failure")
        text = "" if failure is None else failure.text or ""
        objects, rules = _OBJECT.findall(text), _RULE.findall(text)
        assert len(objects) == len(rules), text
        assert {r for r, _ in rules} <= {rule_id}, text
        items[f"rules::{rule_id}"] = [
            (f"{rule_id}::{obj}", severity)
            for obj, (_, severity) in zip(objects, rules, strict=True)
        ]
    return items


def _lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()  # the in-process pytest run's own output
    code = main(["lint", "--profile", "supabase", *args])
    out, _ = capsys.readouterr()
    return code, out


def test_items_and_lint_agree_finding_by_finding(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str], server_dsn: str
) -> None:
    schema = pytester.makefile(".sql", schema=SUPABASE_SCHEMA)
    junit = pytester.path / "report.xml"
    result = pytester.runpytest(*SUPABASE_RUN, f"--junitxml={junit}", "-q")
    items = _item_findings(junit)
    code, out = _lint(capsys, "--sql", str(schema), "--dsn", server_dsn, "--format", "json")
    assert code == 1
    linted: dict[str, list[tuple[str, str]]] = {}
    for finding in json.loads(out):
        assert finding["key"] == f"{finding['rule']}::{finding['object']}"
        linted.setdefault(finding["id"], []).append((finding["key"], finding["severity"]))

    # the same findings, item by item and in the same order; items lint has nothing
    # for passed (or were skipped with a reason)
    assert {i: f for i, f in items.items() if f} == linted
    assert len(linted) >= 5, linted
    failed = {line.split()[1] for line in result.stdout.lines if line.startswith("FAILED ")}
    assert failed == set(linted)
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == len(linted)
    assert outcomes["passed"] + outcomes.get("skipped", 0) == len(items) - len(linted)


def test_a_lint_baseline_makes_rule_items_fail_on_new_findings_only(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str], server_dsn: str
) -> None:
    schema = pytester.makefile(".sql", schema=SUPABASE_SCHEMA)
    baseline = pytester.path / "baseline.json"
    code, _ = _lint(
        capsys, "--sql", str(schema), "--dsn", server_dsn, "--write-baseline", str(baseline)
    )
    assert code == 0
    accepted = json.loads(baseline.read_text())["findings"]
    assert len({f["rule"] for f in accepted}) >= 5

    result = pytester.runpytest(*SUPABASE_RUN, "--schemaprobe-baseline", str(baseline))
    assert result.ret == 0, result.stdout.str()
    assert result.parseoutcomes()["passed"] > 0
    result.stdout.fnmatch_lines(
        [f"schemaprobe rules: baseline {baseline}: {len(accepted)} accepted finding(s)*"]
    )

    # one more duplicate of an index already accepted as duplicated: only that rule's
    # item fails, and it shows only the new finding
    schema.write_text(SUPABASE_SCHEMA + "CREATE INDEX notes_body_c ON public.notes (body);\n")
    result = pytester.runpytest(*SUPABASE_RUN, "--schemaprobe-baseline", str(baseline), "-q")
    failed = [line.split()[1] for line in result.stdout.lines if line.startswith("FAILED ")]
    assert failed == ["rules::duplicate-index"]
    output = result.stdout.str()
    assert "object:   index public.notes_body_c on public.notes" in output
    assert "notes_body_b" not in output
    result.stdout.fnmatch_lines(
        [f"schemaprobe rules: baseline {baseline}: {len(accepted)} accepted finding(s)*"]
    )
