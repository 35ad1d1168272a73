"""``foreign-key-convention``: foreign keys to given tables, with given actions.

A template with ``column`` says what that column means wherever it appears: every
selected table that has it must have a foreign key on exactly that column to the target
(with the actions). Without ``column``, it says how every foreign key to the target
behaves. Actions are compared as PostgreSQL names them (``NO ACTION``, ``CASCADE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from psycopg import sql

from schemaprobe.errors import UsageError
from schemaprobe.introspect.model import Catalog, Constraint, QualifiedName, Table, quote_ident
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import column_name, constraint_name
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.templates._common import template_tables

if TYPE_CHECKING:
    from schemaprobe.spec.model import ForeignKeyRuleSpec, ForeignKeyTemplate

__all__ = ["RULES"]


def _settings(context: RuleContext) -> ForeignKeyRuleSpec | None:
    if context.config is None:
        return None
    # already imported: the config is one of its nodes (lint alone never loads pydantic)
    from schemaprobe.spec.model import ForeignKeyRuleSpec

    return context.config if isinstance(context.config, ForeignKeyRuleSpec) else None


def _action(text: str | None) -> str | None:
    return " ".join(text.upper().split()) if text else None


class _Wanted:
    """One template, parsed: target table (unqualified: ``public``), its columns if
    written, and the actions it asks for."""

    def __init__(self, template: ForeignKeyTemplate) -> None:
        from schemaprobe.spec.model import split_reference

        table, columns = split_reference(template.references)
        self.column = template.column
        try:
            self.table = QualifiedName.parse(table)
            self.columns = tuple(QualifiedName.parse(c).name for c in columns)
        except ValueError as exc:  # e.g. a three-part name: the spec's, not the database's
            raise UsageError(
                f"foreign-key-convention: references={template.references!r} is not "
                f"table or table(column, ...): {exc}"
            ) from None
        self.on_delete = _action(template.on_delete)
        self.on_update = _action(template.on_update)

    def target(self) -> str:
        columns = f"({', '.join(quote_ident(c) for c in self.columns)})" if self.columns else ""
        return f"{self.table}{columns}"

    def actions(self) -> str:
        words = [f"ON DELETE {self.on_delete}" if self.on_delete else ""]
        words.append(f"ON UPDATE {self.on_update}" if self.on_update else "")
        return " ".join(w for w in words if w)

    def describe(self) -> str:
        column = f"({quote_ident(self.column)}) " if self.column else ""
        return " ".join(w for w in (f"foreign key {column}to {self.target()}", self.actions()) if w)

    def points_at(self, constraint: Constraint) -> bool:
        reference = constraint.references
        return (
            reference is not None
            and reference.table == self.table
            and (not self.columns or reference.columns == self.columns)
        )

    def action_problems(self, constraint: Constraint) -> dict[str, tuple[str, str]]:
        assert constraint.references is not None  # only foreign keys get here
        found: dict[str, tuple[str, str]] = {}
        live = {"on_delete": constraint.references.on_delete}
        live["on_update"] = constraint.references.on_update
        for path, wanted in (("on_delete", self.on_delete), ("on_update", self.on_update)):
            if wanted is not None and wanted != live[path]:
                words = path.upper().replace("_", " ")
                found[path] = (f"{words} {wanted}", f"{words} {live[path]}")
        return found


def _foreign_keys(table: Table) -> list[Constraint]:
    """The table's own foreign keys (a partition's copies are its parent's)."""
    return [c for c in table.constraints if c.kind == "foreign key" and not c.inherited]


def _idents(names: tuple[str, ...]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(n) for n in names)


def _add(table: Table, wanted: _Wanted) -> str:
    assert wanted.column is not None
    target = sql.SQL("{} ({})").format(wanted.table.identifier, _idents(wanted.columns))
    actions = wanted.actions()
    return _fix.template(
        "ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {}{};",
        table.name.identifier,
        sql.Identifier(wanted.column),
        target if wanted.columns else wanted.table.identifier,
        sql.SQL(f" {actions}" if actions else ""),
    )


