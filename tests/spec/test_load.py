"""Loading specs: located, readable problems for every mistake; folders; locations."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from schemaprobe._location import Location
from schemaprobe.errors import SpecError
from schemaprobe.spec.load import LoadedSpec, SpecSet, load_spec_file, load_specs
from schemaprobe.spec.model import SpecDocument
from tests.spec.helpers import Write, problems_of

VALID = """\
version: 1
tables:
  stories:
    columns:
      id: uuid
      title: {type: text, nullable: false}
    checks:
      - length(title) > 0
    policies:
      readers see stories:
        command: select
"""


def test_valid_spec(write: Write) -> None:
    write("specs/app.yaml", VALID)
    spec = load_spec_file("specs/app.yaml")
    assert isinstance(spec, LoadedSpec)
    assert spec.path == "specs/app.yaml"
    assert spec.document.tables["stories"].columns["title"].nullable is False
    assert spec.digest == hashlib.sha256(len(VALID).to_bytes(8, "big") + VALID.encode()).hexdigest()
    assert spec.locations[("tables", "stories", "columns", "title")] == Location(
        "specs/app.yaml", 6, 7
    )
    assert spec.locations[("tables", "stories", "checks", 0)] == Location("specs/app.yaml", 8, 9)


def test_locate_falls_back_to_the_longest_written_prefix(write: Write) -> None:
    write("app.yaml", VALID)
    spec = load_spec_file(Path("app.yaml"))
    at = spec.locate
    assert at("tables", "stories", "columns", "id", "type") == Location("app.yaml", 5, 7)
    assert at("tables", "stories", "columns", "title", "type") == Location("app.yaml", 6, 15)
    assert at("tables", "stories", "indexes", 0) == Location("app.yaml", 3, 3)
    assert at("tables", "nope") == Location("app.yaml", 2, 1)
    assert at() == Location("app.yaml", 1, 1)
    bare = LoadedSpec("x", SpecDocument(version=1), {}, "")
    assert bare.locate("tables") is None


def test_on_key_stays_on(write: Write) -> None:
    write(
        "app.yaml", "version: 1\ntables:\n  t:\n    columns:\n      on: boolean\n      yes: text\n"
    )
    columns = load_spec_file("app.yaml").document.tables["t"].columns
    assert list(columns) == ["on", "yes"]


def test_unknown_keys_suggest_the_closest(write: Write) -> None:
    write(
        "app.yaml",
        """\
        version: 1
        tables:
          stories:
            colums:
              title: text
        extensions:
          pgcrypto: {schem: extensions}
        tabels: {}
        zzz: 1
        """,
    )
    assert problems_of("app.yaml") == [
        "app.yaml:4:5: tables.stories.colums: unknown key 'colums' (did you mean 'columns'?)",
        "app.yaml:7:14: extensions.pgcrypto.schem: unknown key 'schem' (did you mean 'schema'?)",
        "app.yaml:8:1: tabels: unknown key 'tabels' (did you mean 'tables'?)",
        "app.yaml:9:1: zzz: unknown key 'zzz'; valid keys: 'version', 'description', "
        "'include', 'default_schema', 'api_roles', 'exhaustive', 'schemas', 'extensions', "
        "'roles', 'tables', 'views', 'functions', 'groups', 'counts', 'tenancy', 'rules'",
    ]


def test_three_typos_three_problems_one_error(write: Write) -> None:
    write(
        "app.yaml",
        """\
        version: 1
        tables:
          stories:
            colums: {}
            policies:
              p: {command: selct}
            rls: {enabeld: true}
        """,
    )
    with pytest.raises(SpecError) as info:
        load_specs(["app.yaml"])
    assert [str(p) for p in info.value.problems] == [
        "app.yaml:4:5: tables.stories.colums: unknown key 'colums' (did you mean 'columns'?)",
        "app.yaml:6:11: tables.stories.policies.p.command: expected one of 'all', 'select', "
        "'insert', 'update', 'delete'; got 'selct' (did you mean 'select'?)",
        "app.yaml:7:11: tables.stories.rls.enabeld: unknown key 'enabeld' "
        "(did you mean 'enabled'?)",
    ]
    assert str(info.value).count("\n") == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "tables: {t: {columns: {a: 5}}}",
            "1:24: tables.t.columns.a: expected a type name or a mapping; got 5",
        ),
        (
            "tables: {t: {columns: {a: {type: yes}}}}",
            "1:28: tables.t.columns.a.type: expected "
            "text; got true (YAML reads a bare yes, no, on, off, true or false as a boolean: "
            "quote it)",
        ),
        (
            "tables: {t: {indexes: [{columns: [{colum: a}]}]}}",
            "1:36: "
            "tables.t.indexes[0].columns[0].colum: unknown key 'colum' (did you mean 'column'?)",
        ),
        (
            "tables: {t: {indexes: [{columns: [5]}]}}",
            "1:35: tables.t.indexes[0].columns[0]: expected text or a mapping; got 5",
        ),
        (
            "tables: {t: {indexes: [{columns: [{column: a, expression: b}]}]}}",
            "1:35: tables.t.indexes[0].columns[0]: give exactly one of column or expression",
        ),
        (
            "tables: {t: {indexes: [{columns: []}]}}",
            "1:25: tables.t.indexes[0].columns: expected at least 1 item; got none",
        ),
        (
            "tables: {t: {exhaustive: maybe}}",
            "1:14: tables.t.exhaustive: expected true or false or a list; got 'maybe'",
        ),
        (
            "tables: {t: {exhaustive: [tabels]}}",
            "1:27: tables.t.exhaustive[0]: expected one "
            "of 'schemas', 'extensions', 'roles', 'tables', 'views', 'functions', 'columns', "
            "'constraints', 'indexes', 'triggers', 'policies', 'grants'; got 'tabels' (did you "
            "mean 'tables'?)",
        ),
        ("tables: {t: {primary_key: [1]}}", "1:28: tables.t.primary_key[0]: expected text; got 1"),
        (
            "tables: {t: {checks: ['']}}",
            "1:23: tables.t.checks[0]: expected non-empty text; got ''",
        ),
        (
            "tables: {t: {rls: sometimes}}",
            "1:14: tables.t.rls: expected true, false or a mapping; got 'sometimes'",
        ),
        (
            "tables: {t: {foreign_keys: [{columns: [a]}]}}",
            "1:29: tables.t.foreign_keys[0]: missing required key 'references'",
        ),
        (
            "tables: {t: {foreign_keys: [{columns: [a], references: x, on_delete: cascad}]}}",
            "1:59: tables.t.foreign_keys[0].on_delete: expected one of 'no action', 'restrict', "
            "'cascade', 'set null', 'set default'; got 'cascad' (did you mean 'cascade'?)",
        ),
        (
            "tables: {t: {foreign_keys: [{columns: [a], references: '(x'}]}}",
            "1:44: "
            "tables.t.foreign_keys[0].references: references='(x' is not table or "
            "table(column, ...)",
        ),
        (
            "tables: {t: {triggers: {x: {events: insert or updte}}}}",
            "1:29: "
            "tables.t.triggers.x.events: expected one of 'insert', 'update', 'delete', "
            "'truncate'; got 'updte' (did you mean 'update'?)",
        ),
        ("counts: {tables: {min: 5, max: 1}}", "1:10: counts.tables: min=5 is greater than max=1"),
        ("counts: {tables: -1}", "1:10: counts.tables: expected a number >= 0; got -1"),
        (
            "roles: {r: {connection_limit: 1.5}}",
            "1:13: roles.r.connection_limit: expected an integer; got 1.5",
        ),
        (
            "tables: {'auth.users': {grants: {anon: [sel3ct]}}}",
            '1:41: tables["auth.users"]'
            ".grants.anon[0]: expected text matching '(?i)^[a-z][a-z ]*$'; got 'sel3ct'",
        ),
        ("tables: []", "1:1: tables: expected a mapping; got a list"),
    ],
)
def test_messages(write: Write, body: str, expected: str) -> None:
    write("s.yaml", f"version: 1\n{body}\n")
    (problem,) = problems_of("s.yaml")
    assert problem == f"s.yaml:2:{expected.removeprefix('1:')}"


def test_blank_reasons_are_refused_like_empty_ones(write: Write) -> None:
    """A waiver or xfail reason of only spaces says nothing: a spec error at its line."""
    write(
        "app.yaml",
        """\
        version: 1
        rules:
          table-without-primary-key:
            waivers:
              "table public.x": "   "
              "table public.y": ""
              "table public.z": loaded by the nightly import
        tables:
          x:
            xfail: "  "
          y:
            xfail: "\\t\\n"
            columns:
              a: {type: text, xfail: ''}
          z:
            xfail: " rebuilt by hand "
        """,
    )
    assert problems_of("app.yaml") == [
        'app.yaml:5:7: rules.table-without-primary-key.waivers["table public.x"]: '
        "expected non-blank text; got '   '",
        'app.yaml:6:7: rules.table-without-primary-key.waivers["table public.y"]: '
        "expected non-empty text; got ''",
        "app.yaml:10:5: tables.x.xfail: expected non-blank text; got '  '",
        "app.yaml:12:5: tables.y.xfail: expected non-blank text; got '\\t\\n'",
        "app.yaml:14:23: tables.y.columns.a.xfail: expected non-empty text; got ''",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tables: {}\n", "app.yaml:1:1: missing key 'version': a spec starts with 'version: 1'"),
        ("", "app.yaml:1:1: missing key 'version'"),
        ("version: 2\n", "app.yaml:1:1: version: version=2 is not supported; expected version=1"),
        ("version: '1'\n", "app.yaml:1:1: version: version='1' is not supported"),
        ("[1, 2]\n", "app.yaml:1:1: expected a mapping; got a list"),
        ("just text\n", "app.yaml:1:1: expected a mapping; got 'just text'"),
    ],
)
def test_version_and_document_shape(write: Write, text: str, expected: str) -> None:
    write("app.yaml", text)
    (problem,) = problems_of("app.yaml")
    assert problem.startswith(expected)


def test_not_utf8(write: Write) -> None:
    write("app.yaml", "")
    Path("app.yaml").write_bytes(b"version: 1\ndescription: caf\xe9\n")
    assert problems_of("app.yaml") == [
        "app.yaml:2:17: not UTF-8 text: byte 0xe9 (save the file as UTF-8)"
    ]


def test_folders_sorted_hidden_skipped_fragments_excluded(write: Write) -> None:
    write("specs/b.yaml", "version: 1\ninclude: [parts/shared.yml]\n")
    write("specs/a.yml", "version: 1\n")
    write("specs/parts/shared.yml", "tables: {t: {}}\n")
    write("specs/sub/c.yaml", "version: 1\n")
    write("specs/.hidden/x.yaml", "not: a spec\n")
    write("specs/.dot.yaml", "not: a spec\n")
    write("specs/notes.txt", "ignored\n")
    result = load_specs(["specs"])
    assert isinstance(result, SpecSet)
    assert [s.path for s in result.specs] == ["specs/a.yml", "specs/b.yaml", "specs/sub/c.yaml"]
    assert "t" in result.specs[1].document.tables


def test_files_and_folders_together_each_once(write: Write) -> None:
    write("specs/a.yaml", "version: 1\n")
    write("other.yaml", "version: 1\n")
    result = load_specs(["other.yaml", "specs", "specs/a.yaml", "./specs/a.yaml"])
    assert [s.path for s in result.specs] == ["other.yaml", "specs/a.yaml"]


def test_every_file_problem_in_one_error(write: Write) -> None:
    write("specs/a.yaml", "version: 1\ntabels: {}\n")
    write("specs/b.yaml", "version: 1\nx: [\n")
    write("specs/c.yaml", "version: 1\n")
    problems = problems_of("specs", "missing.yaml")
    assert problems[0] == "missing.yaml: no such file or folder"
    assert problems[1].startswith("specs/a.yaml:2:1: tabels: unknown key 'tabels'")
    assert problems[2].startswith("specs/b.yaml:3:1: invalid YAML")
    assert len(problems) == 3


def test_empty_is_an_error(write: Write) -> None:
    write("empty/.keep", "")
    assert problems_of("empty") == ["no spec files (*.yaml, *.yml) in 'empty'"]
    assert problems_of() == ["no spec files (*.yaml, *.yml) in nothing"]


def test_load_spec_file_errors(write: Write) -> None:
    write("folder/.keep", "")
    with pytest.raises(SpecError, match="folder: is a folder, not a spec file"):
        load_spec_file("folder")
    with pytest.raises(SpecError, match=r"nope\.yaml: cannot read: No such file"):
        load_spec_file("nope.yaml")
