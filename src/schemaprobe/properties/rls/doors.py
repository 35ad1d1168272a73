"""Side doors: other ways an actor can read a table's rows than selecting from it.

A view without ``security_invoker`` reads its tables as the view's owner, and a SECURITY
DEFINER function runs as its owner: row level security on the table binds neither to
the caller. So the SELECT item also reads the world through every such view over the
table, and every such function returning its rows, as each actor: what comes back must
be rows the actor may see (fewer is fine: a view may filter).

Only doors that can be probed without arguments and without writing are probed: views,
and functions with no arguments that are STABLE or IMMUTABLE, or a single SQL SELECT.
The others are listed in the item's output as not probed, with the reason.
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


def side_doors(
    catalog: cat.Catalog, table: QualifiedName, key: Sequence[str]
) -> tuple[list[Door], list[str]]:
    """The doors to probe, and a note per door that cannot be (and why)."""
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
        if function.arguments:
            notes.append(f"{what}: not probed, it takes arguments")
            continue
        if not _reads_only(function):
            notes.append(f"{what}: not probed, it is VOLATILE and may write")
            continue
        query = sql.SQL("SELECT {} FROM {}()").format(columns, function.name.identifier)
        doors.append(Door(what, query))
    return doors, notes


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
