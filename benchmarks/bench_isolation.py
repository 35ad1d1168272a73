"""RLS isolation throughput: generated worlds per second for one table's four commands.

Why it matters: every table with a tenancy model is four isolation items,
``rls_property[select|insert|update|delete]``, each trying ``--schemaprobe-worlds``
worlds (2-5 principals and their rows, built in a savepoint, every actor probing in one
round trip). Issue 7's target: **a 4-command isolation property for one table runs
>= 50 generated worlds/s**, i.e. one table gets all four commands checked on 50 worlds
in a second.

What is timed: the four items of ``public.notes`` (the table of
``tests/properties/test_isolation.py``, from the project it shares,
``tests/examples/isolation_project``: owner ``user_id`` referencing ``auth.users``,
public rows ``is_public``, Supabase's four ``authenticated`` policies), conforming, so no
shrinking is timed, each with ``--worlds`` worlds (default 200, the edge worlds
included), through :class:`~schemaprobe.properties.runner.PropertyRunner` as the
plugin runs them (one per round, its row factory made before the clock starts), best
and median of ``--rounds``, a different seed each round. Per command: worlds, seconds,
worlds/s; the 4-command figure is worlds per item / the four items' seconds summed, and
the gate is its median. Every world counts, discarded ones too.

The server is ``--dsn``, else ``$SCHEMAPROBE_TEST_DSN``, else a private embedded one
(``--pg-bin``); the table goes into a fresh scratch database with the Supabase
compatibility profile, dropped at the end (also on Ctrl-C and SIGTERM), and any API role
the profile had to create is dropped after it. This process is pinned to one core;
the server keeps its own. Round trips per world are counted in one more, untimed pass
(``Cursor.execute``/``executemany`` and ``commit``/``rollback`` calls; the item's fixed
setup, a dozen statements, is included and amortised over the worlds).

Then, with every core again, issue 7's second target: the InfiniteStories example's
isolation suite (``pytest --schemaprobe --schemaprobe-properties -m schemaprobe_rls`` in
``examples/infinitestories``, default settings) finishes in **under 30 s**, whole process,
median of ``--suite-rounds``, run as ``bench_property_suite.py`` runs the constraint
suite; only when the example's spec declares ``tenancy:``. Its failing items are the
example's findings: pytest's exit 1 counts as a run, any other failure does not.

Exit code: 0 targets met, 1 one missed (unless ``--no-gate``), 2 cannot run.

Usage::

    python benchmarks/bench_isolation.py                       # embedded server
    python benchmarks/bench_isolation.py --dsn postgresql://postgres@127.0.0.1:5432/postgres
    python benchmarks/bench_isolation.py --profile /tmp/iso.prof   # + a cProfile'd round
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_catalog import TEST_DSN_ENV, run_guarded, server_for
from bench_properties import _one_core
from bench_property_suite import _run
from schemaprobe.errors import SchemaprobeError
from schemaprobe.introspect import model as cat
from schemaprobe.introspect import read_catalog
from schemaprobe.properties.oracle import PropertyOutcome
from schemaprobe.properties.plan import PropertyPlan, plan_properties
from schemaprobe.properties.runner import PropertyRunner
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.dsn import redact
from schemaprobe.provision.session import connect
from schemaprobe.provision.supabase import API_ROLES, LOGIN_ROLE, install_supabase_compat
from schemaprobe.spec.load import load_specs

TARGET_WORLDS_PER_S = 50.0
SUITE_TARGET_S = 30.0
COMMANDS = ("select", "insert", "update", "delete")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "infinitestories"

# The conforming notes table of tests/properties/test_isolation.py: the example project
# the isolation tests share (its schema and its spec, read from there, not copied).
PROJECT = Path(__file__).resolve().parents[1] / "tests" / "examples" / "isolation_project"
SCHEMA = PROJECT / "schema.sql"
SPEC = PROJECT / "specs" / "app.yaml"


# --------------------------------------------------------------------------- set-up


def _existing_roles(conn: psycopg.Connection[Any]) -> set[str]:
    rows = conn.execute(
        "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)",
        ([*API_ROLES, LOGIN_ROLE],),
    ).fetchall()
    return {str(r[0]) for r in rows}


@contextlib.contextmanager
def _roles_dropped_after(admin_dsn: str) -> Iterator[None]:
    """Drop, on the way out, the API roles the profile creates that were not there before
    (roles belong to the whole server; those another database already had are kept)."""
    with connect(admin_dsn, autocommit=True) as conn:
        before = _existing_roles(conn)
    try:
        yield
    finally:
        with connect(admin_dsn, autocommit=True) as conn:
            for role in sorted(_existing_roles(conn) - before, key=lambda r: r != LOGIN_ROLE):
                with contextlib.suppress(psycopg.Error):  # another database uses it now
                    conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def build_notes(dsn: str) -> tuple[cat.Catalog, list[PropertyPlan]]:
    """The profile, the table, its catalog (Supabase profile) and its four rls items."""
    with connect(dsn, autocommit=True) as conn:
        install_supabase_compat(conn)
        conn.execute(SCHEMA.read_bytes())  # the project's own file
    plans = [p for p in plan_properties(load_specs([SPEC])) if p.kind == "rls"]
    by_command = {p.label: p for p in plans}
    if sorted(by_command) != sorted(COMMANDS):
        raise SchemaprobeError(f"expected the items of {COMMANDS}, planned {sorted(by_command)}")
    with connect(dsn) as conn:
        catalog = read_catalog(conn, profile="supabase")
    return catalog, [by_command[c] for c in COMMANDS]


# --------------------------------------------------------------------------- measuring


@dataclass
class Round:
    worlds: dict[str, int] = field(default_factory=dict)
    discarded: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    """This process's CPU seconds per item: the rest of the wall time is the server's
    work and the waits for it."""

    def rate(self, command: str) -> float:
        return self.worlds[command] / self.seconds[command]

    def four_commands(self) -> float:
        """Worlds per item / the four items' seconds: one table, all commands checked."""
        per_item = sum(self.worlds.values()) / len(self.worlds)
        return per_item / sum(self.seconds.values())


