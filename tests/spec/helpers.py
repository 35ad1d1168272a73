"""Helpers shared by the spec tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from schemaprobe.errors import SpecError
from schemaprobe.spec.load import load_specs

Write = Callable[[str, str], Path]


def problems_of(*paths: str | Path) -> list[str]:
    """The lines of the SpecError that loading ``paths`` must raise."""
    with pytest.raises(SpecError) as info:
        load_specs(list(paths))
    return [str(p) for p in info.value.problems]
