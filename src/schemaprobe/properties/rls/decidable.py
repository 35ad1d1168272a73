"""What the worlds cannot vary: policies that depend on data the tenancy model does not
describe. Such an item is reported undecided, with the reason, never passed.

A world holds principals, the table's rows and the rows the owner path passes through.
A policy that reads another table (``EXISTS (SELECT 1 FROM team_members ...)``), or
calls a function of the database that does (``is_admin()`` reading an ``admins``
table), or calls one whose body cannot be read (C, another language), decides on rows
no world has: that every probe passed says nothing about the states it never built.
Functions the server ships and Supabase's ``auth.*`` identity functions are read as
what they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName

__all__ = ["undecided"]

#: Policies that take part in each command (UPDATE and DELETE of named rows read too).
_COMMANDS = {
    "select": ("SELECT", "ALL"),
    "insert": ("INSERT", "ALL"),
    "update": ("UPDATE", "SELECT", "ALL"),
    "delete": ("DELETE", "SELECT", "ALL"),
}
_READABLE = ("sql", "plpgsql")


def undecided(
    catalog: cat.Catalog,
    table: cat.Table,
    command: str,
    modelled: Iterable[QualifiedName],
    schema: str,
) -> list[str]:
    """Why the item's verdict could not be trusted to pass (empty: it can be)."""
    known = set(modelled)
    reasons: list[str] = []
    for policy in table.policies:
        if policy.command not in _COMMANDS[command]:
            continue
        for text in (policy.using, policy.with_check):
            if text is None:
                continue
            for reason in _reads(catalog, text, known, schema):
                line = f'policy "{policy.name}" {reason}'
                if line not in reasons:
                    reasons.append(line)
    return reasons


def _reads(catalog: cat.Catalog, text: str, known: set[QualifiedName], schema: str) -> list[str]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(f"SELECT 1 WHERE {text}", dialect="postgres")
    except SqlglotError:
        return ["cannot be parsed, so what it reads is unknown"]
    found: list[str] = []
    for node in tree.find_all(exp.Table):
        name = QualifiedName(node.db or schema, node.name)
        if name not in known:
            found.append(f"reads {name}, which the tenancy model does not describe")
    for call in tree.find_all(exp.Anonymous):
        parent = call.parent
        dotted = isinstance(parent, exp.Dot) and parent.expression is call
        qualifier = parent.this.name if dotted and parent is not None else None
        for function in _user_functions(catalog, qualifier, call.name.lower()):
            found += _body_reads(catalog, function, known)
    return found


def _user_functions(catalog: cat.Catalog, schema: str | None, name: str) -> list[cat.Function]:
    return [
        f
        for key, overloads in catalog.functions.items()
        if key.name == name and (schema is None or key.schema == schema)
        for f in overloads
    ]


def _body_reads(
    catalog: cat.Catalog, function: cat.Function, known: set[QualifiedName]
) -> list[str]:
    what = f"calls {function.signature}"
    if function.language not in _READABLE or function.source is None:
        return [f"{what}, whose body ({function.language}) cannot be read"]
    body = function.source
    found = []
    for name in catalog.tables:
        if name in known:
            continue
        if re.search(rf"\b{re.escape(name.name)}\b", body):
            found.append(f"{what}, which reads {name}, which the tenancy model does not describe")
    return found
