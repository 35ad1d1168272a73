"""Index keys as a spec writes them (``created_at DESC``, ``lower(email)``, ``title
gin_trgm_ops``) and the comparison of a spec index with a live one by meaning.

Omitted ``method`` means btree and omitted ``where`` means "not partial", as in
``CREATE INDEX``; omitted ``unique``, ``include`` and ``nulls_not_distinct`` are not
checked. A key without ``ASC``/``DESC`` is ascending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemaprobe.compare._oracle import Oracle
from schemaprobe.introspect import model as cat
from schemaprobe.spec.model import IndexKeySpec, IndexSpec, declared

__all__ = [
    "WantedKey",
    "describe_index",
    "describe_live_index",
    "index_problems",
    "wanted_keys",
]

_SUFFIX = re.compile(
    r"^(?P<body>.*?)(?:\s+(?P<order>asc|desc))?(?:\s+nulls\s+(?P<nulls>first|last))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_IDENT = r'"(?:[^"]|"")+"|[A-Za-z_][\w$]*'
_COLUMN = re.compile(rf"^(?P<column>{_IDENT})$")
_COLUMN_OPCLASS = re.compile(rf"^(?P<column>{_IDENT})\s+(?P<opclass>[A-Za-z_][\w.]*)$")


@dataclass(frozen=True, slots=True)
class WantedKey:
    text: str
    expression: bool
    descending: bool
    nulls_first: bool
    opclass: str | None
    collation: str | None

    def __str__(self) -> str:
        text = f"({self.text})" if self.expression and not self.text.endswith(")") else self.text
        if self.opclass:
            text += f" {self.opclass}"
        if self.descending:
            text += " DESC"
        if self.nulls_first != self.descending:
            text += " NULLS FIRST" if self.nulls_first else " NULLS LAST"
        return text


def _column_name(text: str, table: cat.Table) -> str:
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text if table.column(text) is not None else text.lower()


def _parse(key: str | IndexKeySpec, table: cat.Table) -> WantedKey:
    if isinstance(key, IndexKeySpec):
        descending = key.order == "desc"
        nulls_first = descending if key.nulls is None else key.nulls == "first"
        if key.column is not None:
            return WantedKey(key.column, False, descending, nulls_first, key.opclass, key.collation)
        text = _strip_parens(key.expression or "")
        return WantedKey(text, True, descending, nulls_first, key.opclass, key.collation)
    if " " not in key and (plain := _COLUMN.match(key)) is not None:  # the usual case
        return WantedKey(
            _column_name(plain.group("column"), table), False, False, False, None, None
        )
    match = _SUFFIX.match(key)
    assert match is not None  # the pattern matches any string
    body = match.group("body").strip()
    descending = (match.group("order") or "").lower() == "desc"
    nulls = (match.group("nulls") or "").lower()
    nulls_first = descending if not nulls else nulls == "first"
    if (column := _COLUMN.match(body)) is not None:
        return WantedKey(
            _column_name(column.group("column"), table), False, descending, nulls_first, None, None
        )
    if (with_opclass := _COLUMN_OPCLASS.match(body)) is not None:
        return WantedKey(
            _column_name(with_opclass.group("column"), table),
            False,
            descending,
            nulls_first,
            with_opclass.group("opclass"),
            None,
        )
    return WantedKey(_strip_parens(body), True, descending, nulls_first, None, None)


def _strip_parens(text: str) -> str:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and i != len(text) - 1:
                return text
        return text[1:-1].strip()
    return text


def wanted_keys(spec: IndexSpec, table: cat.Table) -> list[WantedKey]:
    return [_parse(key, table) for key in spec.columns]


def index_problems(
    oracle: Oracle, table: cat.Table, spec: IndexSpec, keys: list[WantedKey], index: cat.Index
) -> list[tuple[str, object, object]]:
    """What differs between the spec index and ``index``; empty when they mean the same."""
    problems: list[tuple[str, object, object]] = []
    method = (spec.method or "btree").lower()
    if method != index.method:
        problems.append(("method", method, index.method))
    if len(keys) != len(index.columns) or not all(
        _same_key(oracle, table, method, want, have)
        for want, have in zip(keys, index.columns, strict=False)
    ):
        live_keys = ", ".join(_live_key(c) for c in index.columns)
        problems.append(("columns", ", ".join(map(str, keys)), live_keys))
    if spec.where is None or index.predicate is None:
        if spec.where != index.predicate:
            problems.append(("where", spec.where, index.predicate))
    elif not oracle.same_expression(
        "index_predicate", table.name, spec.where, index.predicate, method
    ):
        problems.append(("where", spec.where, index.predicate))
    if spec.unique is not None and spec.unique != index.unique:
        problems.append(("unique", spec.unique, index.unique))
    if spec.include is not None and list(spec.include) != list(index.include):
        problems.append(("include", list(spec.include), list(index.include)))
    if declared(spec, "nulls_not_distinct") and spec.nulls_not_distinct != index.nulls_not_distinct:
        problems.append(("nulls_not_distinct", spec.nulls_not_distinct, index.nulls_not_distinct))
    return problems


def _same_key(
    oracle: Oracle, table: cat.Table, method: str, want: WantedKey, have: cat.IndexColumn
) -> bool:
    if want.expression != have.expression:
        return False
    if want.expression:
        if not oracle.same_expression("index_expression", table.name, want.text, have.name, method):
            return False
    elif want.text != have.name:
        return False
    if method == "btree" and (want.descending, want.nulls_first) != (
        have.descending,
        have.nulls_first,
    ):
        return False
    if want.opclass is not None and want.opclass != have.opclass:
        return False
    return want.collation is None or want.collation == have.collation


def _live_key(column: cat.IndexColumn) -> str:
    return str(
        WantedKey(
            column.name,
            column.expression,
            column.descending,
            column.nulls_first,
            column.opclass,
            column.collation,
        )
    )


def describe_index(spec: IndexSpec, keys: list[WantedKey]) -> str:
    text = f"{'UNIQUE ' if spec.unique else ''}{(spec.method or 'btree').lower()} "
    text += f"({', '.join(map(str, keys))})"
    if spec.include:
        text += f" INCLUDE ({', '.join(spec.include)})"
    if spec.where:
        text += f" WHERE {spec.where}"
    return text


def describe_live_index(index: cat.Index) -> str:
    text = f"{'UNIQUE ' if index.unique else ''}{index.method} "
    text += f"({', '.join(_live_key(c) for c in index.columns)})"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    if index.predicate:
        text += f" WHERE {index.predicate}"
    return text
