"""Where loading a big spec goes: YAML (fast reader, full loader), validation, locations.

Diagnosis, not a gate: ``bench_check.py`` holds the whole ``schemaprobe check`` to its
target; this splits the spec-load part of it, in-process, for one file (a snapshot of the
synthetic schema: ``schemaprobe snapshot --dsn ... -o /tmp/bench10k.yaml``). Each figure
is the median of ``--runs`` (machine load varies), best beside it:

- ``fast parse``: :func:`schemaprobe.spec._fastyaml.load`, as ``load_specs`` runs it;
- ``full parse``: the libyaml loader, which every file not in the snapshot's layout takes
  (``--full`` to measure it: seconds for 10,000 tables);
- ``validate``: ``SpecDocument.model_validate`` on the parsed data;
- ``load_specs``: all of it, as the CLI and the plugin call it (collector on);
- ``first locate``: the marks recorded when a location is first asked for.

Usage::

    python benchmarks/bench_load.py /tmp/bench10k.yaml [--runs 5] [--full]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from schemaprobe.spec import _fastyaml
from schemaprobe.spec._yaml import parse_full, paused_gc
from schemaprobe.spec.load import load_specs
from schemaprobe.spec.model import SpecDocument


def timed(runs: int, step: Callable[[], Any], *, pause: bool = True) -> list[float]:
    """Seconds per run; the result is dropped and collected outside the timing.

    ``pause``: with the collector paused, as ``load_specs`` runs its parts. Without, the
    timing goes on to the caller's next allocation, which is when the collector would
    walk what the step made.
    """
    times = []
    for _ in range(runs):
        gc.collect()
        with paused_gc() if pause else contextlib.nullcontext():
            start = time.perf_counter()
            result = step()
            after = [result]
            times.append(time.perf_counter() - start)
        del result, after
    gc.collect()
    return times


def show(name: str, times: list[float]) -> None:
    print(f"{name:>14}: median {statistics.median(times):6.3f} s   best {min(times):6.3f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time the libyaml loader")
    args = parser.parse_args(argv)
    raw = args.spec.read_bytes()
    lines = raw.count(b"\n")
    print(f"{args.spec}: {len(raw) / 1e6:.1f} MB, {lines} lines")
    data, _ = _fastyaml.load(raw)
    show("fast parse", timed(args.runs, lambda: _fastyaml.load(raw)))
    if args.full:
        show("full parse", timed(args.runs, lambda: parse_full(raw, str(args.spec))))
    show("validate", timed(args.runs, lambda: SpecDocument.model_validate(data)))
    show("load_specs", timed(args.runs, lambda: load_specs([args.spec]), pause=False))
    first = []
    for _ in range(args.runs):
        (spec,) = load_specs([args.spec]).specs
        start = time.perf_counter()
        spec.locate("tables")
        first.append(time.perf_counter() - start)
        del spec
        gc.collect()
    show("first locate", first)
    return 0


if __name__ == "__main__":
    sys.exit(main())
