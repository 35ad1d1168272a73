"""The Supabase profile on a real server: roles, auth helpers, RLS as a signed-in user."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from schemaprobe.errors import ProvisionError
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.session import connect
from schemaprobe.provision.sqlfile import apply_sql_files
from schemaprobe.provision.supabase import (
    API_ROLES,
    LOGIN_ROLE,
    has_auth_schema,
    install_supabase_compat,
)

Conn = psycopg.Connection[tuple[object, ...]]

# A migration as Supabase projects write them (the "todos" quickstart, plus the
# pg_dump spelling extensions.uuid_generate_v4()).
MIGRATION = """
create table public.todos (
  id uuid default uuid_generate_v4() primary key,
  user_id uuid references auth.users not null,
  task text check (char_length(task) > 3),
  inserted_at timestamp with time zone default timezone('utc'::text, now()) not null
);
alter table public.todos enable row level security;
create policy "Individuals can create todos." on public.todos
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Individuals can view their own todos." on public.todos
  for select using ((select auth.uid()) = user_id);

create table public.profiles (
  id uuid not null default extensions.uuid_generate_v4() primary key,
  user_id uuid references auth.users on delete cascade,
  username text
);
"""


@pytest.fixture
def conn(scratch_dsn: str) -> Iterator[Conn]:
    with connect(scratch_dsn) as connection:
        yield connection


@pytest.fixture
def installed(conn: Conn) -> Conn:
    install_supabase_compat(conn)
    conn.commit()
    return conn


def scalar(conn: Conn, query: str, *params: object) -> object:
    row = conn.execute(query, params or None).fetchone()
    assert row is not None
    return row[0]


def act_as(conn: Conn, role: str, claims: dict[str, str] | None = None) -> None:
    """What PostgREST does per request: switch role, set the JWT claims, both transaction-local."""
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
    if claims is not None:
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (json.dumps(claims),))


def add_user(conn: Conn, email: str) -> uuid.UUID:
    user_id = scalar(
        conn,
        "INSERT INTO auth.users (email, aud, role) "
        "VALUES (%s, 'authenticated', 'authenticated') RETURNING id",
        email,
    )
    assert isinstance(user_id, uuid.UUID)
    return user_id


def test_install_creates_roles_schemas_and_grants(installed: Conn) -> None:
    conn = installed
    assert has_auth_schema(conn)
    rows = conn.execute(
        "SELECT rolname, rolcanlogin, rolinherit, rolbypassrls, rolsuper"
        " FROM pg_roles WHERE rolname = ANY(%s)",
        ([*API_ROLES, LOGIN_ROLE],),
    ).fetchall()
    roles = {row[0]: row[1:] for row in rows}
    assert roles == {
        "anon": (False, True, False, False),
        "authenticated": (False, True, False, False),
        "service_role": (False, True, True, False),
        "authenticator": (True, False, False, False),
    }
    for role in API_ROLES:
        assert scalar(conn, "SELECT pg_has_role('authenticator', %s, 'MEMBER')", role) is True
        for schema in ("public", "auth", "extensions", "storage"):
            assert scalar(conn, "SELECT has_schema_privilege(%s, %s, 'USAGE')", role, schema)
        assert scalar(conn, "SELECT has_function_privilege(%s, 'auth.uid()', 'EXECUTE')", role)
        # Supabase's API roles cannot read auth.users directly.
        assert scalar(conn, "SELECT has_table_privilege(%s, 'auth.users', 'SELECT')", role) is False
    columns = scalar(
        conn,
        "SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute"
        " WHERE attrelid = 'auth.users'::regclass AND attnum > 0 AND NOT attisdropped",
    )
    assert isinstance(columns, list)
    assert columns[:6] == ["instance_id", "id", "aud", "role", "email", "encrypted_password"]
    assert {
        "email_confirmed_at",
        "raw_app_meta_data",
        "raw_user_meta_data",
        "created_at",
        "updated_at",
        "phone",
        "is_anonymous",
        "is_sso_user",
        "deleted_at",
    } <= set(columns)


def test_default_privileges_reach_tables_created_afterwards(installed: Conn) -> None:
    installed.execute("CREATE TABLE public.later (id bigint GENERATED ALWAYS AS IDENTITY)")
    for role in API_ROLES:
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            assert scalar(
                installed, "SELECT has_table_privilege(%s, 'public.later', %s)", role, privilege
            )
        sequence_usage = "SELECT has_sequence_privilege(%s, 'public.later_id_seq', 'USAGE')"
        assert scalar(installed, sequence_usage, role)


def test_uid_reads_transaction_local_claims_and_does_not_leak(installed: Conn) -> None:
    conn = installed
    assert scalar(conn, "SELECT auth.uid()") is None
    sub = uuid.uuid4()
    conn.execute(
        "SELECT set_config('request.jwt.claims', %s, true)",
        (json.dumps({"sub": str(sub), "role": "authenticated"}),),
    )
    assert scalar(conn, "SELECT auth.uid()") == sub
    conn.commit()
    # After the transaction the setting still exists but reads as '': uid() must be NULL.
    assert scalar(conn, "SELECT current_setting('request.jwt.claims', true)") == ""
    assert scalar(conn, "SELECT auth.uid()") is None
    conn.rollback()


def test_legacy_claim_settings_are_read_first(installed: Conn) -> None:
    conn = installed
    legacy, current = uuid.uuid4(), uuid.uuid4()
    conn.execute(
        "SELECT set_config('request.jwt.claims', %s, true)",
        (json.dumps({"sub": str(current), "role": "anon"}),),
    )
    assert scalar(conn, "SELECT auth.uid()") == current
    conn.execute("SELECT set_config('request.jwt.claim.sub', %s, true)", (str(legacy),))
    conn.execute("SELECT set_config('request.jwt.claim.role', 'service_role', true)")
    assert scalar(conn, "SELECT auth.uid()") == legacy
    assert scalar(conn, "SELECT auth.role()") == "service_role"
    conn.rollback()


def test_role_email_and_jwt(installed: Conn) -> None:
    conn = installed
    assert scalar(conn, "SELECT auth.role()") is None
    assert scalar(conn, "SELECT auth.jwt()") is None
    claims = {
        "sub": str(uuid.uuid4()),
        "role": "authenticated",
        "email": "a@example.com",
        "app_metadata": {"tenant": "acme"},
    }
    conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (json.dumps(claims),))
    assert scalar(conn, "SELECT auth.role()") == "authenticated"
    assert scalar(conn, "SELECT auth.email()") == "a@example.com"
    assert scalar(conn, "SELECT auth.jwt()") == claims
    assert scalar(conn, "SELECT auth.jwt() -> 'app_metadata' ->> 'tenant'") == "acme"
    conn.rollback()


def test_supabase_migration_loads_and_rls_isolates_users(scratch_dsn: str, tmp_path: Path) -> None:
    with connect(scratch_dsn, autocommit=True) as conn:
        install_supabase_compat(conn)  # autocommit: a transaction of its own
        migration = tmp_path / "20240101000000_todos.sql"
        migration.write_text(MIGRATION, encoding="utf-8")
        apply_sql_files(conn, [migration])
    with connect(scratch_dsn) as conn:
        alice, bob = add_user(conn, "alice@example.com"), add_user(conn, "bob@example.com")
        for user in (alice, alice, bob):
            conn.execute("INSERT INTO todos (user_id, task) VALUES (%s, 'write tests')", (user,))
        conn.execute("INSERT INTO profiles (user_id, username) VALUES (%s, 'alice')", (alice,))
        conn.commit()

        act_as(conn, "authenticated", {"sub": str(alice), "role": "authenticated"})
        owners = conn.execute("SELECT user_id FROM todos").fetchall()
        assert owners == [(alice,), (alice,)]
        conn.execute("INSERT INTO todos (user_id, task) VALUES (%s, 'mine, fine')", (alice,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO todos (user_id, task) VALUES (%s, 'not mine')", (bob,))
        conn.rollback()

        act_as(conn, "authenticated", {"sub": str(bob), "role": "authenticated"})
        assert conn.execute("SELECT user_id FROM todos").fetchall() == [(bob,)]
        conn.rollback()

        act_as(conn, "anon", {"role": "anon"})
        assert scalar(conn, "SELECT count(*) FROM todos") == 0
        conn.rollback()

        act_as(conn, "service_role", {"role": "service_role"})  # BYPASSRLS
        assert scalar(conn, "SELECT count(*) FROM todos") == 3
        conn.rollback()

        # The role switch and the claims ended with the transaction.
        assert scalar(conn, "SELECT current_user") != "authenticated"
        assert scalar(conn, "SELECT auth.uid()") is None
        conn.rollback()


def test_uuid_generate_v4_resolves_unqualified_in_template_clones(
    scratch_databases: ScratchDatabases,
) -> None:
    template = scratch_databases.create()
    try:
        with connect(scratch_databases.dsn(template), autocommit=True) as conn:
            install_supabase_compat(conn)
        with scratch_databases.database(template=template) as clone, connect(clone) as conn:
            assert scalar(conn, "SHOW search_path") == '"$user", public'
            assert isinstance(scalar(conn, "SELECT uuid_generate_v4()"), uuid.UUID)
            assert isinstance(scalar(conn, "SELECT extensions.uuid_generate_v4()"), uuid.UUID)
            assert has_auth_schema(conn)
    finally:
        scratch_databases.drop(template)


def test_installing_twice_is_refused(installed: Conn) -> None:
    with pytest.raises(ProvisionError, match=r"already has an `auth` schema"):
        install_supabase_compat(installed)
    assert scalar(installed, "SELECT 1") == 1  # the caller's session is still usable


def test_database_with_an_auth_schema_is_refused(conn: Conn) -> None:
    assert has_auth_schema(conn) is False
    conn.execute("CREATE SCHEMA auth")
    assert has_auth_schema(conn) is True
    with pytest.raises(ProvisionError, match=r"refusing to install .* has an `auth` schema"):
        install_supabase_compat(conn)


def test_failure_leaves_nothing_behind_and_names_the_line(conn: Conn) -> None:
    conn.execute("CREATE SCHEMA storage")
    conn.execute("CREATE TABLE public.mine (id int)")
    with pytest.raises(ProvisionError, match=r'supabase\.sql:\d+: schema "storage" already exists'):
        install_supabase_compat(conn)
    # Only the profile was undone: the caller's own work in the transaction remains.
    assert has_auth_schema(conn) is False
    assert scalar(conn, "SELECT to_regclass('public.mine') IS NOT NULL") is True
    conn.rollback()


def test_two_databases_on_one_server(scratch_databases: ScratchDatabases, scratch_dsn: str) -> None:
    with connect(scratch_dsn) as first:
        install_supabase_compat(first)
        first.commit()
    # The roles now exist on the server; the second database reuses them.
    with scratch_databases.database() as other, connect(other) as second:
        install_supabase_compat(second)
        second.commit()
        assert has_auth_schema(second)
        user = add_user(second, "carol@example.com")
        act_as(second, "authenticated", {"sub": str(user), "role": "authenticated"})
        assert scalar(second, "SELECT auth.uid()") == user
        second.rollback()


def test_uuid_generate_v4_comes_from_uuid_ossp_where_available(installed: Conn) -> None:
    available = scalar(
        installed, "SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'uuid-ossp')"
    )
    from_extension = scalar(
        installed,
        "SELECT EXISTS (SELECT FROM pg_depend WHERE deptype = 'e'"
        " AND classid = 'pg_proc'::regclass AND objid = 'public.uuid_generate_v4()'::regprocedure)",
    )
    assert from_extension == available
    # Either way a Supabase migration's `create extension if not exists` line is then a no-op
    # where the server has the extension.
    if available:
        installed.execute('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions')
        assert scalar(installed, "SELECT uuid_generate_v1() IS NOT NULL") is True
    installed.rollback()