def run_round(
    dsn: str,
    catalog: cat.Catalog,
    plans: Sequence[PropertyPlan],
    worlds: int,
    seed: int,
    around: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext,
) -> Round:
    """The four items, each timed on its own (``around`` wraps each item's run)."""
    runner = PropertyRunner(dsn, catalog, plans, worlds=worlds, seed=seed)
    found = Round()
    try:
        runner.factory()  # the type lookup and auth.users' read: once per run, not timed
        for plan in plans:
            with around():
                started, cpu = time.perf_counter(), time.process_time()
                outcome = runner.run(plan)
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            if not isinstance(outcome, PropertyOutcome) or not outcome.passed:
                raise SchemaprobeError(f"{plan.name} did not pass: {outcome}")
            found.worlds[plan.label] = outcome.examples
            found.discarded[plan.label] = outcome.discarded
            found.seconds[plan.label] = elapsed
            found.cpu[plan.label] = cpu
    finally:
        runner.close()
    return found


class RoundTrips:
    """Counts statements sent (each ``execute`` is one round trip, a multi-statement probe
    included) and transaction ends, by wrapping psycopg's methods while active."""

    _WRAPPED: tuple[tuple[type, str], ...] = (
        (psycopg.Cursor, "execute"),
        (psycopg.Cursor, "executemany"),
        (psycopg.Connection, "commit"),
        (psycopg.Connection, "rollback"),
    )

    def __init__(self) -> None:
        self.count = 0

    @contextlib.contextmanager
    def counting(self) -> Iterator[object]:
        saved = [(owner, name, getattr(owner, name)) for owner, name in self._WRAPPED]

        def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
            def counted(*args: Any, **kwargs: Any) -> Any:
                self.count += 1
                return method(*args, **kwargs)

            return counted

        try:
            for owner, name, method in saved:
                setattr(owner, name, wrap(method))
            yield self
        finally:
            for owner, name, method in saved:
                setattr(owner, name, method)


