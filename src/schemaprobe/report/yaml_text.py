"""A small, fast, deterministic YAML writer for plain data (what ``snapshot`` writes).

Input: dicts with string keys, lists, strings, integers, booleans and ``None``. Output:
block mappings indented by two spaces, lists of scalars in flow style (``[a, b]``) when
short, other lists as block sequences (``- name: x`` for mappings), ``{}``/``[]`` for
empty ones. The same data always gives the same text; key order is the dict's order.

Strings are plain where a YAML 1.1 reader (PyYAML) reads them back as the same string,
else single-quoted when they hold double quotes (quoted SQL identifiers) but nothing that
needs escaping, else JSON-style double-quoted (valid YAML): anything that would read as a
bool, null or number (``on``, ``yes``, ``null``, ``1.0``, ``0x10``, ``2024-01-01``) is
quoted, conservatively (every string starting with a digit, sign or dot is). Multi-line
text becomes one double-quoted line with ``\\n``. Keys longer than PyYAML's 1024-character
limit for implicit keys are written as explicit ``? key`` entries.

Why not PyYAML's dumper: it is pure Python and takes seconds for a 10,000-table spec.
This writer renders each distinct scalar once and each shared subtree (a ``Column``
dict used by a thousand tables) once per indentation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["dump_yaml", "render_yaml", "yaml_scalar"]

#: A flow list is used when the items fit in this many characters.
FLOW_WIDTH = 80
#: Longest key written as an implicit ``key: value`` (PyYAML's limit is 1024).
MAX_IMPLICIT_KEY = 1000

# First characters that make a plain scalar an indicator, a number, a null (``~``) or
# one of the special ``<<``/``=`` values; also leading space.
_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`~=<+.0123456789 ")
# Words YAML 1.1 reads as booleans or null (in any case, to be safe).
_RESERVED = frozenset(("y", "yes", "n", "no", "true", "false", "on", "off", "null"))
_FLOW_BAD = frozenset(",[]{}:#?")
# Characters JSON leaves raw that a YAML reader would fold (line breaks) or reject
# (C1 controls, BOM, non-characters): escaped as \uXXXX inside double quotes.
_NEEDS_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_MAX_CACHED_INDENT = 1024
_json_string = json.JSONEncoder(ensure_ascii=False).encode


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _quoted(text: str) -> str:
    out = _json_string(text)
    if _NEEDS_ESCAPE.search(out):
        out = _NEEDS_ESCAPE.sub(_escape, out)
    return out


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text[0] in _BAD_START or text[-1] in " :":
        return False
    if text.lower() in _RESERVED or ": " in text or " #" in text or not text.isprintable():
        return False
    return not (flow and not _FLOW_BAD.isdisjoint(text))


def yaml_scalar(value: object, *, flow: bool = False) -> str:
    """One scalar as YAML text (``flow``: as an item of ``[...]``)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if _plain_ok(value, flow):
            return value
        if '"' in value and "'" not in value and value.isprintable():
            return f"'{value}'"  # '"App"."My Table"' reads better than "\"App\"..."
        return _quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


