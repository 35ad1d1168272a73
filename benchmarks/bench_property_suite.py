"""The InfiniteStories constraint suite: wall time of every property item, against 20 s.

Why it matters: issue 6 asks that the whole constraint suite of a real spec, with default
settings, finishes in under 20 s, so a team can run it on every pull request. What is
timed is exactly what a user runs inside ``examples/infinitestories``::

    pytest --schemaprobe --schemaprobe-properties -m "schemaprobe_property and not schemaprobe_rls"

as a subprocess, whole process included (interpreter start, provisioning the embedded
server or ``--dsn``'s scratch database, loading the SQL, the catalog read, every CHECK,
NOT NULL, UNIQUE, foreign-key, ON DELETE, default and updated_at item), best and median
of ``--rounds``. The structural items alone, for comparison, run the same way with
``-m schemaprobe_structure``.

Exit code: 0 target met (median), 1 missed (unless ``--no-gate``), 2 cannot run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 20.0
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "infinitestories"


def _run(marker: str, dsn: str | None, *, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """``pytest --schemaprobe --schemaprobe-properties -m <marker>`` in the example, as a
    user runs it: wall seconds and pytest's summary line; an exit code outside ``ok``
    is a RuntimeError (``ok=(0, 1)``: failing items are the example's findings)."""
    command = [sys.executable, "-m", "pytest", "--schemaprobe", "--schemaprobe-properties"]
    command += ["-m", marker, "-q", "-p", "no:cacheprovider"]
    if dsn:
        command += ["--schemaprobe-dsn", dsn]
    # Python's default: with PYTHONDONTWRITEBYTECODE set (and no cache yet), each run
    # compiles schemaprobe again and pytest re-rewrites the asserts of its plugins'
    # whole packages (schemaprobe's and Hypothesis'): seconds that are no user's
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=EXAMPLE, capture_output=True, text=True, check=False, env=env
    )
    elapsed = time.perf_counter() - started
    summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode not in ok:
        raise RuntimeError(f"pytest exited {done.returncode}: {summary}")
    return elapsed, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="server to provision on instead of the embedded one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-gate", action="store_true")
    args = parser.parse_args(argv)
    dsn = args.dsn or os.environ.get("SCHEMAPROBE_TEST_DSN")
    times: list[float] = []
    try:
        structure, summary = _run("schemaprobe_structure", dsn)
        print(f"structure only: {structure:.1f} s ({summary})")
        for i in range(args.rounds):
            # the constraint items; the isolation items (schemaprobe_rls) carry the
            # property marker too and have a target of their own (bench_isolation.py)
            elapsed, summary = _run("schemaprobe_property and not schemaprobe_rls", dsn)
            items = re.search(r"(\d+) passed", summary)
            times.append(elapsed)
            print(f"round {i + 1}: {elapsed:.1f} s, {items[1] if items else '?'} property items")
    except (OSError, RuntimeError) as exc:
        print(f"bench_property_suite: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    best, median = min(times), statistics.median(times)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"InfiniteStories constraint suite: best {best:.1f} s, median {median:.1f} s "
        f"(target < {TARGET_S:.0f} s; load average {load:.1f} on {os.cpu_count()} cores)"
    )
    if median >= TARGET_S and not args.no_gate:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
