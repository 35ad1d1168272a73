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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from schemaprobe.rules.templates._patterns import PLACEHOLDER, Matcher, matcher

if TYPE_CHECKING:
    from typing_extensions import LiteralString

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


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of name the spec gives a pattern for (``indexes``, ``checks``...), made
    once per run: which names of a table it judges, and how a finding names the object
    and renames it.

    Most names conform, and a 10,000-table schema has some 200,000 of them, so a
    conforming name costs one match and nothing else: the object name and the rename fix
    are made only for a violation (:meth:`violation`), and a pattern without
    ``{table}`` has its matcher made once, not per table.
    """

    field: str
    pattern: str
    names: Callable[[Table], list[str]]
    describe: Callable[[Table, str], str]
    # (table, old name, new name) -> fix SQL
    rename: Callable[[Table, str, str], str]
    fixed: Matcher | None

    def matcher(self, table: Table) -> Matcher:
        return self.fixed or matcher(self.pattern, table.name.name)

    def violation(self, table: Table, name: str, count: int) -> Violation:
        # a literal pattern can be met by renaming only if one object has to carry it
        literal = _literal(self.pattern, table) if count == 1 else None
        return Violation(
            object=self.describe(table, name),
            path=f"name ({self.field})",
            expected=f"a name matching {self.pattern}",
            actual=name,
            fix=self.rename(table, name, literal) if literal is not None else None,
            subject=table.name,
        )


def _alter_table(table: Table, text: LiteralString, *args: sql.Composable) -> str:
    """``ALTER TABLE t <text>;`` with ``text``'s placeholders filled by ``args``."""
    return _fix.render(
        sql.SQL("ALTER TABLE {} ").format(table.name.identifier)
        + sql.SQL(text).format(*args)
        + sql.SQL(";")
    )


def _rename_table(table: Table, _old: str, new: str) -> str:
    return _alter_table(table, "RENAME TO {}", sql.Identifier(new))


def _rename_column(table: Table, old: str, new: str) -> str:
    return _alter_table(table, "RENAME COLUMN {} TO {}", sql.Identifier(old), sql.Identifier(new))


def _rename_constraint(table: Table, old: str, new: str) -> str:
    return _alter_table(
        table, "RENAME CONSTRAINT {} TO {}", sql.Identifier(old), sql.Identifier(new)
    )


def _rename_index(table: Table, old: str, new: str) -> str:
    """``ALTER INDEX ... RENAME TO new;`` (an index is named by its schema)."""
    return _fix.template(
        "ALTER INDEX {} RENAME TO {};",
        sql.Identifier(table.name.schema, old),
        sql.Identifier(new),
    )


def _rename_policy(table: Table, old: str, new: str) -> str:
    return _fix.template(
        "ALTER POLICY {} ON {} RENAME TO {};",
        sql.Identifier(old),
        table.name.identifier,
        sql.Identifier(new),
    )


def _rename_trigger(table: Table, old: str, new: str) -> str:
    return _fix.template(
        "ALTER TRIGGER {} ON {} RENAME TO {};",
        sql.Identifier(old),
        table.name.identifier,
        sql.Identifier(new),
    )


def _constraints_of(kind: str) -> Callable[[Table], list[str]]:
    # inherited constraints carry their parent's name, judged there
    return lambda table: [c.name for c in table.constraints if c.kind == kind and not c.inherited]


def _policy(table: Table, name: str) -> str:
    return next(policy_name(table, p) for p in table.policies if p.name == name)


def _kinds(config: NamingRuleSpec) -> list[_Kind]:
    """The kinds ``config`` has a pattern for, in the order findings are made."""
    written: list[tuple[str, Callable[[Table], list[str]], Callable[[Table, str], str], Any]] = [
        (
            "table_names",
            lambda table: [table.name.name],
            lambda table, _name: relation_name("table", table.name),
            _rename_table,
        ),
        ("columns", lambda table: [c.name for c in table.columns], column_name, _rename_column),
        *(
            (field, _constraints_of(kind), constraint_name, _rename_constraint)
            for field, kind in _CONSTRAINT_FIELDS
        ),
        (
            "indexes",
            lambda table: [i.name for i in table.indexes if i.constraint is None],
            index_name,
            _rename_index,
        ),
        (
            "policies",
            lambda table: list(dict.fromkeys(p.name for p in table.policies)),
            _policy,
            _rename_policy,
        ),
        (
            "triggers",
            lambda table: [t.name for t in table.triggers if not t.inherited],
            trigger_name,
            _rename_trigger,
        ),
    ]
    kinds = []
    for field, names, describe, rename in written:
        pattern = getattr(config, field)
        if pattern:
            fixed = None if PLACEHOLDER in pattern else matcher(pattern, "")
            kinds.append(_Kind(field, pattern, names, describe, rename, fixed))
    return kinds


def _naming_convention(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    config = _settings(context)
    if config is None:
        return
    kinds = _kinds(config)
    for table in template_tables(catalog):
        for kind in kinds:
            names = kind.names(table)
            if not names:
                continue
            ok = kind.matcher(table)
            for name in names:
                if not ok(name):
                    yield kind.violation(table, name, len(names))


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
