"""``required-columns``: every selected table has the columns the spec's template lists,
of the type, default and nullability it gives.

Only what a template writes is checked: ``created_at: timestamptz`` is the type alone;
``nullable`` left out accepts either; ``default`` left out accepts anything, while an
explicit ``default: null`` asks for no default at all (nor identity).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemaprobe.introspect.model import Catalog, Table
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import column_name
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.templates._column import add_column, describe, problems, repair
from schemaprobe.rules.templates._common import template_tables

if TYPE_CHECKING:
    from schemaprobe.spec.model import ColumnTemplate, RequiredColumnsRuleSpec

__all__ = ["RULES"]


def _settings(context: RuleContext) -> RequiredColumnsRuleSpec | None:
    if context.config is None:
        return None
    # already imported: the config is one of its nodes (lint alone never loads pydantic)
    from schemaprobe.spec.model import RequiredColumnsRuleSpec

    return context.config if isinstance(context.config, RequiredColumnsRuleSpec) else None


def _missing(table: Table, name: str, template: ColumnTemplate) -> Violation:
    return Violation(
        object=column_name(table, name),
        path="column",
        expected=describe(template),
        actual="missing",
        fix=add_column(table, name, template),
        subject=table.name,
    )


def _required_columns(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    config = _settings(context)
    if config is None:
        return
    for table in template_tables(catalog):
        for name, template in config.columns.items():
            column = table.column(name)
            if column is None:
                yield _missing(table, name, template)
                continue
            found = problems(column, template)
            if not found:
                continue
            yield Violation(
                object=column_name(table, name),
                path=" and ".join(found),
                expected=", ".join(e for e, _ in found.values()),
                actual=", ".join(a for _, a in found.values()),
                fix=repair(table, column, template, found),
                subject=table.name,
            )


RULES = (
    Rule(
        id="required-columns",
        title="Required columns",
        severity="error",
        category="convention",
        why="A column every table is meant to have (created_at, tenant_id) that is missing, "
        "of another type, default or nullability breaks the code and policies written for "
        "all tables alike.",
        trigger="A selected table without one of the template's columns, or with it but of "
        "another type, another default (or one where default: null asks for none) or "
        "nullability than the template writes.",
        check=_required_columns,
        default=False,
    ),
)
