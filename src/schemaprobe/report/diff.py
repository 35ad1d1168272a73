"""The ``diff`` report: differences only, grouped by object, ``-`` wanted / ``+`` found.

Written for a person skimming a pull request comment or a terminal: one heading per
table (or other top-level object), then one entry per differing object with the
expected side prefixed ``-`` and the live side ``+``, as ``diff -u`` readers expect.
Passing expectations are not mentioned; waived ones are marked, not hidden.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemaprobe.findings import Finding, ItemResult
from schemaprobe.report.render import reported_findings, summarize

__all__ = ["render_diff"]


def _lines(prefix: str, value: str | None) -> list[str]:
    if value is None:
        return []
    return [f"{prefix} {line}" for line in value.splitlines() or [""]]


def _entry(finding: Finding) -> list[str]:
    head = f"  {finding.object}"
    if finding.path in ("missing", "unexpected", "renamed"):
        head += f": {finding.message.lower()}"
    else:
        head += f": {finding.path}"
    if finding.waived:
        head += f"  [waived: {finding.waived}]"
    body = [*_lines("    -", finding.expected), *_lines("    +", finding.actual)]
    if finding.spec is not None:
        body.append(f"    @ {finding.spec.short}")
    return [head, *body]


def render_diff(results: Sequence[ItemResult], *, reference: str) -> str:
    """Every finding of ``results`` grouped by the object it belongs to."""
    groups: dict[str, list[Finding]] = {}
    for result in results:
        shown = reported_findings(result)
        if not shown:
            continue
        group = result.name.partition("::")[0]
        groups.setdefault(group, []).extend(shown)
    out = [f"--- {reference} (expected)", "+++ database (actual)"]
    for group, findings in groups.items():
        out += ["", group]
        for finding in findings:
            out += _entry(finding)
    summary = summarize(results)
    count = sum(len(f) for f in groups.values())
    out += ["", f"{count} difference{'s' if count != 1 else ''}; {summary.line('diff')}"]
    if not groups:
        out[2:2] = ["", "no differences"]
    return "\n".join(out) + "\n"
