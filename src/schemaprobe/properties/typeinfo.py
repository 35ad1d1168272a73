"""Enums, domains, string-like base types: what the catalog model does not describe,
asked of the server once.

The catalog model names a column's type (``public.mood``) but does not model enum labels
or a domain's base type. A property run needs them only to *generate* values (the server
converts and checks them on its own), so this one query, for the type names the value
strategies do not know, is all the catalog reading the properties do. A base type the
strategies do not know by name (an extension's) whose ``typcategory`` is ``'S'`` (string)
reads text, so it gets text values; other unknown types are left to their default or NULL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import sql

from schemaprobe.introspect import model as cat
from schemaprobe.properties.types import TypeInfo, parse_type, strategy_for

__all__ = ["lookup_types", "unknown_types"]

_QUERY = sql.SQL(
    """SELECT n.name, t.typtype::text,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
       CASE WHEN t.typtype = 'd'
            THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
       ARRAY(SELECT pg_catalog.pg_get_expr(c.conbin, 0) FROM pg_catalog.pg_constraint c
             WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname),
       t.typcategory::text
FROM pg_catalog.unnest(%s::text[]) AS n(name)
JOIN pg_catalog.pg_type t ON t.oid = pg_catalog.to_regtype(n.name)"""
)


def unknown_types(tables: Iterable[cat.Table]) -> set[str]:
    """Element type names of the columns of ``tables`` that :func:`strategy_for` does not know."""
    names: set[str] = set()
    for table in tables:
        for column in table.columns:
            element = parse_type(column.type).element
            if strategy_for(element) is None:
                names.add(element.name)
    return names


def lookup_types(conn: psycopg.Connection[Any], names: Iterable[str]) -> dict[str, TypeInfo]:
    """Labels of enums, base types of domains, and ``text`` for string-like base types
    among ``names`` (one query per level of domain; others omitted).

    A domain over an enum or another domain is followed to what generates values, with
    the CHECKs of every domain on the way.
    """
    wanted = sorted(set(names))
    if not wanted:
        return {}
    rows = conn.execute(_QUERY, (wanted,)).fetchall()
    found: dict[str, TypeInfo] = {}
    bases: dict[str, str] = {}
    checks: dict[str, tuple[str, ...]] = {}
    for name, kind, labels, base, domain_checks, category in rows:
        if kind == "e":
            found[name] = TypeInfo(labels=tuple(labels))
        elif kind == "b" and category == "S":
            found[name] = TypeInfo(base="text")
        elif kind == "d" and base:
            bases[name] = base
            checks[name] = tuple(domain_checks)
    for name, base in bases.items():
        element = parse_type(base).element.name
        if strategy_for(base) is None and element not in found:
            more = lookup_types(conn, [element])
            found.update(more)
        inner = found.get(element)
        if inner is not None and inner.labels:
            found[name] = TypeInfo(labels=inner.labels, checks=checks[name])
        elif inner is not None and inner.base is not None:
            # over another domain or a string-like type: what generates that one's values
            found[name] = TypeInfo(base=inner.base, checks=checks[name] + inner.checks)
        else:
            found[name] = TypeInfo(base=base, checks=checks[name])
    return found
