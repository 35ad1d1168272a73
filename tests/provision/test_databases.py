"""Scratch databases, SQL templates and clones; stale ones are swept, live ones kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from schemaprobe.errors import ProvisionError, SqlFileError
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.session import connect


def _databases(admin_dsn: str) -> set[str]:
    with connect(admin_dsn, autocommit=True) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_template_from_sql_and_clones_are_independent(
    tmp_path: Path, scratch_databases: ScratchDatabases
) -> None:
    schema = tmp_path / "schema.sql"
    schema.write_text('CREATE TABLE "Ünïcødé table" (id int PRIMARY KEY, "Na me" text);\n')
    template = scratch_databases.template_from_sql([schema])
    with (
        scratch_databases.database(template=template) as first,
        scratch_databases.database(template=template) as second,
    ):
        with psycopg.connect(first, autocommit=True) as conn:
            conn.execute("INSERT INTO \"Ünïcødé table\" VALUES (1, 'x')")
        with psycopg.connect(second) as conn:
            assert conn.execute('SELECT count(*) FROM "Ünïcødé table"').fetchone() == (0,)
    scratch_databases.drop(template)
    assert template not in _databases(scratch_databases.admin_dsn)


def test_failed_load_drops_the_half_built_template(
    tmp_path: Path, scratch_databases: ScratchDatabases
) -> None:
    schema = tmp_path / "bad.sql"
    schema.write_text("CREATE TABLE t (id int);\nCREATE TABLE t (id int);\n")
    # Only this process's databases: other xdist workers share the server.
    mine = scratch_databases.new_name().rsplit("_", 1)[0]

    def own() -> set[str]:
        return {name for name in _databases(scratch_databases.admin_dsn) if name.startswith(mine)}

    before = own()
    with pytest.raises(SqlFileError) as info:
        scratch_databases.template_from_sql([schema])
    assert str(info.value) == f'{schema}:2: relation "t" already exists'
    assert own() == before


def test_unknown_profile_is_rejected(tmp_path: Path, scratch_databases: ScratchDatabases) -> None:
    with pytest.raises(
        ProvisionError, match="unknown profile 'firebase'; valid profiles: 'supabase'"
    ):
        scratch_databases.template_from_sql([], profile="firebase")


def test_refuses_to_drop_what_it_did_not_create(scratch_databases: ScratchDatabases) -> None:
    with pytest.raises(ProvisionError, match="refusing to drop 'postgres'"):
        scratch_databases.drop("postgres")
    assert "postgres" in _databases(scratch_databases.admin_dsn)


def test_close_drops_everything_created(server_dsn: str) -> None:
    databases = ScratchDatabases(server_dsn)
    names = [databases.create(), databases.create(suffix="tpl")]
    assert set(names) <= _databases(server_dsn)
    databases.close()
    assert not set(names) & _databases(server_dsn)


def test_databases_of_a_killed_process_are_swept_by_the_next(server_dsn: str) -> None:
    child = textwrap.dedent(
        f"""
        import os
        from schemaprobe.provision.databases import ScratchDatabases
        databases = ScratchDatabases({server_dsn!r})
        print(databases.create(), flush=True)
        os._exit(0)  # like a crash: no cleanup runs
        """
    )
    leftover = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert leftover in _databases(server_dsn)
    with ScratchDatabases(server_dsn) as databases:
        assert leftover not in _databases(server_dsn)
        live = databases.create()
        with ScratchDatabases(server_dsn):
            assert live in _databases(server_dsn), "a live run's database was swept"
