"""What a run came to, and the one entry point that renders it in any report format.

Every format must agree on which items fail, which are waived and what a stale waiver
is, or the CLI's exit code, the JUnit counts and the GitHub annotations would tell three
different stories. So the judgement lives here once (:func:`outcome`,
:func:`reported_findings`, :func:`summarize`, :func:`exit_code`) and the format modules
only lay it out. They import this module; :func:`render` imports them when called, so
there is no import cycle.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from schemaprobe.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from schemaprobe.findings import Finding, ItemResult

__all__ = [
    "FORMATS",
    "STALE_WAIVER",
    "Outcome",
    "Summary",
    "exit_code",
    "outcome",
    "render",
    "reported_findings",
    "summarize",
]

FORMATS = ("text", "json", "junit", "github", "sarif")
STALE_WAIVER = "Waiver no longer needed"

Outcome = Literal["passed", "failed", "waived", "stale", "skipped"]


def outcome(result: ItemResult) -> Outcome:
    """How one item counts.

    Findings under a waiver are ``waived`` (expected to fail, not failing). A waiver
    without findings is ``stale`` and fails: strict, so a fixed problem cannot hide a
    waiver that would later swallow a regression. An item that could not be checked
    (``skipped``) cannot prove a waiver stale either.
    """
    if result.findings:
        return "waived" if result.waiver is not None else "failed"
    if result.skipped is not None:
        return "skipped"
    return "stale" if result.waiver is not None else "passed"


def stale_waiver_finding(result: ItemResult) -> Finding:
    """The failure a stale waiver is reported as, at the item's own spec location.

    ``waived`` stays ``None``: this finding fails, and JSON consumers filter on that key.
    The reason goes into ``expected`` so every format shows which waiver to remove.
    """
    return Finding(
        id=result.id,
        kind=result.kind,
        object=result.name,
        path="waiver",
        message=STALE_WAIVER,
        expected=f"fails (waived: {result.waiver})",
        actual="passes",
        spec=result.location,
    )


def reported_findings(result: ItemResult) -> tuple[Finding, ...]:
    """The findings a report shows for ``result``, with ``waived`` set from the item.

    The item's waiver is the authority (the producer may not copy it into each
    finding), so waived findings carry the reason and failing ones carry none.
    """
    state = outcome(result)
    if state == "stale":
        return (stale_waiver_finding(result),)
    waived = result.waiver if state == "waived" else None
    return tuple(f if f.waived == waived else replace(f, waived=waived) for f in result.findings)


@dataclass(frozen=True, slots=True)
class Summary:
    """Item counts of a run. ``failed`` includes ``stale`` waivers; ``findings`` counts
    the findings of failed items (waived ones excluded), stale waivers not included."""

    passed: int = 0
    failed: int = 0
    waived: int = 0
    stale: int = 0
    skipped: int = 0
    findings: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.waived + self.skipped

    def line(self, scope: str = "spec check") -> str:
        """pytest's closing line: ``3 failed (4 findings), 120 passed, 1 waived in spec check``."""
        parts: list[str] = []
        if self.failed:
            notes = [_plural(self.findings, "finding")] if self.findings else []
            if self.stale:
                notes.append(_plural(self.stale, "stale waiver"))
            parts.append(f"{self.failed} failed" + (f" ({', '.join(notes)})" if notes else ""))
        for count, label in (
            (self.passed, "passed"),
            (self.waived, "waived"),
            (self.skipped, "skipped"),
        ):
            if count:
                parts.append(f"{count} {label}")
        return f"{', '.join(parts) or 'no items'} in {scope}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summarize(results: Sequence[ItemResult]) -> Summary:
    """Count the items of a run by :func:`outcome`."""
    counts = dict.fromkeys(("passed", "failed", "waived", "stale", "skipped"), 0)
    findings = 0
    for result in results:
        state = outcome(result)
        counts[state] += 1
        if state == "failed":
            findings += len(result.findings)
    return Summary(
        passed=counts["passed"],
        failed=counts["failed"] + counts["stale"],
        waived=counts["waived"],
        stale=counts["stale"],
        skipped=counts["skipped"],
        findings=findings,
    )


def exit_code(results: Sequence[ItemResult]) -> int:
    """``EXIT_FINDINGS`` when anything fails (stale waivers do, waived findings do not)."""
    return EXIT_FINDINGS if summarize(results).failed else EXIT_OK


def render(
    results: Sequence[ItemResult],
    format: str,
    *,
    color: bool = False,
    scope: str = "spec check",
    suite_name: str = "schemaprobe",
    timestamp: str | None = None,
) -> str:
    """Render ``results`` as ``format`` (one of :data:`FORMATS`).

    ``color`` and ``scope`` (the summary line's "in spec check") apply to text;
    ``suite_name`` and ``timestamp`` (ISO 8601, only written when given, so output stays
    deterministic) to JUnit. Raises :class:`UsageError` for an unknown format.
    """
    if format == "text":
        from schemaprobe.report.text import render_text

        return render_text(results, color=color, scope=scope)
    if format == "json":
        from schemaprobe.report.json_report import render_json

        return render_json(results)
    if format == "junit":
        from schemaprobe.report.junit import render_junit

        return render_junit(results, name=suite_name, timestamp=timestamp)
    if format == "github":
        from schemaprobe.report.github import render_github

        return render_github(results)
    if format == "sarif":
        from schemaprobe.report.sarif import render_sarif

        return render_sarif(results)
    close = difflib.get_close_matches(format, FORMATS, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise UsageError(
        f"unknown report format '{format}'{hint}. Valid values are: {', '.join(FORMATS)}"
    )
