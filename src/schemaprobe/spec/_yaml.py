"""YAML text to plain data, plus where every key and list item was written.

Why it exists: every finding and every spec error must point at ``file:line:col``, and
PyYAML's constructors throw the marks away. The usual fixes leak: a loader that writes
``__line__`` into the user's mappings, or patches to PyYAML's classes that change every
other loader in the process. Here the marks go into a side table keyed by YAML path
(``('tables', 'stories', 'checks', 0)``), and nothing global is touched.

Why events rather than composed nodes: libyaml's parser (through ``CSafeLoader``, or the
pure-Python ``SafeLoader`` without libyaml) is fast, but composing its node tree for a
32 MB spec took 7 s with the garbage collector off and 30 s with it on, mostly allocating
nodes, marks and resolver calls that are thrown away at once. One loop over the parser's
events builds dicts, lists and scalars directly and keeps only the marks it needs.

Why a second reader: even so, creating one Python object per libyaml event took four of
the five seconds of loading a 10,000-table snapshot. :func:`parse` first tries
:mod:`schemaprobe.spec._fastyaml`, which reads the layout ``schemaprobe snapshot`` writes
line by line (same data, same marks) and gives up on anything else; the file is then
read here, as before, errors and all.

Rules (YAML 1.1 as PyYAML's ``safe_load``, with these differences):

- mapping keys are the text as written: ``on:``, ``1:`` and ``null:`` are the keys
  ``"on"``, ``"1"`` and ``"null"``; an empty or non-scalar key is an error;
- duplicate keys are errors (both lines named); ``<<`` merge keys and anchors work;
- dates stay text; tags other than the standard scalar ones are errors;
- one document per file; nesting deeper than :data:`MAX_DEPTH` or aliases expanding to
  more than :data:`MAX_ALIAS_EVENTS` nodes are errors (no billion laughs).
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from schemaprobe._location import Location
from schemaprobe.errors import SpecError, SpecProblem
from schemaprobe.spec._fastyaml import GiveUp, LazyMarks
from schemaprobe.spec._fastyaml import load as fast_load

__all__ = [
    "MAX_ALIAS_EVENTS",
    "MAX_DEPTH",
    "Locations",
    "Mark",
    "YamlPath",
    "dotted",
    "parse",
    "parse_full",
    "paused_gc",
]

YamlPath = tuple[str | int, ...]
MAX_DEPTH = 100
MAX_ALIAS_EVENTS = 1_000_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WITH_LIBYAML = _Loader is not yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_COLLECTION_TAGS = frozenset({None, "!", _TAG + "map", _TAG + "seq"})
_BOOLS = {
    word: value
    for value, words in ((True, ("yes", "true", "on")), (False, ("no", "false", "off")))
    for w in words
    for word in (w, w.capitalize(), w.upper())
}
#: Plain scalars that are not text (YAML 1.1 null and booleans), by exact spelling.
_WORDS: dict[str, Any] = {"": None, "~": None, "null": None, "Null": None, "NULL": None, **_BOOLS}
_NUMBER_START = frozenset("+-.0123456789")
_NUMBER_RX = [
    (tag, rx)
    for tag, rx in Resolver.yaml_implicit_resolvers["1"] + Resolver.yaml_implicit_resolvers["."]
    if tag in (_INT, _FLOAT)
]
_NOKEY: Any = object()  # a mapping waiting for its next key
_MERGE: Any = object()  # the dict slot of a ``<<`` value until its mapping ends


class Mark(Protocol):
    """A parser mark: 0-based line and column (PyYAML's ``Mark`` or libyaml's)."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class _Abort(Exception):
    """A problem after which the rest of the file cannot be read."""


