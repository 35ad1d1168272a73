"""Fix SQL for findings, composed with ``psycopg.sql`` so every identifier is quoted.

Fixes are rendered without a connection (``as_string()``): identifiers always come out
double-quoted, which is valid for any name (capitals, spaces, quotes, unicode) even if
a little noisier than ``quote_ident`` would make them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from psycopg import sql

from schemaprobe.introspect.model import PUBLIC, Function, QualifiedName

if TYPE_CHECKING:
    from typing_extensions import LiteralString

__all__ = ["function_ref", "grantees", "ident", "name", "render", "template"]


def template(text: LiteralString, *args: sql.Composable) -> str:
    """``text`` with ``{}`` placeholders filled by ``args``, rendered."""
    return render(sql.SQL(text).format(*args))


def render(composable: sql.Composable) -> str:
    return composable.as_string()


@lru_cache(maxsize=1 << 17)
def ident(*parts: str) -> str:
    """``"schema"."name"``: exactly what ``sql.Identifier(*parts).as_string()`` renders
    without a connection (each part double-quoted, inner quotes doubled: psycopg's
    ``Identifier._escape_identifier``; a test holds the two equal on awkward names).

    Written out because fixes are made by the ten thousand: ``sql.SQL.format`` costs
    ~50 us a fix and ``Identifier.as_string`` ~6 us a name, which over the 30,000 indexes
    and 40,000 policies of a 10,000-table audit was a third of a second even cached (the
    names are nearly all distinct); this is ~0.5 us, and the cache makes a repeated
    name (a policy name on every table) cheaper still.
    """
    return ".".join(['"' + part.replace('"', '""') + '"' for part in parts])


def name(qualified: QualifiedName) -> sql.Identifier:
    return qualified.identifier


def function_ref(function: Function) -> sql.Composable:
    """``"schema"."name"(identity arguments)``: the arguments are PostgreSQL's own
    rendering (``pg_get_function_identity_arguments``), already valid, quoted SQL."""
    return sql.Composed(
        [function.name.identifier, sql.SQL("("), _server_text(function.arguments), sql.SQL(")")]
    )


def grantees(roles: tuple[str, ...]) -> sql.Composable:
    """``PUBLIC, "anon"``: the pseudo-role as a keyword, real roles as identifiers."""
    parts = [sql.SQL("PUBLIC") if role == PUBLIC else sql.Identifier(role) for role in roles]
    return sql.SQL(", ").join(parts)


def _server_text(text: str) -> sql.Composable:
    """Text the server rendered as SQL itself (an argument list, a type): trusted as is."""
    return sql.SQL(text)
