"""The report for people: a terminal, a CI log, a pytest failure.

Each failing item starts with its spec location (``specs/app.yaml:12: name``, the form
editors and terminals link), then one block per finding in the project's error grammar:
a fixed title, a blank line, and aligned ``label: value`` lines (Hypothesis' style), so
expected and actual sit one above the other and differences stand out. Several missing
or unexpected objects in one item collapse into two lists, because twenty five-line
blocks saying "Missing column" hide the one line that matters. Deterministic and plain
unless colour is asked for, so the output can be diffed and pasted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemaprobe.findings import Finding, ItemResult
from schemaprobe.report.render import outcome, reported_findings, summarize

__all__ = ["format_finding", "format_item_failure", "render_text"]

_INVENTORY = ("missing", "unexpected")
_NOT_WORTH_LISTING = (None, "", "present", "absent", "(none)")
_RED, _YELLOW, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[1m", "\x1b[0m"


def format_item_failure(result: ItemResult) -> str:
    """One item's findings as text: the block the pytest plugin shows for a failure.

    A stale waiver is shown as its "Waiver no longer needed" finding; a waived item
    says so under its header. A passing item gives just its header.
    """
    lines = [_header(result)]
    if outcome(result) == "waived":
        lines.append(f"waived: {result.waiver}")
    for block in _blocks(reported_findings(result)):
        lines += ["", *block]
    return "\n".join(lines)


def format_finding(finding: Finding) -> str:
    """One finding on its own: title, blank line, aligned fields."""
    return "\n".join(_finding_block(finding))


def render_text(
    results: Sequence[ItemResult], *, color: bool = False, scope: str = "spec check"
) -> str:
    """The whole report: failures in input order, then waived and skipped items, then
    pytest's kind of summary line. ANSI colours only when ``color`` is true."""

    def paint(text: str, *codes: str) -> str:
        return f"{''.join(codes)}{text}{_RESET}" if color else text

    sections: list[str] = []
    waived: list[str] = []
    skipped: dict[str, int] = {}
    for result in results:
        state = outcome(result)
        if state in ("failed", "stale"):
            sections.append(f"{paint('FAILED', _RED, _BOLD)} {format_item_failure(result)}")
        elif state == "waived":
            waived += [f"  {_header(result)}", f"    waived: {result.waiver}"]
            waived += [f"    {f.message} ({_one_line(f.object)})" for f in result.findings]
        elif state == "skipped" and result.skipped is not None:
            skipped[result.skipped] = skipped.get(result.skipped, 0) + 1
    if waived:
        sections.append("\n".join([paint("Waived:", _YELLOW), *waived]))
    if skipped:
        lines = [f"  {_count(n)}: {reason}" for reason, n in skipped.items()]
        sections.append("\n".join([paint("Skipped:", _YELLOW), *lines]))
    summary = summarize(results)
    line = summary.line(scope)
    sections.append(paint(line, _RED if summary.failed else _GREEN, _BOLD) if color else line)
    return "\n\n".join(sections) + "\n"


def _count(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"


def _header(result: ItemResult) -> str:
    where = result.location.short if result.location else None
    return f"{where}: {result.name}" if where else result.name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _blocks(findings: Sequence[Finding]) -> list[list[str]]:
    """Finding blocks in order; 2+ listable missing/unexpected ones become one inventory."""
    listable = {i: entry for i, f in enumerate(findings) if (entry := _list_entry(f))}
    if len(listable) < 2:
        listable = {}
    blocks: list[list[str]] = []
    for i, finding in enumerate(findings):
        if i not in listable:
            blocks.append(_finding_block(finding))
        elif i == min(listable):
            blocks.append(_inventory_block([findings[j] for j in listable], listable.values()))
    return blocks


def _list_entry(finding: Finding) -> str | None:
    """The object as one list entry (with its type or definition), or None if not listable."""
    if finding.path not in _INVENTORY:
        return None
    detail = finding.expected if finding.path == "missing" else finding.actual
    if "\n" in finding.object or (detail and "\n" in detail):
        return None
    return finding.object if detail in _NOT_WORTH_LISTING else f"{finding.object} ({detail})"


def _inventory_block(findings: Sequence[Finding], entries: Iterable[str]) -> list[str]:
    by_path: dict[str, list[str]] = {path: [] for path in _INVENTORY}
    for finding, entry in zip(findings, entries, strict=True):
        by_path[finding.path].append(entry)
    title = " / ".join(dict.fromkeys(f.message for f in findings))
    fields = [(path, ", ".join(names)) for path, names in by_path.items() if names]
    return [title, "", *_fields(fields)]


def _finding_block(finding: Finding) -> list[str]:
    fields = [
        ("object", finding.object),
        ("path", finding.path),
        ("expected", finding.expected),
        ("actual", finding.actual),
        ("rule", _rule(finding)),
        ("spec", str(finding.spec) if finding.spec else None),
        ("fix", finding.fix),
    ]
    return [finding.message, "", *_fields(fields)]


def _rule(finding: Finding) -> str | None:
    if finding.rule is None or finding.severity is None:
        return finding.rule
    return f"{finding.rule} ({finding.severity})"


def _fields(fields: Iterable[tuple[str, str | None]]) -> list[str]:
    """``label: value`` lines with aligned values; further lines of a value indented to
    the value column. ``None`` values are left out (that side has nothing to show)."""
    present = [(label, value) for label, value in fields if value is not None]
    width = max((len(label) for label, _ in present), default=0) + 1
    lines: list[str] = []
    for label, value in present:
        first, *rest = value.splitlines() or [""]
        lines.append(f"  {label + ':':<{width}} {first}".rstrip())
        lines += [f"  {'':<{width}} {more}".rstrip() for more in rest]
    return lines
