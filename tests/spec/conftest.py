"""Spec test helpers: spec files written into a fresh folder that is the working directory."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.spec.helpers import Write


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Write:
    """``write("specs/app.yaml", text)``: dedented, parents made; paths relative to cwd."""
    monkeypatch.chdir(tmp_path)

    def _write(name: str, text: str) -> Path:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write
