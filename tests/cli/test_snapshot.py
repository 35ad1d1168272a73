"""``schemaprobe snapshot``: complete, deterministic, read-only against a DSN."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from schemaprobe.cli import main

SCHEMA = '''
CREATE SCHEMA "App Ü";
CREATE TABLE "App Ü"."Heroes ""x""" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) > 0)
);
CREATE INDEX heroes_name ON "App Ü"."Heroes ""x""" (name) WHERE name <> '';
CREATE TABLE other (id int PRIMARY KEY);
'''


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.sql"
    path.write_text(SCHEMA)
    return path


def test_snapshot_of_sql_files_is_deterministic(
    schema_file: Path, tmp_path: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    args = ["snapshot", "--sql", str(schema_file), "--dsn", server_dsn]
    assert main([*args, "-o", str(first)]) == 0
    assert main([*args, "-o", str(second)]) == 0
    a, b = json.loads(first.read_text()), json.loads(second.read_text())
    # Roles are server-wide: tests running in parallel on the same server may add some.
    a.pop("roles")
    b.pop("roles")
    assert first.read_text().count("\n") > 15  # one line per object
    assert a == b
    table = a["tables"]['"App Ü"."Heroes ""x"""']
    assert table["columns"]["id"] == {
        "position": 1,
        "type": "uuid",
        "not_null": True,
        "default": "gen_random_uuid()",
    }
    assert table["indexes"]["heroes_name"]["predicate"] == "(name <> ''::text)"
    assert "public.other" in a["tables"]
    assert capsys.readouterr().out == ""


def test_schema_filter(
    schema_file: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["snapshot", "--sql", str(schema_file), "--dsn", server_dsn, "--schema", "App*"])
    assert code == 0
    snapshot = json.loads(capsys.readouterr().out)
    assert sorted(snapshot["tables"]) == ['"App Ü"."Heroes ""x"""']
    assert sorted(snapshot["schemas"]) == ["App Ü"]


def test_snapshot_of_a_dsn_reads_it_in_place_without_writing(
    scratch_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog_size = "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute)"
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SCHEMA)
        # Any DDL by the snapshot (a temp table, a helper function) would fail loudly.
        conn.execute(
            "CREATE FUNCTION no_ddl() RETURNS event_trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'snapshot ran DDL: %', tg_tag; END $$"
        )
        conn.execute("CREATE EVENT TRIGGER no_ddl ON ddl_command_start EXECUTE FUNCTION no_ddl()")
        before = conn.execute(catalog_size).fetchone()
    assert main(["snapshot", "--dsn", scratch_dsn]) == 0
    snapshot = json.loads(capsys.readouterr().out)
    assert snapshot["database"] == psycopg.conninfo.conninfo_to_dict(scratch_dsn)["dbname"]
    assert "public.other" in snapshot["tables"]
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        assert conn.execute(catalog_size).fetchone() == before
        conn.execute("DROP EVENT TRIGGER no_ddl")


def test_unwritable_output_is_one_line(
    schema_file: Path, server_dsn: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    code = main(["snapshot", "--sql", str(schema_file), "--dsn", server_dsn, "-o", str(target)])
    assert code == 2
    assert (
        capsys.readouterr().err
        == f"schemaprobe: error: {target}: cannot write: No such file or directory\n"
    )
