"""Name patterns with a ``{table}`` placeholder, matched in full, without compiling one
regular expression per table.

Compiling costs ~90 us, so a pattern per table and kind would cost seconds at 10,000
tables. Instead each pattern is compiled once with every ``{table}`` as a capture group
that takes anything. That version accepts every name the table's own version accepts,
so when it refuses a name, so does the exact one; when it accepts with every group
having captured the table's name, the exact one accepts along the same path. Only that
is sound where a group cannot repeat and no numbered back-reference shifts, so the
shortcut is taken only for placeholders outside any parentheses and not quantified;
anything else (and the rare capture of something else) is decided by the exact
expression, compiled for that table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["PLACEHOLDER", "matches"]

PLACEHOLDER = "{table}"
_QUANTIFIERS = frozenset("*+?{")
_NUMBERED_BACKREFERENCE = re.compile(r"\\[1-9]")


@dataclass(frozen=True, slots=True)
class _Compiled:
    # the pattern with each placeholder a free group (None: not provably sound)
    free: re.Pattern[str] | None
    groups: tuple[str, ...]


def _top_level(pattern: str) -> bool:
    """Every placeholder stands outside parentheses and is not quantified (a scan that
    skips escapes and character classes; anything it does not follow counts as not)."""
    depth, i, n = 0, 0, len(pattern)
    while i < n:
        if pattern.startswith(PLACEHOLDER, i):
            after = i + len(PLACEHOLDER)
            if depth or (after < n and pattern[after] in _QUANTIFIERS):
                return False
            i = after
            continue
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            # a ']' first in the class ([]...], [^]...]) is a member, not the end
            first = i + 2 if pattern.startswith("[^", i) else i + 1
            close = pattern.find("]", first + 1 if pattern.startswith("]", first) else first)
            if close < 0 or "\\" in pattern[i:close]:
                return False
            i = close + 1
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    return depth == 0


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> _Compiled:
    if not _top_level(pattern) or _NUMBERED_BACKREFERENCE.search(pattern):
        return _Compiled(None, ())
    pieces = pattern.split(PLACEHOLDER)
    groups = tuple(f"_schemaprobe_table{i}" for i in range(len(pieces) - 1))
    text = pieces[0] + "".join(
        f"(?P<{g}>(?s:.*)){p}" for g, p in zip(groups, pieces[1:], strict=True)
    )
    try:
        return _Compiled(re.compile(text), groups)
    except re.error:
        return _Compiled(None, ())


@lru_cache(maxsize=1024)
def _exact(pattern: str, table: str) -> re.Pattern[str]:
    # a group: "{table}?" makes the whole name optional, and a name starting with a digit
    # cannot extend a back-reference before it (\1 then "2" is not \12)
    return re.compile(pattern.replace(PLACEHOLDER, f"(?:{re.escape(table)})"))


def matches(pattern: str, name: str, table: str) -> bool:
    """``name`` matches ``pattern`` in full, ``{table}`` standing for ``table`` literally."""
    if PLACEHOLDER not in pattern:
        return _exact(pattern, "").fullmatch(name) is not None
    compiled = _compiled(pattern)
    if compiled.free is not None:
        found = compiled.free.fullmatch(name)
        if found is None:
            return False
        if all(found.group(g) in (None, table) for g in compiled.groups):
            return True
    return _exact(pattern, table).fullmatch(name) is not None
