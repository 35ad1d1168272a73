"""A synthetic Supabase-like schema of N tables, built fast enough for 10,000.

Why this shape: the performance targets in DESIGN.md are stated for "10,000 tables, each
with 8 columns, 4 indexes, 2 CHECKs, RLS + 4 policies and a trigger". That is what a
large Supabase project looks like (every table owned by a user through ``auth.users``,
guarded by ``auth.uid() = user_id`` policies, stamped by an ``updated_at`` trigger), and
it exercises every catalog the introspection reads: attributes with defaults, constraints
of three kinds, btree/partial/GIN indexes, policies with expressions, triggers and a
shared function. Policy names have spaces, as real Supabase ones do, so identifier
quoting is on the measured path too.

Every table (``<schema>.t<number>``), spread round-robin over :data:`SCHEMAS`:

* 8 columns: ``id uuid`` PK, ``user_id uuid`` FK to ``auth.users(id)``, ``title``,
  ``status``, ``amount numeric``, ``tags text[]``, ``metadata jsonb``, ``updated_at``;
* 2 CHECKs (``status`` in a list, ``amount >= 0``);
* 4 indexes in total: the primary key, a btree on ``user_id`` (the FK), a partial
  btree ``WHERE status = 'active'`` and a GIN on ``tags``;
* RLS enabled with 4 policies (select/insert/update/delete, ``auth.uid() = user_id``);
* a ``BEFORE UPDATE`` trigger calling the one shared ``public.set_updated_at()``.

Speed: the DDL is rendered once per table from a template (identifiers quoted through
``psycopg.sql``), sent as one multi-statement string per batch of a few hundred tables
(one round trip, one transaction, ``synchronous_commit=off``), so the build is bound
by the server's DDL work, not by round trips or commits. A batch per transaction (not
one transaction for everything) keeps the lock table small: each new table holds ~8
locks until commit, and a default server has room for only ~6,400. Parallel sessions
were tried and were slower (catalog contention on two cores, and every FK takes a
SHARE ROW EXCLUSIVE lock on ``auth.users``, which serialises them anyway). The build slows
down as it goes: each FK adds two RI triggers to ``auth.users``, whose relcache entry is
rebuilt (reading all its triggers) before the next FK, so the whole build is O(N²) in a
small constant: ~7 s for the first 2,000 tables, ~66 s for 10,000 on PG15 here.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections.abc import Iterator, Sequence

import psycopg
from psycopg import sql

SCHEMAS: tuple[str, ...] = ("app", "billing", "content", "social")
DEFAULT_BATCH = 250

# The minimal stand-in for Supabase's auth schema: what the tables and policies refer to.
_MINIMAL_AUTH = """
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
"""

_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION public.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
"""

# One table's DDL. {q} is the quoted qualified table name, {n_*} are quoted
# (unqualified) names of its constraints, indexes and trigger; nothing else varies.
_TABLE_TEMPLATE = """
CREATE TABLE {q} (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    title text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft',
    amount numeric(12,2) NOT NULL DEFAULT 0,
    tags text[] NOT NULL DEFAULT '{{}}',
    metadata jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT {n_pkey} PRIMARY KEY (id),
    CONSTRAINT {n_fkey} FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
    CONSTRAINT {n_status} CHECK (status IN ('draft', 'active', 'archived')),
    CONSTRAINT {n_amount} CHECK (amount >= 0)
);
CREATE INDEX {n_user} ON {q} (user_id);
CREATE INDEX {n_active} ON {q} (user_id, updated_at DESC) WHERE status = 'active';
CREATE INDEX {n_tags} ON {q} USING gin (tags);
ALTER TABLE {q} ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own rows" ON {q} FOR SELECT USING (auth.uid() = user_id);
CREATE POLICY "Users can insert own rows" ON {q} FOR INSERT WITH CHECK (auth.uid() = user_id);
CREATE POLICY "Users can update own rows" ON {q} FOR UPDATE
    USING (auth.uid() = user_id) WITH CHECK (auth.uid() = user_id);
CREATE POLICY "Users can delete own rows" ON {q} FOR DELETE USING (auth.uid() = user_id);
CREATE TRIGGER {n_trigger} BEFORE UPDATE ON {q}
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
"""

_SUFFIXES = {
    "n_pkey": "pkey",
    "n_fkey": "user_id_fkey",
    "n_status": "status_check",
    "n_amount": "amount_check",
    "n_user": "user_id_idx",
    "n_active": "active_idx",
    "n_tags": "tags_idx",
    "n_trigger": "set_updated_at",
}


def table_names(n_tables: int, schemas: Sequence[str] = SCHEMAS) -> Iterator[tuple[str, str]]:
    """``(schema, table)`` for table 1..N, spread round-robin over ``schemas``."""
    width = max(5, len(str(n_tables)))
    for i in range(1, n_tables + 1):
        yield schemas[(i - 1) % len(schemas)], f"t{i:0{width}d}"


