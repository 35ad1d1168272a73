"""Spec set x catalog → one :class:`ItemResult` per expectation.

``compare_specs`` is the whole structural check: no SQL of its own, only the
canonicaliser's few bulk round trips when a spec spells something differently from the
server (see :mod:`._oracle`). ``plan`` gives the same items without a database, which is
what pytest collection needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemaprobe._gc import gc_paused
from schemaprobe.compare._context import Context, DocContext
from schemaprobe.compare._items import Items
from schemaprobe.compare._oracle import Oracle
from schemaprobe.compare.canonical import Canonicalizer, ServerCanonicalizer
from schemaprobe.compare.inventory import compare_inventories
from schemaprobe.compare.objects import (
    compare_extension,
    compare_function,
    compare_group,
    compare_role,
    compare_schema,
    compare_view,
)
from schemaprobe.compare.tables import compare_table
from schemaprobe.findings import ItemResult
from schemaprobe.introspect import model as cat
from schemaprobe.spec.load import SpecSet

if TYPE_CHECKING:
    import psycopg

__all__ = ["compare_specs", "plan"]


def compare_specs(
    specs: SpecSet, catalog: cat.Catalog, canonicalizer: Canonicalizer | None = None
) -> list[ItemResult]:
    """Every expectation of every spec, checked against ``catalog``.

    ``canonicalizer`` (usually a ``ServerCanonicalizer`` on the database the catalog came
    from) settles spellings that differ from the server's; without one, sqlglot decides.
    """
    with gc_paused():
        oracle = Oracle()
        results = _walk(specs, catalog, oracle)
        if oracle.has_questions:
            oracle.resolve(canonicalizer)
            results = _walk(specs, catalog, oracle)
    return results


_EMPTY = cat.Catalog(
    server_version=0,
    database="",
    schemas={},
    extensions={},
    roles={},
    tables={},
    views={},
    sequences={},
    functions={},
    round_trips=0,
)


def canonicalizer_for(conn: psycopg.Connection[Any], specs: SpecSet) -> ServerCanonicalizer:
    """The canonicaliser for ``specs`` on ``conn``: spec text compiles with the first spec's
    ``default_schema`` on the search path (one path per run; see docs/spec.md)."""
    default_schema = specs.specs[0].document.default_schema if specs.specs else "public"
    return ServerCanonicalizer(conn, search_path=[default_schema])


def plan(specs: SpecSet) -> list[ItemResult]:
    """The items ``compare_specs`` will produce, from the specs alone (no database)."""
    oracle = Oracle()
    oracle.resolve(None)
    with gc_paused():
        return _walk(specs, _EMPTY, oracle)


def _walk(specs: SpecSet, catalog: cat.Catalog, oracle: Oracle) -> list[ItemResult]:
    ctx = Context(catalog, oracle)
    per_spec: list[tuple[DocContext, Items]] = []
    for loaded in specs.specs:
        dc = DocContext(loaded)
        items = Items(loaded)
        doc = loaded.document
        for key, schema in doc.schemas.items():
            compare_schema(ctx, dc, items, key, schema)
        for key, extension in doc.extensions.items():
            compare_extension(ctx, dc, items, key, extension)
        for key, role in doc.roles.items():
            compare_role(ctx, dc, items, key, role)
        for key, table in doc.tables.items():
            compare_table(ctx, dc, items, key, table)
        for key, view in doc.views.items():
            compare_view(ctx, dc, items, key, view)
        for key, function in doc.functions.items():
            compare_function(ctx, dc, items, key, function)
        for key, group in doc.groups.items():
            compare_group(ctx, dc, items, key, group)
        per_spec.append((dc, items))
    results: list[ItemResult] = []
    for dc, items in per_spec:
        compare_inventories(ctx, dc, items, dc.doc.tables.items())
        results.extend(items.results())
    return results
