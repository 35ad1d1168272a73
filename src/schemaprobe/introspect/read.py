"""``read_catalog``: the live catalog → :class:`Catalog`, in a fixed number of bulk queries.

How a read goes (see docs/introspection.md for the measurements behind it):

1. On the caller's connection: a ``REPEATABLE READ, READ ONLY`` transaction, session
   settings that make rendered text deterministic (``search_path = pg_catalog`` as
   pg_dump does), and the small queries (schemas, roles, lookups) in one pipeline.
2. The schema filter runs in Python; the chosen schema oids go to every other query.
3. The bulk queries (one per catalog kind) run on two connections at once when a
   ``parallel_dsn`` is given: the second one imports the first one's snapshot
   (``pg_export_snapshot`` / ``SET TRANSACTION SNAPSHOT``, as ``pg_dump -j`` does), so
   both see exactly the same catalog. Without it, they run one after another on the
   caller's connection.
4. Rows become model objects in this thread while the queries still run (they are
   fetched by one thread per connection); the transaction is rolled back.

The number of statements never depends on the number of objects.
"""

from __future__ import annotations

import contextlib
import gc
import queue
import threading
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from schemaprobe.errors import IntrospectionError, SchemaprobeError
from schemaprobe.introspect._acl import AclParser
from schemaprobe.introspect._assemble import RelationAssembler, assemble
from schemaprobe.introspect._build import Parts
from schemaprobe.introspect._filter import SchemaFilter
from schemaprobe.introspect._lookups import Lookups, Row
from schemaprobe.introspect._queries import query
from schemaprobe.introspect.model import Catalog
from schemaprobe.provision.session import connect

__all__ = ["read_catalog"]

Connection = psycopg.Connection[Any]

