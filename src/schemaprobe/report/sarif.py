"""``--format sarif``: a SARIF 2.1.0 log, for code scanning dashboards (GitHub, GitLab, IDEs).

One run, tool ``schemaprobe``. Each rule a finding cites (a built-in rule's id, or the
finding kind for structural findings) becomes a ``reportingDescriptor``; each reported
finding a ``result`` with its level (error, warning, note for info), its message, the
spec location when there is one (``physicalLocation``) and the database object as a
``logicalLocation`` otherwise. The finding's stable key is the result's
``partialFingerprints`` entry, so dashboards track the same finding across runs. Waived
findings are results with an external suppression carrying the waiver's reason.
Deterministic: no timestamps, no absolute paths invented.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from schemaprobe import __version__
from schemaprobe.findings import Finding, ItemResult
from schemaprobe.report.render import outcome, reported_findings

if TYPE_CHECKING:
    from schemaprobe.rules import Rule

__all__ = ["SARIF_SCHEMA", "render_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_id(finding: Finding) -> str:
    return finding.rule or f"{finding.kind}/{finding.path}"


def _descriptor(rule_id: str, finding: Finding) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"id": rule_id}
    rule = _builtin(rule_id)
    if rule is not None:
        descriptor["name"] = rule.id
        descriptor["shortDescription"] = {"text": rule.title}
        descriptor["fullDescription"] = {"text": rule.why}
        descriptor["defaultConfiguration"] = {"level": _LEVELS[rule.severity]}
        descriptor["properties"] = {"tags": [rule.category]}
    else:
        descriptor["shortDescription"] = {"text": finding.message}
    return descriptor


def _builtin(rule_id: str) -> Rule | None:
    """The built-in rule's metadata (title, why, severity) for its descriptor."""
    from schemaprobe.errors import UsageError
    from schemaprobe.rules.registry import rule_by_id

    try:
        return rule_by_id(rule_id)
    except UsageError:  # a structural finding kind, or a user rule
        return None


def _text(finding: Finding) -> str:
    lines = [f"{finding.object}: {finding.message}"]
    for label, value in (("expected", finding.expected), ("actual", finding.actual)):
        if value is not None:
            lines.append(f"{label}: {value}")
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    return "\n".join(lines)


def _result(finding: Finding, index: int, item: ItemResult) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "ruleIndex": index,
        "level": _LEVELS.get(finding.severity or "error", "error"),
        "message": {"text": _text(finding)},
    }
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": finding.object, "kind": "object"}]
    }
    where = finding.spec or item.location
    if where is not None:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": where.file},
            "region": {"startLine": where.line, "startColumn": where.column},
        }
    result["locations"] = [location]
    if finding.key is not None:
        result["partialFingerprints"] = {"schemaprobe/v1": finding.key}
    if finding.fix is not None:
        result["properties"] = {"fix": finding.fix}
    if finding.waived is not None:
        result["suppressions"] = [{"kind": "external", "justification": finding.waived}]
    return result


def render_sarif(results: Sequence[ItemResult]) -> str:
    """The SARIF log of ``results``' reported findings (an empty results list if none)."""
    descriptors: dict[str, dict[str, Any]] = {}
    order: dict[str, int] = {}
    sarif_results: list[dict[str, Any]] = []
    for item in results:
        if outcome(item) not in ("failed", "stale", "waived"):
            continue
        for finding in reported_findings(item):
            rule_id = _rule_id(finding)
            if rule_id not in descriptors:
                order[rule_id] = len(descriptors)
                descriptors[rule_id] = _descriptor(rule_id, finding)
            sarif_results.append(_result(finding, order[rule_id], item))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "schemaprobe",
                        "version": __version__,
                        "rules": list(descriptors.values()),
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
