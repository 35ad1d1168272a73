"""``include:``: how fragment files and the spec that lists them become one document.

Why it exists: a large schema's spec is split by area (``auth.yaml``, ``billing.yaml``),
and the merge rules decide what the split means. They live apart from reading files
(:mod:`schemaprobe.spec.load`) and from validation so that they can be read in one place:

- fragments merge in the order listed, each after the fragments it includes itself, and
  the including file's own content last: as if each fragment's text stood at the top;
- mappings merge key by key at every depth (``tables.users.columns`` may be split);
- lists concatenate in that same order (fragment items first); list item marks are
  renumbered, so ``('tables', 't', 'checks', 3)`` points at the file that wrote it;
- a value written in two files is an error naming both places, even when both say the
  same thing: every value has one home. An empty value (``legacy:``) merges with a
  mapping or a list as an empty one;
- ``include`` is followed, not merged; a fragment may say ``version``, which must then
  equal its spec's, and is not merged either. A fragment needs no ``version``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from schemaprobe._location import Location
from schemaprobe.errors import SpecProblem
from schemaprobe.spec._yaml import Locations, Mark, YamlPath, dotted

__all__ = ["Merger"]


def _where(file: str, mark: Mark | None) -> Location:
    return Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)


class Merger:
    """Merges sources one by one into :attr:`data`; marks per file in :attr:`parts`."""

    def __init__(self, version: Any) -> None:
        self.version = version
        self.data: dict[str, Any] = {}
        self.parts: list[tuple[str, dict[YamlPath, Mark]]] = []
        self.problems: list[SpecProblem] = []

    def add(
        self,
        file: str,
        data: Any,
        marks: Mapping[YamlPath, Mark],
        *,
        fragment: bool,
        skip: Collection[str] = (),
    ) -> None:
        """Merge one file's data (``skip``: top-level keys not to merge)."""
        if data is None:
            return
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"{data!r}"
            what = "a fragment" if fragment else "a spec"
            self.problems.append(
                SpecProblem(_where(file, marks.get(())), "", f"{what} is a mapping; got {kind}")
            )
            return
        out: dict[YamlPath, Mark] = {}
        self.parts.append((file, out))
        if () in marks and not fragment:
            out[()] = marks[()]
        if fragment and "version" in data and data["version"] != self.version:
            self.problems.append(
                SpecProblem(
                    _where(file, marks.get(("version",))),
                    "version",
                    f"version={data['version']!r} in a fragment of a spec with "
                    f"version={self.version!r}",
                )
            )
        skipped = {*skip, "include", "version"} if fragment else set(skip)
        source = {k: v for k, v in data.items() if k not in skipped}
        self._merge(self.data, source, (), (), file, marks, out)

    def _merge(
        self,
        dst: dict[str, Any],
        src: dict[str, Any],
        path: YamlPath,
        spath: YamlPath,
        file: str,
        marks: Mapping[YamlPath, Mark],
        out: dict[YamlPath, Mark],
    ) -> None:
        for key, value in src.items():
            here, there = (*path, key), (*spath, key)
            mark = marks.get(there)
            if key not in dst:
                if mark is not None:
                    out[here] = mark
                dst[key] = self._copy(value, here, there, marks, out)
                continue
            old = dst[key]
            if isinstance(value, dict) and (old is None or isinstance(old, dict)):
                if mark is not None:
                    out[here] = mark
                if old is None:
                    dst[key] = old = {}
                self._merge(old, value, here, there, file, marks, out)
            elif isinstance(value, list) and (old is None or isinstance(old, list)):
                if mark is not None:
                    out[here] = mark
                if old is None:
                    dst[key] = old = []
                offset = len(old)
                for i, item in enumerate(value):
                    item_here, item_there = (*here, offset + i), (*there, i)
                    item_mark = marks.get(item_there)
                    if item_mark is not None:
                        out[item_here] = item_mark
                    old.append(self._copy(item, item_here, item_there, marks, out))
            elif value is None and isinstance(old, (dict, list)):
                if mark is not None:
                    out[here] = mark
            else:
                first = Locations(self.parts[:-1]).find(here)
                self.problems.append(
                    SpecProblem(
                        _where(file, mark),
                        dotted(here),
                        f"already set at {first or 'another file'}; "
                        "a value may be set in one file only",
                    )
                )

    def _copy(
        self,
        value: Any,
        path: YamlPath,
        spath: YamlPath,
        marks: Mapping[YamlPath, Mark],
        out: dict[YamlPath, Mark],
    ) -> Any:
        """A fresh copy (parsed files are cached and shared) with its marks re-keyed."""
        if isinstance(value, dict):
            result: dict[str, Any] = {}
            for key, item in value.items():
                here, there = (*path, key), (*spath, key)
                mark = marks.get(there)
                if mark is not None:
                    out[here] = mark
                result[key] = self._copy(item, here, there, marks, out)
            return result
        if isinstance(value, list):
            items: list[Any] = []
            for i, item in enumerate(value):
                here, there = (*path, i), (*spath, i)
                mark = marks.get(there)
                if mark is not None:
                    out[here] = mark
                items.append(self._copy(item, here, there, marks, out))
            return items
        return value
