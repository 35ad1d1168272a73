"""Qualified names: the key of every catalog mapping, rendered the way PostgreSQL quotes.

``str(QualifiedName("public", "users"))`` is ``public.users``; a part is quoted only when
PostgreSQL's own ``quote_ident`` would quote it (capitals, spaces, quotes, non-ASCII,
keywords), with embedded double quotes doubled as ``psycopg.sql.Identifier`` does. That
makes names in messages readable and still valid SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from psycopg import sql

__all__ = ["QualifiedName", "quote_ident"]

# Keywords that are not UNRESERVED in PostgreSQL 13-18 (``pg_get_keywords()`` with
# ``catcode <> 'U'``, union over versions): quote_ident() quotes these. Using the union
# means a name like ``json`` is quoted even for an older server, which is still valid SQL.
_QUOTED_KEYWORDS = frozenset(
    (
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "between",
        "bigint",
        "binary",
        "bit",
        "boolean",
        "both",
        "case",
        "cast",
        "char",
        "character",
        "check",
        "coalesce",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "dec",
        "decimal",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "exists",
        "extract",
        "false",
        "fetch",
        "float",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "greatest",
        "group",
        "grouping",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "inout",
        "int",
        "integer",
        "intersect",
        "interval",
        "into",
        "is",
        "isnull",
        "join",
        "json",
        "json_array",
        "json_arrayagg",
        "json_exists",
        "json_object",
        "json_objectagg",
        "json_query",
        "json_scalar",
        "json_serialize",
        "json_table",
        "json_value",
        "lateral",
        "leading",
        "least",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "merge_action",
        "national",
        "natural",
        "nchar",
        "none",
        "normalize",
        "not",
        "notnull",
        "null",
        "nullif",
        "numeric",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "out",
        "outer",
        "overlaps",
        "overlay",
        "placing",
        "position",
        "precision",
        "primary",
        "real",
        "references",
        "returning",
        "right",
        "row",
        "select",
        "session_user",
        "setof",
        "similar",
        "smallint",
        "some",
        "substring",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "time",
        "timestamp",
        "to",
        "trailing",
        "treat",
        "trim",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "values",
        "varchar",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
        "xmlattributes",
        "xmlconcat",
        "xmlelement",
        "xmlexists",
        "xmlforest",
        "xmlnamespaces",
        "xmlparse",
        "xmlpi",
        "xmlroot",
        "xmlserialize",
        "xmltable",
    )
)

_SAFE = re.compile(r"[a-z_][a-z0-9_]*")


@lru_cache(maxsize=1 << 16)
def quote_ident(name: str) -> str:
    """Quote ``name`` only when PostgreSQL's ``quote_ident()`` would (cached: findings
    name the same columns and policies on thousands of tables).

    Example::

        >>> quote_ident("users"), quote_ident("Users"), quote_ident('a"b'), quote_ident("user")
        ('users', '"Users"', '"a""b"', '"user"')
    """
    if _SAFE.fullmatch(name) and name not in _QUOTED_KEYWORDS:
        return name
    return sql.Identifier(name).as_string()


@lru_cache(maxsize=1 << 17)
def _render(schema: str, name: str) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}"


@dataclass(frozen=True, slots=True, order=True)
class QualifiedName:
    """A schema-qualified object name; hashable, ordered, the key of catalog mappings."""

    schema: str
    name: str

    def __str__(self) -> str:
        return _render(self.schema, self.name)

    @property
    def identifier(self) -> sql.Identifier:
        """The name as a ``psycopg.sql.Identifier`` for composing SQL."""
        return sql.Identifier(self.schema, self.name)

    @classmethod
    def parse(cls, text: str, default_schema: str = "public") -> QualifiedName:
        """Split ``schema.name`` (either part may be double-quoted) into a name.

        Unquoted parts are folded to lower case, as PostgreSQL folds them.

        Example::

            >>> QualifiedName.parse('app."My Table"')
            QualifiedName(schema='app', name='My Table')
        """
        parts = _split_identifier(text)
        if len(parts) == 1:
            return cls(default_schema, parts[0])
        if len(parts) == 2:
            return cls(parts[0], parts[1])
        raise ValueError(f"not a qualified name: {text!r}")


def _split_identifier(text: str) -> list[str]:
    parts: list[str] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            j = i + 1
            chunk: list[str] = []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise ValueError(f"unterminated quoted identifier in {text!r}")
                chunk.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    chunk.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            parts.append("".join(chunk))
        else:
            k = text.find(".", i)
            end = n if k < 0 else k
            part = text[i:end].strip()
            if not part:
                raise ValueError(f"empty name part in {text!r}")
            parts.append(part.lower())
            i = end
        if i >= n:
            return parts
        if text[i] != ".":
            raise ValueError(f"unexpected {text[i]!r} in name {text!r}")
        i += 1
