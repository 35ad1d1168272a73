"""Reading policy expressions: always-true predicates, owner guards, per-row auth calls.

Expressions arrive as PostgreSQL renders them (``pg_get_expr`` under ``search_path =
pg_catalog``: function names schema-qualified, ``(select auth.uid())`` shown as ``( SELECT
auth.uid() AS uid)``), so text tests stay simple. The owner-guard test parses with
sqlglot (imported on first use, results cached per expression: a synthetic 10,000-table
schema repeats the same few expressions 40,000 times).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["always_true", "guard_columns", "per_row_calls", "wrap_per_row_calls"]

_TRUE_FORMS = frozenset(("true", "(true)", "1=1", "(1=1)"))
_WHITESPACE = re.compile(r"\s")
# Functions whose value is the caller's identity: the same for every row of a statement.
_IDENTITY_FUNCTIONS = frozenset(("uid", "jwt", "role", "email", "current_setting"))
_PER_ROW = re.compile(r"\b(?:auth\.(?:uid|jwt|role|email)|current_setting)\(")
_SELECT_AFTER = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def always_true(expression: str | None) -> bool:
    """``true``/``1 = 1`` in any spacing or case (what splinter treats as always true)."""
    return expression is not None and _always_true(expression)


@lru_cache(maxsize=1 << 14)
def _always_true(expression: str) -> bool:
    # cached: a schema repeats a few policy texts over thousands of tables
    return _WHITESPACE.sub("", expression.lower()) in _TRUE_FORMS


def _strings_blanked(text: str) -> str:
    """``text`` with the contents of string literals replaced by spaces (same length)."""
    return re.sub(r"'(?:[^']|'')*'", lambda m: "'" + " " * (len(m[0]) - 2) + "'", text)


def _closing(text: str, start: int) -> int:
    """Index just past the parenthesis that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)


def _in_initplan(text: str, position: int) -> bool:
    """Whether ``position`` lies in a scalar subquery without FROM, ``( SELECT ...)``:
    PostgreSQL evaluates that once per statement (an InitPlan). A subquery with FROM runs
    its calls per row it reads, so it does not count."""
    opens: list[int] = []
    for i in range(position):
        if text[i] == "(":
            opens.append(i)
        elif text[i] == ")" and opens:
            opens.pop()
    for start in reversed(opens):
        if _SELECT_AFTER.match(text, start + 1):
            body = text[start : _closing(text, start)]
            return _FROM.search(body) is None
    return False


def _call_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each auth.*()/current_setting(...) call evaluated per row."""
    plain = _strings_blanked(text)
    spans: list[tuple[int, int]] = []
    for match in _PER_ROW.finditer(plain):
        if _in_initplan(plain, match.start()):
            continue
        spans.append((match.start(), _closing(plain, match.end() - 1)))
    return spans


@lru_cache(maxsize=8192)
def per_row_calls(expression: str | None) -> tuple[str, ...]:
    """The identity calls in ``expression`` that PostgreSQL evaluates once per row."""
    if not expression:
        return ()
    return tuple(expression[a:b] for a, b in _call_spans(expression))


@lru_cache(maxsize=8192)
def wrap_per_row_calls(expression: str) -> str:
    """``expression`` with each per-row identity call wrapped as ``(select call)``, so the
    planner runs it once per statement (an InitPlan) instead of once per row."""
    out: list[str] = []
    last = 0
    for start, end in _call_spans(expression):
        out += [expression[last:start], f"(select {expression[start:end]})"]
        last = end
    out.append(expression[last:])
    return "".join(out)


@lru_cache(maxsize=4096)
def guard_columns(expression: str) -> frozenset[str] | None:
    """Columns the predicate ties to the caller's identity (``user_id = auth.uid()``,
    ``team_id IN (SELECT ... WHERE user_id = auth.uid())``, ``owner = current_user``).

    ``None`` when the text does not parse; an empty set when nothing is tied to identity.
    """
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(expression, dialect="postgres")
    except SqlglotError:
        return None
    guards: set[str] = set()
    for node in tree.find_all(exp.EQ, exp.In):
        sides = [node.this, *(node.args.get(k) for k in ("expression", "query"))]
        sides += list(node.args.get("expressions") or ())
        present = [side for side in sides if side is not None]
        if not any(_is_identity(side) for side in present):
            continue
        for side in present:
            if not _is_identity(side):
                guards.update(_outer_columns(side))
    return frozenset(guards)


def _is_identity(node: exp.Expression) -> bool:
    from sqlglot import exp

    for found in node.find_all(exp.Anonymous, exp.CurrentUser, exp.SessionUser):
        if not isinstance(found, exp.Anonymous) or found.name.lower() in _IDENTITY_FUNCTIONS:
            return True
    return False


def _outer_columns(node: exp.Expression) -> set[str]:
    """Columns of ``node`` at its own query level (not inside a nested subquery)."""
    from sqlglot import exp

    level = node.find_ancestor(exp.Select)
    if isinstance(node, exp.Subquery | exp.Select):
        return set()
    return {c.name for c in node.find_all(exp.Column) if c.find_ancestor(exp.Select) is level}
