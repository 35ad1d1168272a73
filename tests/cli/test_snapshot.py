"""``schemaprobe snapshot``: complete, deterministic, read-only against a DSN."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import yaml

from schemaprobe.cli import main
from tests.snapshot.helpers import without_roles

SCHEMA = '''
CREATE SCHEMA "App Ü";
CREATE TABLE "App Ü"."Heroes ""x""" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) > 0)
);
CREATE INDEX heroes_name ON "App Ü"."Heroes ""x""" (name) WHERE name <> '';
CREATE TABLE other (id int PRIMARY KEY);
'''
HEROES = '"App Ü"."Heroes ""x"""'


@pytest.fixture
def schema_file(tmp_path: Path) -> Path:
    path = tmp_path / "schema.sql"
    path.write_text(SCHEMA)
    return path


def test_snapshot_of_sql_files_is_deterministic(
    schema_file: Path, tmp_path: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    args = ["snapshot", "--sql", str(schema_file), "--dsn", server_dsn]
    assert main([*args, "-o", str(first)]) == 0
    assert main([*args, "-o", str(second)]) == 0
    # Roles are server-wide: tests running in parallel on the same server may add some.
    assert without_roles(first.read_text()) == without_roles(second.read_text())
    spec = yaml.safe_load(first.read_text())
    assert (spec["version"], spec["exhaustive"]) == (1, True)
    table = spec["tables"][HEROES]
    assert table["columns"]["id"] == {
        "type": "uuid",
        "nullable": False,
        "default": "gen_random_uuid()",
    }
    assert table["indexes"] == [
        {"name": "heroes_name", "columns": ["name"], "where": "(name <> ''::text)"}
    ]
    assert "public.other" in spec["tables"]
    assert capsys.readouterr().out == ""


def test_schema_filter(
    schema_file: Path, server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["snapshot", "--sql", str(schema_file), "--dsn", server_dsn, "--schema", "App*"])
    assert code == 0
    snapshot = yaml.safe_load(capsys.readouterr().out)
    assert sorted(snapshot["tables"]) == [HEROES]
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
    snapshot = yaml.safe_load(capsys.readouterr().out)
    assert "public.other" in snapshot["tables"]
    assert "public.no_ddl()" in snapshot["functions"]
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        assert conn.execute(catalog_size).fetchone() == before
        conn.execute("DROP EVENT TRIGGER no_ddl")


def test_catalog_json_format_is_the_raw_catalog(
    scratch_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SCHEMA)
    assert main(["snapshot", "--dsn", scratch_dsn, "--format", "catalog-json"]) == 0
    snapshot = json.loads(capsys.readouterr().out)
    assert snapshot["database"] == psycopg.conninfo.conninfo_to_dict(scratch_dsn)["dbname"]
    assert snapshot["tables"][HEROES]["columns"]["id"] == {
        "position": 1,
        "type": "uuid",
        "not_null": True,
        "default": "gen_random_uuid()",
    }


def test_unwritable_output_is_one_line(
    schema_file: Path, server_dsn: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "missing-dir" / "out.yaml"
    code = main(["snapshot", "--sql", str(schema_file), "--dsn", server_dsn, "-o", str(target)])
    assert code == 2
    assert (
        capsys.readouterr().err
        == f"schemaprobe: error: {target}: cannot write: No such file or directory\n"
    )
