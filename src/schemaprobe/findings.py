"""Findings: one difference between a promise and the live database, in one shape for all.

Every stage (structure comparison, rules, property tests, benchmarks) reports
:class:`Finding` values; reports and the pytest plugin only ever read these. Grouped by the
pytest item they belong to in :class:`ItemResult`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from schemaprobe._location import Location

__all__ = ["Finding", "FindingKind", "ItemResult"]

FindingKind = Literal["structure", "rule", "check-property", "rls-property", "benchmark"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One mismatch.

    ``id`` is the stable node id of the item that owns it (``specs/app.yaml::public.
    stories::index[stories_user_id_idx]``). ``object`` names the database object
    (``index public.stories_user_id_idx``), ``path`` the aspect that differs (``type``,
    ``on_delete``, ``missing``, ``unexpected``, ``renamed``), ``message`` the fixed title
    of the kind of difference ("Missing index"). ``expected``/``actual`` are ``None`` where
    one side has nothing to show (a missing object has no ``actual``). ``waived`` holds the
    waiver's reason when the spec marks the object expected-to-fail.
    """

    id: str
    kind: FindingKind
    object: str
    path: str
    message: str
    expected: str | None
    actual: str | None
    spec: Location | None = None
    rule: str | None = None
    waived: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON shape (``spec`` as ``file:line``), plus path and waiver."""
        return {
            "id": self.id,
            "kind": self.kind,
            "object": self.object,
            "path": self.path,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "spec": self.spec.short if self.spec else None,
            "rule": self.rule,
            "waived": self.waived,
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What one pytest item (one expectation of a spec) came to.

    ``name`` is the item's name within its spec file (``public.stories::column[title]``),
    ``id`` the full node id. ``marker`` is the pytest marker of its kind
    (``schemaprobe_structure``). ``waiver`` is the reason if the spec marks it
    expected-to-fail: with findings it is reported as waived; without, the waiver is stale
    and the item fails (strict, never a silent pass). ``skipped`` says why the item could
    not be checked at all (its table is missing: that item carries the finding).
    """

    id: str
    name: str
    kind: FindingKind
    marker: str
    location: Location | None
    findings: tuple[Finding, ...]
    waiver: str | None = None
    skipped: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.findings
