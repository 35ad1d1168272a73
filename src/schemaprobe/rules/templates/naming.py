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
from functools import partial
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
        self.count = count

    def literal(self) -> str | None:
        """The one name a literal pattern allows, when one object has to carry it (only
        then can a rename meet the pattern); asked for violations only."""
        return _literal(self.pattern, self.table) if self.count == 1 else None

    def __call__(self, name: str, obj: Callable[[], str], rename: Rename) -> Violation | None:
        """``obj`` names the object, asked only for a violation: most names conform, and
        naming every column of 10,000 tables up front would cost most of the rule."""
        if matches(self.pattern, name, self.table.name.name):
            return None
        return Violation(
            object=obj(),
            path=f"name ({self.field})",
            expected=f"a name matching {self.pattern}",
            actual=name,
            fix=rename(literal) if (literal := self.literal()) is not None else None,
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


def _rename_part(table: Table, text: str, old: str, new: str) -> str:
    """``ALTER TABLE t RENAME COLUMN/CONSTRAINT old TO new;``"""
    return _alter_table(table, text, sql.Identifier(old))(new)


def _table_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    if config.table_names:
        judge = _Judge(table, "table_names", config.table_names, 1)
        yield judge(
            table.name.name,
            lambda: relation_name("table", table.name),
            _alter_table(table, "RENAME TO {}"),
        )
    if config.columns:
        judge = _Judge(table, "columns", config.columns, len(table.columns))
        for column in table.columns:
            yield judge(
                column.name,
                partial(column_name, table, column.name),
                partial(_rename_part, table, "RENAME COLUMN {} TO {}", column.name),
            )


def _constraint_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    for field, kind in _CONSTRAINT_FIELDS:
        pattern = getattr(config, field)
        if not pattern:
            continue
        # inherited constraints carry their parent's name, judged there
        constraints = [c for c in table.constraints if c.kind == kind and not c.inherited]
        judge = _Judge(table, field, pattern, len(constraints))
        for constraint in constraints:
            yield judge(
                constraint.name,
                partial(constraint_name, table, constraint.name),
                partial(_rename_part, table, "RENAME CONSTRAINT {} TO {}", constraint.name),
            )


def _other_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation | None]:
    if config.indexes:
        plain = [i for i in table.indexes if i.constraint is None]
        judge = _Judge(table, "indexes", config.indexes, len(plain))
        for index in plain:

            def rename_index(new: str, old: str = index.name) -> str:
                return _fix.template(
                    "ALTER INDEX {} RENAME TO {};",
                    sql.Identifier(table.name.schema, old),
                    sql.Identifier(new),
                )

            yield judge(index.name, partial(index_name, table, index.name), rename_index)
    if config.policies:
        judge = _Judge(table, "policies", config.policies, len(table.policies))
        for policy in table.policies:

            def rename_policy(new: str, old: str = policy.name) -> str:
                return _fix.template(
                    "ALTER POLICY {} ON {} RENAME TO {};",
                    sql.Identifier(old),
                    table.name.identifier,
                    sql.Identifier(new),
                )

            yield judge(policy.name, partial(policy_name, table, policy), rename_policy)
    if config.triggers:
        own = [t for t in table.triggers if not t.inherited]
        judge = _Judge(table, "triggers", config.triggers, len(own))
        for trigger in own:

            def rename_trigger(new: str, old: str = trigger.name) -> str:
                return _fix.template(
                    "ALTER TRIGGER {} ON {} RENAME TO {};",
                    sql.Identifier(old),
                    table.name.identifier,
                    sql.Identifier(new),
                )

            yield judge(trigger.name, partial(trigger_name, table, trigger.name), rename_trigger)


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