class _Writer:
    """Renders one document; caches scalars and shared containers."""

    def __init__(self) -> None:
        self._block: dict[str, str] = {}
        self._flow: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        # Shared containers are rendered once per indentation: a container's key is
        # remembered when first seen and its text kept from the second sighting on
        # (with the object itself, so a reused id can never match).
        self._seen: set[int] = set()
        self._containers: dict[int, tuple[object, str]] = {}

    def _cached(self, data: object, indent: int) -> tuple[int, str | None]:
        if indent >= _MAX_CACHED_INDENT:
            return -1, None
        key = id(data) * _MAX_CACHED_INDENT + indent
        found = self._containers.get(key)
        if found is not None and found[0] is data:
            return key, found[1]
        return key, None

    def _remember(self, key: int, data: object, text: str) -> None:
        if key < 0:
            return
        if key in self._seen:
            self._containers[key] = (data, text)
        else:
            self._seen.add(key)

    def scalar(self, value: Any) -> str:
        if value.__class__ is str:
            found = self._block.get(value)
            if found is None:
                found = self._block[value] = yaml_scalar(value)
            return found
        return yaml_scalar(value)

    def flow_scalar(self, value: Any) -> str:
        if value.__class__ is str:
            found = self._flow.get(value)
            if found is None:
                found = self._flow[value] = yaml_scalar(value, flow=True)
            return found
        return yaml_scalar(value, flow=True)

    def key(self, key: str) -> str:
        """The key's text; only keys short enough for ``key: value`` are cached."""
        found = self._keys.get(key)
        if found is None:
            if not isinstance(key, str):
                raise TypeError(f"mapping keys must be strings, not {type(key).__name__}")
            found = yaml_scalar(key)
            if len(found) <= MAX_IMPLICIT_KEY:
                self._keys[key] = found
        return found

    def flow_list(self, items: list[Any]) -> str | None:
        """``[a, b]`` when every item is a scalar and the whole is short, else None."""
        parts = []
        size = 2
        for item in items:
            if isinstance(item, (dict, list)):
                return None
            text = self.flow_scalar(item)
            size += len(text) + 2
            if size > FLOW_WIDTH + 2:
                return None
            parts.append(text)
        return "[" + ", ".join(parts) + "]"

    def mapping(self, data: Mapping[str, Any], indent: int) -> str:
        """A non-empty mapping as block lines, each starting with ``indent`` spaces."""
        cache_key, cached = self._cached(data, indent)
        if cached is not None:
            return cached
        # The common case inline (a cached short key, a string or boolean value); the
        # rest through entry(). This loop is most of the time of a large snapshot.
        pad = " " * indent
        keys = self._keys
        block = self._block
        parts: list[str] = []
        append = parts.append
        for key, value in data.items():
            shown = keys.get(key)
            cls = value.__class__
            if shown is not None and cls is str:
                text = block.get(value)
                if text is None:
                    text = self.scalar(value)
                append(f"{pad}{shown}: {text}\n")
            elif shown is not None and cls is bool:
                append(f"{pad}{shown}: {'true' if value else 'false'}\n")
            else:
                append(self.entry(key, value, indent))
        text = "".join(parts)
        self._remember(cache_key, data, text)
        return text

    def entry(self, key: str, value: Any, indent: int) -> str:
        """``key: value`` at ``indent``, with its newline (and nested lines)."""
        shown = self.key(key)
        pad = " " * indent
        if len(shown) > MAX_IMPLICIT_KEY:
            return f"{pad}? {shown}\n{pad}:{self.value(value, indent)}"
        return f"{pad}{shown}:{self.value(value, indent)}"

    def value(self, value: Any, indent: int) -> str:
        """What follows ``key:`` (a leading space or newline included), with its newline."""
        if isinstance(value, dict):
            if not value:
                return " {}\n"
            return "\n" + self.mapping(value, indent + 2)
        if isinstance(value, list):
            if not value:
                return " []\n"
            flow = self.flow_list(value)
            if flow is not None:
                return f" {flow}\n"
            return "\n" + self.sequence(value, indent + 2)
        return f" {self.scalar(value)}\n"

    def sequence(self, items: list[Any], indent: int) -> str:
        """A non-empty list as a block sequence at ``indent``."""
        cache_key, cached = self._cached(items, indent)
        if cached is not None:
            return cached
        pad = " " * indent
        lines: list[str] = []
        for item in items:
            if isinstance(item, dict) and item:
                # The first key goes on the dash's line: "- name: x".
                body = self.mapping(item, indent + 2)
                lines.append(f"{pad}- {body[indent + 2 :]}")
            elif isinstance(item, list) and item:
                flow = self.flow_list(item)
                if flow is not None:
                    lines.append(f"{pad}- {flow}\n")
                else:
                    body = self.sequence(item, indent + 2)
                    lines.append(f"{pad}- {body[indent + 2 :]}")
            else:
                lines.append(f"{pad}-{self.value(item, indent)}")
        text = "".join(lines)
        self._remember(cache_key, items, text)
        return text


def render_yaml(data: Mapping[str, Any]) -> Iterator[str]:
    """The document in chunks: one per top-level entry, and one per object of a section.

    Chunks keep peak memory down for a large document written to a file; joined they
    are exactly :func:`dump_yaml`'s text.
    """
    if not data:
        yield "{}\n"
        return
    writer = _Writer()
    for key, value in data.items():
        shown = writer.key(key)
        if len(shown) > MAX_IMPLICIT_KEY:
            yield f"? {shown}\n:{writer.value(value, 0)}"
        elif isinstance(value, dict) and value:
            yield f"{shown}:\n"
            for name, item in value.items():
                yield writer.entry(name, item, 2)
        else:
            yield f"{shown}:{writer.value(value, 0)}"


def dump_yaml(data: Mapping[str, Any]) -> str:
    """The whole document as one string (see the module docstring for the layout)."""
    return "".join(render_yaml(data))