def _recreate(table: Table, constraint: Constraint, wanted: _Wanted) -> str:
    """Drop the key and add it again as it was, with the wanted actions, in one ALTER
    TABLE (the drop runs first); the server checks the rows again."""
    reference = constraint.references
    assert reference is not None
    on_delete = wanted.on_delete or reference.on_delete
    on_update = wanted.on_update or reference.on_update
    delete: sql.Composable = sql.SQL(on_delete)
    if on_delete == reference.on_delete and reference.on_delete_set_columns:
        delete = sql.SQL("{} ({})").format(delete, _idents(reference.on_delete_set_columns))
    tail: list[sql.Composable] = [sql.SQL(" MATCH FULL")] if reference.match == "FULL" else []
    tail.append(sql.SQL(" ON DELETE {} ON UPDATE {}").format(delete, sql.SQL(on_update)))
    if constraint.deferrable:
        tail.append(sql.SQL(" DEFERRABLE"))
    if constraint.initially_deferred:
        tail.append(sql.SQL(" INITIALLY DEFERRED"))
    if not constraint.validated:
        tail.append(sql.SQL(" NOT VALID"))
    return _fix.template(
        "ALTER TABLE {} DROP CONSTRAINT {}, "
        "ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}){};",
        table.name.identifier,
        sql.Identifier(constraint.name),
        sql.Identifier(constraint.name),
        _idents(constraint.columns),
        reference.table.identifier,
        _idents(reference.columns),
        sql.Composed(tail),
    )


def _wrong_actions(table: Table, constraint: Constraint, wanted: _Wanted) -> Violation | None:
    found = wanted.action_problems(constraint)
    if not found:
        return None
    return Violation(
        object=constraint_name(table, constraint.name),
        path=" and ".join(found),
        expected=", ".join(e for e, _ in found.values()),
        actual=", ".join(a for _, a in found.values()),
        fix=_recreate(table, constraint, wanted),
        subject=table.name,
    )


def _column_template(table: Table, wanted: _Wanted) -> Iterator[Violation]:
    assert wanted.column is not None
    if table.column(wanted.column) is None:
        return
    keys = [c for c in _foreign_keys(table) if c.columns == (wanted.column,)]
    to_target = [c for c in keys if wanted.points_at(c)]
    if not to_target:
        elsewhere = [f"{quote_ident(c.name)} to {c.references.table}" for c in keys if c.references]
        yield Violation(
            object=column_name(table, wanted.column),
            path="foreign_key",
            expected=wanted.describe(),
            actual=f"foreign key {', '.join(elsewhere)}" if elsewhere else "no foreign key",
            # another target is a modelling decision; a missing key is added as written
            fix=None if keys else _add(table, wanted),
            subject=table.name,
        )
        return
    for constraint in to_target:
        violation = _wrong_actions(table, constraint, wanted)
        if violation is not None:
            yield violation


def _target_template(table: Table, wanted: _Wanted) -> Iterator[Violation]:
    for constraint in _foreign_keys(table):
        if wanted.points_at(constraint):
            violation = _wrong_actions(table, constraint, wanted)
            if violation is not None:
                yield violation


def _foreign_key_convention(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    config = _settings(context)
    if config is None:
        return
    reported: set[str] = set()  # two templates may judge one key: the first one speaks
    for template in config.foreign_keys:
        wanted = _Wanted(template)
        check = _column_template if wanted.column is not None else _target_template
        for table in template_tables(catalog):
            for violation in check(table, wanted):
                if violation.object not in reported:
                    reported.add(violation.object)
                    yield violation


RULES = (
    Rule(
        id="foreign-key-convention",
        title="Foreign key convention",
        severity="error",
        category="convention",
        why="A column that means a reference (user_id, org_id) without its foreign key, or "
        "with other actions than the convention's, leaves orphans or blocks deletes that the "
        "rest of the schema handles.",
        trigger="With column: a selected table that has the column and no foreign key on "
        "exactly it to the target, or one with other actions. Without column: a foreign key "
        "to the target with other actions.",
        check=_foreign_key_convention,
        default=False,
    ),
)