def table_ddl(conn: psycopg.Connection[tuple[object, ...]], schema: str, table: str) -> str:
    """The DDL of one table, every varying identifier quoted by ``psycopg.sql``."""

    def quote(*parts: str) -> str:
        return sql.Identifier(*parts).as_string(conn)

    names = {key: quote(f"{table}_{suffix}") for key, suffix in _SUFFIXES.items()}
    return _TABLE_TEMPLATE.format(q=quote(schema, table), **names)


def _supabase_compat_available() -> bool:
    """True once the full Supabase compatibility layer has been written (it is optional here)."""
    try:
        return importlib.util.find_spec("schemaprobe.provision.supabase") is not None
    except ModuleNotFoundError:
        return False


def install_auth(conn: psycopg.Connection[tuple[object, ...]], mode: str = "auto") -> str:
    """Create ``auth.users`` and ``auth.uid()``; return which flavour was installed.

    ``auto`` uses ``schemaprobe.provision.supabase.install_supabase_compat`` when that
    module exists (the schema then looks even more like a real Supabase project) and
    falls back to the minimal stand-in, so the benchmark never depends on it.
    """
    if mode in ("auto", "supabase") and _supabase_compat_available():
        from schemaprobe.provision.supabase import (  # type: ignore[import-not-found,unused-ignore]
            install_supabase_compat,
        )

        with conn.transaction():
            install_supabase_compat(conn)
        return "supabase"
    if mode == "supabase":
        raise SystemExit("--auth supabase: schemaprobe.provision.supabase does not exist yet")
    with conn.transaction():
        conn.execute(sql.SQL(_MINIMAL_AUTH))
    return "minimal"


def build_synthetic(
    dsn: str,
    n_tables: int,
    *,
    batch_size: int = DEFAULT_BATCH,
    schemas: Sequence[str] = SCHEMAS,
    auth: str = "auto",
    quiet: bool = False,
) -> None:
    """Create the synthetic schema with ``n_tables`` tables in the (empty) database at ``dsn``.

    Prints how long the build took unless ``quiet``. The database should be a fresh one:
    tables are created without ``IF NOT EXISTS`` so a name clash fails loudly.
    """
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True, application_name="schemaprobe-bench") as conn:
        flavour = install_auth(conn, auth)
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL synchronous_commit = off"))
            for schema in schemas:
                create = sql.SQL("CREATE SCHEMA IF NOT EXISTS {}")
                conn.execute(create.format(sql.Identifier(schema)))
            conn.execute(sql.SQL(_TRIGGER_FUNCTION))
        batch: list[str] = []
        done = 0
        for schema, table in table_names(n_tables, schemas):
            batch.append(table_ddl(conn, schema, table))
            if len(batch) >= batch_size:
                _send_batch(conn, batch)
                done += len(batch)
                batch.clear()
                if not quiet and done % (batch_size * 8) == 0:
                    _progress(done, n_tables, started)
        if batch:
            _send_batch(conn, batch)
    elapsed = time.perf_counter() - started
    if not quiet:
        rate = n_tables / elapsed if elapsed else float("inf")
        print(
            f"built {n_tables} tables over {len(schemas)} schemas ({flavour} auth) "
            f"in {elapsed:.1f} s ({rate:.0f} tables/s)",
            flush=True,
        )


def _send_batch(conn: psycopg.Connection[tuple[object, ...]], batch: list[str]) -> None:
    """One round trip, one transaction: the whole batch as a single multi-statement string."""
    script = "BEGIN; SET LOCAL synchronous_commit = off;" + "".join(batch) + "COMMIT;"
    # Multi-statement text goes over the simple query protocol (no parameters).
    # The text is built from our own template with every identifier quoted above.
    conn.execute(sql.SQL(script))


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    print(f"  {done}/{total} tables, {elapsed:.1f} s", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``python benchmarks/synthetic.py --dsn DSN --tables N``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--dsn",
        default=os.environ.get("SCHEMAPROBE_TEST_DSN"),
        help="database to build into (default: $SCHEMAPROBE_TEST_DSN); should be empty",
    )
    parser.add_argument("--tables", type=int, default=10_000, help="number of tables (10000)")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="tables per transaction")
    parser.add_argument(
        "--auth",
        choices=("auto", "minimal", "supabase"),
        default="auto",
        help="auth schema: Supabase compatibility layer if available (auto), or the minimal one",
    )
    args = parser.parse_args(argv)
    if not args.dsn:
        parser.error("--dsn is required (or set SCHEMAPROBE_TEST_DSN)")
    build_synthetic(args.dsn, args.tables, batch_size=args.batch, auth=args.auth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
