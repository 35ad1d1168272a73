"""``--format junit``: JUnit XML for the test reporters of Jenkins, GitLab and GitHub.

One ``<testsuite>`` per spec file and one ``<testcase>`` per item, so a CI test tab
lists expectations by spec the way pytest would. A failure carries the text rendering of
its findings (the same block a developer sees locally); waived and unchecked items are
``<skipped>`` with the reason, which those reporters show without failing the build.

Built with ElementTree so that quoting is never hand-written; characters XML 1.0 cannot
hold at all (control characters from a catalog string) are written as ``\\x1b`` escapes,
or reporters would reject the whole file. No timestamp unless one is passed in, so two
runs over the same database produce the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from schemaprobe.findings import ItemResult
from schemaprobe.report.render import outcome, reported_findings, summarize
from schemaprobe.report.text import format_item_failure

__all__ = ["render_junit", "spec_file"]

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def spec_file(result: ItemResult) -> str:
    """The spec file an item belongs to: its node id up to the first ``::``."""
    return result.id.split("::", 1)[0]


def render_junit(
    results: Sequence[ItemResult], *, name: str = "schemaprobe", timestamp: str | None = None
) -> str:
    """The JUnit XML document for ``results`` (``timestamp``: ISO 8601, optional)."""
    suites: dict[str, list[ItemResult]] = {}
    for result in results:
        suites.setdefault(spec_file(result), []).append(result)
    root = ET.Element("testsuites", _counts(results, name))
    for file, items in suites.items():
        suite = ET.SubElement(root, "testsuite", _counts(items, file))
        if timestamp is not None:
            suite.set("timestamp", timestamp)
        for result in items:
            _testcase(suite, file, result)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{xml}\n'


def _counts(results: Sequence[ItemResult], name: str) -> dict[str, str]:
    summary = summarize(results)
    return {
        "name": _xml(name),
        "tests": str(summary.total),
        "failures": str(summary.failed),
        "errors": "0",
        "skipped": str(summary.waived + summary.skipped),
    }


def _testcase(suite: ET.Element, file: str, result: ItemResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=_xml(file), name=_xml(result.name))
    if result.location is not None:
        case.set("file", _xml(result.location.file))
        case.set("line", str(result.location.line))
    state = outcome(result)
    if state in ("failed", "stale"):
        findings = reported_findings(result)
        message = "; ".join(f"{f.message}: {' '.join(f.object.split())}" for f in findings)
        failure = ET.SubElement(
            case, "failure", message=_xml(message), type=_xml(findings[0].message)
        )
        failure.text = _xml(format_item_failure(result))
    elif state == "waived":
        ET.SubElement(case, "skipped", message=_xml(f"waived: {result.waiver}"))
    elif state == "skipped":
        ET.SubElement(case, "skipped", message=_xml(result.skipped or "not checked"))


def _xml(text: str) -> str:
    """``text`` with characters XML 1.0 forbids written as Python escapes."""
    return _NOT_XML.sub(lambda m: ascii(m[0])[1:-1], text)
