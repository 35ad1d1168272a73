"""The YAML layer: data as PyYAML's safe_load would build it, keys as written, marks beside."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml

from schemaprobe._location import Location
from schemaprobe.errors import SpecError
from schemaprobe.spec import _yaml
from schemaprobe.spec._yaml import MAX_DEPTH, Locations, YamlPath, dotted, parse


def load(text: str) -> tuple[Any, dict[YamlPath, tuple[int, int]]]:
    data, marks = parse(textwrap.dedent(text).encode(), "f.yaml")
    return data, {path: (m.line + 1, m.column + 1) for path, m in marks.items()}


def error(text: str) -> list[str]:
    with pytest.raises(SpecError) as info:
        parse(textwrap.dedent(text).encode(), "f.yaml")
    return [str(p) for p in info.value.problems]


def test_marks_of_keys_and_items() -> None:
    data, marks = load(
        """\
        version: 1
        tables:
          stories:
            columns:
              title: text
            checks:
              - a > 0
              - {expression: b > 0}
        """
    )
    assert data["tables"]["stories"]["checks"] == ["a > 0", {"expression": "b > 0"}]
    assert marks[()] == (1, 1)
    assert marks[("version",)] == (1, 1)
    assert marks[("tables", "stories")] == (3, 3)
    assert marks[("tables", "stories", "columns", "title")] == (5, 7)
    assert marks[("tables", "stories", "checks", 0)] == (7, 9)
    assert marks[("tables", "stories", "checks", 1)] == (8, 9)
    assert marks[("tables", "stories", "checks", 1, "expression")] == (8, 10)


def test_columns_count_characters_not_bytes() -> None:
    _, marks = load('é: "ü"\nnom: {été: 1, b: 2}\n')
    assert marks[("nom", "b")] == (2, 15)


@pytest.mark.parametrize("key", ["on", "off", "yes", "no", "true", "null", "~", "1", "0x1F", "1.5"])
def test_keys_stay_as_written(key: str) -> None:
    data, _ = load(f"{key}: x\n'{key}x': y\n")
    assert data == {key: "x", f"{key}x": "y"}


def test_values_follow_yaml_1_1_like_safe_load_but_dates_stay_text() -> None:
    text = (
        "[on, off, yes, NO, true, ~, null, '', 0x1F, 1_000, 0755, 1:30, 1.5, .inf, -2, '1', "
        "!!str 5, !!int '7', !!float '1', !!bool 'on', !!null x, 2024-01-01, plain]"
    )
    data, _ = load(text)
    expected = yaml.safe_load(text)
    expected[-2] = "2024-01-01"
    assert data == expected
    # YAML's non-specific tag ! means text (safe_load resolves it as plain)
    assert load("[=, !!timestamp 2024-01-01, ! 5]")[0] == ["=", "2024-01-01", "5"]


def test_anchors_aliases_and_merge_keys() -> None:
    data, marks = load(
        """\
        base: &audit
          created_at: timestamptz
          updated_at: timestamptz
        items: [*audit, *audit]
        t:
          <<: *audit
          updated_at: date
          id: uuid
        many:
          <<: [{a: 1, b: 1}, {b: 2, c: 2}]
        """
    )
    assert data["items"] == [data["base"], data["base"]]
    assert data["items"][0] is not data["items"][1]
    assert data["t"] == {"updated_at": "date", "id": "uuid", "created_at": "timestamptz"}
    assert data["many"] == {"a": 1, "b": 1, "c": 2}
    assert marks[("items", 1)] == (4, 17)  # where the alias is
    assert marks[("items", 1, "created_at")] == (2, 3)  # where the anchor's keys are
    assert marks[("t", "updated_at")] == (7, 3)  # written here wins over merged
    assert marks[("t", "created_at")] == (2, 3)
    assert marks[("many", "b")] == (10, 15)  # the first source wins
    assert ("t", "<<") not in marks


def test_empty_document_is_none() -> None:
    assert parse(b"# nothing here\n", "f.yaml") == (None, {})
    assert parse(b"", "f.yaml") == (None, {})


def test_scalar_document() -> None:
    assert parse(b"just text\n", "f.yaml")[0] == "just text"


def test_duplicate_keys_name_both_lines() -> None:
    problems = error(
        """\
        tables:
          t:
            columns: {}
            columns: {}
          t: {}
        """
    )
    assert problems == [
        "f.yaml:4:5: tables.t.columns: duplicate key 'columns' (first at line 3)",
        "f.yaml:5:3: tables.t: duplicate key 't' (first at line 2)",
    ]


def test_syntax_error_has_line_and_column() -> None:
    (problem,) = error("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.startswith("f.yaml:3:2: invalid YAML: ")


def test_tab_indentation_error() -> None:
    (problem,) = error("a:\n\tb: 1\n")
    assert problem.startswith("f.yaml:2:1: invalid YAML: ")
    assert problem.endswith("; a tab: YAML indents with spaces")


def test_control_character_located() -> None:
    (problem,) = error("é: 1\nb: \x07\n")
    assert problem.startswith("f.yaml:2:4: invalid YAML: ")


def test_multiple_documents_are_an_error() -> None:
    (problem,) = error("a: 1\n---\nb: 2\n")
    assert problem.startswith("f.yaml:2:1: a spec file holds one YAML document")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("? [a, b]\n: 1\n", "f.yaml:1:3: a key must be text"),
        ("a: *nowhere\n", "f.yaml:1:4: alias *nowhere is not defined"),
        ("a: &x [1, *x]\n", "f.yaml:1:11: alias *x refers to itself"),
        ("a: !custom 1\n", "f.yaml:1:4: a: unsupported tag !custom"),
        ("a: !!binary aGk=\n", "f.yaml:1:4: a: unsupported tag !!binary"),
        ("a: !!set {x}\n", "f.yaml:1:4: a: unsupported tag !!set"),
        ("a: !!int x\n", "f.yaml:1:4: a: 'x' is not a valid !!int"),
        ("a: {<<: 1}\n", "f.yaml:1:9: a: << (merge) takes a mapping"),
        ("a: {<<: [1]}\n", "f.yaml:1:10: a: << (merge) takes a mapping"),
        ("?\n: x\n", "f.yaml:1:2: empty key"),
    ],
)
def test_yaml_level_errors(text: str, message: str) -> None:
    (problem,) = error(text)
    assert problem.startswith(message)


def test_nesting_limit() -> None:
    error_text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    (problem,) = error(error_text)
    assert f"nested more than {MAX_DEPTH} levels deep" in problem
    data, _ = load("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert isinstance(data, list)


def test_billion_laughs_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_yaml, "MAX_ALIAS_EVENTS", 10_000)  # the real one takes seconds
    assert load("a: &a [1, 2]\nb: [*a, *a, *a]\n")[0]["b"] == [[1, 2]] * 3
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (problem,) = error("\n".join(lines) + "\n")
    assert "aliases expand to more than 10000 nodes" in problem


def test_locations_mapping() -> None:
    _, marks = parse(b"a:\n  b: 1\n", "x.yaml")
    locations = Locations([("x.yaml", marks)])
    assert locations[("a", "b")] == Location("x.yaml", 2, 3)
    assert set(locations) == {(), ("a",), ("a", "b")}
    assert len(locations) == 3
    assert locations.get(("nope",)) is None


def test_dotted() -> None:
    assert dotted(("tables", "auth.users", "checks", 0, "name")) == (
        'tables["auth.users"].checks[0].name'
    )
    assert dotted(("policies", 'say "hi"')) == 'policies["say \\"hi\\""]'
    assert dotted(()) == ""
