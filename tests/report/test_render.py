"""Which items fail, and the dispatcher: the judgement every format shares."""

from __future__ import annotations

import pytest

from schemaprobe.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from schemaprobe.report.render import (
    FORMATS,
    STALE_WAIVER,
    Summary,
    exit_code,
    outcome,
    render,
    reported_findings,
    summarize,
)
from tests.report.samples import (
    CHECK_DIFFERS,
    FAILING_RUN,
    PASSED,
    RULE,
    SKIPPED,
    STALE,
    WAIVED,
    finding,
    item,
)


def test_outcomes() -> None:
    assert [outcome(r) for r in (*PASSED, CHECK_DIFFERS, WAIVED, STALE, SKIPPED)] == [
        "passed",
        "passed",
        "failed",
        "waived",
        "stale",
        "skipped",
    ]
    # a waiver on an item that could not be checked is not proven stale
    assert outcome(item("x", 1, waiver="w", skipped="table gone")) == "skipped"


def test_summary_counts_and_exit_code() -> None:
    summary = summarize(FAILING_RUN)
    assert summary == Summary(passed=2, failed=5, waived=1, stale=1, skipped=1, findings=6)
    assert summary.total == 9
    assert exit_code(FAILING_RUN) == EXIT_FINDINGS
    assert exit_code(PASSED) == EXIT_OK
    assert exit_code((*PASSED, WAIVED, SKIPPED)) == EXIT_OK
    assert exit_code((*PASSED, STALE)) == EXIT_FINDINGS
    assert exit_code(()) == EXIT_OK


def test_summary_line() -> None:
    assert summarize(FAILING_RUN).line() == (
        "5 failed (6 findings, 1 stale waiver), 2 passed, 1 waived, 1 skipped in spec check"
    )
    assert summarize(PASSED).line("lint") == "2 passed in lint"
    assert summarize((STALE,)).line() == "1 failed (1 stale waiver) in spec check"
    assert summarize((RULE,)).line() == "1 failed (1 finding) in spec check"
    assert summarize(()).line() == "no items in spec check"


def test_reported_findings_take_the_waiver_from_the_item() -> None:
    (waived,) = reported_findings(WAIVED)
    assert waived.waived == "legacy import job, see #42"
    # a finding that claims a waiver its item does not have still fails
    stray = item("x", 1, finding("x", "o", "p", "M", "a", "b", waived="stale copy"))
    assert reported_findings(stray)[0].waived is None


def test_stale_waiver_is_a_finding_at_the_item() -> None:
    (stale,) = reported_findings(STALE)
    assert stale.message == STALE_WAIVER
    assert stale.spec == STALE.location
    assert stale.id == STALE.id
    assert stale.kind == STALE.kind
    assert stale.waived is None
    assert stale.expected is not None
    assert "old: bug, 100%, fixed" in stale.expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_dispatches_every_format(fmt: str) -> None:
    assert isinstance(render(FAILING_RUN, fmt), str)


def test_unknown_format_suggests_the_closest() -> None:
    with pytest.raises(UsageError) as excinfo:
        render(PASSED, "jsno")
    message = str(excinfo.value)
    assert "did you mean 'json'?" in message
    assert "Valid values are: text, json, junit, github" in message