def dotted(path: Sequence[str | int]) -> str:
    """``('tables', 'auth.users', 'checks', 0)`` -> ``tables["auth.users"].checks[0]``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part and all(c.isalnum() or c in "_-$" for c in part):
            out.append(f".{part}" if out else part)
        else:
            out.append('["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]')
    return "".join(out)


class Locations(Mapping[YamlPath, Location]):
    """YAML path -> :class:`Location`, built lazily from parser marks (one part per file).

    Parts are searched last first, so the including file wins for a mapping that several
    files extend; every other path is written in exactly one file.
    """

    __slots__ = ("_parts",)

    def __init__(self, parts: Sequence[tuple[str, Mapping[YamlPath, Mark]]]) -> None:
        self._parts = tuple(reversed(parts))

    def find(self, path: YamlPath) -> Location | None:
        for file, marks in self._parts:
            mark = marks.get(path)
            if mark is not None:
                return Location(file, mark.line + 1, mark.column + 1)
        return None

    def __getitem__(self, path: YamlPath) -> Location:
        found = self.find(path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[YamlPath]:
        seen: set[YamlPath] = set()
        for _, marks in self._parts:
            for path in marks:
                if path not in seen:
                    seen.add(path)
                    yield path

    def __len__(self) -> int:
        return sum(1 for _ in self)


def parse(source: bytes, file: str) -> tuple[Any, Mapping[YamlPath, Mark]]:
    """Parse one YAML document: its data (``None`` when empty) and the marks of its keys.

    Raises :class:`SpecError` for anything that is not one well-formed document. Text in
    the snapshot's layout is read by the fast reader, its marks recorded on first use.
    """
    with paused_gc():
        try:
            data, _ = fast_load(source)
        except GiveUp:
            return parse_full(source, file)
        return data, LazyMarks(source)


def parse_full(source: bytes, file: str) -> tuple[Any, dict[YamlPath, Mark]]:
    """:func:`parse` without the fast reader: libyaml's events, marks recorded at once."""
    with paused_gc():
        return _Builder(source, file).document()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: loading makes millions of young objects and no
    cycles, and the collector's passes over them tripled the time of a 30 MB load.

    On the way out they go straight to the oldest generation (frozen and unfrozen: no
    walk over them), unless someone else froze objects: the first young collection after
    a 10,000-table load would otherwise walk all of them, 0.3 s, to find no garbage.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Builder:
    def __init__(self, source: bytes, file: str) -> None:
        self.source = source
        self.file = file
        self.marks: dict[YamlPath, Mark] = {}
        self.problems: list[SpecProblem] = []
        self.anchors: dict[str, list[Any]] = {}
        self.recording: list[tuple[str, list[Any], int]] = []
        self.pending: list[Any] = []  # events replayed for an alias, next one last
        self.budget = MAX_ALIAS_EVENTS
        self.loader: Any = None

    def problem(self, mark: Mark | None, path: YamlPath, message: str) -> None:
        where = Location(self.file, mark.line + 1, mark.column + 1) if mark else None
        self.problems.append(SpecProblem(where or Location(self.file, 1, 1), dotted(path), message))

    def document(self) -> tuple[Any, dict[YamlPath, Mark]]:
        root = None
        try:
            self.loader = _Loader(self.source)
            self.loader.get_event()  # stream start
            if isinstance(self.loader.get_event(), StreamEndEvent):
                return None, self.marks
            root = self.node()
            self.loader.get_event()  # document end
            after = self.loader.get_event()
            if isinstance(after, DocumentStartEvent):
                self.problem(
                    after.start_mark,
                    (),
                    "a spec file holds one YAML document; "
                    "found a second one (remove the '---' line or split the file)",
                )
        except yaml.MarkedYAMLError as exc:
            self.problem(exc.problem_mark or exc.context_mark, (), self.syntax_message(exc))
        except yaml.YAMLError as exc:
            self.problem(self.offset_mark(exc), (), f"invalid YAML: {exc}".splitlines()[0])
        except _Abort:
            pass
        if self.problems:
            raise SpecError(self.problems)
        return root, self.marks

    def syntax_message(self, exc: yaml.MarkedYAMLError) -> str:
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.problem and exc.context:
            mark = exc.context_mark
            at = f" at line {mark.line + 1}" if mark and mark is not exc.problem_mark else ""
            message += f" ({exc.context}{at})"
        mark = exc.problem_mark
        if mark is not None:
            line = self.source.split(b"\n", mark.line + 1)[mark.line : mark.line + 1]
            text = line[0].decode("utf-8", "replace") if line else ""
            if text[mark.column : mark.column + 1] == "\t":
                message += "; a tab: YAML indents with spaces"
        return message

    def offset_mark(self, exc: yaml.YAMLError) -> Mark | None:
        position = getattr(exc, "position", None)
        if not isinstance(position, int):
            return None
        # libyaml counts bytes; PyYAML's reader counts characters of the decoded text
        before = self.source[:position] if _WITH_LIBYAML else self.source.decode()[:position]
        text = before.decode("utf-8", "replace") if isinstance(before, bytes) else before
        return yaml.Mark(self.file, position, text.count("\n"), len(text.rsplit("\n")[-1]), "", 0)

    def scalar(self, ev: Any, path: YamlPath) -> Any:
        tag, text = ev.tag, ev.value
        if tag is None:
            if not ev.implicit[0]:
                return text
            value = _WORDS.get(text, _NOKEY)
            if value is not _NOKEY:
                return value
            if text[0] in _NUMBER_START:
                for number_tag, rx in _NUMBER_RX:
                    if rx.match(text):
                        return self.construct(number_tag, text, ev, path)
            return text
        if tag in ("!", _STR) or tag == _TAG + "timestamp":
            return text
        if tag == _NULL:
            return None
        if tag in (_INT, _FLOAT, _BOOL):
            return self.construct(tag, text, ev, path)
        self.problem(ev.start_mark, path, f"unsupported tag {_show_tag(tag)}")
        return None

    def construct(self, tag: str, text: str, ev: Any, path: YamlPath) -> Any:
        method = {_INT: "construct_yaml_int", _FLOAT: "construct_yaml_float"}.get(tag)
        try:
            return getattr(self.loader, method or "construct_yaml_bool")(ScalarNode(tag, text))
        except (ValueError, KeyError, IndexError):
            self.problem(ev.start_mark, path, f"{text!r} is not a valid {_show_tag(tag)}")
            return None

    def replay(self, ev: Any) -> None:
        events = self.anchors.get(ev.anchor)
        if events is None:
            why = (
                "refers to itself"
                if any(r[0] == ev.anchor for r in self.recording)
                else ("is not defined before this point")
            )
            self.problem(ev.start_mark, (), f"alias *{ev.anchor} {why}")
            raise _Abort
        self.budget -= len(events)
        if self.budget < 0:
            self.problem(
                ev.start_mark,
                (),
                f"aliases expand to more than {MAX_ALIAS_EVENTS} nodes; write the data out instead",
            )
            raise _Abort
        first = copy.copy(events[0])
        first.start_mark, first.anchor = ev.start_mark, None  # the item is where the alias is
        self.pending.extend(reversed(events[1:]))
        self.pending.append(first)

    def node(self) -> Any:  # noqa: PLR0915 - one loop on purpose: it is the hot path
        # path + (x,) below: 40% faster than (*path, x), and this loop runs per node
        marks, problem = self.marks, self.problem
        recording, pending, get_event = self.recording, self.pending, self.loader.get_event
        scalar, words = self.scalar, _WORDS
        stack: list[tuple[Any, YamlPath, bool, dict[YamlPath, Mark]]] = []
        cur: Any = None
        path: YamlPath = ()
        key: Any = _NOKEY
        is_map = False
        while True:
            ev = pending.pop() if pending else get_event()
            cls = ev.__class__
            if cls is AliasEvent:
                self.replay(ev)
                continue
            if recording:
                for _, events, _ in recording:
                    events.append(ev)
            if cls is ScalarEvent:
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = [ev]
                if is_map and key is _NOKEY:  # a key: its text as written
                    key = ev.value
                    here = path + (key,)  # noqa: RUF005
                    if ev.tag is None and ev.implicit[0]:
                        if key == "<<":
                            if _MERGE in cur:
                                problem(ev.start_mark, here, "duplicate key '<<'")
                            key = _MERGE
                            continue
                        if key == "":
                            problem(ev.start_mark, path, "empty key")
                    if key in cur:
                        first = marks.get(here)
                        line = f" (first at line {first.line + 1})" if first else ""
                        problem(ev.start_mark, here, f"duplicate key {key!r}{line}")
                    else:
                        marks[here] = ev.start_mark
                    continue
                if cur is None:
                    return self.scalar(ev, path)
                if is_map:
                    if key is _MERGE:
                        problem(
                            ev.start_mark, path, "<< (merge) takes a mapping or a list of mappings"
                        )
                    else:
                        text = ev.value  # inline fast path: plain words and quoted text
                        if ev.tag is None and (
                            not ev.implicit[0]
                            or (text not in words and text[0] not in _NUMBER_START)
                        ):
                            cur[key] = text
                        else:
                            cur[key] = scalar(ev, path + (key,))  # noqa: RUF005
                    key = _NOKEY
                else:
                    here = path + (len(cur),)  # noqa: RUF005
                    marks[here] = ev.start_mark
                    cur.append(scalar(ev, here))
                continue
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                new: Any = {} if cls is MappingStartEvent else []
                if is_map and key is _NOKEY:
                    problem(ev.start_mark, path, "a key must be text, not a mapping or list")
                    raise _Abort
                stack.append((cur, path, is_map, marks))
                if cur is None:
                    marks[()] = ev.start_mark
                elif not is_map:
                    path = path + (len(cur),)  # noqa: RUF005
                    marks[path] = ev.start_mark
                    cur.append(new)
                elif key is _MERGE:  # built apart, with its own marks, merged at the end
                    marks = {}
                    cur[_MERGE] = (new, marks)
                    path = ()
                else:
                    cur[key] = new
                    path = path + (key,)  # noqa: RUF005
                if ev.tag not in _COLLECTION_TAGS:
                    problem(ev.start_mark, path, f"unsupported tag {_show_tag(ev.tag)}")
                if len(stack) > MAX_DEPTH:
                    problem(ev.start_mark, path, f"nested more than {MAX_DEPTH} levels deep")
                    raise _Abort
                if ev.anchor is not None:
                    recording.append((ev.anchor, [ev], len(stack)))
                cur, key, is_map = new, _NOKEY, cls is MappingStartEvent
                continue
            if cls is MappingEndEvent or cls is SequenceEndEvent:
                if is_map and _MERGE in cur:
                    self.merge(cur, path, marks)
                if recording and recording[-1][2] == len(stack):
                    name, events, _ = recording.pop()
                    self.anchors[name] = events
                done = cur
                cur, path, is_map, marks = stack.pop()
                if cur is None:
                    return done
                key = _NOKEY
                continue
            raise AssertionError(f"unexpected YAML event {ev!r}")  # pragma: no cover

    def merge(self, mapping: dict[Any, Any], path: YamlPath, marks: dict[YamlPath, Mark]) -> None:
        """Apply ``<<``: keys written in the mapping win, then earlier sources win."""
        value, merged_marks = mapping.pop(_MERGE)
        single = isinstance(value, dict)
        sources = [value] if single else value
        source_of: dict[str | int, int] = {}
        for i, source in enumerate(sources):
            if not isinstance(source, dict):
                mark = merged_marks.get((i,)) or marks.get(path)
                self.problem(mark, path, "<< (merge) takes a mapping or a list of mappings")
                continue
            for k, v in source.items():
                if k not in mapping:
                    mapping[k] = v
                    source_of[k] = i
        skip = 0 if single else 1
        for sub, mark in merged_marks.items():
            if len(sub) > skip and source_of.get(sub[skip]) == (0 if single else sub[0]):
                marks[path + sub[skip:]] = mark
