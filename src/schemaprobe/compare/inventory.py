"""Inventories: what is present but undeclared (``exhaustive``), and counts (``counts``).

Runs after every spec file of the run has declared its objects, so an object declared in
any file of the run is not "extra" for another file's exhaustive section.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemaprobe.compare._context import Context, DocContext, exhaustive_sections
from schemaprobe.compare._items import Items, Path
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.spec.model import Counts, TableSpec

__all__ = ["compare_inventories"]

_GLOBAL_SECTIONS = ("schemas", "extensions", "roles", "tables", "views", "functions")
_TABLE_SECTIONS = ("columns", "constraints", "indexes", "triggers", "policies")
_TABLE_COUNTS = (
    "columns",
    "constraints",
    "checks",
    "foreign_keys",
    "indexes",
    "triggers",
    "policies",
)


def _table_parts(table: cat.Table, section: str) -> list[str]:
    if section == "columns":
        return [c.name for c in table.columns]
    if section == "constraints":
        return [c.name for c in table.constraints if not c.inherited]
    if section == "checks":
        return [c.name for c in table.constraints if c.kind == "check"]
    if section == "foreign_keys":
        return [c.name for c in table.constraints if c.kind == "foreign key"]
    if section == "indexes":
        return [i.name for i in table.indexes]
    if section == "triggers":
        return [t.name for t in table.triggers if not t.inherited]
    return [p.name for p in table.policies]


def _extras_in_table(table: cat.Table, section: str, claimed: set[str]) -> list[str]:
    names = _table_parts(table, section)
    if section == "indexes":  # indexes behind constraints are declared with the constraint
        names = [i.name for i in table.indexes if i.constraint is None]
    return [n for n in names if n not in claimed]


def _global_objects(
    catalog: cat.Catalog, section: str, schema: str | None
) -> list[tuple[str, object]]:
    """(display name, claim key) of every live object of a top-level section."""

    def in_scope(name: QualifiedName) -> bool:
        return schema is None or name.schema == schema

    if section == "schemas":
        return [(n, n) for n in catalog.schemas if schema is None]
    if section == "extensions":
        return [(n, n) for n in catalog.extensions if schema is None]
    if section == "roles":
        return [(n, n) for n in catalog.roles if schema is None and not n.startswith("pg_")]
    if section == "tables":
        return [(str(n), n) for n in catalog.tables if in_scope(n)]
    if section == "views":
        return [(str(n), n) for n in catalog.views if in_scope(n)]
    return [
        (f.signature, (f.name, f.arguments))
        for name, overloads in catalog.functions.items()
        if in_scope(name)
        for f in overloads
    ]


def _count(catalog: cat.Catalog, kind: str, schema: str | None) -> int:
    if kind in _GLOBAL_SECTIONS:
        return len(_global_objects(catalog, kind, schema))
    return sum(
        len(_table_parts(t, kind))
        for n, t in catalog.tables.items()
        if schema is None or n.schema == schema
    )


def _claimed(ctx: Context, section: str) -> set[object]:
    return set(getattr(ctx.claims, section))


def compare_inventories(
    ctx: Context, dc: DocContext, items: Items, tables: Iterable[tuple[str, TableSpec]]
) -> None:
    doc = dc.doc
    catalog = ctx.catalog
    scopes: list[tuple[str, Path, object, Counts | None, str | None, Path]] = [
        ("", (), doc.exhaustive, doc.counts, None, ()),
    ]
    for schema_name, schema_spec in doc.schemas.items():
        scopes.append(
            (
                f"[{schema_name}]",
                ("schemas", schema_name),
                schema_spec.exhaustive,
                schema_spec.counts,
                schema_name,
                ("schemas", schema_name),
            )
        )
    for prefix, base, exhaustive, counts, schema, counts_base in scopes:
        if schema is not None:
            sections = exhaustive_sections(exhaustive, doc.exhaustive)
            if exhaustive is None:
                sections = frozenset()  # inherited: the document's own inventory covers it
        else:
            sections = exhaustive_sections(exhaustive)
        kinds = [
            s
            for s in _GLOBAL_SECTIONS
            if s in sections and (schema is None or s in ("tables", "views", "functions"))
        ]
        counted = [k for k in Counts.model_fields if counts is not None and getattr(counts, k)]
        for kind in dict.fromkeys([*kinds, *counted]):
            if kind in kinds:
                path: Path = (*base, "exhaustive")
            else:
                path = (*counts_base, "counts", kind)
            item = items.new(f"{kind}{prefix}", path)
            if kind in kinds:
                claimed = _claimed(ctx, kind)
                extras = [
                    shown
                    for shown, key in _global_objects(catalog, kind, schema)
                    if key not in claimed
                ]
                for shown in sorted(extras):
                    item.add(shown, "unexpected", f"Unexpected {kind.rstrip('s')}", None, shown)
            bounds = getattr(counts, kind, None) if counts is not None else None
            if bounds is not None:
                actual = _count(catalog, kind, schema)
                if not bounds.admits(actual):
                    scope = f"schema {schema}" if schema else "the database"
                    item.add(
                        scope,
                        f"count.{kind}",
                        f"Number of {kind.replace('_', ' ')} differs",
                        str(bounds),
                        str(actual),
                    )

    for key, spec in tables:
        if spec.absent:
            continue
        name = dc.qualify(key, "tables", key)
        table_schema = doc.schemas.get(name.schema)
        sections = exhaustive_sections(
            spec.exhaustive, table_schema.exhaustive if table_schema else None, doc.exhaustive
        )
        kinds = [s for s in _TABLE_SECTIONS if s in sections]
        counted = [k for k in _TABLE_COUNTS if spec.counts is not None and getattr(spec.counts, k)]
        table = catalog.tables.get(name)
        for kind in dict.fromkeys([*kinds, *counted]):
            base = ("tables", key)
            path = (*base, "exhaustive") if kind in kinds else (*base, "counts", kind)
            item = items.new(f"{name}::{kind}", path)
            if table is None:
                item.skipped = f"table {name} is missing"
                continue
            if kind in kinds:
                declared_parts = ctx.claims.claimed(name, kind)
                for extra in sorted(_extras_in_table(table, kind, declared_parts)):
                    item.add(
                        f"{_singular(kind)} {cat.quote_ident(extra)} on {name}",
                        "unexpected",
                        f"Unexpected {_singular(kind)}",
                        None,
                        extra,
                    )
            bounds = getattr(spec.counts, kind, None) if spec.counts is not None else None
            if bounds is not None:
                actual = len(_table_parts(table, kind))
                if not bounds.admits(actual):
                    item.add(
                        f"table {name}",
                        f"count.{kind}",
                        f"Number of {kind.replace('_', ' ')} differs",
                        str(bounds),
                        str(actual),
                    )


def _singular(kind: str) -> str:
    return {"indexes": "index", "policies": "policy"}.get(kind, kind.rstrip("s"))
