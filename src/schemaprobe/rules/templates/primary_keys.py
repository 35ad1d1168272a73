"""``primary-key-convention``: every selected table's primary key has the spec's shape
(its columns; for a one-column key, the column's type and default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from psycopg import sql

from schemaprobe.introspect.model import Catalog, Constraint, Table, quote_ident
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import constraint_name, relation_name
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.templates._column import add_column, problems, repair
from schemaprobe.rules.templates._common import template_tables

if TYPE_CHECKING:
    from schemaprobe.spec.model import ColumnTemplate, PrimaryKeyRuleSpec

__all__ = ["RULES"]


def _settings(context: RuleContext) -> tuple[PrimaryKeyRuleSpec, ColumnTemplate] | None:
    """The settings, and the key column's template (type, default) they imply."""
    if context.config is None:
        return None
    # already imported: the config is one of its nodes (lint alone never loads pydantic)
    from schemaprobe.spec.model import ColumnTemplate, PrimaryKeyRuleSpec

    config = context.config
    if not isinstance(config, PrimaryKeyRuleSpec):
        return None
    if config.columns is None and config.type is None and config.default is None:
        return None
    written = {"type": config.type, "default": config.default}
    # only what is written: a left-out default is "any", not "no default"
    column = ColumnTemplate.model_validate({k: v for k, v in written.items() if v is not None})
    return config, column


def _columns(names: tuple[str, ...] | list[str]) -> str:
    return f"({', '.join(quote_ident(n) for n in names)})"


def _describe(config: PrimaryKeyRuleSpec) -> str:
    parts = [f"PRIMARY KEY {_columns(config.columns)}" if config.columns else "a PRIMARY KEY"]
    if config.type:
        parts.append(config.type)
    if config.default:
        parts.append(f"default {config.default}")
    return ", ".join(parts)


def _add_key(table: Table, config: PrimaryKeyRuleSpec, template: ColumnTemplate) -> str | None:
    """ADD PRIMARY KEY on the convention's columns when they exist; a new key column
    when the convention names one column the table lacks; else ``None``."""
    if not config.columns:
        return None
    present = [table.column(name) is not None for name in config.columns]
    if all(present):
        return _fix.template(
            "ALTER TABLE {} ADD PRIMARY KEY ({});",
            table.name.identifier,
            sql.SQL(", ").join(sql.Identifier(n) for n in config.columns),
        )
    if len(config.columns) == 1:
        return add_column(table, config.columns[0], template, primary_key=True)
    return None


def _shape(
    table: Table, key: Constraint, config: PrimaryKeyRuleSpec, template: ColumnTemplate
) -> Violation | None:
    name = constraint_name(table, key.name)
    if config.columns is not None and list(key.columns) != config.columns:
        return Violation(
            object=name,
            path="columns",
            expected=f"PRIMARY KEY {_columns(config.columns)}",
            actual=f"PRIMARY KEY {_columns(key.columns)}",
            subject=table.name,
        )
    column = table.column(key.columns[0]) if len(key.columns) == 1 else None
    if column is None:  # type and default are about one-column keys
        return None
    found = problems(column, template)
    if not found:
        return None
    return Violation(
        object=name,
        path=" and ".join(found),
        expected=", ".join(e for e, _ in found.values()),
        actual=", ".join(a for _, a in found.values()),
        fix=repair(table, column, template, found),
        detail=f"The primary key column {quote_ident(column.name)} does not have the "
        "convention's type and default, so keys differ between tables (joins, client code, "
        "foreign keys of the wrong type).",
        subject=table.name,
    )


def _primary_keys(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    settings = _settings(context)
    if settings is None:
        return
    config, template = settings
    for table in template_tables(catalog):
        key = table.primary_key
        if key is None:
            yield Violation(
                object=relation_name("table", table.name),
                path="primary_key",
                expected=_describe(config),
                actual="no primary key",
                fix=_add_key(table, config, template),
                subject=table.name,
            )
            continue
        violation = _shape(table, key, config, template)
        if violation is not None:
            yield violation


RULES = (
    Rule(
        id="primary-key-convention",
        title="Primary key convention",
        severity="error",
        category="convention",
        why="Primary keys of one shape (the same column, type and default everywhere) let "
        "every foreign key, join and client treat ids alike; a table that differs breaks that "
        "silently.",
        trigger="A selected table without a primary key, or whose key has other columns than "
        "the convention's, or (one-column keys) another type or default.",
        check=_primary_keys,
        default=False,
    ),
)
