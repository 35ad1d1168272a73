"""How a read behaves: fixed round trips, schema selection, transactions, errors."""

from __future__ import annotations

import json
from dataclasses import replace

import psycopg
import pytest
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row

from schemaprobe.errors import IntrospectionError, UsageError
from schemaprobe.introspect import SUPABASE_SCHEMAS, Catalog, read_catalog
from schemaprobe.introspect.serialize import catalog_to_dict
from tests.introspect.helpers import Db, qn

# Every kind of object, so the equality checks below cover every query.
_EVERYTHING = """
CREATE SCHEMA app;
CREATE TABLE app.parent (id int PRIMARY KEY);
CREATE TABLE app.t (
    id int PRIMARY KEY REFERENCES app.parent, v text DEFAULT 'x' CHECK (v <> ''),
    n serial
);
CREATE INDEX t_v ON app.t (lower(v)) WHERE n > 0;
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_trg BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg();
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON app.t USING (v = current_user);
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE TABLE app.m (at date) PARTITION BY RANGE (at);
CREATE TABLE app.m1 PARTITION OF app.m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
"""


def _tables(db: Db, count: int) -> None:
    statements = [
        f"CREATE TABLE app.x{i} (id int PRIMARY KEY, v int CHECK (v > 0));"
        f" CREATE POLICY p ON app.x{i} USING (v > 1);"
        f" CREATE INDEX ON app.x{i} (v) WHERE v > 2;"
        for i in range(count)
    ]
    db.run("".join(statements))


def test_round_trips_do_not_grow_with_the_schema(db: Db) -> None:
    db.run(_EVERYTHING)
    small_parallel, small_single = db.read(), db.read(parallel=False)
    _tables(db, 50)
    big_parallel, big_single = db.read(), db.read(parallel=False)
    assert len(big_parallel.tables) == len(small_parallel.tables) + 50
    assert (small_parallel.connections, small_single.connections) == (2, 1)
    assert big_parallel.round_trips == small_parallel.round_trips == 27
    assert big_single.round_trips == small_single.round_trips == 19


def test_parallel_and_single_connection_reads_agree(db: Db) -> None:
    db.run(_EVERYTHING)
    _tables(db, 12)  # enough tables for every share of the split queries
    _assert_same_catalog(db.read(), db.read(parallel=False))


def _assert_same_catalog(first: Catalog, second: Catalog) -> None:
    """Equal catalogs, but for roles only those both reads saw.

    Roles are server-wide: tests running at the same time (xdist) may add some.
    """
    shared = set(first.roles) & set(second.roles)
    assert {name: first.roles[name] for name in shared} == {
        name: second.roles[name] for name in shared
    }
    assert replace(first, roles={}) == replace(second, roles={})


def test_helper_connection_failure_falls_back_to_one_connection(db: Db) -> None:
    db.run(_EVERYTHING)
    with psycopg.connect(db.dsn) as conn:
        catalog = read_catalog(conn, parallel_dsn="host=127.0.0.1 port=1 connect_timeout=1")
    assert catalog.connections == 1
    _assert_same_catalog(catalog, db.read())


def test_include_and_exclude_patterns(db: Db) -> None:
    db.run(
        """
        CREATE SCHEMA app_core; CREATE SCHEMA app_billing; CREATE SCHEMA "App_Upper";
        CREATE SCHEMA other;
        CREATE TABLE app_core.a (id int); CREATE TABLE app_billing.b (id int);
        CREATE TABLE "App_Upper".c (id int); CREATE TABLE other.d (id int);
        CREATE TABLE public.e (id int);
        """
    )
    catalog = db.read(include_schemas=["app_*"])
    assert list(catalog.schemas) == ["app_billing", "app_core"]  # case-sensitive match
    assert list(catalog.tables) == [qn("app_billing", "b"), qn("app_core", "a")]
    catalog = db.read(include_schemas=["app_*", "other"], exclude_schemas=["*_billing"])
    assert list(catalog.tables) == [qn("app_core", "a"), qn("other", "d")]
    catalog = db.read(exclude_schemas=["app_?ore", "public"])
    assert list(catalog.schemas) == ["App_Upper", "app_billing", "other"]
    catalog = db.read(include_schemas=["pg_catalog", "information_schema", "app_core"])
    assert list(catalog.schemas) == ["app_core"]  # system schemas never


