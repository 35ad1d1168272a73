"""Embedded server start-up: cold (initdb + start) and warm (cached data directory).

Why it matters: every ``pytest --schemaprobe`` session and every ``schemaprobe check
--sql`` starts a server first, and with xdist every worker does, so start-up is paid
many times a day. DESIGN.md's targets: ready (a connection succeeds) in < 1.5 s cold
(no cache: ``initdb``, then start) and < 0.5 s warm (the cached initialised data
directory is copied, then started).

What is timed is ``EmbeddedServer.launch(pg_bin, cache=...)`` (what ``start()`` runs
before entering the block) from the call until it returns: that includes locating
the binaries, sweeping stale runs, initdb or the copy, spawning ``postgres`` and the
first successful connection (the provider connects before it returns). Stopping is
timed separately (paid at the end of every session too, but not part of "ready").
For reference the warm start is also measured as a whole fresh process (interpreter
start and imports included), which is what a user waits for before the first test.

Exit code: 0 targets met, 1 a target missed (unless ``--no-gate``), 2 cannot run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from schemaprobe.errors import SchemaprobeError
from schemaprobe.provision.binaries import find_binaries
from schemaprobe.provision.embedded import STATE_DIR_ENV, EmbeddedServer, state_root

TARGET_COLD_S = 1.5
TARGET_WARM_S = 0.5

_CHILD = """
import sys, time
started = time.perf_counter()
from schemaprobe.provision.embedded import STATE_DIR_ENV, EmbeddedServer, state_root
pg_bin = sys.argv[1] or None
with EmbeddedServer.start(pg_bin, cache=True) as server:
    ready = time.perf_counter() - started
print(ready)
"""


@dataclass
class Timings:
    """Seconds to ready and to stop, per run."""

    ready: list[float] = field(default_factory=list)
    stop: list[float] = field(default_factory=list)

    def best(self) -> float:
        return min(self.ready)

    def median(self) -> float:
        return statistics.median(self.ready)


def time_start(pg_bin: Path | None, *, cache: bool) -> tuple[float, float]:
    """One start (until a connection succeeds) and one stop, in seconds."""
    started = time.perf_counter()
    server = EmbeddedServer.launch(pg_bin, cache=cache)
    ready = time.perf_counter() - started
    try:
        # The provider connected before returning; check it once more, untimed, so a
        # "ready" server that cannot answer a query would fail the benchmark.
        with psycopg.connect(server.dsn) as conn:
            conn.execute(sql.SQL("SELECT 1"))
    finally:
        stopping = time.perf_counter()
        server.stop()
        stop = time.perf_counter() - stopping
    return ready, stop


def time_process(pg_bin: Path | None) -> float:
    """A warm start as a whole fresh process: interpreter + imports + start, in seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(pg_bin or "")], check=True, capture_output=True
    )
    return time.perf_counter() - started


def filesystem_of(path: Path) -> str:
    """The filesystem type holding ``path`` (longest mount point prefix in /proc/mounts).

    Printed because it decides the result: initdb and the data-directory copy write
    ~30 MB in ~1,000 files, which costs ~1 s on a virtual disk and ~0.05 s on tmpfs.
    """
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    resolved = str(path.resolve())
    best, kind = "", "unknown"
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1]
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind


def run(args: argparse.Namespace) -> list[str]:
    """Measure, print the table, return the missed targets."""
    if args.state_dir is not None:
        os.environ[STATE_DIR_ENV] = str(args.state_dir)  # inherited by the child process too
    binaries = find_binaries(args.pg_bin)
    print(f"server binaries: PostgreSQL {binaries.version} ({binaries.source}, {binaries.bindir})")
    root = state_root()
    print(f"state directory: {root} ({filesystem_of(root)})")
    cold, warm = Timings(), Timings()
    # Warm-up: makes sure the data-directory cache exists and the binaries are in the
    # OS page cache, so "cold" measures initdb's work, not the first read of the wheel.
    time_start(args.pg_bin, cache=True)
    for _ in range(args.repeat):
        ready, stop = time_start(args.pg_bin, cache=False)
        cold.ready.append(ready)
        cold.stop.append(stop)
        ready, stop = time_start(args.pg_bin, cache=True)
        warm.ready.append(ready)
        warm.stop.append(stop)
    process = [time_process(args.pg_bin) for _ in range(args.repeat)]

    missed = []
    rows = [("", "best", "median", "target", "")]
    for name, timings, target in (
        ("cold (initdb + start)", cold, TARGET_COLD_S),
        ("warm (cached data dir)", warm, TARGET_WARM_S),
    ):
        ok = timings.median() < target
        rows.append(
            (
                name,
                f"{timings.best():.3f} s",
                f"{timings.median():.3f} s",
                f"< {target} s",
                "ok" if ok else "MISSED",
            )
        )
        if not ok:
            missed.append(f"{name}: median {timings.median():.3f} s (target < {target} s)")
    rows.append(
        (
            "warm, whole fresh process",
            f"{min(process):.3f} s",
            f"{statistics.median(process):.3f} s",
            "",
            "(reference)",
        )
    )
    stops = cold.stop + warm.stop
    rows.append(
        (
            "stop (fast shutdown + rm)",
            f"{min(stops):.3f} s",
            f"{statistics.median(stops):.3f} s",
            "",
            "(reference)",
        )
    )
    print(f"\nembedded server start-up, {args.repeat} runs each")
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)))
    return missed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="embedded server start-up, cold and warm")
    parser.add_argument("--pg-bin", type=Path, help="server bin directory (default: the wheel's)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each kind (5)")
    parser.add_argument(
        "--state-dir",
        type=Path,
        help=f"where run directories and the cache live (sets ${STATE_DIR_ENV}), "
        "e.g. /dev/shm/schemaprobe to measure tmpfs",
    )
    parser.add_argument("--no-gate", action="store_true", help="print only; always exit 0")
    args = parser.parse_args(argv)
    try:
        missed = run(args)
    except SchemaprobeError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        print(f"benchmark failed: {detail[-1] if detail else exc}", file=sys.stderr)
        return 2
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))
        return 0 if args.no_gate else 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
