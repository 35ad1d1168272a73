"""What a CHECK expression says about its columns, read with sqlglot (postgres dialect).

Two uses, both best effort (anything not understood is simply not steered):

- **Hints** for generation: the constants a CHECK compares its columns with (bounds,
  BETWEEN ends, IN members, length bounds), ``IS [NOT] NULL``, and column-to-column
  comparisons. Strategies turn them into edge values (``b-1, b, b+1``; near-miss
  spellings of members) where a wrong boundary shows.
- A small **local evaluator** with SQL's three-valued logic over plain Python values, so
  the row factory can prefer values a CHECK accepts without a round trip. It answers
  ``UNKNOWN`` for anything it cannot decide (collation-dependent text order, casts,
  functions); the server stays the judge of every verdict that matters.

Both the spec's text and the live ``pg_get_expr`` text go through here: the live text
names constants the spec may lack (an IN-list value added in the database).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

import sqlglot
from sqlglot import expressions as exp

__all__ = ["UNKNOWN", "Analysis", "Endless", "Hint", "analyse", "evaluate"]


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True, slots=True)
class Endless:
    """A date's or timestamp's ``'infinity'`` (``sign`` 1) or ``'-infinity'`` (-1): after
    (before) every finite moment and equal to itself, as PostgreSQL orders them. Without it
    ``window_end > window_start`` over two infinities was unknown, and the row factory let
    through rows the server refuses."""

    sign: int


def _moment_key(value: date | Endless) -> tuple[int, object]:
    return (value.sign, 0) if isinstance(value, Endless) else (0, value)


def _comparable_moments(left: object, right: object) -> bool:
    kinds = (date, Endless)  # datetime is a date
    if not (isinstance(left, kinds) and isinstance(right, kinds)):
        return False
    return isinstance(left, Endless) or isinstance(right, Endless) or type(left) is type(right)


Truth = bool | None | _Unknown
Scalar = int | Decimal | float | str | bool | None

HintKind = Literal["number", "text", "length", "null", "member"]


@dataclass(frozen=True, slots=True)
class Hint:
    """A constant a column is compared with: ``number``/``text`` bounds, an IN ``member``,
    a ``length`` bound, or ``null`` (``IS [NOT] NULL``)."""

    kind: HintKind
    value: Decimal | str | int | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The parsed expression (``None`` if sqlglot could not read it) and what it tells."""

    text: str
    tree: exp.Expression | None
    columns: frozenset[str] = frozenset()
    hints: Mapping[str, tuple[Hint, ...]] = field(default_factory=dict)
    pairs: tuple[tuple[str, str], ...] = ()
    """Columns compared with each other (``window_end > window_start``)."""
    finite: frozenset[str] = frozenset()
    """Columns this expression, as a conjunction, limits to its members (``IN``, ``=``)."""


def _column_name(node: exp.Column) -> str:
    ident = node.this
    if isinstance(ident, exp.Identifier):
        return str(ident.this) if ident.quoted else str(ident.this).lower()
    return str(node.name).lower()


def _unwrap(node: exp.Expression) -> exp.Expression:
    while isinstance(node, (exp.Paren, exp.Cast)) and isinstance(node.this, exp.Expression):
        node = node.this
    return node


