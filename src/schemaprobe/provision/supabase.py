"""The Supabase compatibility profile: enough of Supabase on plain PostgreSQL 13-18.

Supabase migrations reference objects that a Supabase project has and plain
PostgreSQL lacks: ``auth.users``, ``auth.uid()`` in RLS policies, the API roles
``anon``/``authenticated``/``service_role``, ``uuid_generate_v4()``. Installing this
profile into a fresh database *before* the migrations lets them load, and lets tests
act as a signed-in user the way PostgREST does::

    BEGIN;
    SET LOCAL ROLE authenticated;
    SELECT set_config('request.jwt.claims', '{"sub": "<uuid>", "role": "authenticated"}', true);
    SELECT ... ;  -- RLS policies see auth.uid() = <uuid>
    ROLLBACK;

What it installs (``provision/sql/supabase.sql`` holds the details and the reasons):

- roles ``anon``, ``authenticated`` (NOLOGIN), ``service_role`` (NOLOGIN BYPASSRLS) and
  ``authenticator`` (LOGIN NOINHERIT, member of the three), created only when missing:
  roles belong to the whole server, and another database may have made them already.
  Existing roles are never altered; if one would defeat RLS tests (``anon`` with
  BYPASSRLS, ``service_role`` without), installation fails instead;
- ``auth.users`` (Supabase's columns and indexes; ``id`` defaults to
  ``gen_random_uuid()`` so tests can seed users), ``auth.uid()``, ``auth.role()``,
  ``auth.email()``, ``auth.jwt()`` reading ``request.jwt.claims`` (and the legacy
  ``request.jwt.claim.*`` settings first, as Supabase does);
- ``uuid_generate_v4()`` callable unqualified and as ``extensions.uuid_generate_v4()``:
  uuid-ossp in ``public`` where the server has it, otherwise a function over the core
  ``gen_random_uuid()``. Not the Supabase layout (uuid-ossp in ``extensions`` plus a
  search_path role setting), because that setting would be cluster-wide or lost in
  template clones, and the unqualified call must resolve in every clone;
- ``storage.buckets`` and ``storage.objects`` with RLS enabled and the
  ``storage.foldername/filename/extension`` helpers used in storage policies;
- Supabase's grants: USAGE on ``public``, ``auth``, ``extensions``, ``storage`` and
  default privileges in ``public`` (tables, sequences, functions) for the API roles.

It is never installed where an ``auth`` schema exists: that is a real Supabase
database (or one that has the profile already), and the profile would shadow it.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

from schemaprobe.errors import ProvisionError
from schemaprobe.provision.sqlfile import Statement, split_statements

__all__ = [
    "API_ROLES",
    "LOGIN_ROLE",
    "PROFILE_SCHEMAS",
    "has_auth_schema",
    "install_supabase_compat",
]

API_ROLES = ("anon", "authenticated", "service_role")
"""The roles PostgREST switches to; policies name them in ``TO ...``."""

LOGIN_ROLE = "authenticator"
"""PostgREST's login role: NOINHERIT, it only acts through ``SET ROLE``."""

PROFILE_SCHEMAS = ("auth", "extensions", "storage")
"""Schemas the profile creates: the project's own objects are elsewhere (``public``...)."""

_SCRIPT = "sql/supabase.sql"
_SCRIPT_NAME = "schemaprobe/provision/sql/supabase.sql"

_ROLE_ATTRIBUTES = sql.SQL(
    "SELECT rolname, rolsuper, rolbypassrls FROM pg_catalog.pg_roles"
    " WHERE rolname = ANY({}) ORDER BY rolname"
).format(sql.Literal([*API_ROLES, LOGIN_ROLE]))


def has_auth_schema(conn: psycopg.Connection[Any]) -> bool:
    """Whether the connected database has a schema named ``auth`` (Supabase's, or ours)."""
    query = sql.SQL("SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = {})")
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(query.format(sql.Literal("auth"))).fetchone()
    return bool(row is not None and row[0])


def install_supabase_compat(conn: psycopg.Connection[Any]) -> None:
    """Install the Supabase compatibility profile into the connected database.

    Runs in ``conn``'s transaction and leaves the commit to the caller (in autocommit
    mode it is one transaction of its own); on failure nothing of it remains and a
    :class:`ProvisionError` says why. Refuses a database that has an ``auth`` schema.
    """
    database = conn.info.dbname
    if has_auth_schema(conn):
        raise _already_has_auth(database)
    script = _script()
    # A savepoint inside the caller's transaction (begun by the query above unless
    # autocommit): a failure undoes only the profile and leaves the caller's work usable.
    with conn.transaction():
        for statement in split_statements(script):
            _execute(conn, script, statement, database)
        _check_roles(conn)


@functools.cache
def _script() -> str:
    return resources.files("schemaprobe.provision").joinpath(_SCRIPT).read_text("utf-8")


def _execute(
    conn: psycopg.Connection[Any], script: str, statement: Statement, database: str
) -> None:
    try:
        # The text is our own packaged SQL file, not user input.
        conn.execute(sql.SQL(statement.text))
    except psycopg.errors.DuplicateSchema as exc:
        if '"auth"' in (exc.diag.message_primary or ""):
            raise _already_has_auth(database) from None  # another session won the race
        raise _failed(script, statement, exc, database) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        hint = (
            " (the profile creates roles: install it as a superuser, or create roles "
            f"{', '.join(API_ROLES)} and {LOGIN_ROLE} beforehand)"
        )
        raise _failed(script, statement, exc, database, hint) from None
    except psycopg.Error as exc:
        raise _failed(script, statement, exc, database) from None


def _check_roles(conn: psycopg.Connection[Any]) -> None:
    """Refuse pre-existing roles that would make RLS tests pass or fail for the wrong reason."""
    problems = []
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(_ROLE_ATTRIBUTES).fetchall()
    for name, is_super, bypass in rows:
        if name == "service_role" and not (bypass or is_super):
            problems.append("service_role lacks BYPASSRLS")
        elif name != "service_role" and (bypass or is_super):
            problems.append(f"{name} is {'SUPERUSER' if is_super else 'BYPASSRLS'}")
    if problems:
        raise ProvisionError(
            "cannot install the Supabase profile: roles already on the server differ from "
            f"Supabase's ({'; '.join(problems)}); roles are shared by every database, so "
            "schemaprobe does not change them"
        )


def _already_has_auth(database: str) -> ProvisionError:
    return ProvisionError(
        f"refusing to install the Supabase profile into database {database!r}: it already "
        "has an `auth` schema (a real Supabase database, or the profile is installed)"
    )


def _failed(
    script: str, statement: Statement, exc: psycopg.Error, database: str, hint: str = ""
) -> ProvisionError:
    line = statement.line
    position = exc.diag.statement_position
    if position and position.isdigit():
        line += statement.text.count("\n", 0, int(position) - 1)
    message = exc.diag.message_primary or str(exc).strip().splitlines()[0]
    return ProvisionError(
        f"cannot install the Supabase profile into database {database!r}: "
        f"{_SCRIPT_NAME}:{line}: {message}{hint}"
    )
