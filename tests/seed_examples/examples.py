"""The seed examples (``examples/<system>/``) as data the tests walk.

Each example folder holds ``schema/`` (the clean SQL), ``specs/``, ``pytest.ini`` (which
also names the profile, so the tests run each example exactly as a user would) and
``drift/`` with one SQL file per realistic mistake plus ``drift/expected.yaml``: for the
clean schema the items that are waived (the document's own contradictions), and for each
drift file the items that must fail, each with a text its failure report must contain.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["EXAMPLES_ROOT", "Drift", "Example", "discover"]

EXAMPLES_ROOT = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True, slots=True)
class Drift:
    """One mistake: its SQL file and the failing items (id -> text the report must show)."""

    file: Path
    why: str
    fails: dict[str, str]


@dataclass(frozen=True, slots=True)
class Example:
    name: str
    folder: Path
    profile: str | None
    waived_when_clean: frozenset[str]
    drifts: tuple[Drift, ...]

    @property
    def schema(self) -> Path:
        return self.folder / "schema"


def _profile(folder: Path) -> str | None:
    ini = configparser.ConfigParser(inline_comment_prefixes=(";", "#"))
    ini.read(folder / "pytest.ini", encoding="utf-8")
    profile = ini.get("pytest", "schemaprobe_profile", fallback="").strip()
    return profile or None


def _load(folder: Path) -> Example:
    expected_file = folder / "drift" / "expected.yaml"
    raw: dict[str, Any] = yaml.safe_load(expected_file.read_text(encoding="utf-8")) or {}
    unknown = set(raw) - {"clean", "drifts"}
    if unknown:
        raise ValueError(f"{expected_file}: unknown keys {sorted(unknown)}")
    drifts = []
    for file_name, entry in sorted((raw.get("drifts") or {}).items()):
        sql = folder / "drift" / file_name
        if not sql.is_file():
            raise ValueError(f"{expected_file}: {file_name} does not exist")
        fails = {str(k): str(v) for k, v in (entry.get("fails") or {}).items()}
        if not fails:
            raise ValueError(f"{expected_file}: {file_name} lists no failing item")
        drifts.append(Drift(sql, str(entry.get("why") or ""), fails))
    listed = {d.file.name for d in drifts}
    unlisted = sorted(p.name for p in (folder / "drift").glob("*.sql") if p.name not in listed)
    if unlisted:
        raise ValueError(f"{expected_file}: drift files without expectations: {unlisted}")
    clean = raw.get("clean") or {}
    return Example(
        name=folder.name,
        folder=folder,
        profile=_profile(folder),
        waived_when_clean=frozenset(clean.get("waived") or ()),
        drifts=tuple(drifts),
    )


def discover() -> list[Example]:
    """Every example folder that has drift expectations, by name."""
    return [_load(p.parent.parent) for p in sorted(EXAMPLES_ROOT.glob("*/drift/expected.yaml"))]
