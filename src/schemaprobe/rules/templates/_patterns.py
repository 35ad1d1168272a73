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
from functools import lru_cache

__all__ = ["PLACEHOLDER", "matches"]

PLACEHOLDER = "{table}"
_QUANTIFIERS = frozenset("*+?{")
# what could tie one piece to another: back-references, look-arounds, conditionals
_ACROSS_PIECES = re.compile(r"\\[1-9]|\\g|\(\?P=|\(\?<?[=!]|\(\?\(")
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


def _split_match(pieces: tuple[re.Pattern[str], ...], name: str, table: str, at: int) -> bool:
    """``name[at:]`` is ``pieces[0]`` + table + ``pieces[1]`` + ... in full."""
    first, rest = pieces[0], pieces[1:]
    if not rest:
        return first.fullmatch(name, at) is not None
    found = name.find(table, at)
    while found >= 0:
        if first.fullmatch(name, at, found) and _split_match(rest, name, table, found + len(table)):
            return True
        found = name.find(table, found + 1)
    return False


@lru_cache(maxsize=1024)
def _exact(pattern: str, table: str) -> re.Pattern[str]:
    # a group: "{table}?" makes the whole name optional, and a name starting with a digit
    # cannot extend a back-reference before it (\1 then "2" is not \12)
    return re.compile(pattern.replace(PLACEHOLDER, f"(?:{re.escape(table)})"))


def matches(pattern: str, name: str, table: str) -> bool:
    """``name`` matches ``pattern`` in full, ``{table}`` standing for ``table`` literally."""
    if PLACEHOLDER not in pattern:
        return _exact(pattern, "").fullmatch(name) is not None
    pieces = _pieces(pattern)
    if pieces is not None and table:
        return _split_match(pieces, name, table, 0)
    return _exact(pattern, table).fullmatch(name) is not None
