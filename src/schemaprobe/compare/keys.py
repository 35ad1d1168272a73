"""Keys, constraints and indexes, matched by meaning unless the spec pins a name.

An unnamed spec entry matches the live object that means the same (columns and target
for keys, the canonical expression for CHECKs, method/keys/order/predicate for indexes).
A named entry is looked up by name; when the name is missing but an undeclared object
with the same meaning exists, that is reported as a rename, not as missing + extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemaprobe.compare._context import Context, DocContext
from schemaprobe.compare._index_keys import (
    WantedKey,
    describe_index,
    describe_live_index,
    index_problems,
    wanted_keys,
)
from schemaprobe.compare._items import Item, Items, Path
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.spec.model import (
    CheckSpec,
    ExclusionSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    split_reference,
)

__all__ = ["compare_keys"]


def compare_keys(
    ctx: Context,
    dc: DocContext,
    items: Items,
    name: QualifiedName,
    base: Path,
    spec: TableSpec,
    table: cat.Table | None,
    sections: frozenset[str],
) -> None:
    tname = str(name)
    missing = f"table {tname} is missing"
    constraints = list(_constraint_entries(spec, base))

    def new(label: str, path: Path, waiver: str | None) -> Item | None:
        item = items.new(f"{tname}::{label}", path, waiver)
        if table is None:
            item.skipped = missing
            return None
        return item

    pinned = frozenset(entry.name for _, _, entry in constraints if entry.name)
    for label, path, entry in constraints:
        item = new(label, path, entry.xfail)
        if item is None or table is None:
            continue
        _compare_constraint(ctx, dc, item, table, entry, pinned)

    for i, index_spec in enumerate(spec.indexes):
        if index_spec.name:
            label = f"index[{index_spec.name}]"
        else:
            label = f"index[({', '.join(_key_label(k) for k in index_spec.columns)})]"
        item = new(label, (*base, "indexes", i), index_spec.xfail)
        if item is None or table is None:
            continue
        _compare_index(ctx, item, table, index_spec, spec)


def _constraint_entries(
    spec: TableSpec, base: Path
) -> Iterable[
    tuple[str, Path, PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec]
]:
    """Every constraint the table spec states, column shorthands included, with its path."""
    pk_columns = [key for key, c in spec.columns.items() if c.primary_key]
    if spec.primary_key is not None:
        yield "primary_key", (*base, "primary_key"), spec.primary_key
    elif pk_columns:
        path = (*base, "columns", pk_columns[0], "primary_key")
        yield "primary_key", path, PrimaryKeySpec(columns=pk_columns)
    for i, unique in enumerate(spec.unique):
        label = unique.name or ", ".join(unique.columns)
        yield f"unique[{label}]", (*base, "unique", i), unique
    for key, column in spec.columns.items():
        if column.unique:
            yield f"unique[{key}]", (*base, "columns", key, "unique"), UniqueSpec(columns=[key])
    for i, fk in enumerate(spec.foreign_keys):
        label = fk.name or ", ".join(fk.columns)
        yield f"foreign_key[{label}]", (*base, "foreign_keys", i), fk
    for key, column in spec.columns.items():
        if column.references is not None:
            fields: dict[str, object] = {"columns": [key], "references": column.references}
            if column.on_delete is not None:
                fields["on_delete"] = column.on_delete
            if column.on_update is not None:
                fields["on_update"] = column.on_update
            yield (
                f"foreign_key[{key}]",
                (*base, "columns", key, "references"),
                ForeignKeySpec.model_validate(fields),
            )
    for i, check in enumerate(spec.checks):
        yield f"check[{check.name or check.expression}]", (*base, "checks", i), check
    for key, column in spec.columns.items():
        if column.check is not None:
            yield (
                f"check[{column.check}]",
                (*base, "columns", key, "check"),
                CheckSpec(expression=column.check),
            )
    for i, exclusion in enumerate(spec.exclusions):
        label = exclusion.name or exclusion.definition
        yield f"exclusion[{label}]", (*base, "exclusions", i), exclusion


_KIND = {
    PrimaryKeySpec: "primary key",
    UniqueSpec: "unique",
    ForeignKeySpec: "foreign key",
    CheckSpec: "check",
    ExclusionSpec: "exclude",
}
_TITLE = {
    "primary key": "primary key",
    "unique": "unique constraint",
    "foreign key": "foreign key",
    "check": "CHECK constraint",
    "exclude": "exclusion constraint",
}


def _compare_constraint(
    ctx: Context,
    dc: DocContext,
    item: Item,
    table: cat.Table,
    entry: PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec,
    pinned: frozenset[str],
) -> None:
    kind = _KIND[type(entry)]
    title = _TITLE[kind]

    def means(live_constraint: cat.Constraint) -> bool:
        return _same_meaning(ctx, dc, table, entry, live_constraint)

    if entry.name is not None:
        named = table.constraint(entry.name)
        if named is not None and named.kind == kind and _conforms(ctx, dc, table, entry, named):
            ctx.claims.claim(table.name, "constraints", named.name)
            return  # the usual case, decided without building any message text
    live = [c for c in table.constraints if c.kind == kind]
    wanted_text = _describe_spec(entry)
    obj = f"{title} on {table.name}"
    found: cat.Constraint | None = None
    if entry.name is not None:
        found = table.constraint(entry.name)
        if found is not None and found.kind != kind:
            item.add(
                obj,
                "kind",
                f"Constraint {entry.name} is not a {title}",
                kind,
                found.kind,
                ("name",),
            )
            return
        if found is None:
            twin = next((c for c in live if c.name not in pinned and means(c)), None)
            if twin is not None:
                ctx.claims.claim(table.name, "constraints", twin.name)
                item.add(
                    obj,
                    "renamed",
                    f"{_cap(title)} renamed",
                    entry.name,
                    twin.name,
                    ("name",),
                )
            else:
                item.add(obj, "missing", f"Missing {title}", wanted_text, _closest(live), ("name",))
            return
    else:
        found = next((c for c in live if means(c)), None)
        if found is None:
            found = _near(ctx, dc, table, entry, live)
            if found is None:
                item.add(obj, "missing", f"Missing {title}", wanted_text, _closest(live))
                return
    ctx.claims.claim(table.name, "constraints", found.name)
    obj = f"{title} {cat.quote_ident(found.name)} on {table.name}"
    if not means(found):
        item.add(
            obj,
            "definition",
            f"{_cap(title)} differs",
            wanted_text,
            _describe_live(found),
            note=_note(ctx, table, entry, found),
        )
    if isinstance(entry, ForeignKeySpec) and found.references is not None:
        ref = found.references
        for aspect, value, live_value in (
            ("on_delete", entry.on_delete, ref.on_delete),
            ("on_update", entry.on_update, ref.on_update),
            ("match", entry.match, ref.match),
        ):
            if value is not None:
                item.compare(
                    obj,
                    aspect,
                    " ".join(value.upper().split()),
                    live_value,
                    message=f"Foreign key {aspect.replace('_', ' ').upper()} differs",
                )
        for aspect in ("deferrable", "initially_deferred"):
            value = getattr(entry, aspect)
            if value is not None:
                item.compare(obj, aspect, value, getattr(found, aspect))
    if isinstance(entry, UniqueSpec):
        if entry.nulls_not_distinct is not None:
            item.compare(
                obj, "nulls_not_distinct", entry.nulls_not_distinct, found.nulls_not_distinct
            )
        if entry.deferrable is not None:
            item.compare(obj, "deferrable", entry.deferrable, found.deferrable)


def _conforms(
    ctx: Context,
    dc: DocContext,
    table: cat.Table,
    entry: PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec,
    live: cat.Constraint,
) -> bool:
    """Whether ``live`` satisfies every detail ``entry`` states (no finding to make)."""
    if not _same_meaning(ctx, dc, table, entry, live):
        return False
    if isinstance(entry, ForeignKeySpec):
        ref = live.references
        if ref is None:
            return False
        for value, actual in (
            (entry.on_delete, ref.on_delete),
            (entry.on_update, ref.on_update),
            (entry.match, ref.match),
        ):
            if value is not None and " ".join(value.upper().split()) != actual:
                return False
        return (entry.deferrable is None or entry.deferrable == live.deferrable) and (
            entry.initially_deferred is None or entry.initially_deferred == live.initially_deferred
        )
    if isinstance(entry, UniqueSpec):
        return (
            entry.nulls_not_distinct is None or entry.nulls_not_distinct == live.nulls_not_distinct
        ) and (entry.deferrable is None or entry.deferrable == live.deferrable)
    return True


def _same_meaning(
    ctx: Context,
    dc: DocContext,
    table: cat.Table,
    entry: PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec,
    live: cat.Constraint,
) -> bool:
    if isinstance(entry, (PrimaryKeySpec, UniqueSpec)):
        return list(entry.columns) == list(live.columns)
    if isinstance(entry, ForeignKeySpec):
        if live.references is None or list(entry.columns) != list(live.columns):
            return False
        target, columns = split_reference(entry.references)
        if dc.try_qualify(target) != live.references.table:
            return False
        return not columns or list(columns) == list(live.references.columns)
    if isinstance(entry, CheckSpec):
        return bool(ctx.oracle.same_expression("check", table.name, entry.expression, live.check))
    definition = " ".join(entry.definition.split())
    live_definition = " ".join((live.definition or "").split())
    return definition.lower().removeprefix("exclude ") == live_definition.lower().removeprefix(
        "exclude "
    )


def _near(
    ctx: Context,
    dc: DocContext,
    table: cat.Table,
    entry: PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec,
    live: list[cat.Constraint],
) -> cat.Constraint | None:
    """The live constraint an unnamed entry most plausibly describes, though it differs.

    A primary key (one per table); a foreign key on the same columns; a CHECK over the
    same columns when exactly one such CHECK exists. Reported as "differs", which says
    more than "missing".
    """
    if isinstance(entry, PrimaryKeySpec):
        return live[0] if live else None
    if isinstance(entry, ForeignKeySpec):
        same_columns = [c for c in live if list(c.columns) == list(entry.columns)]
        return same_columns[0] if len(same_columns) == 1 else None
    if isinstance(entry, CheckSpec):
        columns = {c.name for c in table.columns if _mentions(entry.expression, c.name)}
        candidates = [c for c in live if columns and set(c.columns) == columns]
        return candidates[0] if len(candidates) == 1 else None
    return None


def _mentions(expression: str, column: str) -> bool:
    return re.search(rf"(?<![\w.\"]){re.escape(column)}(?![\w\"])", expression) is not None


def _note(
    ctx: Context,
    table: cat.Table,
    entry: PrimaryKeySpec | UniqueSpec | ForeignKeySpec | CheckSpec | ExclusionSpec,
    live: cat.Constraint,
) -> str | None:
    if isinstance(entry, CheckSpec):
        return ctx.oracle.same_expression("check", table.name, entry.expression, live.check).note
    return None


def _cap(title: str) -> str:
    return title[:1].upper() + title[1:]


def _describe_spec(entry: object) -> str:
    if isinstance(entry, PrimaryKeySpec):
        return f"PRIMARY KEY ({', '.join(entry.columns)})"
    if isinstance(entry, UniqueSpec):
        return f"UNIQUE ({', '.join(entry.columns)})"
    if isinstance(entry, ForeignKeySpec):
        return f"FOREIGN KEY ({', '.join(entry.columns)}) REFERENCES {entry.references}"
    if isinstance(entry, CheckSpec):
        return f"CHECK ({entry.expression})"
    assert isinstance(entry, ExclusionSpec)
    return f"EXCLUDE {entry.definition}"


def _describe_live(live: cat.Constraint) -> str:
    if live.kind == "primary key":
        return f"PRIMARY KEY ({', '.join(live.columns)})"
    if live.kind == "unique":
        return f"UNIQUE ({', '.join(live.columns)})"
    if live.kind == "foreign key" and live.references is not None:
        ref = live.references
        return (
            f"FOREIGN KEY ({', '.join(live.columns)}) REFERENCES {ref.table}"
            f"({', '.join(ref.columns)})"
        )
    if live.kind == "check":
        check = live.check or ""
        return (
            f"CHECK {check}"
            if check.startswith("(") and check.endswith(")")
            else (f"CHECK ({check})")
        )
    return live.definition or live.kind


def _closest(live: list[cat.Constraint]) -> str | None:
    if not live:
        return None
    return "; ".join(f"{c.name}: {_describe_live(c)}" for c in live[:5])


# -- indexes -----------------------------------------------------------------------------


def _key_label(key: object) -> str:
    if isinstance(key, str):
        return key
    column = getattr(key, "column", None)
    return str(column if column is not None else getattr(key, "expression", ""))


def _compare_index(
    ctx: Context, item: Item, table: cat.Table, spec: IndexSpec, table_spec: TableSpec
) -> None:
    keys: list[WantedKey] = wanted_keys(spec, table)

    def problems_of(index: cat.Index) -> list[tuple[str, object, object]]:
        return index_problems(ctx.oracle, table, spec, keys, index)

    if spec.name is not None:
        named = table.index(spec.name)
        if named is not None and not problems_of(named):
            ctx.claims.claim(table.name, "indexes", named.name)
            return  # the usual case, decided without building any message text
    candidates = [i for i in table.indexes if i.constraint is None]
    wanted = describe_index(spec, keys)
    if spec.name is not None:
        index = table.index(spec.name)
        obj = f"index {cat.quote_ident(spec.name)} on {table.name}"
        if index is None:
            pinned = {i.name for i in table_spec.indexes if i.name}
            twin = next(
                (i for i in candidates if i.name not in pinned and not problems_of(i)), None
            )
            if twin is not None:
                ctx.claims.claim(table.name, "indexes", twin.name)
                item.add(obj, "renamed", "Index renamed", spec.name, twin.name, ("name",))
            else:
                item.add(
                    obj, "missing", "Missing index", wanted, _closest_index(table, keys), ("name",)
                )
            return
        ctx.claims.claim(table.name, "indexes", index.name)
        for aspect, expected, actual in problems_of(index):
            item.add(obj, aspect, f"Index {aspect} differs", expected, actual, (aspect,))
        return
    index = next((i for i in table.indexes if not problems_of(i)), None)
    if index is None:
        near = _near_index(ctx, table, keys, table_spec, candidates)
        if near is None:
            item.add(
                f"index on {table.name}",
                "missing",
                "Missing index",
                wanted,
                _closest_index(table, keys),
            )
            return
        ctx.claims.claim(table.name, "indexes", near.name)
        obj = f"index {cat.quote_ident(near.name)} on {table.name}"
        for aspect, expected, actual in problems_of(near):
            item.add(obj, aspect, f"Index {aspect} differs", expected, actual, (aspect,))
        return
    ctx.claims.claim(table.name, "indexes", index.name)


def _near_index(
    ctx: Context,
    table: cat.Table,
    keys: list[WantedKey],
    table_spec: TableSpec,
    candidates: list[cat.Index],
) -> cat.Index | None:
    """The undeclared live index an unnamed spec index most plausibly became.

    Only an index over the same set of key columns or expressions (reordered, re-sorted,
    another method, predicate or INCLUDE) that no other spec index of this table claims
    by name; with several such, none (ambiguous: reported as missing).
    """
    wanted = {k.text for k in keys}
    pinned = {i.name for i in table_spec.indexes if i.name}
    claimed = ctx.claims.claimed(table.name, "indexes")
    near = [
        i
        for i in candidates
        if i.name not in pinned and i.name not in claimed and {c.name for c in i.columns} == wanted
    ]
    return near[0] if len(near) == 1 else None


def _closest_index(table: cat.Table, keys: list[WantedKey]) -> str | None:
    """Live indexes over the same columns: what a reordered or re-sorted index became."""
    wanted = {k.text for k in keys}
    near = [i for i in table.indexes if wanted & {c.name for c in i.columns}]
    if not near:
        return None
    return "; ".join(f"{i.name}: {describe_live_index(i)}" for i in near[:5])
