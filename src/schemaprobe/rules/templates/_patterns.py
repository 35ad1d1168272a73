"""Name patterns with a ``{table}`` placeholder, matched in full, without compiling one
regular expression per table.

Compiling costs ~90 us, so a pattern per table and kind would cost seconds at 10,000
tables. Where every placeholder stands at the top level of the pattern (outside
parentheses, not quantified, no top-level ``|``, no back-reference or look-around that
could reach across it), the pattern is the concatenation ``P0 {table} P1 ... Pk``, and a
name matches it in full exactly when it splits into ``p0 + table + p1 + ... + pk`` with
each ``Pi`` matching its ``pi`` in full. So the pieces are compiled once (global inline
flags such as ``(?i)`` carried to each) and a name is tried at each place the table's
name occurs in it: exact, and no compile per table. Any other pattern is decided by the
exact expression, compiled for that table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

__all__ = ["PLACEHOLDER", "matches"]

PLACEHOLDER = "{table}"
_QUANTIFIERS = frozenset("*+?{")
# what could tie one piece to another: back-references, look-arounds, conditionals
_ACROSS_PIECES = re.compile(r"\\[1-9]|\\g|\(\?P=|\(\?<?[=!]|\(\?\(")
#: a name -> truthy when it matches (a bool, or a ``re.Match``)
Matcher = Callable[[str], Any]
_AT_END = re.compile(r"\$|\\[ZbB]")
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


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
        if ch == "|" and not depth:
            return False
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    return depth == 0


@lru_cache(maxsize=256)
def _pieces(pattern: str) -> tuple[re.Pattern[str], ...] | None:
    """The pattern's pieces between placeholders, compiled; ``None``: not splittable."""
    flags = _GLOBAL_FLAGS.match(pattern)
    prefix = flags.group(0) if flags else ""
    body = pattern[len(prefix) :]
    # (?i) would match the table's name in any case, which a plain find does not
    if "i" in prefix or not _top_level(body) or _ACROSS_PIECES.search(body):
        return None
    texts = body.split(PLACEHOLDER)
    # a piece before a placeholder is matched up to where the table's name starts, and
    # an end anchor or word boundary would see that as the end of the name
    if any(_AT_END.search(text) for text in texts[:-1]):
        return None
    try:
        return tuple(re.compile(prefix + text) for text in texts)
    except re.error:
        return None


def _split_match(
    pieces: tuple[re.Pattern[str], ...], table: str, name: str, at: int = 0, piece: int = 0
) -> bool:
    """``name[at:]`` is ``pieces[piece]`` + table + ``pieces[piece + 1]`` + ... in full."""
    if piece == len(pieces) - 1:
        return pieces[piece].fullmatch(name, at) is not None
    found = name.find(table, at)
    while found >= 0:
        if pieces[piece].fullmatch(name, at, found) and _split_match(
            pieces, table, name, found + len(table), piece + 1
        ):
            return True
        found = name.find(table, found + 1)
    return False


def _one_placeholder(head: re.Pattern[str], tail: re.Pattern[str], table: str) -> Matcher:
    """The common case (``{table}_pkey``, ``idx_{table}_.+``) without recursion."""
    size = len(table)

    def match(name: str) -> bool:
        found = name.find(table)
        while found >= 0:
            if head.fullmatch(name, 0, found) and tail.fullmatch(name, found + size):
                return True
            found = name.find(table, found + 1)
        return False

    return match


@lru_cache(maxsize=1024)
def _exact(pattern: str, table: str) -> re.Pattern[str]:
    # a group: "{table}?" makes the whole name optional, and a name starting with a digit
    # cannot extend a back-reference before it (\1 then "2" is not \12)
    return re.compile(pattern.replace(PLACEHOLDER, f"(?:{re.escape(table)})"))


def matcher(pattern: str, table: str) -> Matcher:
    """``matches(pattern, name, table)`` as a function of ``name`` alone, its result
    truthy for a match, with the lookups done once: a judge asks it of every column,
    index and policy of a table, some 200,000 names at 10,000 tables."""
    if PLACEHOLDER not in pattern:
        return _exact(pattern, "").fullmatch
    pieces = _pieces(pattern)
    if pieces is None or not table:
        return _exact(pattern, table).fullmatch
    if len(pieces) == 2:
        return _one_placeholder(pieces[0], pieces[1], table)
    return partial(_split_match, pieces, table)


def matches(pattern: str, name: str, table: str) -> bool:
    """``name`` matches ``pattern`` in full, ``{table}`` standing for ``table`` literally."""
    return bool(matcher(pattern, table)(name))
