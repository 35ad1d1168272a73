"""Items and their findings, as the comparison walk declares them.

The walk declares an item for every expectation a spec states *whether or not* the
database has the object, so the set of items depends on the spec alone: the pytest
plugin collects them without a database (``plan``), and every xdist worker collects the
same ones.
"""

from __future__ import annotations

from collections.abc import Callable

from schemaprobe._location import Location
from schemaprobe.findings import Finding, ItemResult
from schemaprobe.spec.load import LoadedSpec

__all__ = ["MARKER", "Item", "Items", "Path"]

MARKER = "schemaprobe_structure"

Path = tuple[str | int, ...]


class Item(ItemResult):
    """One expectation being checked: the result itself, filled in as the walk goes.

    The walk makes one of these per expectation (280,000 for a 10,000-table spec), so it
    is the result object, not a builder of one, and finds its spec location on demand.
    """

    __slots__ = ("_looked_up", "path", "spec")

    def __init__(self, spec: LoadedSpec, name: str, path: Path, waiver: str | None) -> None:
        self.id = f"{spec.path}::{name}"
        self.name = name
        self.kind = "structure"
        self.marker = MARKER
        self.findings = ()
        self.waiver = waiver
        self.skipped = None
        self._location = None
        self._locate = None
        self._looked_up = False
        self.spec = spec
        self.path = path

    @property
    def location(self) -> Location | None:
        if not self._looked_up:
            self._looked_up = True
            self._location = self.spec.locate(*self.path)
        return self._location

    def add(
        self,
        obj: str,
        aspect: str,
        message: str,
        expected: object,
        actual: object,
        at: Path = (),
        note: str | None = None,
    ) -> None:
        """Record a difference; ``at`` is the spec path below the item's own."""
        location = self.spec.locate(*self.path, *at) if at else self.location
        expected_text = _text(expected)
        if note:
            expected_text = f"{expected_text}  ({note})"
        self.findings = (
            *self.findings,
            Finding(
                id=self.id,
                kind="structure",
                object=obj,
                path=aspect,
                message=message,
                expected=expected_text,
                actual=_text(actual),
                spec=location,
                waived=self.waiver,
            ),
        )

    def compare(
        self,
        obj: str,
        aspect: str,
        expected: object,
        actual: object,
        same: Callable[[object, object], object] | None = None,
        message: str | None = None,
        at: Path | None = None,
    ) -> bool:
        """Add a mismatch unless ``expected`` equals ``actual`` (or ``same`` says so)."""
        if same(expected, actual) if same else expected == actual:
            return True
        self.add(
            obj,
            aspect,
            message or f"{aspect.capitalize().replace('_', ' ')} differs",
            expected,
            actual,
            at if at is not None else (aspect,),
        )
        return False


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(v) for v in items) if items else "(none)"
    return str(value)


class Items:
    """The items of one spec file, in declaration order, with unique names."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self._items: dict[str, Item] = {}

    def new(self, name: str, path: Path, waiver: str | None = None) -> Item:
        if name in self._items:
            n = 2
            while f"{name}#{n}" in self._items:
                n += 1
            name = f"{name}#{n}"
        item = self._items[name] = Item(self.spec, name, path, waiver)
        return item

    def results(self) -> list[ItemResult]:
        return list(self._items.values())
