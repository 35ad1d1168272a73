"""The scalar-level rules of :mod:`schemaprobe.spec._fastyaml`: which text it may read.

Why apart: the line-by-line structure is one thing, and whether a piece of text means
what it seems to is another, and the one a wrong answer would hide in. The rules here are
the emitter's (:mod:`schemaprobe.report.yaml_text`) read backwards, kept separate from it
on purpose: a plain scalar is accepted only when YAML 1.1 (libyaml, PyYAML) reads it as
that very text, a double-quoted one only when JSON's escapes and YAML's agree on it, and
the whole file only when it holds no character YAML rejects or reads as a line break.
Anything else raises :class:`GiveUp`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from json import decoder
from typing import Any

__all__ = ["GiveUp", "Scalars", "clean", "key_ok", "plain_ok", "quoted"]


class GiveUp(Exception):
    """The text is outside the subset the fast reader knows: use the full loader."""


#: ASCII controls but the line feed: YAML rejects them, or reads them as line breaks or
#: (tabs) as something the emitter never writes.
_CONTROLS = bytes(range(0x20)).replace(b"\n", b"") + b"\x7f"
_NOT_CONTROLS = bytes(sorted(set(range(256)) - set(_CONTROLS)))
#: The same in UTF-8 beyond ASCII: C1 controls (U+0085 is a line break), the line and
#: paragraph separators, BOMs and the non-characters U+FFFE/U+FFFF.
_BAD_UTF8 = (
    b"\xc2",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
    b"\xef\xbb\xbf",
    b"\xef\xbf\xbe",
    b"\xef\xbf\xbf",
)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
#: Starts of a plain value the emitter never writes plain: indicators, numbers, ``~``...
_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`~=<+.0123456789 ")
#: Starts of a plain key: keys are text as written, so digits are fine; indicators,
#: ``<<`` (merge), ``...`` (document end) and the rest are left to the full loader.
_BAD_KEY_START = frozenset("-?:,[]{}#&*!|>'\"%@`~=<+. ")
#: Any case of these reads as a boolean or null in YAML 1.1 (``y``/``n``: to be safe).
_RESERVED = frozenset(("y", "yes", "n", "no", "true", "false", "on", "off", "null"))
_FLOW_BAD = frozenset(",[]{}:#?")
#: Plain scalars the emitter writes for non-text values.
_WORDS: dict[str, Any] = {"null": None, "true": True, "false": False}
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
#: The escapes JSON writes that YAML reads alike (not surrogate halves, not ``\/``).
_ESCAPES = re.compile(r'\\(?:[\\"bfnrt]|u(?![dD][89a-fA-F])[0-9a-fA-F]{4})')
_MAX_KEY = 1000  # libyaml's limit for an implicit key is 1024 characters
_MISS: Any = object()
#: JSON's string scanner (C): decodes a JSON-style double-quoted scalar, finds its end.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = decoder.scanstring  # type: ignore[attr-defined]


def clean(source: bytes) -> bool:
    """Whether ``source`` is free of the characters the fast reader leaves to libyaml."""
    if source.translate(None, _NOT_CONTROLS):
        return False
    if not source.isascii():
        for bad in _BAD_UTF8:
            if bad in source and (bad != b"\xc2" or _C1.search(source)):
                return False
    return True


def plain_ok(text: str, flow: bool) -> bool:
    """Whether YAML reads ``text`` unquoted as this very text (the emitter's rule)."""
    if not text or text[0] in _BAD_START or text[-1] in " :":
        return False
    if text.lower() in _RESERVED or ": " in text or " #" in text or not text.isprintable():
        return False
    return not (flow and not _FLOW_BAD.isdisjoint(text))


def key_ok(key: str, *, implicit: bool = True) -> bool:
    """Whether ``key`` written plain (before ``: ``, or after ``? ``) is this very key."""
    return bool(key) and (
        key[0] not in _BAD_KEY_START
        and key[-1] not in " :"
        and ": " not in key
        and " #" not in key
        and (len(key) <= _MAX_KEY or not implicit)
        and key.isprintable()
    )


def quoted(text: str, start: int) -> tuple[str, int]:
    """The quoted scalar at ``text[start]`` (a quote) and the index after its end."""
    if text[start] == '"':
        try:
            value, end = _scanstring(text, start + 1, True)
        except ValueError:  # unterminated (so multi-line), an unknown escape
            raise GiveUp from None
        if text.find("\\", start, end) >= 0 and "\\" in _ESCAPES.sub("", text[start:end]):
            raise GiveUp
        return value, end
    end = start + 1
    while True:
        end = text.find("'", end)
        if end < 0:
            raise GiveUp
        if text.startswith("''", end):
            end += 2
            continue
        return text[start + 1 : end].replace("''", "'"), end + 1


class Scalars:
    """Scalars, flow lists and keys of one file, each distinct text read once (cached)."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = dict(_WORDS)  # text after "key: " -> its value
        self.flow_values: dict[str, Any] = dict(_WORDS)  # an item of [...] -> its value
        self.flows: dict[str, tuple[tuple[Any, ...], tuple[int, ...]]] = {}
        self.keys: set[str] = set()  # plain keys already checked

    def scalar(self, text: str, flow: bool) -> Any:
        """A whole scalar (cached by text): plain, quoted or a word; else :class:`GiveUp`."""
        cache = self.flow_values if flow else self.values
        found = cache.get(text, _MISS)
        if found is not _MISS:
            return found
        value: Any
        if plain_ok(text, flow):
            value = text
        elif text[:1] in ("'", '"'):
            value, end = quoted(text, 0)
            if end != len(text):
                raise GiveUp
        elif _INT.match(text):
            value = int(text)
        else:
            raise GiveUp
        cache[text] = value
        return value

    def flow(self, text: str) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        """``[a, "b, c"]``: its items and where each starts in ``text`` (cached by text)."""
        found = self.flows.get(text)
        if found is not None:
            return found
        end = len(text) - 1
        if text[end] != "]":
            raise GiveUp
        items: list[Any] = []
        starts: list[int] = []
        at = 1
        while True:
            if text[at] in "\"'":
                stop = quoted(text, at)[1]
            else:
                stop = text.find(",", at, end)
                stop = end if stop < 0 else stop
            value = self.scalar(text[at:stop], True)
            items.append(value)
            starts.append(at)
            if stop == end:
                break
            if text[stop : stop + 2] != ", ":
                raise GiveUp
            at = stop + 2
        found = self.flows[text] = (tuple(items), tuple(starts))
        return found

    def entry(self, body: str) -> tuple[str, str | None]:
        """``key: rest`` -> (key, rest); ``key:`` -> (key, None); anything else gives up."""
        if body[0] in "\"'":
            key, end = quoted(body, 0)
            if end > _MAX_KEY:
                raise GiveUp
            if body.startswith(": ", end):
                return key, body[end + 2 :]
            if end == len(body) - 1 and body[end] == ":":
                return key, None
            raise GiveUp
        key, sep, rest = body.partition(": ")
        value: str | None = rest
        if not sep:
            if body[-1] != ":":
                raise GiveUp
            key, value = body[:-1], None
        if key not in self.keys:
            if not key_ok(key):
                raise GiveUp
            self.keys.add(key)
        return key, value

    def scalar_key(self, text: str) -> str:
        """The key after ``? ``: a quoted scalar or plain text, alone on its line."""
        if text[:1] in ("'", '"'):
            key, end = quoted(text, 0)
            if end != len(text):
                raise GiveUp
            return key
        if not key_ok(text, implicit=False):
            raise GiveUp
        return text

    @staticmethod
    def starts_entry(item: str) -> bool:
        """Whether a sequence item is a mapping (``- key: v``, ``- ? key``), not a value."""
        first = item[:1]
        if first in ("'", '"'):
            end = quoted(item, 0)[1]
            return item.startswith(":", end)
        if first in ("[", "{"):
            return False
        return item.startswith("? ") or ": " in item or item.endswith(":")