def test_an_include_that_matches_nothing_is_an_error(db: Db) -> None:
    with pytest.raises(IntrospectionError, match=r"no schema matches 'pubic' \(schemas in this"):
        db.read(include_schemas=["public", "pubic"])


def test_bad_arguments(db: Db) -> None:
    expected = r"unknown profile 'firebase'\. Valid values are: supabase"
    with pytest.raises(UsageError, match=expected):
        db.read(profile="firebase")
    with pytest.raises(UsageError, match="take a list of patterns"):
        db.read(include_schemas="public")


def test_supabase_profile(db: Db) -> None:
    db.run(
        """
        CREATE SCHEMA auth; CREATE SCHEMA storage; CREATE SCHEMA extensions;
        CREATE SCHEMA realtime; CREATE SCHEMA graphql_public; CREATE SCHEMA vault;
        CREATE TABLE auth.users (id uuid PRIMARY KEY);
        CREATE TABLE storage.objects (id uuid);
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid';
        CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users);
        """
    )
    everything = db.read()
    assert set(everything.schemas) >= {"auth", "storage", "extensions", "public"}
    catalog = db.read(profile="supabase")
    assert list(catalog.schemas) == ["public"]
    assert list(catalog.tables) == [qn("public", "profiles")]
    assert catalog.functions == {}
    fk = catalog.tables[qn("public", "profiles")].constraint("profiles_id_fkey")
    assert fk is not None and fk.references is not None
    assert fk.references.table == qn("auth", "users")
    # Naming a managed schema exactly brings it back; a pattern does not.
    catalog = db.read(profile="supabase", include_schemas=["public", "auth"])
    assert list(catalog.schemas) == ["auth", "public"]
    catalog = db.read(profile="supabase", include_schemas=["*"])
    assert list(catalog.schemas) == ["public"]
    assert {"auth", "storage", "realtime", "supabase_functions", "vault"} <= set(SUPABASE_SCHEMAS)


def test_idle_connection_is_left_idle(db: Db) -> None:
    db.run(_EVERYTHING)
    with psycopg.connect(db.dsn) as conn:
        read_catalog(conn, parallel_dsn=db.dsn)
        assert conn.info.transaction_status == TransactionStatus.IDLE
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        read_catalog(conn)
        assert conn.info.transaction_status == TransactionStatus.IDLE


def test_a_callers_transaction_is_used_and_left_as_it_was(db: Db) -> None:
    db.run(_EVERYTHING)
    with psycopg.connect(db.dsn, row_factory=dict_row) as conn:
        conn.execute("SET search_path = app, public")
        conn.execute("CREATE TABLE app.uncommitted (id int)")
        catalog = read_catalog(conn, parallel_dsn=db.dsn)
        assert conn.info.transaction_status == TransactionStatus.INTRANS
        # Our settings were local to a savepoint; the caller's row factory is untouched.
        row = conn.execute("SELECT current_setting('search_path') AS path").fetchone()
        assert row == {"path": "app, public"}
        conn.rollback()
    # The read saw the caller's own uncommitted work (and so ran on that connection only).
    assert qn("app", "uncommitted") in catalog.tables
    assert catalog.connections == 1


def test_failed_transaction_is_refused(db: Db) -> None:
    with psycopg.connect(db.dsn) as conn:
        with pytest.raises(psycopg.errors.DivisionByZero):
            conn.execute("SELECT 1 / 0")
        with pytest.raises(IntrospectionError, match="failed transaction"):
            read_catalog(conn)


def test_read_only_session(db: Db) -> None:
    db.run(_EVERYTHING)
    with psycopg.connect(db.dsn, options="-c default_transaction_read_only=on") as conn:
        catalog = read_catalog(conn, parallel_dsn=db.dsn)
    assert catalog.connections == 2
    assert qn("app", "t") in catalog.tables


