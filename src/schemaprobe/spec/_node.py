"""The base of every spec node: strict (unknown keys are errors), immutable."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["_Node"]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_declared(cls, data: Any) -> Any:
        """``legacy:`` with nothing after it declares the object and nothing about it."""
        return {} if data is None else data
