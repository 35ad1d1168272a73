"""``naming-convention``: names of tables and what hangs off them match the spec's
patterns (regular expressions, matched in full; ``{table}`` is the table's name).

Indexes that back a constraint carry the constraint's name, so they are judged by the
constraint's pattern (``primary_keys``, ``unique_constraints``) and not by ``indexes``.
A rename is offered when the pattern is really one literal name (``{table}_pkey``) and the
table has one object of that kind; otherwise the right name is the project's choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from psycopg import sql

from schemaprobe.introspect.model import Catalog, Table
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import (
    column_name,
    constraint_name,
    index_name,
    policy_name,
    relation_name,
    trigger_name,
)
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.templates._common import template_tables
from schemaprobe.rules.templates._patterns import PLACEHOLDER, matches

if TYPE_CHECKING:
    from schemaprobe.spec.model import NamingRuleSpec

__all__ = ["RULES"]

_REGEX_SYNTAX = re.compile(r"[.^$*+?{}\[\]\\|()]")

# pattern field -> the constraint kind it names
_CONSTRAINT_FIELDS = (
    ("primary_keys", "primary key"),
    ("foreign_keys", "foreign key"),
    ("unique_constraints", "unique"),
    ("checks", "check"),
)


def _settings(context: RuleContext) -> NamingRuleSpec | None:
    if context.config is None:
        return None
    # already imported: the config is one of its nodes (lint alone never loads pydantic)
    from schemaprobe.spec.model import NamingRuleSpec

    return context.config if isinstance(context.config, NamingRuleSpec) else None


def _literal(pattern: str, table: Table) -> str | None:
    """The one name ``pattern`` allows for ``table`` (``^{table}_pkey$`` -> ``notes_pkey``),
    or ``None`` if it allows several (any regular-expression syntax beyond anchors)."""
    pieces = pattern.split(PLACEHOLDER)
    pieces[0] = pieces[0].removeprefix("^")
    pieces[-1] = pieces[-1].removesuffix("$")
    if any(_REGEX_SYNTAX.search(piece) for piece in pieces):
        return None
    return table.name.name.join(pieces)


Rename = Callable[[str], str]


class _Judge:
    """Checks one kind of name on one table against one pattern."""

    def __init__(self, table: Table, field: str, pattern: str, count: int) -> None:
        self.table = table
        self.field = field
        self.pattern = pattern
        # a literal pattern can be met by renaming only if one object has to carry it
        self.literal = _literal(pattern, table) if count == 1 else None

    def __call__(self, name: str, obj: str, rename: Rename) -> Violation | None:
        if matches(self.pattern, name, self.table.name.name):
            return None
        return Violation(
            object=obj,
            path=f"name ({self.field})",
            expected=f"a name matching {self.pattern}",
            actual=name,
            fix=rename(self.literal) if self.literal is not None else None,
            subject=self.table.name,
        )


def _alter_table(table: Table, text: str, *args: sql.Composable) -> Rename:
    def rename(new: str) -> str:
        return _fix.render(
            sql.SQL("ALTER TABLE {} ").format(table.name.identifier)
            + sql.SQL(text).format(*args, sql.Identifier(new))
            + sql.SQL(";")
        )

    return rename


def _table_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    if config.table_names:
        judge = _Judge(table, "table_names", config.table_names, 1)
        yield judge(
            table.name.name, relation_name("table", table.name), _alter_table(table, "RENAME TO {}")
        )
    if config.columns:
        judge = _Judge(table, "columns", config.columns, len(table.columns))
        for column in table.columns:
            rename = _alter_table(table, "RENAME COLUMN {} TO {}", sql.Identifier(column.name))
            yield judge(column.name, column_name(table, column.name), rename)


def _constraint_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    for field, kind in _CONSTRAINT_FIELDS:
        pattern = getattr(config, field)
        if not pattern:
            continue
        # inherited constraints carry their parent's name, judged there
        constraints = [c for c in table.constraints if c.kind == kind and not c.inherited]
        judge = _Judge(table, field, pattern, len(constraints))
        for constraint in constraints:
            rename = _alter_table(
                table, "RENAME CONSTRAINT {} TO {}", sql.Identifier(constraint.name)
            )
            yield judge(constraint.name, constraint_name(table, constraint.name), rename)


def _other_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    if config.indexes:
        plain = [i for i in table.indexes if i.constraint is None]
        judge = _Judge(table, "indexes", config.indexes, len(plain))
        for index in plain:
            old = sql.Identifier(table.name.schema, index.name)

            def rename_index(new: str, old: sql.Identifier = old) -> str:
                return _fix.template("ALTER INDEX {} RENAME TO {};", old, sql.Identifier(new))

            yield judge(index.name, index_name(table, index.name), rename_index)
    if config.policies:
        judge = _Judge(table, "policies", config.policies, len(table.policies))
        for policy in table.policies:
            old = sql.Identifier(policy.name)

            def rename_policy(new: str, old: sql.Identifier = old) -> str:
                return _fix.template(
                    "ALTER POLICY {} ON {} RENAME TO {};",
                    old,
                    table.name.identifier,
                    sql.Identifier(new),
                )

            yield judge(policy.name, policy_name(table, policy), rename_policy)
    if config.triggers:
        own = [t for t in table.triggers if not t.inherited]
        judge = _Judge(table, "triggers", config.triggers, len(own))
        for trigger in own:
            old = sql.Identifier(trigger.name)

            def rename_trigger(new: str, old: sql.Identifier = old) -> str:
                return _fix.template(
                    "ALTER TRIGGER {} ON {} RENAME TO {};",
                    old,
                    table.name.identifier,
                    sql.Identifier(new),
                )

            yield judge(trigger.name, trigger_name(table, trigger.name), rename_trigger)


def _naming_convention(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    config = _settings(context)
    if config is None:
        return
    for table in template_tables(catalog):
        for found in (
            *_table_names(table, config),
            *_constraint_names(table, config),
            *_other_names(table, config),
        ):
            if found is not None:
                yield found


RULES = (
    Rule(
        id="naming-convention",
        title="Naming convention",
        severity="warning",
        category="convention",
        why="Names that follow one pattern let people and tools find an object's table and "
        "purpose from its name (in errors, plans and migrations); one that does not is a "
        "surprise, not a fault, hence a warning.",
        trigger="A selected table, or its column, index (not backing a constraint), primary "
        "key, foreign key, unique or check constraint, policy or trigger, whose name does not "
        "match the spec's pattern for that kind in full ({table}: the table's name).",
        check=_naming_convention,
        default=False,
    ),
)
