"""The fast reader: same data and marks as the full loader on what the emitter writes,
and a fall back to the full loader (its result, its errors) on everything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemaprobe.errors import SpecError
from schemaprobe.report.yaml_text import dump_yaml
from schemaprobe.spec import _fastyaml, _yaml
from schemaprobe.spec._fastyaml import GiveUp, LazyMarks
from schemaprobe.spec._yaml import Locations, parse, parse_full
from schemaprobe.spec.load import load_spec_file, load_specs
from tests.spec.helpers import Write

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def positions(marks: Any) -> dict[Any, tuple[int, int]]:
    return {path: (mark.line, mark.column) for path, mark in marks.items()}


def outcome(parser: Any, raw: bytes) -> Any:
    """What a parser makes of ``raw``: data and mark positions, or the error lines."""
    try:
        data, marks = parser(raw, "f.yaml")
    except SpecError as exc:
        return [str(p) for p in exc.problems]
    return data, positions(marks)


def same_as_full_loader(raw: bytes) -> Any:
    """Fast data == libyaml's == the full loader's, and fast marks == full marks."""
    data, _ = _fastyaml.load(raw)
    recorded = _fastyaml.load(raw, record=True)
    full = parse_full(raw, "f.yaml")
    assert data == recorded[0] == full[0]
    assert recorded[1] == positions(full[1])
    via_parse = parse(raw, "f.yaml")
    assert isinstance(via_parse[1], LazyMarks)
    assert via_parse[0] == data
    assert positions(via_parse[1]) == positions(full[1])
    return data


AWKWARD = [
    "on", "Off", "yes", "NO", "y", "true", "False", "null", "Null", "~", "", " ", "0", "-1",
    "+1", "1.5", "0x10", "012", "1_000", "2024-01-01", "12:30", ".inf", "<<", "=", "-", "- x",
    "? x", ": x", "x:", "a: b", "a:b", "a #b", "a#b", "#x", "[a]", "{a}", "a, b", "&a", "*a",
    "!a", "|", ">", "%a", "@a", "`a", "'q'", '"dq"', "it's", 'say "hi"', '"A"."B C"', " lead",
    "trail ", "---", "...", "a\nb", "tab\there", "\\", "\\n", "\\/", "\\u00e9", "x\u2028y",
    "x\x85y", "\x7f", "\ufeffbom", "nul\x00", "é", "表 x", "😀", "\u00a0", "\ue000",
    "gen_random_uuid()", "(a >= (0)::numeric)", "text[]", "'draft'::text",
    "timestamp with time zone",
]  # fmt: skip
LONG = st.integers(495, 1010)  # keys near the limit of implicit ones, and past it
CHARS = st.sampled_from(list(" :-#'\",[]{}?&*!|>%@`~=<+.\\\n\t0123456789abcé表\x85\u2028"))
texts = (
    st.sampled_from(AWKWARD)
    | st.text(CHARS, max_size=12)
    | st.text(max_size=8)
    | st.builds(str.__mul__, st.sampled_from(["a", "é", "a:", '"', "'", "\n", " b"]), LONG)
)
scalars = st.none() | st.booleans() | st.integers() | texts
keys = texts | st.sampled_from(["columns", "type", "name", "checks", "version"])
data_ = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)
FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(document=st.dictionaries(keys, data_, max_size=5))
def test_emitter_output_reads_the_same(document: dict[str, Any]) -> None:
    # twice over too: the repeated lines take the reader's short ways
    for data in (document, {"a": document, "b": document, "c": [document, document]}):
        text = dump_yaml(data)
        raw = text.encode()
        assert same_as_full_loader(raw) == yaml.load(raw, Loader=LOADER) == data, text


MUTATIONS = st.sampled_from([*" :-#'\",[]{}?&*!|>%@`~\\\n\t0a", "  ", "- ", ": ", "\n  "])


@FAST
@given(document=st.dictionaries(keys, data_, min_size=1, max_size=4), data=st.data())
def test_edited_emitter_output_is_read_the_same_or_given_up(
    document: dict[str, Any], data: st.DataObject
) -> None:
    text = dump_yaml(document)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 2))
        text = text[:at] + data.draw(MUTATIONS) + text[at + cut :]
    raw = text.encode()
    try:
        same_as_full_loader(raw)
    except GiveUp:
        assert outcome(parse, raw) == outcome(parse_full, raw)


def test_a_snapshot_shaped_spec(tmp_path: Path) -> None:
    column = {"type": "uuid", "nullable": False, "default": "gen_random_uuid()"}
    table = {
        "owner": "postgres",
        "rls": {"enabled": True, "forced": False},
        "columns": {"id": column, "on": {"type": "text", "default": "''::text"}},
        "primary_key": {"name": "t_pkey", "columns": ["id"]},
        "checks": [{"name": "c", "expression": "(a >= (0)::numeric)"}, "b > 0"],
        "indexes": [{"columns": ["id", "lower(name)"], "where": None}],
        "policies": {"Users can view own rows": {"roles": ["public"], "using": "(a = b)"}},
        "grants": {},
        "nested": [["a", {"b": []}], [], {}, ["x" * 90]],
    }
    document = {"version": 1, "exhaustive": True, "tables": {"a.t": table, "1x": table}}
    same_as_full_loader(dump_yaml(document).encode())


@pytest.mark.parametrize(
    "text",
    [
        "a:\nb: 1\n",  # "key:" and nothing: null
        "a:\n  b:\n",
        "\n\na: 1\n\n  \nb:\n\n  c: 2\n",  # blank lines
        "on: 1\n'1': x\nnull: z\n2fa: w\n",  # keys as written
        "a: 'it''s'\nb: ['x''y', \"z\"]\nc: '''q'''\n",
        "a: [-1, 0, 12345678901234567890, null, true, false]\n",
        "s:\n  - a\n  - b: 1\n    c: [2]\n  - - x\n    - {}\n",
        "a: 1",  # no final newline
        "{}\n",
        "? a\n: b\n? c\n:\n  - d\n",
        "x:\n  k: 1\ny:\n  z:\n  k: 1\n",  # a remembered line after "key:" and nothing
        "x:\n  k: [1]\n  n:\ny:\n  n:\n  k: [1]\n  m: 2\nz:\n  n:\n    k: [1]\n",
    ],
)
def test_beyond_the_emitter_still_the_same(text: str) -> None:
    try:
        same_as_full_loader(text.encode())
    except GiveUp:  # also fine: the full loader answers; but these are meant to be read
        pytest.fail(f"gave up on {text!r}")


OUTSIDE = [
    "# a comment\nversion: 1\n",
    "a: b # c\n",
    "a: 'b' # c\n",
    "a: [b] # c\n",
    "a: &x 1\nb: *x\n",
    "a: {b: 1}\n",
    "a: b\n  c\n",
    "a:\n  - b\n    c\n",
    'a: "b\n  c"\n',
    "a: 'b\n  c'\n",
    "a:\n\tb: 1\n",
    "a: b\tc\n",
    "a: |\n  x\n",
    "a: >-\n  x\n",
    "a: !!str 1\n",
    "a: !x y\n",
    "!!map {a: 1}\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a:\n    b: 1\n",
    "a:\n - b\n",
    "a:\n- b\n",
    "a: 1\n b: 2\n",
    "  a: 1\n",
    "a: 1\na: 2\n",
    "'a': 1\na: 2\n",
    "a:\n  b: 1\na: 2\n",
    "? a\n: 1\na: 2\n",
    "a: yes\n",
    "a: True\n",
    "a: ~\n",
    "a: 1.5\n",
    "a: 0x10\n",
    "a: 012\n",
    "a: +1\n",
    "a: 2024-01-01\n",
    "a: -\n",
    "a: \n",
    "a:  b\n",
    "a: b \n",
    "a : b\n",
    "a:b\n",
    "a: b: c\n",
    "<<: {a: 1}\n",
    "? [a]\n: 1\n",
    "? a\nb: 1\n",
    "? a\n",
    "?\n: x\n",
    ": x\n",
    "",
    "  \n\n",
    "- a\n",
    "just text\n",
    "a: 1\r\nb: 2\r\n",
    "\ufeffa: 1\n",
    "a: \x85\n",
    "a: x\u2028y\n",
    "a: \x07\n",
    'a: "\\ud83d\\ude00"\n',
    'a: "\\x41"\n',
    'a: "\\/"\n',
    'a: "b" c\n',
    "a: [b,c]\n",
    "a: [ b ]\n",
    "a: [b, [c]]\n",
    "a: [b, {c: 1}]\n",
    "a: [b, ]\n",
    'a: ["b" ]\n',
    "a: [b\n",
    "a: {}x\n",
    "- -\n",
    "-\n",
    "a:\n  - b\n  c: 1\n",
    "a:\n  b: 1\n c: 1\n",
    # remembered lines where they do not fit
    "a:\n  b: 1\nc:\n  b: 1\n  b: 1\n",
    "a: 1\n? b\na: 1\n",
    "p:\n  q:\n    r:\n      b: 1\nx:\n  y:\n      b: 1\n",
    "a:\n  b: 1\nc: 2\n  b: 1\n",
    "z:\n  b: 1\na:\n  - x\n  b: 1\n",
    "z:\n  b: [1]\na:\n  - x\n  b: [1]\n",
    "x" * 1030 + ": 1\n",
    '"' + "x" * 1030 + '": 1\n',
    '"a" b: 1\n',
    "'a'x: 1\n",
    "{}\na: 1\n",
    "? a\n:b\n",
    "a: 1\n? a\n: 2\n",
    "? 'a' b\n: 1\n",
    "k:\n  " + "- " * 80 + "x\n",
    "a: " + "[" * 120 + "]" * 120 + "\n",
    "".join(f"{' ' * (2 * i)}k:\n" for i in range(120)),
]


@pytest.mark.parametrize("text", OUTSIDE)
def test_outside_the_subset_the_full_loader_answers(text: str) -> None:
    raw = text.encode()
    with pytest.raises(GiveUp):
        _fastyaml.load(raw)
    assert outcome(parse, raw) == outcome(parse_full, raw)


def test_invalid_utf8_gives_up() -> None:
    with pytest.raises(GiveUp):
        _fastyaml.load(b"a: \xff\n")


def test_marks_are_recorded_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b"a:\n  b: [x, z]\n"
    data, marks = parse(raw, "f.yaml")
    assert data == {"a": {"b": ["x", "z"]}}
    calls: list[bool] = []
    real = _fastyaml.load

    def counting(source: bytes, *, record: bool = False) -> Any:
        calls.append(record)
        return real(source, record=record)

    monkeypatch.setattr(_fastyaml, "load", counting)
    assert marks.get(("a", "b", 1)) == (1, 9)
    assert ("a",) in marks
    assert len(marks) == 5
    assert calls == [True]


def test_spec_files_and_fragments_take_the_fast_path(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: bytes, file: str) -> Any:
        raise AssertionError(f"full loader used for {file}")

    fragment = {"tables": {"b": {"columns": {"id": "uuid"}}}}
    main = {"version": 1, "include": ["more.yaml"], "tables": {"a": {"rls": {"forced": True}}}}
    write("spec.yaml", dump_yaml(main))
    write("more.yaml", dump_yaml(fragment))
    expected = {
        path: load_specs(["spec.yaml"]).specs[0].locate(*path)
        for path in [("tables", "a", "rls", "forced"), ("tables", "b", "columns", "id")]
    }
    monkeypatch.setattr(_yaml, "parse_full", refuse)
    (spec,) = load_specs(["spec.yaml"]).specs
    assert set(spec.document.tables) == {"a", "b"}
    for path, where in expected.items():
        assert spec.locate(*path) == where
    assert str(spec.locate("tables", "b", "columns", "id")) == "more.yaml:4:7"
    assert str(spec.locate("tables", "a", "rls", "forced", "x")) == "spec.yaml:6:7"


def test_locations_match_the_full_loader(write: Write) -> None:
    document = {
        "version": 1,
        "tables": {
            "t": {
                "columns": {"id": {"type": "uuid"}, "x" * 1200: "text"},
                "checks": ["a > 0", {"expression": "b > 0"}],
                "indexes": [{"columns": ["id", "lower(x)"]}],
            }
        },
    }
    path = write("spec.yaml", dump_yaml(document))
    spec = load_spec_file(path)
    full = Locations([(str(path), parse_full(path.read_bytes(), str(path))[1])])
    assert dict(spec.locations.items()) == dict(full.items())
    assert str(spec.locate("tables", "t", "columns", "x" * 1200)) == "spec.yaml:7:9"
    assert str(spec.locate("tables", "t", "indexes", 0, "columns", 1)) == "spec.yaml:13:23"


def test_errors_of_a_fast_read_spec_are_located(write: Write) -> None:
    write("spec.yaml", dump_yaml({"version": 1, "tables": {"t": {"colums": {}, "rls": 5}}}))
    with pytest.raises(SpecError) as info:
        load_specs(["spec.yaml"])
    assert [str(p) for p in info.value.problems] == [
        "spec.yaml:4:5: tables.t.colums: unknown key 'colums' (did you mean 'columns'?)",
        "spec.yaml:5:5: tables.t.rls: expected true, false or a mapping; got 5",
    ]
