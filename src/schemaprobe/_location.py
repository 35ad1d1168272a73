"""Where in a spec file something was written: rendered ``specs/app.yaml:12:5``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Location"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based line and column in a file (the path as the user gave it, not resolved)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def short(self) -> str:
        """``file:line``, the form pytest and most editors link."""
        return f"{self.file}:{self.line}"