def test_permission_problem_is_one_line(db: Db) -> None:
    prober = db.roles.make("prober", "LOGIN")
    db.run("REVOKE SELECT ON pg_catalog.pg_policy FROM PUBLIC")
    dsn = psycopg.conninfo.make_conninfo(db.dsn, user=prober)
    with psycopg.connect(dsn) as conn:
        with pytest.raises(IntrospectionError) as failure:
            read_catalog(conn, parallel_dsn=dsn)
        assert conn.info.transaction_status == TransactionStatus.IDLE
    message = str(failure.value)
    assert message == (
        "permission denied while reading the catalog: permission denied for table pg_policy"
    )


def test_serialisation_is_deterministic_and_json(db: Db) -> None:
    db.run(_EVERYTHING)
    first = json.dumps(catalog_to_dict(db.read()), ensure_ascii=False)
    second = json.dumps(catalog_to_dict(db.read(parallel=False)), ensure_ascii=False)
    assert first == second
    data = json.loads(first)
    assert list(data) == [
        "server_version",
        "database",
        "schemas",
        "extensions",
        "roles",
        "tables",
        "views",
        "sequences",
        "functions",
    ]
    assert list(data["tables"]) == ["app.m", "app.m1", "app.parent", "app.t"]


def test_serialised_table(db: Db) -> None:
    reader = db.roles.make("Reader")
    db.run(
        """
        CREATE TABLE "Order Items" (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            qty int NOT NULL DEFAULT 1 CONSTRAINT qty_positive CHECK (qty > 0),
            note text COLLATE "C"
        );
        CREATE INDEX by_qty ON "Order Items" (qty DESC, lower(note) text_pattern_ops);
        ALTER TABLE "Order Items" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Only big" ON "Order Items" AS RESTRICTIVE FOR SELECT TO {}
            USING (qty > 10);
        REVOKE ALL ON "Order Items" FROM postgres;
        GRANT SELECT, UPDATE (note) ON "Order Items" TO {} WITH GRANT OPTION;
        COMMENT ON TABLE "Order Items" IS 'lines';
        """,
        reader,
        reader,
    )
    data = catalog_to_dict(db.read())
    assert data["tables"]['public."Order Items"'] == {
        "kind": "table",
        "owner": "postgres",
        "comment": "lines",
        "columns": {
            "id": {"position": 1, "type": "bigint", "not_null": True, "identity": "always"},
            "qty": {"position": 2, "type": "integer", "not_null": True, "default": "1"},
            "note": {
                "position": 3,
                "type": "text",
                "collation": "C",
                "privileges": {reader: ["UPDATE WITH GRANT OPTION"]},
            },
        },
        "constraints": {
            "Order Items_pkey": {
                "kind": "primary key",
                "columns": ["id"],
                "index": "Order Items_pkey",
            },
            "qty_positive": {"kind": "check", "columns": ["qty"], "check": "(qty > 0)"},
        },
        "indexes": {
            "Order Items_pkey": {
                "method": "btree",
                "columns": ["id"],
                "unique": True,
                "primary": True,
                "constraint": "Order Items_pkey",
            },
            "by_qty": {
                "method": "btree",
                "columns": [
                    {"column": "qty", "descending": True, "nulls_first": True},
                    {"expression": "lower(note)", "opclass": "text_pattern_ops"},
                ],
            },
        },
        "rls_enabled": True,
        "policies": {
            "Only big": {
                "command": "SELECT",
                "restrictive": True,
                "roles": [reader],
                "using": "(qty > 10)",
            },
        },
        "privileges": {reader: ["SELECT WITH GRANT OPTION"]},
    }
    assert data["sequences"]['public."Order Items_id_seq"']["owned_by"] == {
        "table": 'public."Order Items"',
        "column": "id",
        "identity": True,
    }


def test_quoted_names_in_statements_compose(db: Db) -> None:
    """Names from the catalog are usable as identifiers, and render like quote_ident."""
    db.run('CREATE SCHEMA "Ünïcødé 表"; CREATE TABLE "Ünïcødé 表"."select" ("a""b" int)')
    name = next(iter(db.read(include_schemas=["Ü*"]).tables))
    assert str(name) == '"Ünïcødé 表"."select"'
    with psycopg.connect(db.dsn) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(name.identifier)).fetchone()
        quoted = conn.execute(
            "SELECT quote_ident(%s) || '.' || quote_ident(%s)", (name.schema, name.name)
        ).fetchone()
    assert row == (0,)
    assert quoted == (str(name),)
