"""SQL files load like ``psql -f`` and every failure points at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaprobe.errors import SqlFileError, UsageError
from schemaprobe.provision.session import connect
from schemaprobe.provision.sqlfile import apply_sql_files, migration_files, split_statements


def test_split_respects_quotes_comments_dollar_quotes_and_atomic_bodies() -> None:
    text = (
        "-- header; not a statement\n"
        "create table a(x int); /* block ; /* nested ; */ */\n"
        "create function f() returns int language sql\n"
        "begin atomic select 1; select case when true then 2 end; end;\n"
        "do $$ begin perform 1; end $$;\n"
        "insert into a values (E'it\\'s;'), ('a''b;');\n"
        'create table "we;ird" (x int)'
    )
    statements = list(split_statements(text))
    assert [(s.line, s.text.split()[0:2]) for s in statements] == [
        (2, ["create", "table"]),
        (3, ["create", "function"]),
        (5, ["do", "$$"]),
        (6, ["insert", "into"]),
        (7, ["create", "table"]),
    ]
    assert statements[1].text.endswith("end; end;")
    assert statements[4].text == 'create table "we;ird" (x int)'


def test_files_load_in_order_and_run_like_psql(tmp_path: Path, scratch_dsn: str) -> None:
    first = tmp_path / "a.sql"
    first.write_text(
        "CREATE TABLE t (id int PRIMARY KEY);\nBEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;\n"
    )
    second = tmp_path / "b.sql"
    second.write_text("CREATE INDEX CONCURRENTLY t_id ON t (id);\n")
    with connect(scratch_dsn, autocommit=True) as conn:
        assert apply_sql_files(conn, [first, second]) == 5
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)
        assert conn.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'"
        ).fetchone() == (1,)


def test_syntax_error_reports_file_and_line(tmp_path: Path, scratch_dsn: str) -> None:
    path = tmp_path / "broken.sql"
    path.write_text(
        "CREATE TABLE ok (id int);\n\nCREATE TABLE bad (\n  id int,\n  name txet oops\n);\n"
    )
    with connect(scratch_dsn, autocommit=True) as conn, pytest.raises(SqlFileError) as info:
        apply_sql_files(conn, [path])
    assert str(info.value).startswith(f"{path}:5: syntax error at or near")
    assert info.value.line == 5


def test_runtime_error_without_position_points_at_statement(
    tmp_path: Path, scratch_dsn: str
) -> None:
    path = tmp_path / "dup.sql"
    path.write_text("CREATE TABLE t (id int);\n-- comment\n\nCREATE TABLE t (id int);\n")
    with connect(scratch_dsn, autocommit=True) as conn, pytest.raises(SqlFileError) as info:
        apply_sql_files(conn, [path])
    assert str(info.value) == f'{path}:4: relation "t" already exists'


def test_error_inside_function_body_names_the_statement_line(
    tmp_path: Path, scratch_dsn: str
) -> None:
    path = tmp_path / "do.sql"
    path.write_text("SELECT 1;\nDO $$\nBEGIN\n  RAISE EXCEPTION 'boom';\nEND $$;\n")
    with connect(scratch_dsn, autocommit=True) as conn, pytest.raises(SqlFileError) as info:
        apply_sql_files(conn, [path])
    assert str(info.value).startswith(f"{path}:2: boom")


def test_meta_command_is_rejected_with_line(tmp_path: Path, scratch_dsn: str) -> None:
    path = tmp_path / "meta.sql"
    path.write_text("SELECT 1;\n\\set x 1\n")
    with connect(scratch_dsn, autocommit=True) as conn, pytest.raises(SqlFileError) as info:
        apply_sql_files(conn, [path])
    assert info.value.line == 2
    assert "meta-commands" in str(info.value)


def test_migrations_folder_in_natural_name_order(tmp_path: Path) -> None:
    for name in ("10_late.sql", "2_early.sql", "1_first.sql", "notes.txt"):
        (tmp_path / name).write_text("SELECT 1;")
    assert [p.name for p in migration_files(tmp_path)] == [
        "1_first.sql",
        "2_early.sql",
        "10_late.sql",
    ]


def test_missing_file_is_a_usage_error(tmp_path: Path, scratch_dsn: str) -> None:
    with connect(scratch_dsn, autocommit=True) as conn, pytest.raises(UsageError) as info:
        apply_sql_files(conn, [tmp_path / "nope.sql"])
    assert str(info.value) == f"{tmp_path / 'nope.sql'}: no such SQL file or folder"