# Settings for the read transaction: deterministic rendering (types and functions
# outside pg_catalog always schema-qualified; dates and floats in pg_dump's formats) and
# plans that suit whole-catalog scans, whose statistics are often missing on a fresh
# database (hash joins instead of index nested loops, in memory; no JIT, no parallel
# workers).
_SETTINGS = sql.SQL(
    "SELECT"
    " set_config('search_path', 'pg_catalog', true),"
    " set_config('DateStyle', 'ISO', true),"
    " set_config('IntervalStyle', 'postgres', true),"
    " set_config('extra_float_digits', '3', true),"
    " set_config('quote_all_identifiers', 'off', true),"
    " set_config('jit', 'off', true),"
    " set_config('enable_nestloop', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true),"
    " set_config('work_mem', '64MB', true)"
)
_BEGIN_SNAPSHOT = sql.SQL("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
_EXPORT = sql.SQL("SELECT pg_export_snapshot()")

# The bulk queries, as (query, share) steps per connection. Rendering an expression in
# a table's context (pg_get_expr with a relation: policies, CHECKs, index predicates)
# makes the server build a relation cache entry per table, once per backend, and that is
# most of its work. So with two connections, each one renders the expressions of a share
# of the tables (those whose ``oid mod 10`` falls in the share's range), and no backend
# builds entries for all of them. The caller's connection first reads the columns (the
# biggest query, and what every later build step needs), the helper meanwhile the
# relations, inheritance references and triggers; at 10,000 tables shares of 4/10 and
# 6/10 make both connections finish together (measured on PostgreSQL 15 and 18).
Share = tuple[int, int]
Step = tuple[str, Share]
_ALL: Share = (0, 9)
_MAIN_SHARE: Share = (0, 3)
_HELPER_SHARE: Share = (4, 9)
_MAIN: tuple[Step, ...] = (
    ("columns", _ALL),
    ("policies", _MAIN_SHARE),
    ("constraints", _MAIN_SHARE),
    ("indexes", _MAIN_SHARE),
)
_HELPER: tuple[Step, ...] = (
    ("relations", _ALL),
    ("references", _ALL),
    ("triggers", _ALL),
    ("policies", _HELPER_SHARE),
    ("constraints", _HELPER_SHARE),
    ("indexes", _HELPER_SHARE),
    ("functions", _ALL),
    ("sequences", _ALL),
)
_SINGLE: tuple[Step, ...] = tuple(
    (name, _ALL)
    for name in (
        "columns",
        "relations",
        "references",
        "triggers",
        "policies",
        "constraints",
        "indexes",
        "functions",
        "sequences",
    )
)
# Build steps that name columns or relations wait until these have been built.
_BASE = frozenset({"columns", "relations", "references"})
# Split by share; a share's tables are assembled once these and the base are built.
_SPLIT = frozenset({"policies", "constraints", "indexes"})
_Result = tuple[str, Share, "list[Row] | psycopg.Cursor[Row]"] | BaseException


def read_catalog(
    conn: Connection,
    *,
    include_schemas: Sequence[str] | None = None,
    exclude_schemas: Sequence[str] = (),
    profile: str | None = None,
    parallel_dsn: str | None = None,
) -> Catalog:
    """Read the catalog of the database ``conn`` is connected to.

    ``include_schemas``/``exclude_schemas`` are shell-style patterns on schema names;
    system schemas are never read, and ``profile="supabase"`` leaves out the schemas
    Supabase manages unless an include names one exactly. ``parallel_dsn`` (the same
    database) lets the bulk queries run on a second connection in the same snapshot.
    The read never writes and leaves ``conn`` as it found it (idle stays idle; an open
    transaction of the caller is used as is and left open).

    Example::

        with psycopg.connect(dsn) as conn:
            catalog = read_catalog(conn, include_schemas=["app*"], parallel_dsn=dsn)
        catalog.tables[QualifiedName("app", "users")].policies
    """
    schema_filter = SchemaFilter(include_schemas, exclude_schemas, profile)
    status = conn.info.transaction_status
    if status not in (TransactionStatus.IDLE, TransactionStatus.INTRANS):
        raise IntrospectionError(
            "cannot read the catalog: the connection is busy or in a failed transaction"
        )
    own_transaction = status == TransactionStatus.IDLE
    # A read creates a few hundred thousand objects that all stay alive: the cyclic
    # garbage collector would traverse them again and again (half the build time at
    # 10,000 tables) and find nothing to free. It is switched back on afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Read(conn, schema_filter, own_transaction, parallel_dsn).run()
    except SchemaprobeError:
        raise
    except psycopg.errors.InsufficientPrivilege as exc:
        raise IntrospectionError(
            f"permission denied while reading the catalog: {_first_line(exc)}"
        ) from None
    except psycopg.Error as exc:
        raise IntrospectionError(f"cannot read the catalog: {_first_line(exc)}") from None
    finally:
        if collecting:
            gc.enable()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Read:
    """One read: counts statements, owns the helper connection, collects rows."""

    def __init__(
        self,
        conn: Connection,
        schema_filter: SchemaFilter,
        own_transaction: bool,
        parallel_dsn: str | None,
    ) -> None:
        self.conn = conn
        self.filter = schema_filter
        self.own = own_transaction
        self.parallel_dsn = parallel_dsn if own_transaction else None
        self.version = conn.info.server_version
        self.statements = 0
        self.rows: dict[str, list[Row]] = {}
        self._relations: RelationAssembler | None = None
        self._lock = threading.Lock()

    def _count(self, n: int = 1) -> None:
        with self._lock:
            self.statements += n

    def run(self) -> Catalog:
        with ExitStack() as stack:
            helper_box: list[Connection | BaseException | None] = [None]
            opener = None
            if self.parallel_dsn is not None:
                opener = threading.Thread(target=self._open_helper, args=(helper_box,))
                opener.start()
            # BEGIN now and ROLLBACK on the way out: a read never commits anything. In a
            # transaction of the caller this is a savepoint, so our settings are undone.
            stack.enter_context(self.conn.transaction(force_rollback=True))
            self._count(2 if self.own else 3)
            snapshot = self._first_round(export=opener is not None)
            helper: Connection | None = None
            if opener is not None:
                opener.join()
                found = helper_box[0]
                if isinstance(found, psycopg.Connection):
                    helper = found
                    stack.callback(helper.close)
            schemas = [row for row in self.rows["schemas"] if self._selected(row)]
            self.oids = [row[0] for row in schemas]
            self._prepare()
            if helper is not None and snapshot and self._join_snapshot(helper, snapshot):
                self._fetch_and_build([(self.conn, _MAIN), (helper, _HELPER)])
                connections = 2
            else:
                self._fetch_and_build([(self.conn, _SINGLE)])
                connections = 1
            return assemble(
                self.parts,
                self.relations(),
                self.rows,
                schemas,
                server_version=self.version,
                database=self.conn.info.dbname,
                round_trips=self.statements,
                connections=connections,
            )

    # -- statements ------------------------------------------------------------------

    def _cursor(self, conn: Connection) -> psycopg.Cursor[Row]:
        return conn.cursor(row_factory=tuple_row)

    def _first_round(self, *, export: bool) -> str | None:
        """Transaction settings and the small queries, pipelined into one round trip."""
        conn = self.conn
        version = self.version
        with conn.pipeline():
            if self.own:
                self._cursor(conn).execute(_BEGIN_SNAPSHOT)
            self._cursor(conn).execute(_SETTINGS)
            exported = self._cursor(conn).execute(_EXPORT) if export else None
            cursors = {
                name: self._cursor(conn).execute(query(name, version))
                for name in ("schemas", "roles", "memberships", "extensions", "lookups")
            }
        self._count((1 if self.own else 0) + 1 + (1 if export else 0) + len(cursors))
        for name, cursor in cursors.items():
            self.rows[name] = cursor.fetchall()
        if exported is None:
            return None
        row = exported.fetchone()
        return None if row is None else str(row[0])

    def _open_helper(self, box: list[Connection | BaseException | None]) -> None:
        # A second probe session; failure only costs parallelism, never the read.
        try:
            box[0] = connect(self.parallel_dsn or "", autocommit=True)
        except (SchemaprobeError, psycopg.Error) as exc:
            box[0] = exc

    def _join_snapshot(self, helper: Connection, snapshot: str) -> bool:
        """Put the helper into the exported snapshot; on failure, read on one connection."""
        try:
            with helper.pipeline():
                self._cursor(helper).execute(
                    sql.SQL("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                )
                self._cursor(helper).execute(
                    sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot))
                )
                self._cursor(helper).execute(_SETTINGS)
        except psycopg.Error:
            return False
        finally:
            self._count(3)
        return True

    def _fetch(
        self, conn: Connection, steps: Sequence[Step], results: queue.Queue[_Result]
    ) -> None:
        """Run ``steps`` one after another, handing each result to the building thread.

        A cursor is handed over with its result still undecoded: the building thread turns
        it into rows, while this one already waits for the server's next result. (Not a
        pipeline: psycopg hands out pipelined results only once all have arrived.)
        """
        version = self.version
        try:
            for name, share in steps:
                params: dict[str, Any] = {"schemas": self.oids}
                if name in _SPLIT:
                    params["share_from"], params["share_to"] = share
                cursor = self._cursor(conn)
                self._count()
                cursor.execute(query(name, version), params)
                if name == "constraints":
                    # The tables these foreign keys point at, named before they are built.
                    rows = cursor.fetchall()
                    targets = sorted({row[7] for row in rows if row[2] == "f"})
                    found = self._cursor(conn)
                    self._count()
                    found.execute(query("targets", version), {"oids": targets})
                    results.put(("targets", share, found))
                    results.put((name, share, rows))
                else:
                    results.put((name, share, cursor))
        except BaseException as exc:  # raised again by the building thread
            results.put(exc)

    def _fetch_and_build(self, plan: Sequence[tuple[Connection, Sequence[Step]]]) -> None:
        """Fetch on every connection of ``plan`` at once; build in this thread meanwhile."""
        results: queue.Queue[_Result] = queue.Queue()
        threads = [
            threading.Thread(
                target=self._fetch, args=(conn, steps, results), name="schemaprobe-introspect"
            )
            for conn, steps in plan
        ]
        for thread in threads:
            thread.start()
        try:
            # Every "constraints" step brings a "targets" result too.
            names = [name for _, steps in plan for name, _ in steps]
            todo = Counter(names) + Counter(targets=names.count("constraints"))
            shares = {share for _, steps in plan for name, share in steps if name in _SPLIT}
            built: Counter[tuple[str, Share]] = Counter()
            waiting: list[tuple[str, Share, list[Row]]] = []
            for _ in range(todo.total()):
                item = results.get()
                if isinstance(item, BaseException):
                    raise item
                name, share, got = item
                waiting.append((name, share, got if isinstance(got, list) else got.fetchall()))
                # Build what can be built: the base first, the rest once the base is done.
                while True:
                    base_done = not any(todo[kind] for kind in _BASE)
                    ready = next(
                        (i for i, w in enumerate(waiting) if base_done or w[0] in _BASE), None
                    )
                    if ready is None:
                        break
                    name, share, rows = waiting.pop(ready)
                    self._build(name, rows)
                    todo[name] -= 1
                    built[(name, share)] += 1
                if not any(todo[kind] for kind in _BASE) and not todo["triggers"]:
                    for share in sorted(shares):
                        if all(built[(kind, share)] for kind in _SPLIT):
                            self.relations().add_share(share)
                            shares.discard(share)
            for share in sorted(shares):  # only if a share had no split steps at all
                self.relations().add_share(share)
        except BaseException:
            # A failed build or Ctrl-C: stop the queries still running, then clean up.
            for conn, _ in plan:
                with contextlib.suppress(psycopg.Error):
                    conn.cancel_safe(timeout=2.0)
            raise
        finally:
            for thread in threads:
                thread.join()

    # -- model -------------------------------------------------------------------------

    def _selected(self, row: Row) -> bool:
        return not row[5] and self.filter.selects(row[1])

    def _prepare(self) -> None:
        self.filter.check_includes([row[1] for row in self.rows["schemas"]])
        lookups = Lookups()
        lookups.add_roles(self.rows["roles"], self.rows["memberships"])
        lookups.add_lookups(self.rows["lookups"])
        self.parts = Parts(lookups, AclParser(self.version), {}, self.conn.info.encoding)

    def relations(self) -> RelationAssembler:
        """The assembler of tables and views, made once the base parts are built."""
        if self._relations is None:
            self._relations = RelationAssembler(self.parts)
        return self._relations

    def _build(self, name: str, rows: list[Row]) -> None:
        """Turn one query's rows into model parts (kinds without a builder are kept)."""
        builder = getattr(self.parts, f"add_{name}", None)
        if builder is not None:
            builder(rows)
        else:
            self.rows[name] = rows
