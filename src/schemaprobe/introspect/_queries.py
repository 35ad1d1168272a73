"""The catalog queries: package ``.sql`` files plus version-specific SQL fragments.

Each ``queries/<kind>.sql`` file holds one query. Where catalogs differ between
PostgreSQL 13 and 18 the file has a ``{placeholder}`` that :func:`query` fills with a
fragment chosen by server version. Fragments are literal SQL in this module, composed
with ``psycopg.sql`` (never string replacement), so every version's text is reviewable.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from psycopg import sql

__all__ = ["query"]

# (minimum server version, fragment): the first entry whose version the server meets wins.
_Fragments = tuple[tuple[int, sql.SQL], ...]

_FRAGMENTS: dict[str, dict[str, _Fragments]] = {
    "memberships": {
        "options": (
            (
                160000,
                sql.SQL(
                    "bool_or(m.admin_option), bool_or(m.inherit_option), bool_or(m.set_option)"
                ),
            ),
            (0, sql.SQL("bool_or(m.admin_option), NULL::bool, NULL::bool")),
        ),
    },
    "constraints": {
        "enforced": ((180000, sql.SQL("c.conenforced")), (0, sql.SQL("true"))),
        "delsetcols": ((150000, sql.SQL("c.confdelsetcols")), (0, sql.SQL("NULL::int2[]"))),
        "nulls_not_distinct": (
            (
                150000,
                sql.SQL(
                    "CASE WHEN c.contype = 'u' THEN (SELECT x.indnullsnotdistinct"
                    " FROM pg_index x WHERE x.indexrelid = c.conindid) ELSE false END"
                ),
            ),
            (0, sql.SQL("false")),
        ),
    },
    "indexes": {
        "nulls_not_distinct": ((150000, sql.SQL("i.indnullsnotdistinct")), (0, sql.SQL("false"))),
    },
    "functions": {
        "source": (
            (
                140000,
                sql.SQL(
                    "CASE WHEN p.prosqlbody IS NOT NULL"
                    " THEN pg_get_function_sqlbody(p.oid) ELSE p.prosrc END"
                ),
            ),
            (0, sql.SQL("p.prosrc")),
        ),
    },
}


@cache
def _text(name: str) -> str:
    return (files("schemaprobe.introspect") / "queries" / f"{name}.sql").read_text("utf-8")


@cache
def query(name: str, server_version: int) -> sql.Composed:
    """The query ``queries/<name>.sql`` with the fragments for ``server_version`` filled in."""
    # The file is package data shipped with schemaprobe, not input: it is as literal as
    # a string in this module. Everything variable reaches the server as a parameter.
    template = sql.SQL(_text(name))
    fragments = {
        key: next(fragment for minimum, fragment in options if server_version >= minimum)
        for key, options in _FRAGMENTS.get(name, {}).items()
    }
    return template.format(**fragments)
