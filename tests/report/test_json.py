"""``--format json`` keeps DESIGN.md's contract: a list of findings, documented keys only."""

from __future__ import annotations

import json

from schemaprobe.report.json_report import render_json
from schemaprobe.report.render import STALE_WAIVER
from tests.report.samples import FAILING_RUN, PASSED, SPEC

KEYS = {
    "id",
    "kind",
    "object",
    "path",
    "message",
    "expected",
    "actual",
    "spec",
    "rule",
    "waived",
    "fix",
    "severity",
    "key",
}


def test_passing_run_is_an_empty_list() -> None:
    assert render_json(PASSED) == "[]\n"


def test_failing_run_round_trips_with_exactly_the_documented_keys() -> None:
    text = render_json(FAILING_RUN)
    assert text.endswith("]\n")
    assert text.startswith('[\n  {\n    "id": ')  # indent 2
    data = json.loads(text)
    assert all(set(entry) == KEYS for entry in data)
    assert [entry["message"] for entry in data] == [
        "Missing index",
        "Check differs",
        "Missing column",
        "Missing column",
        "Unexpected column",
        "RLS disabled",
        STALE_WAIVER,
        "Row-level security disabled",
    ]
    index, check, *_, waived, stale, rule = data
    assert index["spec"] == f"{SPEC}:14"
    assert index["actual"] is None
    assert check["expected"] == "CHECK (price > 0\n       AND discount <= 100%)"
    assert check["actual"] == "CHECK (price >= 0), note: a, b\r\n<&>"
    assert waived["waived"] == "legacy import job, see #42"
    assert stale["waived"] is None
    assert stale["spec"] == f"{SPEC}:50"
    assert stale["id"] == f"{SPEC}::public.fixed::rls"
    assert stale["kind"] == "structure"
    assert rule["spec"] is None
    assert rule["rule"] == "rls-enabled"
    assert rule["kind"] == "rule"


def test_output_is_deterministic() -> None:
    assert render_json(FAILING_RUN) == render_json(FAILING_RUN)
