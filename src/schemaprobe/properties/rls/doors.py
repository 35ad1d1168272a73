"""Side doors: other ways an actor can read a table's rows than selecting from it.

A view without ``security_invoker`` reads its tables as the view's owner, and a SECURITY
DEFINER function runs as its owner: row level security on the table binds neither to
the caller. So the SELECT item also reads the world through every such view over the
table, and every such function returning its rows, as each actor: what comes back must
be rows the actor may see (fewer is fine: a view may filter).

Views are probed, and functions that are STABLE or IMMUTABLE, or a single SQL SELECT, or
named in the spec's ``tenancy.functions``: with no arguments, or with an argument that
takes an owner's id, called once per owner of the world (an RPC asked for someone
else's rows), NULL for the other arguments. The others are listed in the item's notes
as not probed, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import sql

from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties.rls.probes import key_expression
from schemaprobe.rules.access import relations_read

__all__ = ["Door", "side_doors"]


@dataclass(frozen=True, slots=True)
class Door:
    """A way to read the table's rows as someone else: what it is and how to read it."""

    what: str
    """``view public.feed`` / ``function public.all_notes()``."""
    query: sql.Composed
    """The query, or for a function with arguments its start (``SELECT key FROM f(``)."""
    arguments: tuple[tuple[str, bool], ...] = ()
    """A function's arguments: (type, whether it takes an owner's id)."""

    def queries(self, owners: Sequence[str]) -> list[sql.Composed]:
        """The calls to make: one per owner value for an argument taking one (NULL for
        the other arguments), or the query itself."""
        if not self.arguments:
            return [self.query]
        calls = []
        for owner in dict.fromkeys(owners):
            values = sql.SQL(", ").join(
                # the type is the server's own rendering of the argument's type
                sql.SQL("{}::{}").format(sql.Literal(owner) if takes else sql.NULL, sql.SQL(kind))
                for kind, takes in self.arguments
            )
            calls.append(sql.Composed([self.query, values, sql.SQL(")")]))
        return calls


def side_doors(
    catalog: cat.Catalog,
    table: QualifiedName,
    key: Sequence[str],
    owner_types: set[str],
    always: Sequence[str] = (),
) -> tuple[list[Door], list[str]]:
    """The doors to probe, and a note per door that cannot be (and why).

    ``owner_types`` are the types of an owner's id (principal, group, owner path key): an
    argument of such a type gets each owner's id in turn (``get_stories(p_user uuid)``
    asked for someone else's rows). ``always`` names functions to call even though
    VOLATILE (the spec's ``tenancy.functions``: the item's rollback undoes what they
    write)."""
    doors: list[Door] = []
    notes: list[str] = []
    columns = key_expression(key)
    for view in catalog.views.values():
        if view.kind != "view" or view.security_invoker:
            continue
        if table not in relations_read(view.definition):
            continue
        what = f"view {view.name}"
        if any(view.column(c) is None for c in key):
            notes.append(f"{what}: not probed, it does not show the key ({', '.join(key)})")
            continue
        doors.append(Door(what, sql.SQL("SELECT {} FROM {}").format(columns, view.name.identifier)))
    for function in (f for overloads in catalog.functions.values() for f in overloads):
        if not function.security_definer or function.kind != "function":
            continue
        if not _returns_rows_of(function, table, key):
            continue
        what = f"function {function.signature}"
        named = str(function.name) in always or function.signature in always
        if not named and not _reads_only(function):
            notes.append(
                f"{what}: not probed, it is VOLATILE and may write"
                " (name it in tenancy.functions to probe it)"
            )
            continue
        if not function.arguments:
            query = sql.SQL("SELECT {} FROM {}()").format(columns, function.name.identifier)
            doors.append(Door(what, query))
            continue
        arguments = tuple((kind, kind in owner_types) for kind in _argument_types(function))
        if not any(takes for _kind, takes in arguments):
            notes.append(f"{what}: not probed, none of its arguments takes an owner's id")
            continue
        query = sql.SQL("SELECT {} FROM {}(").format(columns, function.name.identifier)
        doors.append(Door(what, query, arguments))
    return doors, notes


def _argument_types(function: cat.Function) -> list[str]:
    """The types of ``pg_get_function_identity_arguments`` text (``p_user uuid, integer``)."""
    from schemaprobe.introspect._text import split_top_level

    kinds = []
    for part in split_top_level(function.arguments):
        words = part.split()
        if words and words[0].upper() in ("IN", "INOUT", "VARIADIC"):
            words = words[1:]
        # "name type" or just "type"; a type may be several words (double precision)
        kinds.append(
            " ".join(words[1:]) if len(words) > 1 and not _is_type(words) else " ".join(words)
        )
    return kinds


def _is_type(words: list[str]) -> bool:
    """Whether the words are a type alone (``double precision``, ``timestamp with time
    zone``, ``character varying``), not a name followed by a type."""
    text = " ".join(words).lower()
    return text.startswith(
        ("double precision", "character varying", "timestamp ", "time ", "bit varying")
    )


def _returns_rows_of(function: cat.Function, table: QualifiedName, key: Sequence[str]) -> bool:
    """Returns the table's rows (``SETOF t``, ``t``) or a TABLE(...) with its key columns
    built from it (the body names the table)."""
    returns = (function.returns or "").removeprefix("SETOF ").strip()
    if returns in (str(table), table.name):
        return True
    if not returns.startswith("TABLE("):
        return False
    body = function.source or ""
    named = re.search(rf"\b{re.escape(table.name)}\b", body) is not None
    return named and all(re.search(rf"\b{re.escape(c)}\b", returns) for c in key)


def _reads_only(function: cat.Function) -> bool:
    if function.volatility in ("STABLE", "IMMUTABLE"):
        return True
    body = (function.source or "").strip().lower()
    return function.language == "sql" and body.startswith("select") and ";" not in body.rstrip(";")
