"""Fuzzing the loader: whatever the bytes, loading gives a LoadedSpec or raises SpecError."""

from __future__ import annotations

import copy
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemaprobe.errors import SpecError
from schemaprobe.spec._yaml import parse
from schemaprobe.spec.load import LoadedSpec, load_specs
from tests.spec.test_jsonschema import EXAMPLE

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
YAML_CHARS = list(":-[]{}&*!|>'\"#%@`,?<= \n\t.~0123456789") + list("abcxyz")
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FRAGMENT = "tables:\n  extra: {columns: {id: uuid}}\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("fuzz")
    (path / "fragment.yaml").write_text(FRAGMENT, encoding="utf-8")
    yield path


def check(folder: Path, raw: bytes) -> None:
    """The property: a LoadedSpec or a SpecError whose every problem says where."""
    spec = folder / "spec.yaml"
    spec.write_bytes(raw)
    try:
        (loaded,) = load_specs([spec]).specs
    except SpecError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.location is None or problem.location.line >= 1
            assert str(problem)
        return
    assert isinstance(loaded, LoadedSpec)
    assert loaded.locate("tables", "anything", "columns") is not None


yaml_ish = st.text(alphabet=st.sampled_from(YAML_CHARS) | st.characters(), max_size=200)


@FUZZ
@given(text=yaml_ish | st.text(max_size=100))
def test_random_text(folder: Path, text: str) -> None:
    check(folder, text.encode("utf-8", "surrogatepass"))
    check(folder, f"version: 1\ntables:\n  t:\n{text}".encode("utf-8", "surrogatepass"))


@FUZZ
@given(raw=st.binary(max_size=100))
def test_random_bytes(folder: Path, raw: bytes) -> None:
    check(folder, raw)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=10)
    | st.sampled_from(["on", "yes", "null", "1", "", "select", "text", "uuid"])
)
keys = st.text(max_size=8) | st.sampled_from(["columns", "checks", "include", "version", "<<"])
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(value=structures, where=st.sampled_from(["root", "tables", "table", "column"]))
def test_random_structures(folder: Path, value: Any, where: str) -> None:
    document: Any = {
        "root": value,
        "tables": {"version": 1, "tables": value},
        "table": {"version": 1, "tables": {"t": value}},
        "column": {"version": 1, "tables": {"t": {"columns": {"c": value}}}},
    }[where]
    check(folder, yaml.dump(document, Dumper=DUMPER, allow_unicode=True).encode())


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, (dict, list)):
        yield path
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _containers(value, (*path, key))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _typo(word: str, data: st.DataObject) -> str:
    if not word:
        return "x"
    i = data.draw(st.integers(0, len(word) - 1))
    how = data.draw(st.sampled_from(["drop", "swap", "add", "upper"]))
    if how == "drop":
        return word[:i] + word[i + 1 :]
    if how == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "upper":
        return word.upper()
    return word[:i] + data.draw(st.sampled_from(string.ascii_lowercase)) + word[i:]


VALID = parse(EXAMPLE.encode(), "example.yaml")[0]


@FUZZ
@given(data=st.data(), rounds=st.integers(1, 4))
def test_mutated_valid_spec(folder: Path, data: st.DataObject, rounds: int) -> None:
    document = copy.deepcopy(VALID)
    for _ in range(rounds):
        path = data.draw(st.sampled_from(list(_containers(document))))
        node = _at(document, path)
        op = data.draw(st.sampled_from(["delete", "rename", "replace", "insert", "include"]))
        if op == "include":
            document["include"] = data.draw(
                st.sampled_from([["fragment.yaml"], ["spec.yaml"], ["nope.yaml"], "x", [5]])
            )
        elif op == "insert" and isinstance(node, dict):
            node[data.draw(keys)] = data.draw(structures)
        elif op == "insert":
            node.append(data.draw(structures))
        elif not node:
            continue
        elif isinstance(node, dict):
            key = data.draw(st.sampled_from(list(node)))
            if op == "delete":
                del node[key]
            elif op == "rename":
                node[_typo(key, data)] = node.pop(key)
            else:
                node[key] = data.draw(structures)
        else:
            i = data.draw(st.integers(0, len(node) - 1))
            if op == "delete":
                del node[i]
            else:
                node[i] = data.draw(structures)
    check(folder, yaml.dump(document, Dumper=DUMPER, allow_unicode=True).encode())


def test_the_unmutated_example_loads(folder: Path) -> None:
    check(folder, yaml.dump(VALID, Dumper=DUMPER).encode())
    (loaded,) = load_specs([folder / "spec.yaml"]).specs
    assert "stories" in loaded.document.tables
