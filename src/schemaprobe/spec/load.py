"""Reading spec files: paths and folders in, validated documents with locations out.

Why it exists: this is the one door from files to :class:`SpecDocument`. It finds the
files (folders: every ``*.yaml``/``*.yml`` below, hidden ones skipped, sorted), tells
specs from fragments (a file that another loaded spec includes is only a fragment),
follows ``include:`` (merged by :mod:`schemaprobe.spec._include`), validates
(:mod:`schemaprobe.spec._validate`) and keeps where every key was written, so findings
and errors point at ``file:line:col``.

Everything wrong with every file is collected, then raised once as a :class:`SpecError`;
a malformed spec never raises anything else. Loading nothing is an error too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemaprobe._location import Location
from schemaprobe.errors import SpecError, SpecProblem
from schemaprobe.spec._include import Merger
from schemaprobe.spec._validate import validate
from schemaprobe.spec._yaml import Locations, Mark, YamlPath, dotted, parse, paused_gc
from schemaprobe.spec.model import SpecDocument

__all__ = ["SPEC_SUFFIXES", "LoadedSpec", "SpecSet", "dotted", "load_spec_file", "load_specs"]

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    """One spec file, validated, with its ``include:`` fragments merged in."""

    path: str
    """The file as the user gave it (relative stays relative)."""
    document: SpecDocument
    locations: Mapping[YamlPath, Location]
    """YAML path (keys as written, list positions as ints) -> where it was written."""
    digest: str
    """sha256 (hex) of the file's bytes and its fragments' bytes, in merge order."""

    def locate(self, *path: str | int) -> Location | None:
        """Where ``path`` was written, else its longest written prefix (``None``: none).

        ``locate('tables', 'stories', 'columns', 'title', 'type')`` is the column's
        ``title:`` key when the column was written as ``title: text``.
        """
        locations = self.locations
        for n in range(len(path), -1, -1):
            found = (
                locations.find(path[:n])
                if isinstance(locations, Locations)
                else locations.get(path[:n])
            )
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class SpecSet:
    """Every spec of a run, in the order found."""

    specs: tuple[LoadedSpec, ...]


def load_spec_file(path: str | Path) -> LoadedSpec:
    """Load one spec file (its fragments included); raises :class:`SpecError`."""
    with paused_gc():
        files = _Files()
        given = Path(path)
        spec = None
        if _kind(given) == "folder":
            files.fail(None, "", f"{given}: is a folder, not a spec file")
        else:
            source = files.read(given, str(given))
            spec = files.assemble(source) if source else None
        files.raise_problems()
        if spec is None:  # pragma: no cover - every failure above records a problem
            raise SpecError([SpecProblem(None, "", f"{given}: not loaded")])
        return spec


def load_specs(paths: Sequence[str | Path]) -> SpecSet:
    """Load spec files and folders together; raises one :class:`SpecError` for all.

    Folders contribute every ``*.yaml`` and ``*.yml`` below them (sorted; hidden files
    and folders skipped). A file that another loaded spec includes, directly or through
    fragments, is a fragment and is not loaded on its own.
    """
    with paused_gc():
        files = _Files()
        candidates = files.candidates(paths)
        sources = [s for s in (files.read(p, shown) for p, shown in candidates) if s]
        fragments: set[Path] = set()
        for source in sources:
            fragments |= files.closure(source) - {source.key}
        mains = [s for s in sources if s.key not in fragments]
        specs = [spec for spec in (files.assemble(s) for s in mains) if spec is not None]
        given = ", ".join(repr(str(p)) for p in paths) or "nothing"
        if not candidates and not files.problems:
            files.fail(None, "", f"no spec files (*.yaml, *.yml) in {given}")
        elif sources and not mains:
            files.fail(None, "", f"every file in {given} is included by another: no spec left")
        files.raise_problems()
        return SpecSet(tuple(specs))


@dataclass(slots=True)
class _Source:
    path: Path  # to read it and the files it includes
    shown: str  # to report it
    key: Path  # resolved: its identity
    raw: bytes
    data: Any
    marks: Mapping[YamlPath, Mark]
    includes: list[tuple[int, str]] = field(default_factory=list)
    include_ok: bool = True


class _Files:
    """One load: parsed files (cached, each read once) and every problem found."""

    def __init__(self) -> None:
        self.problems: list[SpecProblem] = []
        self.sources: dict[Path, _Source | None] = {}

    def fail(self, where: Location | None, key: str, message: str) -> None:
        self.problems.append(SpecProblem(where, key, message))

    def raise_problems(self) -> None:
        if self.problems:  # files named in no location first, then by file, line, column
            unique = dict.fromkeys(self.problems)
            raise SpecError(sorted(unique, key=lambda p: (p.location is not None, p.location)))

    def candidates(self, paths: Sequence[str | Path]) -> list[tuple[Path, str]]:
        found: dict[Path, tuple[Path, str]] = {}
        for given in map(Path, paths):
            kind = _kind(given)
            if kind == "folder":
                files = sorted(_spec_files(given), key=lambda p: p.parts)
            elif kind == "file":
                files = [given]
            else:
                self.fail(None, "", f"{given}: no such file or folder")
                continue
            for file in files:
                found.setdefault(_identity(file), (file, str(file)))
        return list(found.values())

    def read(self, path: Path, shown: str, at: tuple[_Source, int] | None = None) -> _Source | None:
        key = _identity(path)
        if key in self.sources:
            return self.sources[key]
        self.sources[key] = None
        try:
            raw = path.read_bytes()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            why = getattr(exc, "strerror", None) or str(exc)
            if at is None:
                self.fail(None, "", f"{shown}: cannot read: {why}")
            else:
                includer, i = at
                where = _at(includer, ("include", i))
                self.fail(where, f"include[{i}]", f"cannot read {shown!r}: {why}")
            return None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode()) + 1
            message = f"not UTF-8 text: byte 0x{raw[exc.start]:02x} (save the file as UTF-8)"
            self.fail(Location(shown, line, column), "", message)
            return None
        try:
            data, marks = parse(raw, shown)
        except SpecError as exc:
            self.problems.extend(exc.problems)
            return None
        source = _Source(path, shown, key, raw, data, marks)
        self._includes(source)
        self.sources[key] = source
        return source

    def _includes(self, source: _Source) -> None:
        data = source.data
        if not isinstance(data, dict) or "include" not in data:
            return
        items = data["include"]
        if not isinstance(items, list):
            source.include_ok = False
            got = "null" if items is None else repr(items)[:60]
            where = _at(source, ("include",))
            self.fail(where, "include", f"expected a list of file paths; got {got}")
            return
        for i, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                source.includes.append((i, item))
            else:
                source.include_ok = False
                where = _at(source, ("include", i))
                self.fail(where, f"include[{i}]", f"expected a file path; got {item!r}"[:100])

    def _fragment(self, includer: _Source, i: int, text: str, chain: tuple[Path, ...]) -> Any:
        path = includer.path.parent / text
        shown = os.path.normpath(Path(includer.shown).parent / text)
        key = _identity(path)
        if key in chain:
            names = [getattr(self.sources.get(k), "shown", str(k)) for k in chain]
            cycle = " -> ".join([*names[chain.index(key) :], shown])
            self.fail(_at(includer, ("include", i)), f"include[{i}]", f"include cycle: {cycle}")
            return None
        if _kind(path) == "folder":
            self.fail(_at(includer, ("include", i)), f"include[{i}]", f"{shown!r} is a folder")
            return None
        return self.read(path, shown, (includer, i))

    def closure(self, source: _Source) -> set[Path]:
        """Every file ``source`` includes, directly or not (cycles reported)."""
        return {fragment.key for fragment in self._fragments(source)}

    def _fragments(self, main: _Source) -> list[_Source]:
        """Fragments in merge order: each after its own, each once."""
        order: list[_Source] = []
        seen = {main.key}

        def walk(source: _Source, chain: tuple[Path, ...]) -> None:
            for i, text in source.includes:
                fragment = self._fragment(source, i, text, chain)
                if fragment is None or fragment.key in seen:
                    continue
                seen.add(fragment.key)
                walk(fragment, (*chain, fragment.key))
                order.append(fragment)

        walk(main, (main.key,))
        return order

    def assemble(self, main: _Source) -> LoadedSpec | None:
        before = len(self.problems)
        fragments = self._fragments(main)
        digest = hashlib.sha256()
        for source in (main, *fragments):
            digest.update(len(source.raw).to_bytes(8, "big"))
            digest.update(source.raw)
        data = main.data
        skip = () if main.include_ok else ("include",)
        if fragments:
            version = data.get("version") if isinstance(data, dict) else None
            merger = Merger(version)
            for fragment in fragments:
                merger.add(fragment.shown, fragment.data, fragment.marks, fragment=True)
            merger.add(main.shown, data, main.marks, fragment=False, skip=skip)
            self.problems.extend(merger.problems)
            data, locations = merger.data, Locations(merger.parts)
        else:
            if skip and isinstance(data, dict):
                data = {k: v for k, v in data.items() if k not in skip}
            locations = Locations([(main.shown, main.marks)])
        document, problems = validate(data, locations, main.shown)
        self.problems.extend(problems)
        if document is None or len(self.problems) > before:
            return None
        return LoadedSpec(main.shown, document, locations, digest.hexdigest())


def _kind(path: Path) -> str | None:
    try:
        return "folder" if path.is_dir() else "file" if path.exists() else None
    except (OSError, ValueError):  # unreadable, or a name the OS cannot take (NUL)
        return None


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL: kept as given
        return path.absolute()


def _at(source: _Source, path: YamlPath) -> Location:
    mark = source.marks.get(path)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Location(source.shown, line, column)


def _spec_files(folder: Path) -> list[Path]:
    found = []
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            Path(top, name)
            for name in files
            if name.endswith(SPEC_SUFFIXES) and not name.startswith(".")
        ]
    return found
