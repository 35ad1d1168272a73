"""``--format sarif``: a minimal valid SARIF 2.1.0 log for structural and rule findings."""

from __future__ import annotations

import json

from schemaprobe.report.sarif import render_sarif
from tests.report.samples import FAILING_RUN, PASSED, SPEC


def test_empty_run_is_a_valid_log_without_results() -> None:
    log = json.loads(render_sarif(PASSED))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "schemaprobe"
    assert run["results"] == []


def test_structural_findings_point_at_the_spec_line_and_waivers_are_suppressions() -> None:
    run = json.loads(render_sarif(FAILING_RUN))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        # every result names a descriptor that exists, at its index
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
    located = [r for r in run["results"] if "physicalLocation" in r["locations"][0]]
    first = located[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == SPEC
    assert first["region"] == {"startLine": 14, "startColumn": 9}
    waived = [r for r in run["results"] if "suppressions" in r]
    assert [s["justification"] for r in waived for s in r["suppressions"]] == [
        "legacy import job, see #42"
    ]
