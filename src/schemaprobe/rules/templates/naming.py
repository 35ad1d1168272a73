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
from schemaprobe.rules.templates._patterns import PLACEHOLDER, matcher

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
    """Checks one kind of name on one table against one pattern.

    Most names conform, and a 10,000-table schema has some 200,000 of them, so a
    conforming name costs one match and nothing else: the finding's object name and its
    rename fix are made only for a violation (:meth:`violation`).
    """

    def __init__(self, table: Table, field: str, pattern: str, count: int) -> None:
        self.table = table
        self.field = field
        self.pattern = pattern
        self.count = count
        self.ok = matcher(pattern, table.name.name)
        """Whether a name conforms (``matches`` with the pattern's lookups done once)."""

    def violation(self, name: str, obj: str, rename: Rename) -> Violation:
        # a literal pattern can be met by renaming only if one object has to carry it
        literal = _literal(self.pattern, self.table) if self.count == 1 else None
        return Violation(
            object=obj,
            path=f"name ({self.field})",
            expected=f"a name matching {self.pattern}",
            actual=name,
            fix=rename(literal) if literal is not None else None,
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


def _rename_object(statement: str, table: Table, old: str, new: str) -> str:
    """``ALTER INDEX/POLICY/TRIGGER ... RENAME TO new;`` (an index by its schema, a
    policy or trigger on its table)."""
    if statement == "INDEX":
        return _fix.template(
            "ALTER INDEX {} RENAME TO {};",
            sql.Identifier(table.name.schema, old),
            sql.Identifier(new),
        )
    text = (
        "ALTER POLICY {} ON {} RENAME TO {};"
        if statement == "POLICY"
        else ("ALTER TRIGGER {} ON {} RENAME TO {};")
    )
    return _fix.template(text, sql.Identifier(old), table.name.identifier, sql.Identifier(new))


def _judged(
    table: Table,
    field: str,
    pattern: str,
    names: list[str],
    describe: Callable[[str], str],
    rename: Callable[[str], Rename],
) -> Iterator[Violation]:
    """The names of one kind on one table that do not match ``pattern``, as findings."""
    judge = _Judge(table, field, pattern, len(names))
    for name in names:
        if not judge.ok(name):
            yield judge.violation(name, describe(name), rename(name))


def _table_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation]:
    if config.table_names:
        yield from _judged(
            table,
            "table_names",
            config.table_names,
            [table.name.name],
            lambda _name: relation_name("table", table.name),
            lambda _name: _alter_table(table, "RENAME TO {}"),
        )
    if config.columns:
        yield from _judged(
            table,
            "columns",
            config.columns,
            [c.name for c in table.columns],
            partial(column_name, table),
            lambda name: partial(_rename_part, table, "RENAME COLUMN {} TO {}", name),
        )


def _constraint_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation]:
    for field, kind in _CONSTRAINT_FIELDS:
        pattern = getattr(config, field)
        if pattern:
            # inherited constraints carry their parent's name, judged there
            yield from _judged(
                table,
                field,
                pattern,
                [c.name for c in table.constraints if c.kind == kind and not c.inherited],
                partial(constraint_name, table),
                lambda name: partial(_rename_part, table, "RENAME CONSTRAINT {} TO {}", name),
            )


def _other_names(table: Table, config: NamingRuleSpec) -> Iterator[Violation]:
    if config.indexes:
        yield from _judged(
            table,
            "indexes",
            config.indexes,
            [i.name for i in table.indexes if i.constraint is None],
            partial(index_name, table),
            lambda name: partial(_rename_object, "INDEX", table, name),
        )
    if config.policies:
        policies = {p.name: p for p in table.policies}
        yield from _judged(
            table,
            "policies",
            config.policies,
            list(policies),
            lambda name: policy_name(table, policies[name]),
            lambda name: partial(_rename_object, "POLICY", table, name),
        )
    if config.triggers:
        yield from _judged(
            table,
            "triggers",
            config.triggers,
            [t.name for t in table.triggers if not t.inherited],
            partial(trigger_name, table),
            lambda name: partial(_rename_object, "TRIGGER", table, name),
        )


def _naming_convention(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    config = _settings(context)
    if config is None:
        return
    for table in template_tables(catalog):
        yield from _table_names(table, config)
        yield from _constraint_names(table, config)
        yield from _other_names(table, config)


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
