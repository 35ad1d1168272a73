"""Baseline files: findings a team has accepted, so CI fails only on new ones.

A baseline is a JSON document listing finding keys (``<rule-id>::<object>``, no line
numbers or oids, so they survive re-provisioning, a dump and restore, reordering). A run
with a baseline drops the findings it lists; a listed key no run produces any more is
reported as *resolved*, so the file can be rewritten and shrink, never silently grow.
The rule and object are stored beside each key for people reading the file in review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from schemaprobe.errors import UsageError
from schemaprobe.findings import Finding, ItemResult

__all__ = ["BASELINE_VERSION", "Baseline", "apply_baseline", "read_baseline", "render_baseline"]

BASELINE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Baseline:
    """What applying a baseline did: findings accepted, keys no longer found."""

    accepted: int
    resolved: tuple[str, ...]

    def note(self, path: Path) -> str:
        text = f"baseline {path}: {self.accepted} accepted finding(s) not reported"
        if self.resolved:
            text += (
                f"; {len(self.resolved)} entr{'y' if len(self.resolved) == 1 else 'ies'} "
                "no longer found (rewrite it with --write-baseline)"
            )
        return text


def render_baseline(results: Sequence[ItemResult]) -> str:
    """The baseline of every finding in ``results`` (sorted, so rewrites diff cleanly)."""
    entries = sorted(
        ({"key": f.key, "rule": f.rule, "object": f.object} for r in results for f in r.findings),
        key=lambda e: str(e["key"]),
    )
    document = {"schemaprobe_baseline": BASELINE_VERSION, "findings": entries}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    """The accepted keys in ``path``; :class:`UsageError` if it is not a baseline."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(document, dict) or document.get("schemaprobe_baseline") != 1:
        raise UsageError(
            f"{path}: not a schemaprobe baseline (expected schemaprobe_baseline: 1); "
            "write one with --write-baseline"
        )
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("key"), str) for e in entries
    ):
        raise UsageError(f"{path}: findings must be a list of objects with a key")
    return frozenset(e["key"] for e in entries)


def apply_baseline(
    results: Sequence[ItemResult], accepted: frozenset[str]
) -> tuple[list[ItemResult], Baseline]:
    """``results`` without the accepted findings, and what was accepted or resolved."""
    seen: set[str] = set()
    kept: list[ItemResult] = []
    for result in results:
        findings = tuple(f for f in result.findings if f.key not in accepted)
        seen.update(f.key for f in result.findings if f.key is not None and f.key in accepted)
        kept.append(result if len(findings) == len(result.findings) else _with(result, findings))
    resolved = tuple(sorted(accepted - seen))
    return kept, Baseline(accepted=len(seen), resolved=resolved)


def _with(result: ItemResult, findings: tuple[Finding, ...]) -> ItemResult:
    return ItemResult(
        result.id,
        result.name,
        result.kind,
        result.marker,
        result.location,
        findings=findings,
        waiver=result.waiver,
        skipped=result.skipped,
    )
