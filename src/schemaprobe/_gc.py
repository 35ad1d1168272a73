"""Pausing Python's cyclic garbage collector around bulk work.

A check of a 10,000-table spec holds millions of long-lived objects (the spec model, the
catalog) and allocates hundreds of thousands more while reading and comparing, freeing
almost none. Every full collection traverses all of them to find nothing: with the
collector on, the catalog read after loading such a spec took 5 s instead of 0.9 s.
Reference counting still frees everything that is not in a cycle.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
