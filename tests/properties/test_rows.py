"""The row factory against the real server: every type's values go in, parents come first,
cycles are broken where the columns allow it, CHECKs are honoured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

from schemaprobe.introspect import QualifiedName, read_catalog
from schemaprobe.introspect.model import Catalog
from schemaprobe.properties import (
    RowFactory,
    RowFactoryError,
    RowSet,
    TypeInfo,
    insert_rowset,
    parse_type,
    strategy_for,
)
from schemaprobe.properties.typeinfo import lookup_types, unknown_types
from schemaprobe.provision.session import connect
from tests.properties.helpers import load

FAST = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

EVERY_TYPE = """
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN small_positive AS positive CHECK (VALUE < 100);
CREATE DOMAIN short_code AS varchar(4) CHECK (length(VALUE) >= 2);
CREATE TABLE every_type (
  a smallint NOT NULL, b integer NOT NULL, c bigint NOT NULL, d numeric(6,2) NOT NULL,
  e numeric NOT NULL, f real NOT NULL, g double precision NOT NULL, h text NOT NULL,
  i varchar(5) NOT NULL, j char(3) NOT NULL, k boolean NOT NULL, l uuid NOT NULL,
  m date NOT NULL, n time NOT NULL, o timetz NOT NULL, p timestamp NOT NULL,
  q timestamptz NOT NULL, r interval NOT NULL, s json NOT NULL, t jsonb NOT NULL,
  u bytea NOT NULL, v inet NOT NULL, w cidr NOT NULL, x text[] NOT NULL,
  y integer[] NOT NULL, z mood NOT NULL, zz positive NOT NULL, zzz short_code NOT NULL,
  zzzz mood[] NOT NULL, ci citext NOT NULL, ci_null citext, ci_array citext[] NOT NULL,
  sp small_positive NOT NULL
);
"""


@contextlib.contextmanager
def _catalog(dsn: str, ddl: str) -> Iterator[tuple[Catalog, psycopg.Connection[Any]]]:
    load(dsn, ddl)
    with connect(dsn) as conn:
        catalog = read_catalog(conn)
        conn.rollback()
        yield catalog, conn


def _factory(catalog: Catalog, conn: psycopg.Connection[Any]) -> RowFactory:
    types = lookup_types(conn, unknown_types(catalog.tables.values()))
    conn.rollback()
    return RowFactory(catalog, types)


def test_values_of_every_type_are_accepted_by_the_server(scratch_dsn: str) -> None:
    with _catalog(scratch_dsn, EVERY_TYPE) as (catalog, conn):
        factory = _factory(catalog, conn)
        assert set(factory.types) >= {"public.mood", "public.positive", "public.short_code"}
        # the catalog names citext schema-qualified; it is known by name, not looked up
        assert "public.citext" not in factory.types
        seen: dict[str, set[str]] = {}
        stored: list[tuple[str | None, ...]] = []

        @FAST
        @given(factory.rows(QualifiedName("public", "every_type")))
        def insert(rowset: RowSet) -> None:
            with conn.transaction(force_rollback=True):
                values = insert_rowset(conn, rowset)
                row = conn.execute(
                    "SELECT ci::text, ci_null::text, ci_array::text, sp::text FROM every_type"
                ).fetchone()
                assert row is not None
                stored.append(tuple(row))
            for name, value in values.items():
                seen.setdefault(name, set()).add(str(value))

        insert()
        # citext columns get values: the NOT NULL ones in every row, the nullable one in some
        assert all(ci is not None and array is not None for ci, _n, array, _sp in stored)
        assert any(ci_null is not None for _ci, ci_null, _a, _sp in stored)
        assert any(array not in (None, "{}") for _ci, _n, array, _sp in stored)
        # a domain over a domain keeps both domains' CHECKs (VALUE > 0, VALUE < 100)
        assert all(sp is not None and 0 < int(sp) < 100 for *_rest, sp in stored)
        # special values are drawn, each by the types that have it: all three by the real
        # and double precision columns, NaN by plain numeric, infinities by dates and
        # timestamps (which float column draws which varies: the runs on PostgreSQL 15 and
        # 18 part after nine rows, with the same catalog)
        assert {"NaN", "Infinity", "-Infinity"} <= seen["f"] | seen["g"]
        assert "NaN" in seen["e"]
        for column in ("m", "p", "q"):
            assert {"infinity", "-infinity"} <= seen[column], column
        assert {"sad", "ok", "happy"} & seen["z"]  # enum labels, looked up on the server


PARENTS = """
CREATE TABLE orgs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id bigint NOT NULL REFERENCES orgs(id),
  manager_id uuid REFERENCES users(id),
  email text NOT NULL UNIQUE CHECK (email LIKE '%@%')
);
CREATE TABLE posts (
  id serial PRIMARY KEY,
  author uuid NOT NULL REFERENCES users(id),
  org bigint NOT NULL REFERENCES orgs(id),
  status text NOT NULL CHECK (status IN ('draft', 'live')),
  score integer CHECK (score BETWEEN 0 AND 10),
  starts timestamptz, ends timestamptz CHECK (ends > starts),
  slug text GENERATED ALWAYS AS (lower(status)) STORED
);
"""


def test_parents_come_first_and_children_take_their_keys(scratch_dsn: str) -> None:
    with _catalog(scratch_dsn, PARENTS) as (catalog, conn):
        factory = RowFactory(catalog)
        posts = QualifiedName("public", "posts")
        tables: list[tuple[str, ...]] = []

        @FAST
        @given(factory.rows(posts, fill="complete"))
        def insert(rowset: RowSet) -> None:
            tables.append(tuple(i.table.name for i in rowset.inserts))
            # no generated column written; the serial key explicit (no sequence moves)
            assert "slug" not in rowset.row.values and "id" in rowset.row.values
            with conn.transaction(force_rollback=True):
                try:
                    insert_rowset(conn, rowset)
                except psycopg.errors.CheckViolation as exc:
                    # email LIKE '%@%' is not steered: the only CHECK allowed to refuse
                    assert exc.diag.constraint_name == "users_email_check"

        insert()
        # orgs before users (users need an org), users and orgs before posts; the
        # self-reference users.manager_id is broken with NULL, not with another user
        assert set(tables) == {("orgs", "users", "orgs", "posts")}


def test_string_like_types_not_known_by_name_get_text_values(scratch_dsn: str) -> None:
    """An extension type the strategies do not know by name falls back on the server's
    type category: ``'S'`` (string) reads text. Installed in a schema of its own, citext
    still comes out of the lookup as text (what any such type gets)."""
    ddl = """
        CREATE SCHEMA "Ext";
        CREATE EXTENSION IF NOT EXISTS citext SCHEMA "Ext";
        CREATE DOMAIN code AS "Ext".citext CHECK (length(VALUE) = 3);
        """
    load(scratch_dsn, ddl)
    with connect(scratch_dsn) as conn:
        # the extension may already be in the server's template database, elsewhere
        schema = conn.execute(
            "SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
            " WHERE t.typname = 'citext'"
        ).fetchone()
        assert schema is not None
        qualified = f'"{schema[0]}".citext' if schema[0] == "Ext" else f"{schema[0]}.citext"
        found = lookup_types(conn, [qualified, "pg_catalog.point", "public.code"])
        assert found[qualified] == TypeInfo(base="text")
        assert "pg_catalog.point" not in found  # a geometric type: no values, left alone
        # a domain over citext in that schema: its base is known by name, values follow
        code = found["public.code"]
        assert parse_type(code.base or "").name == "citext"
        assert strategy_for("public.code", code) is not None


def test_a_not_null_cycle_cannot_be_built(scratch_dsn: str) -> None:
    ddl = """
        CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL);
        CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a(id));
        ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id);
        """
    cycle = r"cycle through NOT NULL columns \(a_id\)"
    with (
        _catalog(scratch_dsn, ddl) as (catalog, _conn),
        pytest.raises(RowFactoryError, match=cycle),
    ):
        RowFactory(catalog).rows(QualifiedName("public", "a"))


def test_a_nullable_cycle_is_broken_with_null(scratch_dsn: str) -> None:
    with _catalog(
        scratch_dsn,
        """
        CREATE TABLE a (id int PRIMARY KEY, b_id int);
        CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a(id));
        ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id);
        """,
    ) as (catalog, conn):

        @FAST
        @given(RowFactory(catalog).rows(QualifiedName("public", "b")))
        def insert(rowset: RowSet) -> None:
            assert [i.table.name for i in rowset.inserts] == ["a", "b"]
            assert rowset.inserts[0].values["b_id"] is None
            with conn.transaction(force_rollback=True):
                insert_rowset(conn, rowset)

        insert()
