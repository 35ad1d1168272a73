"""Hypothesis' example database, one key space per item.

Every item runs the same inner test function, so Hypothesis would file all their
failures under one key: each item's keys are prefixed with a digest of its node id, and
a failure one item found is replayed first by that item alone on the next run
(``Phase.reuse``). Which database (a directory, ``None``) is Hypothesis' settings
profile's choice, as for any Hypothesis test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from hypothesis.database import ExampleDatabase

__all__ = ["ItemDatabase", "item_database"]


class ItemDatabase(ExampleDatabase):
    """``inner`` with every key prefixed by the item's digest."""

    def __init__(self, inner: ExampleDatabase, item: str) -> None:
        super().__init__()
        self.inner = inner
        self.prefix = hashlib.sha256(item.encode()).digest()[:8]

    def save(self, key: bytes, value: bytes) -> None:
        self.inner.save(self.prefix + key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self.inner.fetch(self.prefix + key)

    def delete(self, key: bytes, value: bytes) -> None:
        self.inner.delete(self.prefix + key, value)


def item_database(inner: ExampleDatabase | None, item: str) -> ExampleDatabase | None:
    """The item's view of ``inner`` (``None`` stays ``None``: no database)."""
    return None if inner is None else ItemDatabase(inner, item)
