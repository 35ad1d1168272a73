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

import re
from typing import Literal

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
    from schemaprobe.compare._sqlglot_normal import normal

    try:
        return repr(normal(a)) == repr(normal(b))
    except Exception:  # sqlglot raises many kinds of errors on unusual SQL
        return False


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