def round_trips_per_world(
    dsn: str, catalog: cat.Catalog, plans: Sequence[PropertyPlan], worlds: int
) -> dict[str, float]:
    counts: dict[str, int] = {}
    commands = iter(COMMANDS)

    @contextlib.contextmanager
    def per_item() -> Iterator[object]:
        counter = RoundTrips()
        with counter.counting():
            yield counter
        counts[next(commands)] = counter.count

    done = run_round(dsn, catalog, plans, worlds, seed=0, around=per_item)
    return {c: counts[c] / done.worlds[c] for c in COMMANDS}


def profile_round(
    dsn: str, catalog: cat.Catalog, plans: Sequence[PropertyPlan], worlds: int, path: Path
) -> None:
    """One more round under cProfile, the four items only; stats written to ``path``."""
    profiler = cProfile.Profile()

    @contextlib.contextmanager
    def profiled() -> Iterator[object]:
        profiler.enable()
        try:
            yield profiler
        finally:
            profiler.disable()

    run_round(dsn, catalog, plans, worlds, seed=0, around=profiled)
    profiler.dump_stats(str(path))


# --------------------------------------------------------------------------- the suite


def infinitestories_declares_tenancy() -> bool:
    """Whether the example's spec has a tenancy model (else it has no isolation suite)."""
    spec = EXAMPLE / "specs" / "infinitestories.yaml"
    text = spec.read_text(encoding="utf-8") if spec.exists() else ""
    return re.search(r"^\s*tenancy:", text, re.MULTILINE) is not None


def measure_infinitestories_isolation_suite(dsn: str | None) -> tuple[float, str]:
    """The InfiniteStories isolation suite as a user runs it (issue 7: under 30 s), whole
    process, run like the constraint suite (``bench_property_suite._run``). Failing
    items are the example's findings, not a failed run (pytest exits 1 then)."""
    try:
        elapsed, summary = _run("schemaprobe_rls", dsn, ok=(0, 1))
    except RuntimeError as exc:
        raise SchemaprobeError(f"isolation suite: {exc}") from None
    return elapsed, summary.strip("= ")


def suite_rounds(dsn: str | None, rounds: int) -> list[float]:
    times: list[float] = []
    for i in range(rounds):
        elapsed, summary = measure_infinitestories_isolation_suite(dsn)
        times.append(elapsed)
        print(f"InfiniteStories isolation suite, round {i + 1}: {elapsed:.1f} s ({summary})")
    return times


# --------------------------------------------------------------------------- report


def _report(rounds: list[Round], trips: dict[str, float] | None) -> float:
    header = f"{'command':<8} {'worlds':>7} {'median s':>9} {'worlds/s':>9} {'best':>6}"
    header += f" {'client CPU':>11}" + (f" {'round trips/world':>18}" if trips else "")
    print("\n" + header)
    for command in COMMANDS:
        rates = [r.rate(command) for r in rounds]
        seconds = statistics.median(r.seconds[command] for r in rounds)
        cpu = statistics.median(r.cpu[command] / r.seconds[command] for r in rounds)
        line = (
            f"{command:<8} {rounds[0].worlds[command]:>7} {seconds:>9.2f} "
            f"{statistics.median(rates):>9.0f} {max(rates):>6.0f} {cpu:>10.0%}"
        )
        print(line + (f" {trips[command]:>18.1f}" if trips else ""))
    four = [r.four_commands() for r in rounds]
    median = statistics.median(four)
    seconds = statistics.median(sum(r.seconds.values()) for r in rounds)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\n4-command isolation property, one table: best {max(four):.1f}, median "
        f"{median:.1f} worlds/s ({seconds:.2f} s median for all four items; target >= "
        f"{TARGET_WORLDS_PER_S:.0f}) {'met' if median >= TARGET_WORLDS_PER_S else 'MISSED'}"
        f"\n(client CPU: this process's CPU time / wall time; load average {load:.1f} on "
        f"{os.cpu_count()} cores, client pinned to one)"
    )
    return median


