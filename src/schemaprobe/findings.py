"""Findings: one difference between a promise and the live database, in one shape for all.

Every stage (structure comparison, rules, property tests, benchmarks) reports
:class:`Finding` values; reports and the pytest plugin only ever read these. Grouped by the
pytest item they belong to in :class:`ItemResult`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from schemaprobe._location import Location

__all__ = ["Finding", "FindingKind", "ItemResult"]

FindingKind = Literal["structure", "rule", "check-property", "rls-property", "benchmark"]


# Not frozen: a frozen dataclass sets each of its 13 fields through object.__setattr__,
# which doubled the cost of making one, and a 10,000-table rule run makes 100,000 of
# them. Immutable by convention (nothing assigns to a field; dataclasses.replace makes
# changed copies), hashable by value as a frozen one would be.
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One mismatch.

    ``id`` is the stable node id of the item that owns it (``specs/app.yaml::public.
    stories::index[stories_user_id_idx]``). ``object`` names the database object
    (``index public.stories_user_id_idx``), ``path`` the aspect that differs (``type``,
    ``on_delete``, ``missing``, ``unexpected``, ``renamed``), ``message`` the fixed title
    of the kind of difference ("Missing index"). ``expected``/``actual`` are ``None`` where
    one side has nothing to show (a missing object has no ``actual``). ``waived`` holds the
    waiver's reason when the spec marks the object expected-to-fail.

    Rule findings also carry ``fix`` (SQL that repairs the object, identifiers quoted),
    ``severity`` (``error``/``warning``/``info``) and ``key``: rule id and object
    identity, with no line number or run-specific part, so a baseline file can name an
    accepted finding and still recognise it next run.
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
    fix: str | None = None
    severity: str | None = None
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md JSON shape (``spec`` as ``file:line``), plus path, waiver
        and the rule fields (fix, severity, stable key)."""
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
            "fix": self.fix,
            "severity": self.severity,
            "key": self.key,
        }


class ItemResult:
    """What one pytest item (one expectation of a spec) came to.

    ``name`` is the item's name within its spec file (``public.stories::column[title]``),
    ``id`` the full node id. ``marker`` is the pytest marker of its kind
    (``schemaprobe_structure``). ``waiver`` is the reason if the spec marks it
    expected-to-fail: with findings it is reported as waived; without, the waiver is stale
    and the item fails (strict, never a silent pass). ``skipped`` says why the item could
    not be checked at all (its table is missing: that item carries the finding).

    ``location`` may be given as a function (``locate``) instead of a value: it is then
    asked on first use only. A check of a 10,000-table spec makes 280,000 results and
    reports the locations of a handful; finding every one up front would cost seconds.
    Immutable by convention (slots, no setters); equality compares every field.
    """

    __slots__ = (
        "_locate",
        "_location",
        "findings",
        "id",
        "kind",
        "marker",
        "name",
        "skipped",
        "waiver",
    )

    def __init__(
        self,
        id: str,
        name: str,
        kind: FindingKind,
        marker: str,
        location: Location | None = None,
        findings: tuple[Finding, ...] = (),
        waiver: str | None = None,
        skipped: str | None = None,
        *,
        locate: Callable[[], Location | None] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.kind: FindingKind = kind
        self.marker = marker
        self._location = location
        self._locate = locate
        self.findings = findings
        self.waiver = waiver
        self.skipped = skipped

    @property
    def location(self) -> Location | None:
        if self._locate is not None:
            self._location = self._locate()
            self._locate = None
        return self._location

    @property
    def passed(self) -> bool:
        return not self.findings

    def _key(self) -> tuple[object, ...]:
        return (
            self.id,
            self.name,
            self.kind,
            self.marker,
            self.location,
            self.findings,
            self.waiver,
            self.skipped,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ItemResult) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return (
            f"ItemResult(id={self.id!r}, findings={len(self.findings)}, "
            f"waiver={self.waiver!r}, skipped={self.skipped!r})"
        )
