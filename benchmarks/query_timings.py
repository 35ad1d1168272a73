"""Where a catalog read's time goes: each introspection query timed on its own.

Why: ``bench_catalog.py`` says whether ``read_catalog`` meets its target; when it does
not, this says which query to work on and whether the cost is the server's (plan,
catalog scans, ``pg_get_*`` rendering) or the client's (rows to transfer and decode).

Each query file of ``schemaprobe/introspect/queries`` runs in a fresh session (a new
backend has cold catalog caches, as the real read has) with the reader's transaction
settings, then once more warm, then under ``EXPLAIN (ANALYZE)``; ``%(schemas)s`` is
bound to every non-system schema's oid, which is what a read without ``--schema``
selects. Printed per query: cold and warm wall time (execute + fetch), the server's
execution and planning time, rows and result size.

Usage::

    python benchmarks/query_timings.py --dsn postgresql://postgres@127.0.0.1:5432/DB
    python benchmarks/query_timings.py --dsn ... --plan triggers   # full plan of one query
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

import schemaprobe

QUERIES = Path(schemaprobe.__file__).resolve().parent / "introspect" / "queries"
_SCHEMA_OIDS = sql.SQL(
    "SELECT array_agg(oid) FROM pg_namespace"
    " WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
    " AND nspname !~ '^pg_(toast_)?temp_'"
)


@dataclass
class Timing:
    """One query's figures, in seconds and bytes."""

    name: str
    cold: float
    warm: float
    execution: float
    planning: float
    rows: int
    size: int


def _params(text: str, schemas: list[int]) -> dict[str, Any] | None:
    """Every schema, and (for queries the reader splits over two sessions) every share."""
    params: dict[str, Any] = {}
    if "%(schemas)s" in text:
        params["schemas"] = schemas
    if "%(share_from)s" in text:
        params["share_from"], params["share_to"] = 0, 9
    return params or None


def _query(name: str, server_version: int) -> sql.Composed:
    """The query as the reader sends it (version fragments filled in by the package)."""
    from schemaprobe.introspect._queries import query

    return query(name, server_version)


def _run(
    conn: psycopg.Connection[Any], query: sql.Composed, params: dict[str, Any] | None
) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    rows = conn.execute(query, params).fetchall()
    return time.perf_counter() - started, rows


def _session(dsn: str) -> psycopg.Connection[Any]:
    """A fresh session in a read-only transaction with the reader's own plan settings.

    The reader sets ``enable_nestloop = off``, ``jit = off`` and more for its
    transaction; without them the plans (and timings) here would not be the reader's.
    """
    from schemaprobe.introspect.read import _SETTINGS

    conn = psycopg.connect(dsn, application_name="schemaprobe-bench")
    conn.execute(sql.SQL("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    conn.execute(_SETTINGS)
    return conn


def time_query(dsn: str, path: Path, schemas: list[int]) -> Timing:
    """Cold, warm and EXPLAIN ANALYZE figures of one query file."""
    params = _params(path.read_text(encoding="utf-8"), schemas)
    with _session(dsn) as conn:
        query = _query(path.stem, conn.info.server_version)
        cold, rows = _run(conn, query, params)
        warm, _ = _run(conn, query, params)
        explain = sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) ") + query
        plan = conn.execute(explain, params).fetchone()
        conn.rollback()
    doc = plan[0] if plan else [{}]
    doc = json.loads(doc) if isinstance(doc, str) else doc
    size = sum(len(str(value)) for row in rows for value in row if value is not None)
    return Timing(
        name=path.stem,
        cold=cold,
        warm=warm,
        execution=float(doc[0].get("Execution Time", 0.0)) / 1000,
        planning=float(doc[0].get("Planning Time", 0.0)) / 1000,
        rows=len(rows),
        size=size,
    )


def show_plan(dsn: str, name: str, schemas: list[int]) -> None:
    """Print ``EXPLAIN (ANALYZE, BUFFERS)`` of one query, in a fresh (cold) session."""
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    with _session(dsn) as conn:
        query = _query(name, conn.info.server_version)
        explain = sql.SQL("EXPLAIN (ANALYZE, BUFFERS) ") + query
        for (line,) in conn.execute(explain, _params(text, schemas)):
            print(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="per-query timings of the catalog read")
    parser.add_argument("--dsn", required=True, help="the database to read")
    parser.add_argument("--plan", metavar="QUERY", help="print the full plan of one query")
    args = parser.parse_args(argv)
    if not QUERIES.is_dir():
        print(f"no introspection queries at {QUERIES}", file=sys.stderr)
        return 2
    with psycopg.connect(args.dsn, autocommit=True) as conn:
        row = conn.execute(_SCHEMA_OIDS).fetchone()
    schemas = [int(oid) for oid in (row[0] if row and row[0] else [])]
    if args.plan:
        show_plan(args.dsn, args.plan, schemas)
        return 0
    timings = [time_query(args.dsn, path, schemas) for path in sorted(QUERIES.glob("*.sql"))]
    timings.sort(key=lambda t: t.cold, reverse=True)
    print(f"{'query':<14}{'cold':>9}{'warm':>9}{'server':>9}{'plan':>9}{'rows':>9}{'MB':>8}")
    for t in timings:
        print(
            f"{t.name:<14}{t.cold:>8.3f}s{t.warm:>8.3f}s{t.execution:>8.3f}s{t.planning:>8.3f}s"
            f"{t.rows:>9}{t.size / 1e6:>8.1f}"
        )
    total = sum(t.cold for t in timings)
    print(
        f"{'sum':<14}{total:>8.3f}s{sum(t.warm for t in timings):>8.3f}s"
        f"{sum(t.execution for t in timings):>8.3f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