def run(args: argparse.Namespace) -> int:
    rounds: list[Round] = []
    trips: dict[str, float] | None = None
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        with server_for(args.dsn, args.pg_bin) as server:
            print(
                f"server: PostgreSQL {server.major_version} ({server.kind}, "
                f"{redact(server.dsn)}); {args.worlds} worlds per item, {args.rounds} rounds",
                flush=True,
            )
            with (
                _roles_dropped_after(server.dsn),
                ScratchDatabases(server.dsn) as databases,
                databases.database() as dsn,
            ):
                _one_core()  # this process only: the server keeps its own cores
                catalog, plans = build_notes(dsn)
                for i in range(args.rounds):
                    found = run_round(dsn, catalog, plans, args.worlds, seed=i + 1)
                    rounds.append(found)
                    print(
                        f"round {i + 1}: "
                        + ", ".join(
                            f"{c} {found.worlds[c]} in {found.seconds[c]:.2f} s"
                            + (f" ({found.discarded[c]} discarded)" if found.discarded[c] else "")
                            for c in COMMANDS
                        )
                        + f" = {found.four_commands():.1f} worlds/s for all four",
                        flush=True,
                    )
                if not args.no_round_trips:
                    trips = round_trips_per_world(dsn, catalog, plans, args.worlds)
                if args.profile is not None:
                    profile_round(dsn, catalog, plans, args.worlds, args.profile)
                    print(f"cProfile of one more round written to {args.profile}")
        if cores is not None:
            os.sched_setaffinity(0, cores)  # the suite runs as a user runs it: every core
        suite: list[float] = []
        if args.suite_rounds and infinitestories_declares_tenancy():
            suite = suite_rounds(args.dsn or os.environ.get(TEST_DSN_ENV), args.suite_rounds)
        elif args.suite_rounds:
            print("InfiniteStories isolation suite: not timed (its spec declares no tenancy:)")
    except SchemaprobeError as exc:
        print(f"bench_isolation: {exc}", file=sys.stderr)
        return 2
    ok = _report(rounds, trips) >= TARGET_WORLDS_PER_S
    if suite:
        median = statistics.median(suite)
        met = median < SUITE_TARGET_S
        print(
            f"InfiniteStories isolation suite, whole process: best {min(suite):.1f} s, median "
            f"{median:.1f} s (target < {SUITE_TARGET_S:.0f} s) {'met' if met else 'MISSED'}"
        )
        ok = ok and met
    return 0 if ok or args.no_gate else 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dsn", help="server (default: $SCHEMAPROBE_TEST_DSN, else embedded)")
    parser.add_argument("--pg-bin", type=Path, help="bin directory for the embedded server")
    parser.add_argument("--worlds", type=int, default=200, help="worlds per item (200)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (5)")
    parser.add_argument(
        "--no-round-trips", action="store_true", help="skip the untimed round-trip count"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="PATH", help="cProfile one more round into PATH"
    )
    parser.add_argument(
        "--suite-rounds",
        type=int,
        default=3,
        help="runs of the InfiniteStories isolation suite (3; 0: skip it)",
    )
    parser.add_argument("--no-gate", action="store_true", help="print only; always exit 0")
    args = parser.parse_args(argv)
    if args.worlds < 1 or args.rounds < 1 or args.suite_rounds < 0:
        parser.error("--worlds and --rounds must be at least 1, --suite-rounds at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run_guarded(run, parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
