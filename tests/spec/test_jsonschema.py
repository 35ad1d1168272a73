"""The JSON Schema: committed copy in sync, accepts what the loader accepts, rejects typos."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from schemaprobe.cli import main
from schemaprobe.errors import SpecError
from schemaprobe.spec import jsonschema, model
from schemaprobe.spec._yaml import parse
from schemaprobe.spec.jsonschema import JSON_SCHEMA_DIALECT, render_json_schema, spec_json_schema
from schemaprobe.spec.load import load_spec_file
from tests.spec.helpers import Write
from tests.spec.jsonschema_subset import errors

COMMITTED = Path(__file__).parents[2] / "specs" / "schemaprobe.schema.json"

#: Every shorthand and spelling the model takes, so the schema must take it too.
EXAMPLE = """\
version: 1
description: every form a spec may take
default_schema: public
api_roles: [anon, authenticated, service_role]
exhaustive: [tables, policies]
counts: {tables: 3, functions: {min: 1, max: 10}}
schemas:
  public: {exposed: true, owner: postgres, grants: {anon: [usage]}, exhaustive: true}
  legacy:
extensions:
  pgcrypto: {schema: extensions, version: '1.3'}
roles:
  authenticator: {login: true, member_of: [anon], connection_limit: 10}
tables:
  stories:
    kind: table
    rls: true
    columns:
      id: uuid
      on: boolean
      title: {type: text, nullable: false, default: "''::text", check: length(title) > 0}
      author: {type: uuid, references: auth.users(id), on_delete: CASCADE}
      n: {type: integer, identity: by default}
    primary_key: id
    unique: [title, [author, title], {columns: [n], nulls_not_distinct: true}]
    foreign_keys:
      - {columns: [author], references: auth.users(id), on_delete: set null, match: full}
    checks: [n > 0, {expression: n < 100, name: n_small}]
    exclusions: [{definition: "USING gist (n WITH =)"}]
    indexes:
      - columns: [lower(title), {column: n, order: desc, nulls: last}]
        where: n > 0
        include: [author]
    triggers:
      touch: {timing: before, events: insert or UPDATE, level: row, function: public.touch}
      audit: {events: [DELETE, truncate], timing: after, level: statement}
    policies:
      readers: {command: SELECT, roles: [anon], using: "true"}
      writers: {command: insert, with_check: auth.uid() = author, permissive: false}
    grants: {anon: [select], authenticated: [SELECT, insert, update]}
    counts: {indexes: {min: 1}, policies: 2}
    exhaustive: true
  old_things:
  gone: {absent: true, xfail: dropped in release 12}
views:
  story_titles: {kind: materialized, columns: {title: text}, security_invoker: true}
functions:
  public.touch(): {language: PLPGSQL, volatility: VOLATILE, security_definer: false,
                   search_path: "", parallel: SAFE}
"""


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_json_schema(), (
        "specs/schemaprobe.schema.json is stale; regenerate it with "
        "`schemaprobe schema -o specs/schemaprobe.schema.json`"
    )


def test_schema_header() -> None:
    schema = spec_json_schema()
    assert schema["$schema"] == JSON_SCHEMA_DIALECT
    assert schema["$id"].endswith("schemaprobe.schema.json")
    assert schema["title"] == "schemaprobe spec"
    assert "include:" in schema["description"]
    assert schema["additionalProperties"] is False
    text = render_json_schema()
    assert text.endswith("}\n")
    assert text == render_json_schema()
    assert json.loads(text) == schema


def data_of(text: str) -> Any:
    return parse(text.encode(), "example.yaml")[0]


def test_example_is_accepted_by_both(write: Write) -> None:
    write("example.yaml", EXAMPLE)
    spec = load_spec_file("example.yaml")
    assert spec.document.tables["stories"].policies["readers"].command == "select"
    assert errors(data_of(EXAMPLE), spec_json_schema()) == []


@pytest.mark.parametrize(
    "change",
    [
        ("    rls: true\n", "    rls: true\n    colums: {}\n"),
        ("version: 1\n", "version: 2\n"),
        ("      on: boolean\n", "      on: {typ: boolean}\n"),
        ("      readers: {command: SELECT,", "      readers: {command: selct,"),
        ("on_delete: set null", "on_delete: nothing"),
        ("counts: {tables: 3,", "counts: {tables: -3,"),
        ("primary_key: id", "primary_key: []"),
        ("    checks: [n > 0,", "    checks: ['',"),
        ("[anon], connection_limit: 10", "[anon], connection_limit: ten"),
    ],
)
def test_mistakes_are_rejected_by_both(write: Write, change: tuple[str, str]) -> None:
    old, new = change
    assert old in EXAMPLE
    text = EXAMPLE.replace(old, new)
    write("example.yaml", text)
    with pytest.raises(SpecError):
        load_spec_file("example.yaml")
    assert errors(data_of(text), spec_json_schema()) != []


def test_every_before_validator_is_reflected_in_the_schema() -> None:
    names = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, model.BaseModel):
            decorators = value.__pydantic_decorators__
            for name, info in {
                **decorators.model_validators,
                **decorators.field_validators,
            }.items():
                if info.info.mode == "before":
                    names.add(name)
    assert names == set(jsonschema._COVERED), (
        "a mode='before' validator changes what a spec may say: widen the JSON Schema in "
        "schemaprobe/spec/jsonschema.py and list the validator in _COVERED"
    )


def test_patterns_are_ecma_compatible() -> None:
    patterns = re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', render_json_schema())
    assert patterns
    for pattern in patterns:
        assert "(?" not in pattern
    original = re.compile(r"(?i)^(no action|restrict|cascade|set null|set default)$")
    rewritten = re.compile(jsonschema._ecma(original.pattern))
    for text in ["SET NULL", "Cascade", "no action", "set  null", "cascad", "xset null"]:
        assert bool(original.match(text)) == bool(rewritten.match(text)), text
    assert jsonschema._ecma("(?i)^[^a-z\\d_-]\\w$") == "^[^a-z\\d_\\-A-Z]\\w$"


def test_cli_prints_and_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == render_json_schema()
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_json_schema()
    assert main(["schema", "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "cannot write" in capsys.readouterr().err
