"""The YAML writer: layout, quoting for YAML 1.1 readers, and exact round trips."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from schemaprobe.report.yaml_text import MAX_IMPLICIT_KEY, dump_yaml, render_yaml, yaml_scalar

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


def round_trip(data: Any) -> None:
    text = dump_yaml(data)
    for loader in LOADERS:
        assert yaml.load(text, Loader=loader) == data, text


# Strings a YAML 1.1 reader would turn into something else, or misparse, if written plain.
AMBIGUOUS = [
    "on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "n", "Y", "true", "False",
    "null", "Null", "NULL", "~", "", "1.0", "0", "-1", "+1", "0x10", "0o17", "0b101",
    "1_000", "1:20", "12:30:00", "2024-01-01", "2024-01-01 10:00:00", ".inf", ".nan",
    "1e3", "<<", "=", "- x", "-x", "? x", ": x", "x:", "a: b", "a #b", "#x", "[a]", "{a}",
    "&a", "*a", "!a", "|a", ">a", "%a", "@a", "`a", "'q'", '"dq"', " lead", "trail ",
    "---", "...", "a\nb", "a\r\nb", "tab\there", "\\", "x\u2028y", "x\x85y", "x\x7fy",
    "\ufeffbom", "x\x9fy", "\x1b[0m", "nul\x00",
]  # fmt: skip


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_strings_round_trip_as_keys_values_and_list_items(text: str) -> None:
    round_trip({text: text, "list": [text, "x"], "block": [{text: [text]}], "nested": {text: {}}})


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("public.users", "public.users"),
        ("character varying(20)", "character varying(20)"),
        ("text[]", "text[]"),
        ("(status = ANY (ARRAY['a'::text]))", "(status = ANY (ARRAY['a'::text]))"),
        ("Users can view own rows", "Users can view own rows"),
        ("Ünïcødé 表", "Ünïcødé 表"),
        ("on", '"on"'),
        ("1.0", '"1.0"'),
        ("'draft'::text", "\"'draft'::text\""),
        ('"App"."My Table"', '\'"App"."My Table"\''),
        ("line one\nline: two # x", '"line one\\nline: two # x"'),
        ("x\u2028y", '"x\\u2028y"'),
    ],
)
def test_plain_where_safe_else_quoted(text: str, written: str) -> None:
    assert yaml_scalar(text) == written


def test_scalars_of_other_types() -> None:
    assert [yaml_scalar(v) for v in (None, True, False, 0, -5)] == [
        "null",
        "true",
        "false",
        "0",
        "-5",
    ]
    with pytest.raises(TypeError):
        yaml_scalar(1.5)


def test_layout() -> None:
    data = {
        "version": 1,
        "empty_map": {},
        "empty_list": [],
        "short": ["a", "b DESC", "on"],
        "long": ["x" * 50, "y" * 50],
        "entries": [{"name": "i", "columns": ["a"], "where": None}, "plain", ["p", "q"]],
        "nested": {"deeper": {"key": "value"}},
        "flow_unsafe": ["a, b", "c"],
    }
    assert dump_yaml(data) == (
        "version: 1\n"
        "empty_map: {}\n"
        "empty_list: []\n"
        'short: [a, b DESC, "on"]\n'
        "long:\n"
        f"  - {'x' * 50}\n"
        f"  - {'y' * 50}\n"
        "entries:\n"
        "  - name: i\n"
        "    columns: [a]\n"
        "    where: null\n"
        "  - plain\n"
        "  - [p, q]\n"
        "nested:\n"
        "  deeper:\n"
        "    key: value\n"
        'flow_unsafe: ["a, b", c]\n'
    )
    round_trip(data)


def test_shared_subtrees_render_the_same_at_every_depth() -> None:
    shared = {"type": "uuid", "nullable": False, "grants": {"public": ["SELECT"]}}
    keys = ["id"]
    data = {
        "a": {"columns": {"id": shared}, "pk": keys},
        "b": {"deeper": {"columns": {"id": shared}, "pk": keys}},
        "c": [shared, shared, {"x": shared}],
    }
    text = dump_yaml(data)
    assert yaml.safe_load(text) == data
    assert text == dump_yaml(data)  # the second rendering comes from the cache


def test_keys_too_long_for_an_implicit_key_are_explicit() -> None:
    long_key = "public.f(" + ", ".join(f"a{i} integer" for i in range(200)) + ")"
    assert len(long_key) > MAX_IMPLICIT_KEY
    data = {"functions": {long_key: {"returns": "integer"}, "short": {}}, long_key: "top"}
    text = dump_yaml(data)
    assert f"  ? {long_key}\n  :\n    returns: integer\n" in text
    round_trip(data)
    round_trip({"list": [{long_key: 1, "b": 2}]})


def test_chunks_join_to_the_document() -> None:
    data = {"version": 1, "tables": {"a.b": {"x": 1}, "a.c": {"y": [1, 2]}}, "views": {}}
    chunks = list(render_yaml(data))
    assert "".join(chunks) == dump_yaml(data)
    assert chunks[:3] == ["version: 1\n", "tables:\n", "  a.b:\n    x: 1\n"]


def test_keys_must_be_strings() -> None:
    with pytest.raises(TypeError):
        dump_yaml({"a": {1: "x"}})


_text = st.text(
    st.characters(blacklist_categories=("Cs",)),  # no lone surrogates (not valid UTF-8)
    max_size=12,
)
_scalars = st.none() | st.booleans() | st.integers() | _text
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_text, _data, max_size=5))
def test_any_plain_data_round_trips(data: dict[str, Any]) -> None:
    round_trip(data)
