"""CHECK property throughput: examples per second for one table, on one core.

Why it matters: every CHECK and NOT NULL a spec declares is a property item of 100
examples by default, and the InfiniteStories suite has some forty of them; DESIGN.md's
target is **>= 300 examples/s** for a single-table CHECK property, so a spec's whole
constraint suite runs in seconds.

What is timed: ``run_property`` of ``retry_count BETWEEN 0 AND 5`` on a table of the
usual shape (identity key, text, numeric, timestamptz, jsonb, a text IN-list CHECK),
conforming, with ``--examples`` examples (default 1,000), best and median of
``--rounds``. Every example counts, discarded ones too (each is a full round: savepoint,
server verdict, insert, rollback to savepoint); a failing run would add shrinking, which
is not what is measured. The embedded server (or ``--dsn``'s server, in a scratch
database) runs beside the benchmark; ``taskset`` pins this process to one core when
available so "one core" holds for the client side.

Exit code: 0 target met, 1 missed (unless ``--no-gate``), 2 cannot run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from collections.abc import Iterator

from schemaprobe.errors import SchemaprobeError
from schemaprobe.introspect import QualifiedName, read_catalog
from schemaprobe.properties import _sql
from schemaprobe.properties.oracle import Property, run_property
from schemaprobe.properties.rows import RowFactory
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.server import Server, dsn_server, embedded_server
from schemaprobe.provision.session import connect

TARGET_PER_S = 300.0
CHECK = "retry_count BETWEEN 0 AND 5"

DDL = """
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'done', 'failed')),
  retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 5),
  cost numeric(10,2),
  payload jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
"""


@contextlib.contextmanager
def _server(dsn: str | None) -> Iterator[Server]:
    if dsn:
        with dsn_server(dsn) as server:
            yield server
    else:
        with embedded_server() as server:
            yield server


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cores[0]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="server to use instead of the embedded one")
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-gate", action="store_true")
    args = parser.parse_args(argv)
    try:
        with (
            _server(args.dsn) as server,
            ScratchDatabases(server.dsn) as databases,
            databases.database() as dsn,
        ):
            _one_core()  # this process only: the server keeps its own cores
            with connect(dsn, autocommit=True) as conn:
                conn.execute(DDL)
                catalog = read_catalog(conn)
            table = QualifiedName("public", "jobs")
            prop = Property(
                table=table,
                kind="check",
                label=CHECK,
                predicate=_sql.predicate(CHECK),
                columns=("retry_count",),
                others=(_sql.predicate("status IN ('queued', 'running', 'done', 'failed')"),),
                steer=(CHECK,),
            )
            factory = RowFactory(catalog)
            rates: list[float] = []
            with connect(dsn) as conn:
                for i in range(args.rounds):
                    started = time.perf_counter()
                    outcome = run_property(
                        conn, factory, prop, max_examples=args.examples, seed_value=i
                    )
                    elapsed = time.perf_counter() - started
                    conn.rollback()
                    if not outcome.passed:
                        print(f"unexpected failure: {outcome}", file=sys.stderr)
                        return 2
                    rates.append(outcome.examples / elapsed)
                    print(
                        f"round {i + 1}: {outcome.examples} examples "
                        f"({outcome.discarded} discarded) in {elapsed:.2f} s "
                        f"= {rates[-1]:.0f} examples/s"
                    )
    except SchemaprobeError as exc:
        print(f"bench_properties: {exc}", file=sys.stderr)
        return 2
    best, median = max(rates), statistics.median(rates)
    print(
        f"CHECK property, one table: best {best:.0f}, median {median:.0f} examples/s "
        f"(target >= {TARGET_PER_S:.0f})"
    )
    if median < TARGET_PER_S and not args.no_gate:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
