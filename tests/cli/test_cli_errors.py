"""Bad input to the command line: one clear line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemaprobe.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    return code, err


def test_no_database_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCHEMAPROBE_DSN", raising=False)
    code, err = _run(["snapshot"], capsys)
    assert (code, err) == (
        2,
        "schemaprobe: error: give --dsn DSN (or set SCHEMAPROBE_DSN) or --sql FILE...\n",
    )


def test_unreachable_server_redacts_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["snapshot", "--dsn", "postgresql://app:hunter2@127.0.0.1:1/prod"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "hunter2" not in err
    assert err.startswith("schemaprobe: error: cannot connect to database 'prod' at 127.0.0.1:1: ")


def test_missing_sql_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = _run(["snapshot", "--sql", str(tmp_path / "nope.sql")], capsys)
    assert (code, err) == (
        2,
        f"schemaprobe: error: {tmp_path / 'nope.sql'}: no such SQL file or folder\n",
    )


def test_sql_syntax_error_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server_dsn: str
) -> None:
    path = tmp_path / "schema.sql"
    path.write_text("CREATE TABLE a (id int);\n\nCREATE TABLE b (id int,);\n")
    code, err = _run(["snapshot", "--sql", str(path), "--dsn", server_dsn], capsys)
    assert (code, err) == (2, f'schemaprobe: error: {path}:3: syntax error at or near ")"\n')


def test_invalid_dsn_syntax_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["snapshot", "--dsn", "host=db password=hunter2 dbname"], capsys)
    assert code == 2 and "hunter2" not in err and err.count("\n") == 1
    assert err.startswith("schemaprobe: error: invalid DSN 'host=db password=******** dbname'")


def test_unknown_profile_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["snapshot", "--sql", "x.sql", "--profile", "firebase"], capsys)
    assert code == 2
    last = err.splitlines()[-1]  # argparse's quoting of choices varies across Python versions
    assert last.startswith(
        "schemaprobe snapshot: error: argument --profile: invalid choice: 'firebase'"
    )
    assert last.endswith("supabase)") or last.endswith("'supabase')")


def test_console_script_entry_point_exits_2_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("schemaprobe")
    result = subprocess.run(
        [str(script), "snapshot", "--dsn", "postgresql://u:pw@127.0.0.1:1/db"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
