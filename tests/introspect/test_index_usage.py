"""Index usage statistics: read with the indexes, but neither compared nor serialized."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from schemaprobe.introspect.serialize import catalog_to_dict
from tests.introspect.helpers import Db, qn

SCHEMA = """
CREATE TABLE public.items (id int PRIMARY KEY, a int, b int);
CREATE INDEX items_a ON public.items (a);
CREATE INDEX items_b ON public.items (b);
INSERT INTO public.items SELECT n, n % 100, n % 7 FROM generate_series(1, 1000) n;
ANALYZE public.items;
"""


def scan_through(dsn: str, index: str, query: sql.SQL) -> None:
    """Run ``query`` so that it scans ``index`` (checked in its plan), then make the
    session's statistics visible to others before returning (PostgreSQL 15+: flushed
    when the session next goes idle, i.e. before this call returns)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(str(row[0]) for row in conn.execute(sql.SQL("EXPLAIN ") + query))
        assert index in plan, plan
        conn.execute(query)
        conn.execute("SELECT pg_stat_force_next_flush()")


@pytest.mark.pg(">= 15")
def test_scans_are_read_but_take_no_part_in_equality_or_snapshots(db: Db) -> None:
    db.run(SCHEMA)
    before = db.read()
    assert {i.name: i.scans for i in before.tables[qn("public", "items")].indexes} == {
        "items_pkey": 0,
        "items_a": 0,
        "items_b": 0,
    }
    query = sql.SQL("SELECT count(*) FROM public.items WHERE a = 5")
    scan_through(db.dsn, "items_a", query)
    scan_through(db.dsn, "items_a", query)
    after = db.read()
    scans = {i.name: i.scans for i in after.tables[qn("public", "items")].indexes}
    assert scans == {"items_pkey": 0, "items_a": 2, "items_b": 0}
    # usage counters move between reads of the same schema: the catalogs are still equal
    assert after.tables == before.tables
    assert catalog_to_dict(after) == catalog_to_dict(before)
    assert "scans" not in str(catalog_to_dict(after))
