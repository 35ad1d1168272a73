"""Hypothesis' part of a property run: random examples after the edge rows, in batches.

Hypothesis spends about as long on its own bookkeeping per test case (the choice tree,
seeded PRNG contexts, the executor) as a probe spends on its two round trips. So each
test case draws a batch of :data:`BATCH` rows and judges them in turn: the bookkeeping
is paid once per batch, the rows are as many as asked for. A disagreement stops the
batch; Hypothesis then shrinks the batch, which shrinks every row of it, the failing
one included, to the simplest values that still fail.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, given, reject, seed, settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase

if TYPE_CHECKING:
    from schemaprobe.properties.oracle import Attempt

__all__ = ["BATCH", "explore", "search_settings"]

BATCH = 10
T = TypeVar("T")


class _Found(Exception):
    def __init__(self, attempt: Attempt) -> None:
        super().__init__("the database and the spec disagree")
        self.attempt = attempt


def search_settings(max_examples: int, database: ExampleDatabase | None) -> settings:
    """How every property search runs: quiet, no deadline (a round trip is no bug), the
    example database replayed first, shrunk to one minimal failure."""
    return settings(
        max_examples=max_examples,
        database=database,
        deadline=None,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.reuse, Phase.generate, Phase.shrink),
    )


def explore(
    judge: Callable[[T], Attempt | None],
    strategy: st.SearchStrategy[T],
    *,
    rows: int,
    seed_value: int,
    database: ExampleDatabase | None,
) -> Attempt | None:
    """Judge about ``rows`` drawn rows (whole batches); the first disagreement, shrunk, or
    ``None``. ``judge`` returns ``None`` for a row it cannot judge (it counts those).
    Raises :class:`hypothesis.errors.Unsatisfiable` when no batch had a judged row.

    ``@settings`` goes on top of ``@seed``: ``@seed`` alone turns the example database
    off, and the seed is what keeps runs deterministic, the database what replays a
    failure first.
    """

    @search_settings(max(1, math.ceil(rows / BATCH)), database)
    @seed(seed_value)
    @given(st.lists(strategy, min_size=BATCH, max_size=BATCH))
    def check(batch: list[Any]) -> None:
        judged = 0
        for row in batch:
            attempt = judge(row)
            if attempt is None:
                continue
            judged += 1
            if attempt.spec_accepts != attempt.database_accepts:
                raise _Found(attempt)
        if not judged:
            reject()

    try:
        check()
    except _Found as found:
        return found.attempt
    return None
