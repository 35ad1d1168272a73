"""include: fragments merge into their spec; problems point into the file that has them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from schemaprobe._location import Location
from schemaprobe.spec.load import load_spec_file, load_specs
from tests.spec.helpers import Write, problems_of


def test_nested_fragments_merge_deeply_lists_fragment_first(write: Write) -> None:
    write(
        "specs/app.yaml",
        """\
        version: 1
        include: [parts/auth.yaml, parts/blog.yaml]
        tables:
          users:
            columns:
              email: text
            checks:
              - email <> ''
        """,
    )
    write(
        "specs/parts/auth.yaml",
        """\
        include: [../common/audit.yaml]
        tables:
          users:
            columns:
              id: uuid
            checks:
              - id IS NOT NULL
        """,
    )
    write("specs/common/audit.yaml", "tables:\n  users:\n    checks: [created_at <= now()]\n")
    write("specs/parts/blog.yaml", "tables:\n  posts:\n    columns: {title: text}\n")
    spec = load_spec_file("specs/app.yaml")
    users = spec.document.tables["users"]
    assert list(users.columns) == ["id", "email"]
    assert [c.expression for c in users.checks] == [
        "created_at <= now()",
        "id IS NOT NULL",
        "email <> ''",
    ]
    assert spec.document.include == ["parts/auth.yaml", "parts/blog.yaml"]
    at = spec.locate
    assert at("tables", "users", "checks", 0) == Location("specs/common/audit.yaml", 3, 14)
    assert at("tables", "users", "checks", 1) == Location("specs/parts/auth.yaml", 7, 9)
    assert at("tables", "users", "checks", 2) == Location("specs/app.yaml", 8, 9)
    assert at("tables", "users", "columns", "id") == Location("specs/parts/auth.yaml", 5, 7)
    assert at("tables", "posts", "columns", "title", "type") == Location(
        "specs/parts/blog.yaml", 3, 15
    )
    assert at("tables", "users") == Location("specs/app.yaml", 4, 3)  # the spec wins
    assert at() == Location("specs/app.yaml", 1, 1)
    raws = [
        Path(p).read_bytes()
        for p in (
            "specs/app.yaml",
            "specs/common/audit.yaml",
            "specs/parts/auth.yaml",
            "specs/parts/blog.yaml",
        )
    ]
    expected = hashlib.sha256(b"".join(len(r).to_bytes(8, "big") + r for r in raws))
    assert spec.digest == expected.hexdigest()


def test_problems_in_fragments_point_at_the_fragment(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: [part.yaml]\n")
    write("part.yaml", "tables:\n  t:\n    colums: {}\n")
    assert problems_of("app.yaml") == [
        "part.yaml:3:5: tables.t.colums: unknown key 'colums' (did you mean 'columns'?)"
    ]


def test_a_value_set_in_two_files_names_both(write: Write) -> None:
    write(
        "app.yaml",
        "version: 1\ninclude: [a.yaml, b.yaml]\ndefault_schema: app\ntables: {t: {comment: x}}\n",
    )
    write("a.yaml", "default_schema: app\ntables:\n  t: {columns: {id: uuid}}\n")
    write("b.yaml", "tables:\n  t:\n    columns:\n      id: {nullable: false}\n")
    assert problems_of("app.yaml") == [
        "app.yaml:3:1: default_schema: already set at a.yaml:1:1; a value may be set in one "
        "file only",
        "b.yaml:4:7: tables.t.columns.id: already set at a.yaml:3:17; a value may be set in "
        "one file only",
    ]


def test_empty_entries_merge_with_mappings(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: [a.yaml]\ntables:\n  t:\n")
    write("a.yaml", "tables:\n  t:\n    columns: {id: uuid}\n  u:\n")
    spec = load_spec_file("app.yaml")
    assert list(spec.document.tables) == ["t", "u"]
    assert list(spec.document.tables["t"].columns) == ["id"]


def test_cycles_are_errors(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: [a.yaml]\n")
    write("a.yaml", "include: [b.yaml]\n")
    write("b.yaml", "include: [./a.yaml]\n")
    assert problems_of("app.yaml") == [
        "b.yaml:1:11: include[0]: include cycle: a.yaml -> b.yaml -> a.yaml"
    ]


def test_self_include_and_cycle_between_candidates(write: Write) -> None:
    write("specs/a.yaml", "version: 1\ninclude: [b.yaml]\n")
    write("specs/b.yaml", "version: 1\ninclude: [a.yaml]\n")
    problems = problems_of("specs")
    assert problems[0] == "every file in 'specs' is included by another: no spec left"
    assert "include[0]: include cycle: specs/" in problems[1]
    write("self.yaml", "version: 1\ninclude: [self.yaml]\n")
    assert problems_of("self.yaml") == [
        "self.yaml:2:11: include[0]: include cycle: self.yaml -> self.yaml"
    ]


def test_a_fragment_reached_twice_merges_once(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: [a.yaml, b.yaml]\n")
    write("a.yaml", "include: [common.yaml]\n")
    write("b.yaml", "include: [common.yaml]\n")
    write("common.yaml", "default_schema: app\ntables: {t: {checks: [x > 0]}}\n")
    spec = load_spec_file("app.yaml")
    assert spec.document.default_schema == "app"
    assert len(spec.document.tables["t"].checks) == 1


def test_missing_or_bad_fragments(write: Write) -> None:
    write(
        "app.yaml",
        "version: 1\ninclude: [nope.yaml, dir, 5, '', broken.yaml, list.yaml, \"a\\0b\", "
        f"{'x' * 300}]\n",
    )
    write("dir/x.yaml", "version: 1\n")
    write("broken.yaml", "a: [\n")
    write("list.yaml", "- 1\n")
    problems = problems_of("app.yaml")
    assert problems == [
        "app.yaml:2:11: include[0]: cannot read 'nope.yaml': No such file or directory",
        "app.yaml:2:22: include[1]: 'dir' is a folder",
        "app.yaml:2:27: include[2]: expected a file path; got 5",
        "app.yaml:2:30: include[3]: expected a file path; got ''",
        "app.yaml:2:58: include[6]: cannot read 'a\\x00b': embedded null byte",
        f"app.yaml:2:66: include[7]: cannot read '{'x' * 300}': File name too long",
        "broken.yaml:2:1: invalid YAML: did not find expected node content (while parsing a "
        "flow node at line 2)",
        "list.yaml:1:1: a fragment is a mapping; got a list",
    ]


def test_include_not_a_list(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: part.yaml\n")
    assert problems_of("app.yaml") == [
        "app.yaml:2:1: include: expected a list of file paths; got 'part.yaml'"
    ]


def test_fragment_version_must_match(write: Write) -> None:
    write("app.yaml", "version: 1\ninclude: [a.yaml, b.yaml]\n")
    write("a.yaml", "version: 1\ntables: {a: {}}\n")
    write("b.yaml", "version: 2\ntables: {b: {}}\n")
    assert problems_of("app.yaml") == [
        "b.yaml:1:1: version: version=2 in a fragment of a spec with version=1"
    ]


def test_folder_loading_drops_fragments_even_when_listed(write: Write) -> None:
    write("specs/app.yaml", "version: 1\ninclude: [parts/a.yaml]\n")
    write("specs/parts/a.yaml", "include: [b.yaml]\ntables: {a: {}}\n")
    write("specs/parts/b.yaml", "tables: {b: {}}\n")
    result = load_specs(["specs/parts/b.yaml", "specs"])
    assert [s.path for s in result.specs] == ["specs/app.yaml"]
    assert set(result.specs[0].document.tables) == {"a", "b"}


def test_an_unincluded_fragment_is_explained(write: Write) -> None:
    write("specs/app.yaml", "version: 1\n")
    write("specs/orphan.yaml", "tables: {a: {}}\n")
    (problem,) = problems_of("specs")
    assert problem.startswith("specs/orphan.yaml:1:1: missing key 'version'")
    assert "a file without it is a fragment, to be listed in some spec's include:" in problem
