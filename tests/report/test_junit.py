"""JUnit XML parses, groups items by spec file and counts what CI reporters count."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from schemaprobe.report.junit import render_junit
from tests.report.samples import CHECK_DIFFERS, FAILING_RUN, PASSED, finding, item


def counts(element: ET.Element) -> tuple[str | None, ...]:
    return tuple(element.get(k) for k in ("tests", "failures", "errors", "skipped"))


def test_passing_run() -> None:
    root = ET.fromstring(render_junit(PASSED))
    assert root.tag == "testsuites"
    assert counts(root) == ("2", "0", "0", "0")
    assert [s.get("name") for s in root] == ["specs/app.yaml", "specs/other.yaml"]
    assert root.find("testsuite/testcase/failure") is None


def test_failing_run_counts_and_cases() -> None:
    text = render_junit(FAILING_RUN)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(text)
    assert counts(root) == ("9", "5", "0", "2")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["specs/app.yaml", "specs/other.yaml", "lint"]
    assert counts(suites["specs/app.yaml"]) == ("7", "4", "0", "2")
    assert counts(suites["lint"]) == ("1", "1", "0", "0")
    assert "timestamp" not in suites["lint"].attrib

    cases = {c.get("name"): c for c in root.iter("testcase")}
    index = cases["public.stories::index[stories_user_id_idx]"]
    assert index.attrib == {
        "classname": "specs/app.yaml",
        "name": "public.stories::index[stories_user_id_idx]",
        "file": "specs/app.yaml",
        "line": "12",
    }
    failure = index.find("failure")
    assert failure is not None
    assert failure.get("type") == "Missing index"
    assert failure.get("message") == (
        "Missing index: index on public.stories (user_id, created_at DESC)"
    )
    assert failure.text is not None
    assert "  expected: (user_id, created_at DESC)" in failure.text

    waived = cases["public.legacy::rls"].find("skipped")
    assert waived is not None
    assert waived.get("message") == "waived: legacy import job, see #42"
    skipped = cases["public.gone::column[a]"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "table public.gone is missing"
    stale = cases["public.fixed::rls"].find("failure")
    assert stale is not None
    assert stale.get("type") == "Waiver no longer needed"
    assert "rule[rls-enabled]" in cases
    assert "file" not in cases["rule[rls-enabled]"].attrib


def test_special_characters_survive_the_round_trip() -> None:
    root = ET.fromstring(render_junit((CHECK_DIFFERS,)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.text is not None
    assert "CHECK (price >= 0), note: a, b" in failure.text
    assert "            <&>" in failure.text
    assert "AND discount <= 100%)" in failure.text


def test_control_characters_cannot_break_the_xml() -> None:
    odd = item("t", 1, finding("t", "table \x1bt\x00", "p", "Odd\x07", "a\x0b", "b"))
    root = ET.fromstring(render_junit((odd,)))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("type") == "Odd\\x07"
    assert failure.get("message") == "Odd\\x07: table \\x1bt\\x00"


def test_timestamp_only_when_given_and_deterministic_otherwise() -> None:
    assert render_junit(FAILING_RUN) == render_junit(FAILING_RUN)
    root = ET.fromstring(render_junit(PASSED, name="nightly", timestamp="2026-01-02T03:04:05"))
    assert root.get("name") == "nightly"
    assert {s.get("timestamp") for s in root} == {"2026-01-02T03:04:05"}
