"""Structural check vs ``pg_dump --schema-only``, side by side on the synthetic schema.

DESIGN.md's target: ``schemaprobe check`` of the 10,000-table synthetic schema against
its own snapshot, after the server is up, takes at most 1.2x the wall time of
``pg_dump --schema-only`` on it (pgTAP's equivalent 232,001 assertions took about 240 s
here); 1,000 tables in under 1 s. The 1,000-table figure is gated in-process (spec load,
catalog read and comparison, the check itself once the server is up); the whole process,
which adds ~0.45 s of interpreter start-up and imports (psycopg, pydantic), is printed
beside it.

Each contender is a whole process (``schemaprobe check SPEC --dsn DSN``: interpreter
start, spec load, catalog read, comparison, report), interleaved with pg_dump so drift in
machine load hits both. The check must also *pass*: a snapshot checked against its own
database has zero findings, so this doubles as the round trip at scale. One in-process
run prints where the time goes (load, read, compare).

Usage::

    python benchmarks/bench_check.py                 # embedded server
    python benchmarks/bench_check.py --dsn postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_catalog import (
    BenchDatabases,
    BenchError,
    _timed_process,
    find_pg_dump,
    measure_pg_dump,
    run_guarded,
    schemaprobe_command,
    server_for,
)
from schemaprobe.provision.dsn import redact
from synthetic import build_synthetic

TARGET_RATIO = 1.2
TARGET_SMALL_SECONDS = 1.0


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SCHEMAPROBE_DSN"}


def snapshot_to(command: Path, dsn: str, path: Path) -> None:
    _timed_process([str(command), "snapshot", "--dsn", dsn, "-o", str(path)], env=_env())


def measure_check(command: Path, dsn: str, spec: Path) -> float:
    """Wall seconds of a whole ``schemaprobe check``; it must find nothing (exit 0)."""
    run, _ = _timed_process(
        [str(command), "check", str(spec), "--dsn", dsn, "--format", "json", "-o", os.devnull],
        env=_env(),
    )
    return run.wall


def phases(dsn: str, spec: Path) -> dict[str, float]:
    """One in-process check, timed per phase."""
    from schemaprobe.compare.canonical import ServerCanonicalizer
    from schemaprobe.compare.engine import compare_specs
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import connect
    from schemaprobe.spec.load import load_specs

    times: dict[str, float] = {}
    started = time.perf_counter()
    specs = load_specs([spec])
    times["load spec"] = time.perf_counter() - started
    with connect(dsn) as conn:
        started = time.perf_counter()
        catalog = read_catalog(conn, parallel_dsn=dsn)
        times["read catalog"] = time.perf_counter() - started
        started = time.perf_counter()
        results = compare_specs(specs, catalog, ServerCanonicalizer(conn))
        times["compare"] = time.perf_counter() - started
    failing = [r for r in results if r.findings]
    if failing:
        raise BenchError(f"the snapshot does not check clean: {failing[0].findings[0]}")
    times["items"] = float(len(results))
    return times


def run(args: argparse.Namespace) -> int:
    command = schemaprobe_command()
    if command is None:
        raise BenchError("the schemaprobe command is not installed")
    with server_for(args.dsn, args.pg_bin) as server:
        print(
            f"server: PostgreSQL {server.major_version} ({server.kind}, {redact(server.dsn)})",
            flush=True,
        )
        pg_dump = find_pg_dump(server.major_version, args.pg_dump, args.pg_bin)
        databases = BenchDatabases(server.dsn)
        try:
            databases.sweep_stale()
            small_dsn = databases.create("small")
            build_synthetic(small_dsn, args.small, quiet=True)
            dsn = databases.create()
            build_synthetic(dsn, args.tables, batch_size=250)
            with tempfile.TemporaryDirectory() as tmp:
                spec, small_spec = Path(tmp) / "big.yaml", Path(tmp) / "small.yaml"
                snapshot_to(command, dsn, spec)
                snapshot_to(command, small_dsn, small_spec)
                size_mb = spec.stat().st_size / 1e6
                print(f"snapshot spec of {args.tables} tables: {size_mb:.1f} MB", flush=True)
                breakdown = phases(dsn, spec)
                small_phases = [phases(small_dsn, small_spec) for _ in range(args.repeat)]
                small_inproc = statistics.median(
                    sum(v for k, v in p.items() if k != "items") for p in small_phases
                )
                print(
                    "in-process phases: "
                    + ", ".join(
                        f"{k} {v:.0f}" if k == "items" else f"{k} {v:.2f} s"
                        for k, v in breakdown.items()
                    ),
                    flush=True,
                )
                measure_pg_dump(pg_dump, dsn)  # warm-up, untimed
                dumps: list[float] = []
                checks: list[float] = []
                smalls: list[float] = []
                for i in range(args.repeat):
                    dumps.append(measure_pg_dump(pg_dump, dsn).wall)
                    checks.append(measure_check(command, dsn, spec))
                    smalls.append(measure_check(command, small_dsn, small_spec))
                    print(
                        f"run {i + 1}/{args.repeat}: pg_dump {dumps[-1]:.2f} s, "
                        f"check {checks[-1]:.2f} s, check {args.small} tables "
                        f"{smalls[-1]:.2f} s",
                        flush=True,
                    )
        finally:
            databases.close()
    dump, check, small = (statistics.median(x) for x in (dumps, checks, smalls))
    ratio = check / dump
    ok_ratio, ok_small = ratio <= TARGET_RATIO, small_inproc < TARGET_SMALL_SECONDS
    print(
        f"\nmedians of {args.repeat}: pg_dump --schema-only {dump:.2f} s, "
        f"schemaprobe check {check:.2f} s"
    )
    print(
        f"check / pg_dump = {ratio:.2f} (target <= {TARGET_RATIO}) "
        f"{'met' if ok_ratio else 'MISSED'}"
    )
    print(
        f"check of {args.small} tables: {small_inproc:.2f} s in process (target < "
        f"{TARGET_SMALL_SECONDS} s) {'met' if ok_small else 'MISSED'}; {small:.2f} s as a "
        "whole process"
    )
    print(f"pgTAP's equivalent assertions took ~240 s here: {240 / check:.0f}x faster")
    return 0 if (ok_ratio and ok_small) or args.no_gate else 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="schemaprobe check vs pg_dump --schema-only")
    parser.add_argument("--dsn", help="server (default: $SCHEMAPROBE_TEST_DSN, else embedded)")
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg-dump", type=Path)
    parser.add_argument("--pg-bin", type=Path)
    parser.add_argument("--no-gate", action="store_true", help="print only; always exit 0")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run_guarded(run, parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
