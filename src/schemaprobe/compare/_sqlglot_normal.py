"""The sqlglot half of :func:`schemaprobe.compare._sqlnorm.equivalent`: parse and normalise.

Kept apart so that importing the comparison engine does not import sqlglot (a fifth of a
second): most checks never need it, because the text already matches.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import cast

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.simplify import simplify

__all__ = ["normal"]


# -- expressions ------------------------------------------------------------------------

# sqlglot 30 splits its node base class (Expr) from Expression; older releases have one.
_NODE: type[exp.Expr] = getattr(exp, "Expr", exp.Expression)
_TEXTUAL = frozenset({exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR})


def _normal(text: str) -> exp.Expr:
    tree = sqlglot.parse_one(text, dialect="postgres")
    tree = normalize_identifiers(tree, dialect="postgres")
    tree = _bottom_up(tree, _rewrite)
    # simplify proves more rewrites (NOT a > 0 is a <= 0) but is not needed to compare.
    with contextlib.suppress(Exception):
        tree = simplify(tree, dialect="postgres")
    return _bottom_up(tree, _rewrite)


def _bottom_up(node: exp.Expr, rewrite: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    for key, value in list(node.args.items()):
        if isinstance(value, _NODE):
            node.set(key, _bottom_up(value, rewrite))
        elif isinstance(value, list):
            node.set(key, [_bottom_up(v, rewrite) if isinstance(v, _NODE) else v for v in value])
    return rewrite(node)


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Paren):
        return cast("exp.Expr", node.this)
    if isinstance(node, exp.Identifier):
        node.set("quoted", False)  # case is already settled by normalize_identifiers
        return node
    if isinstance(node, exp.Anonymous) and isinstance(node.this, str):
        node.set("this", node.this.lower())
        return node
    if isinstance(node, exp.Neg) and _is_number(node.this):
        return exp.Literal.number(_number("-" + node.this.name))
    if isinstance(node, exp.Cast):
        return _uncast(node)
    if isinstance(node, exp.Not):
        return _negated(node.this)
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        low = exp.GTE(this=node.this.copy(), expression=node.args["low"])
        return exp.And(this=low, expression=exp.LTE(this=node.this, expression=node.args["high"]))
    if isinstance(node, (exp.EQ, exp.NEQ)) and (items := _array_operand(node)) is not None:
        return _membership(node.this, items, negated=isinstance(node, exp.NEQ))
    if isinstance(node, (exp.EQ, exp.NEQ)) and (truth := _against_boolean(node)) is not None:
        return truth
    if isinstance(node, exp.In) and node.expressions and not node.args.get("query"):
        return _membership(node.this, node.expressions, negated=False)
    if isinstance(node, exp.Select) and _in_expression(node):
        node.set(
            "expressions", [e.this if isinstance(e, exp.Alias) else e for e in node.expressions]
        )
        return node
    if isinstance(node, (exp.LT, exp.LTE)):
        flipped = exp.GT if isinstance(node, exp.LT) else exp.GTE
        return flipped(this=node.expression, expression=node.this)
    if isinstance(node, (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.NullSafeNEQ)):
        left, right = sorted((node.this, node.expression), key=repr)
        return type(node)(this=left, expression=right)
    if isinstance(node, exp.Connector):
        return _sorted_connective(node)
    return node


def _in_expression(select: exp.Select) -> bool:
    """A subquery used as a value (scalar, ``EXISTS``, ``IN``), not a derived table."""
    outer = select.parent.parent if isinstance(select.parent, exp.Subquery) else select.parent
    return not isinstance(outer, (exp.From, exp.Join))


def _is_number(node: object) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string


def _number(text: str) -> str:
    try:
        return str(int(text))
    except ValueError:
        return text


_OPPOSITE: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.GT: exp.LTE,
    exp.GTE: exp.LT,
    exp.LT: exp.GTE,
    exp.LTE: exp.GT,
    exp.EQ: exp.NEQ,
    exp.NEQ: exp.EQ,
}


def _negated(node: exp.Expr) -> exp.Expr:
    """``NOT node`` pushed inwards (De Morgan; valid in three-valued logic too)."""
    if isinstance(node, exp.Not):
        return cast("exp.Expr", node.this)
    if isinstance(node, (exp.And, exp.Or)):
        dual = exp.Or if isinstance(node, exp.And) else exp.And
        return _rewrite(dual(this=_negated(node.this), expression=_negated(node.expression)))
    opposite = _OPPOSITE.get(type(node))
    if opposite is not None:
        return _rewrite(opposite(this=node.this, expression=node.expression))
    return exp.Not(this=node)


def _uncast(node: exp.Cast) -> exp.Expr:
    """Drop casts that only restate a literal's type or a column's textual type."""
    inner, to = node.this, node.to
    if isinstance(inner, exp.Null):
        return inner
    if isinstance(inner, exp.Literal):
        if to.this in exp.DataType.NUMERIC_TYPES and re.fullmatch(r"[+-]?\d+(\.\d*)?", inner.name):
            return exp.Literal.number(_number(inner.name.lstrip("+")))
        return inner
    textual = to.this in _TEXTUAL and not to.expressions
    if textual and isinstance(inner, (exp.Column, exp.Dot)):
        return inner
    element = to.expressions[0] if to.this == exp.DataType.Type.ARRAY and to.expressions else None
    if (
        isinstance(inner, exp.Array)
        and isinstance(element, exp.DataType)
        and element.this in _TEXTUAL
        and not element.expressions
    ):
        return inner
    return node


def _against_boolean(node: exp.EQ | exp.NEQ) -> exp.Expr | None:
    """``x = true`` is ``x`` and ``x = false`` is ``NOT x``, NULL included; else ``None``."""
    for this, other in ((node.this, node.expression), (node.expression, node.this)):
        if isinstance(other, exp.Boolean):
            if other.this != isinstance(node, exp.NEQ):
                return cast("exp.Expr", this)
            return _negated(this)
    return None


def _array_operand(node: exp.Binary) -> list[exp.Expr] | None:
    """The items of ``= ANY (ARRAY[...])`` or ``<> ALL (ARRAY[...])``, else ``None``."""
    right = node.expression
    wrapper = exp.Any if isinstance(node, exp.EQ) else exp.All
    if isinstance(right, wrapper):
        array = right.this
    elif isinstance(right, exp.Anonymous) and str(right.this).lower() == (
        "any" if isinstance(node, exp.EQ) else "all"
    ):
        array = right.expressions[0] if len(right.expressions) == 1 else None
    else:
        return None
    return list(array.expressions) if isinstance(array, exp.Array) else None


def _membership(subject: exp.Expr, items: list[exp.Expr], *, negated: bool) -> exp.Expr:
    unique = sorted({repr(item): item for item in items}.items())
    if len(unique) == 1:
        one = unique[0][1]
        compare: exp.Expr = (exp.NEQ if negated else exp.EQ)(this=subject, expression=one)
        return _rewrite(compare)
    result: exp.Expr = exp.In(this=subject, expressions=[item for _, item in unique])
    return exp.Not(this=result) if negated else result


def _sorted_connective(node: exp.Connector) -> exp.Expr:
    kind = type(node)
    operands: dict[str, exp.Expr] = {}
    stack: list[exp.Expr] = [node]
    while stack:
        current = stack.pop()
        if type(current) is kind:
            stack.extend((current.this, current.expression))
        else:
            operands.setdefault(repr(current), current)
    ordered = [operands[key] for key in sorted(operands)]
    result = ordered[0]
    for operand in ordered[1:]:
        result = kind(this=result, expression=operand)
    return result


# -- types ------------------------------------------------------------------------------


def normal(text: str) -> object:
    """The normal form of one expression's text (raises on text sqlglot cannot parse)."""
    return _normal(text)