def _constant(node: exp.Expression) -> Decimal | str | None:
    node = _unwrap(node)
    negative = False
    if isinstance(node, exp.Neg):
        negative, node = True, _unwrap(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return None if negative else str(node.this)
        try:
            number = Decimal(str(node.this))
        except InvalidOperation:
            return None
        return -number if negative else number
    return None


def _members(node: exp.Expression) -> list[exp.Expression] | None:
    """``x IN (a, b)`` and ``x = ANY (ARRAY[a, b])``: the list, else ``None``."""
    if isinstance(node, exp.In):
        return list(node.expressions)
    if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
        inner = _unwrap(node.expression.this)
        if isinstance(inner, exp.Array):
            return list(inner.expressions)
    return None


_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


class _Collector:
    def __init__(self) -> None:
        self.hints: dict[str, list[Hint]] = {}
        self.pairs: list[tuple[str, str]] = []

    def add(self, column: str, hint: Hint) -> None:
        found = self.hints.setdefault(column, [])
        if hint not in found:
            found.append(hint)

    def subject(self, node: exp.Expression) -> tuple[str, bool] | None:
        """The column a side names, and whether through ``length()``."""
        node = _unwrap(node)
        if isinstance(node, exp.Column):
            return _column_name(node), False
        if isinstance(node, exp.Length) and isinstance(node.this, exp.Expression):
            inner = _unwrap(node.this)
            if isinstance(inner, exp.Column):
                return _column_name(inner), True
        return None

    def bound(self, side: exp.Expression, value: exp.Expression) -> None:
        subject = self.subject(side)
        constant = _constant(value)
        if subject is None or constant is None:
            return
        column, through_length = subject
        if through_length:
            if isinstance(constant, Decimal) and constant == constant.to_integral_value():
                self.add(column, Hint("length", int(constant)))
        elif isinstance(constant, Decimal):
            self.add(column, Hint("number", constant))
        else:
            self.add(column, Hint("text", constant))

    def visit(self, node: exp.Expression) -> None:
        members = _members(node)
        if members is not None:
            subject = self.subject(node.this)
            if subject is not None and not subject[1]:
                for member in members:
                    constant = _constant(member)
                    if constant is not None:
                        self.add(subject[0], Hint("member", constant))
        elif isinstance(node, exp.Between):
            self.bound(node.this, node.args["low"])
            self.bound(node.this, node.args["high"])
        elif isinstance(node, _COMPARISONS):
            left, right = node.this, node.expression
            self.bound(left, right)
            self.bound(right, left)
            a, b = self.subject(left), self.subject(right)
            if a and b and not a[1] and not b[1] and a[0] != b[0]:
                self.pairs.append((a[0], b[0]))
        elif isinstance(node, exp.Is):
            subject = self.subject(node.this)
            if subject is not None:
                self.add(subject[0], Hint("null"))
        for child in node.iter_expressions():
            self.visit(child)


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    node = _unwrap(node)
    if isinstance(node, exp.And):
        return [*_conjuncts(node.this), *_conjuncts(node.expression)]
    return [node]


def _finite_columns(tree: exp.Expression) -> frozenset[str]:
    found: set[str] = set()
    for part in _conjuncts(tree):
        members = _members(part)
        subject = _unwrap(part.this) if isinstance(part, (exp.In, exp.EQ)) else None
        if isinstance(subject, exp.Column) and (
            members is not None or (isinstance(part, exp.EQ) and _constant(part.expression))
        ):
            found.add(_column_name(subject))
    return frozenset(found)


@functools.lru_cache(maxsize=1024)
def analyse(text: str) -> Analysis:
    """Parse ``text`` and collect its hints; an unreadable expression gives no hints."""
    try:
        parsed = sqlglot.parse_one(text, read="postgres")
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
        return Analysis(text, None)
    if not isinstance(parsed, exp.Expression):
        return Analysis(text, None)
    tree: exp.Expression = parsed
    collector = _Collector()
    collector.visit(tree)
    columns = frozenset(_column_name(c) for c in tree.find_all(exp.Column))
    return Analysis(
        text=text,
        tree=tree,
        columns=columns,
        hints={k: tuple(v) for k, v in collector.hints.items()},
        pairs=tuple(dict.fromkeys(collector.pairs)),
        finite=_finite_columns(tree),
    )


# -- local evaluation ---------------------------------------------------------------------


def _and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if a is None or b is None:
        return None
    return True


def _or(a: Truth, b: Truth) -> Truth:
    if a is True or b is True:
        return True
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if a is None or b is None:
        return None
    return False


def _not(a: Truth) -> Truth:
    return a if a is None or a is UNKNOWN else not a


def _compare(node: exp.Expression, left: object, right: object) -> Truth:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if left is None or right is None:
        return None
    numeric = (int, Decimal, float)
    if isinstance(left, numeric) and isinstance(right, numeric) and not isinstance(left, bool):
        a, b = Decimal(left), Decimal(right)
        if a.is_nan() or b.is_nan() or a.is_infinite() or b.is_infinite():
            return UNKNOWN
    elif isinstance(left, str) and isinstance(right, str):
        if not isinstance(node, (exp.EQ, exp.NEQ)):
            return UNKNOWN  # order depends on the collation
        a, b = left, right  # type: ignore[assignment]
    elif _comparable_moments(left, right):
        a, b = _moment_key(left), _moment_key(right)  # type: ignore[arg-type, assignment]
    else:
        return UNKNOWN
    if isinstance(node, exp.EQ):
        return a == b
    if isinstance(node, exp.NEQ):
        return a != b
    if isinstance(node, exp.GT):
        return a > b
    if isinstance(node, exp.GTE):
        return a >= b
    if isinstance(node, exp.LT):
        return a < b
    return a <= b


def _value(node: exp.Expression, row: Mapping[str, object]) -> object:
    node = _unwrap(node)
    if isinstance(node, exp.Column):
        return row.get(_column_name(node), UNKNOWN)
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, (exp.Literal, exp.Neg)):
        constant = _constant(node)
        return UNKNOWN if constant is None else constant
    if isinstance(node, exp.Length):
        inner = _value(node.this, row)
        if isinstance(inner, str):
            return len(inner)
        return None if inner is None else UNKNOWN
    return _truth(node, row)


def _truth(node: exp.Expression, row: Mapping[str, object]) -> Truth:
    node = _unwrap(node)
    members = _members(node)
    if members is not None:
        subject = _value(node.this, row)
        result: Truth = False
        for member in members:
            result = _or(result, _compare(exp.EQ(), subject, _value(member, row)))
        return result
    if isinstance(node, exp.And):
        return _and(_truth(node.this, row), _truth(node.expression, row))
    if isinstance(node, exp.Or):
        return _or(_truth(node.this, row), _truth(node.expression, row))
    if isinstance(node, exp.Not):
        return _not(_truth(node.this, row))
    if isinstance(node, _COMPARISONS):
        return _compare(node, _value(node.this, row), _value(node.expression, row))
    if isinstance(node, exp.Between):
        if node.args.get("symmetric"):
            return UNKNOWN
        value = _value(node.this, row)
        low = _compare(exp.GTE(), value, _value(node.args["low"], row))
        high = _compare(exp.LTE(), value, _value(node.args["high"], row))
        return _and(low, high)
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        value = _value(node.this, row)
        if value is UNKNOWN:
            return UNKNOWN
        is_null = value is None
        return not is_null if node.args.get("negate") else is_null
    if isinstance(node, exp.Column):
        value = row.get(_column_name(node), UNKNOWN)
        return value if isinstance(value, bool) or value is None else UNKNOWN
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    return UNKNOWN


def evaluate(analysis: Analysis, row: Mapping[str, object]) -> Truth:
    """The expression over ``row`` (column -> Python value; missing columns are unknown):
    ``True``, ``False``, ``None`` (SQL NULL) or :data:`UNKNOWN`."""
    if analysis.tree is None:
        return UNKNOWN
    return _truth(analysis.tree, row)
