"""SQL text without a server: sqlglot equivalence, type aliases, and the single-expression guard.

``equivalent`` is the last word after the server's canonical text (or the only one in a
read-only session). It parses both spellings with sqlglot's postgres dialect, rewrites
them into one normal form and compares the *trees* (``repr``), never regenerated text: a
tree without its parentheses still knows that ``(a + b) * 2`` is not ``a + (b * 2)``.

The normal form undoes what PostgreSQL's deparser does to an expression, and what a
person spells freely: redundant parentheses, ``BETWEEN`` (→ ``>= AND <=``), ``= ANY
(ARRAY[...])`` and ``<> ALL (ARRAY[...])`` (→ ``IN`` / ``NOT IN``, list sorted, one item
→ ``=``), casts of literals (``'a'::text`` → ``'a'``, ``'-1'::integer`` → ``-1``), textual
casts of columns and arrays (``(status)::text`` → ``status``, because the server adds them
around ``varchar`` columns), ``<``/``<=`` turned round into ``>``/``>=``, ``x = true`` (→
``x``), ``NOT`` pushed inwards (De Morgan, negated comparisons), operand order of ``=``,
``<>``, ``IS [NOT] DISTINCT FROM``, ``AND`` and ``OR``, identifier case and quotes,
aliases of subquery outputs (``( SELECT auth.uid() AS uid)``), and whatever sqlglot's
``simplify`` proves. It does not know column types, the search path or function bodies:
``members`` is not ``public.members``, ``now()`` is not ``statement_timestamp()``,
``'1 day'::interval`` is not ``'24:00:00'::interval``, ``a + b`` is not ``b + a``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Literal, cast

import sqlglot
from sqlglot import exp
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.simplify import simplify

__all__ = ["equivalent", "expression_problem", "normalize_type", "type_problem"]

EquivalenceKind = Literal[
    "check",
    "default",
    "generated",
    "index_expression",
    "index_predicate",
    "policy_using",
    "policy_with_check",
    "trigger_when",
    "type",
]


def equivalent(kind: EquivalenceKind, a: str, b: str) -> bool:
    """Whether two spellings of an expression (or a type, ``kind="type"``) mean the same.

    Never raises: text sqlglot cannot parse is simply not equivalent (unless identical).

    Example::

        >>> equivalent("check", "status IN ('a','b')", "(status = ANY (ARRAY['a'::text]))")
        False
        >>> equivalent("check", "x BETWEEN 0 AND 5", "((x >= 0) AND (x <= 5))")
        True
    """
    if a == b:
        return True
    if kind == "type":
        return normalize_type(a) == normalize_type(b)
    try:
        return repr(_normal(a)) == repr(_normal(b))
    except Exception:  # sqlglot raises many kinds of errors on unusual SQL
        return False


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

_TYPE_NAMES = {
    "int": "integer",
    "int4": "integer",
    "serial": "integer",
    "serial4": "integer",
    "int2": "smallint",
    "smallserial": "smallint",
    "serial2": "smallint",
    "int8": "bigint",
    "bigserial": "bigint",
    "serial8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char varying": "character varying",
    "char": "character",
    "decimal": "numeric",
    "dec": "numeric",
    "varbit": "bit varying",
    "timestamptz": "timestamp with time zone",
    "timetz": "time with time zone",
}
_TYPE = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_$ ]*?)\s*(?:\(\s*(?P<mod>[^()]*?)\s*\))?"
    r"\s*(?P<zone>with(?:out)?\s+time\s+zone)?(?P<array>(?:\s*\[\s*\d*\s*\]|\s+array)*)$"
)


def normalize_type(text: str) -> str:
    """The ``format_type`` spelling of a built-in type, computed without a server.

    User types, domains and anything unrecognised come back lower-cased and unqualified
    only of ``pg_catalog.``: only the server knows their schema.

    Example::

        >>> normalize_type("varchar(255)"), normalize_type("TIMESTAMPTZ(3)")
        ('character varying(255)', 'timestamp(3) with time zone')
    """
    lowered = " ".join(text.strip().split()).lower() if '"' not in text else text.strip()
    lowered = lowered.removeprefix("pg_catalog.")
    match = _TYPE.match(lowered)
    if match is None:
        return lowered
    name = _TYPE_NAMES.get(match["name"], match["name"])
    mod = (match["mod"] or "").replace(" ", "")
    zone = "with time zone" if name.endswith("with time zone") else (match["zone"] or "")
    name = name.removesuffix(" with time zone").removesuffix(" without time zone")
    suffix = "[]" if match["array"] else ""
    if name in ("timestamp", "time"):
        zone = " ".join(zone.split()) or "without time zone"
        return f"{name}{f'({mod})' if mod else ''} {zone}{suffix}"
    if name == "float":
        name = "real" if mod and mod.isdigit() and int(mod) <= 24 else "double precision"
        mod = ""
    elif name in ("character", "bit") and not mod:
        mod = "1"
    elif name == "numeric" and mod.isdigit():
        mod += ",0"
    return f"{name}{f'({mod})' if mod else ''}{suffix}"


# -- what may go into DDL ----------------------------------------------------------------

_IDENT_START = re.compile(r"[A-Za-z_\x80-\U0010ffff]")
_IDENT = re.compile(r"[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_$\x80-\U0010ffff]*")
_NUMBER = re.compile(r"\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?")
_DOLLAR = re.compile(r"\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z0-9_\x80-\U0010ffff]*)?\$")


def expression_problem(text: str) -> str | None:
    """Why ``text`` cannot be placed between parentheses in DDL as one expression, or ``None``.

    The text is SQL by design, so it is not escaped; instead it must stay inside the
    parentheses that wrap it: no ``;`` outside literals, comments and quoted names (a
    second statement), parentheses balanced (nothing after the wrapper's close). The
    scanner follows PostgreSQL's lexer with ``standard_conforming_strings = on``, which
    the canonicaliser sets: ``'..'`` with doubled quotes, ``E'..'`` with backslash
    escapes, ``"..."``, ``$tag$..$tag$``, ``--`` and nested ``/* */`` comments.
    """
    depth = 0
    i, n = 0, len(text)
    if "\x00" in text:
        return "contains a NUL character"
    while i < n:
        ch = text[i]
        if text.startswith("--", i):
            end = min((p for p in (text.find("\n", i), text.find("\r", i)) if p >= 0), default=n)
            i = end
            continue
        if text.startswith("/*", i):
            i = _skip_comment(text, i)
            if i < 0:
                return "unterminated /* comment"
            continue
        if ch in "'\"":
            i = _skip_quoted(text, i, backslashes=False)
        elif _IDENT_START.match(ch):
            word = _IDENT.match(text, i)
            assert word is not None
            i = word.end()
            if word.group() in ("e", "E") and i < n and text[i] == "'":
                i = _skip_quoted(text, i, backslashes=True)
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            number = _NUMBER.match(text, i)
            i = number.end() if number else i + 1
        elif ch == "$" and (dollar := _DOLLAR.match(text, i)) is not None:
            close = text.find(dollar.group(), dollar.end())
            i = close + len(dollar.group()) if close >= 0 else -1
        else:
            if ch == ";":
                return "not a single expression (';' outside a literal)"
            depth += ch == "("
            depth -= ch == ")"
            if depth < 0:
                return "not a single expression (unbalanced parentheses)"
            i += 1
        if i < 0:
            return "unterminated quoted text"
    return None if depth == 0 else "not a single expression (unbalanced parentheses)"


def _skip_quoted(text: str, i: int, *, backslashes: bool) -> int:
    quote = text[i]
    j, n = i + 1, len(text)
    while j < n:
        ch = text[j]
        if backslashes and ch == "\\":
            j += 2
            continue
        if ch == quote:
            if j + 1 < n and text[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return -1


def _skip_comment(text: str, i: int) -> int:
    depth, j, n = 0, i, len(text)
    while j < n:
        if text.startswith("/*", j):
            depth += 1
            j += 2
        elif text.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    return -1


# Words a type name may have after its first word (``double precision``, ``timestamp(3)
# with time zone``, ``interval day to second``, ``integer array``).
_TYPE_WORDS = frozenset(
    (
        *("precision", "varying", "with", "without", "time", "zone", "to", "array"),
        *("year", "month", "day", "hour", "minute", "second", "character", "char", "national"),
    )
)
_TYPE_TOKEN = re.compile(
    r'\s+|"(?:[^"]|"")+"|[A-Za-z_\x80-\U0010ffff][\w$\x80-\U0010ffff]*|'
    r"\d+|[().,\[\]+-]"
)


def type_problem(text: str) -> str | None:
    """Why ``text`` is not a type name that may follow a column name in DDL, or ``None``.

    Anything after the name other than type modifiers, array brackets and the words of
    multi-word built-in names (``with time zone``) is refused, so a "type" cannot carry
    a column constraint such as ``REFERENCES`` along.
    """
    pos, depth, named, n = 0, 0, False, len(text)
    while pos < n:
        token = _TYPE_TOKEN.match(text, pos)
        if token is None:
            return f"not a type name (unexpected {text[pos]!r})"
        pos, word = token.end(), token.group()
        if word.isspace():
            continue
        if word in "()":
            depth += 1 if word == "(" else -1
            if depth < 0:
                return "not a type name (unbalanced parentheses)"
        elif depth == 0 and (word[0] == '"' or _IDENT_START.match(word)):
            if (
                named
                and word.lower() not in _TYPE_WORDS
                and not text[: token.start()].rstrip().endswith(".")
            ):
                return f"not a type name ({word!r} after the name)"
            named = True
    if depth:
        return "not a type name (unbalanced parentheses)"
    return None if named else "not a type name"
