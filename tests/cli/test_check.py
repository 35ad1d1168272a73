"""``schemaprobe check`` and ``schemaprobe diff``: exit codes, formats, bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from schemaprobe.cli import main

SCHEMA = """
CREATE TABLE stories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title varchar(200) NOT NULL,
    retry_count int NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 5)
);
CREATE INDEX stories_title_idx ON stories (title);
"""
SPEC = """\
version: 1
tables:
  stories:
    columns:
      id: int8
      title: {type: varchar(200), nullable: false}
      retry_count: {type: int4, default: "0"}
    checks:
      - retry_count >= 0 AND retry_count <= 5
    indexes:
      - columns: [title]
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    schema, spec = tmp_path / "schema.sql", tmp_path / "app.yaml"
    schema.write_text(SCHEMA)
    spec.write_text(SPEC)
    return schema, spec


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_conformant_database_exits_0(
    files: tuple[Path, Path], server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema, spec = files
    code, out, _ = run(capsys, "check", str(spec), "--sql", str(schema), "--dsn", server_dsn)
    assert code == 0
    assert out.strip().endswith("passed in spec check")


def test_findings_exit_1_in_every_format(
    files: tuple[Path, Path], server_dsn: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schema, spec = files
    spec.write_text(SPEC.replace("BETWEEN", "").replace("<= 5", "<= 6"))
    base = ["check", str(spec), "--sql", str(schema), "--dsn", server_dsn]

    code, out, _ = run(capsys, *base)
    assert code == 1
    assert "CHECK constraint differs" in out
    assert f"{spec}:9" in out  # the check's line in the spec

    code, out, _ = run(capsys, *base, "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert [f["id"] for f in findings] == [
        f"{spec}::public.stories::check[retry_count >= 0 AND retry_count <= 6]"
    ]
    assert {"id", "kind", "object", "message", "expected", "actual", "spec", "rule"} <= set(
        findings[0]
    )
    assert findings[0]["kind"] == "structure"
    assert findings[0]["spec"] == f"{spec}:9"

    report = tmp_path / "junit.xml"
    code, _, _ = run(capsys, *base, "--format", "junit", "-o", str(report))
    assert code == 1
    root = ET.parse(report).getroot()
    assert root.get("failures") == "1"

    code, out, _ = run(capsys, *base, "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={spec},line=9,")


def test_bad_spec_exits_2_with_every_problem(
    files: tuple[Path, Path], server_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    schema, spec = files
    spec.write_text(SPEC.replace("columns:", "colums:").replace("nullable", "nulable"))
    code, out, err = run(capsys, "check", str(spec), "--sql", str(schema), "--dsn", server_dsn)
    assert code == 2
    assert out == ""
    assert f"{spec}:4:5: tables.stories.colums: unknown key 'colums'" in err
    assert "did you mean 'columns'" in err
    assert "Traceback" not in err


def test_unreachable_database_exits_2_in_one_line(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, spec = files
    code, _, err = run(
        capsys, "check", str(spec), "--dsn", "postgresql://app:hunter2@127.0.0.1:1/prod"
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "hunter2" not in err


def test_diff_against_specs_and_against_another_database(
    files: tuple[Path, Path], server_dsn: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    schema, spec = files
    drifted = tmp_path / "drifted.sql"
    drifted.write_text(SCHEMA.replace("varchar(200)", "text").replace(" (title)", " (title DESC)"))
    code, out, _ = run(capsys, "diff", str(spec), "--sql", str(drifted), "--dsn", server_dsn)
    assert code == 1
    assert "public.stories" in out
    assert "    - varchar(200)" in out and "    + text" in out

    code, out, _ = run(
        capsys, "diff", "--from-sql", str(schema), "--sql", str(drifted), "--dsn", server_dsn
    )
    assert code == 1
    assert "    - character varying(200)" in out and "    + text" in out
    assert "stories_title_idx" in out

    code, out, _ = run(
        capsys, "diff", "--from-sql", str(schema), "--sql", str(schema), "--dsn", server_dsn
    )
    assert code == 0
    assert "no differences" in out


def test_diff_needs_exactly_one_reference(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    schema, _spec = files
    code, _, err = run(capsys, "diff", "--sql", str(schema))
    assert code == 2
    assert "give the reference as SPEC" in err
