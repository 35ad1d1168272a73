"""How rule findings name objects: the same words every time (they are also the keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemaprobe.introspect.model import Function, Policy, QualifiedName, Table, View, quote_ident

if TYPE_CHECKING:
    from schemaprobe.rules.exposure import RuleContext

__all__ = [
    "column_name",
    "constraint_name",
    "function_name",
    "holds_user_data",
    "index_name",
    "owner_markers",
    "policy_name",
    "relation_name",
    "trigger_name",
]

DEFAULT_OWNER_COLUMNS = ("user_id", "owner_id")
DEFAULT_OWNER_TABLES = ("auth.users",)

_APPLICABLE_KINDS = ("table", "partitioned table")


def relation_name(kind: str, name: QualifiedName) -> str:
    """``table public.notes``, ``view public.feed``."""
    return f"{kind} {name}"


def policy_name(table: Table, policy: Policy) -> str:
    return f"policy {quote_ident(policy.name)} on {table.name}"


def index_name(table: Table | View, index: str) -> str:
    # str(QualifiedName(schema, index)), without making one per index
    return f"index {quote_ident(table.name.schema)}.{quote_ident(index)} on {table.name}"


def column_name(table: Table, column: str) -> str:
    return f"column {table.name}.{quote_ident(column)}"


def constraint_name(table: Table, constraint: str) -> str:
    """``constraint notes_org_id_fkey on public.notes`` (what unindexed-foreign-key says)."""
    return f"constraint {quote_ident(constraint)} on {table.name}"


def trigger_name(table: Table, trigger: str) -> str:
    return f"trigger {quote_ident(trigger)} on {table.name}"


def function_name(function: Function) -> str:
    return f"{function.kind} {function.signature}"


def is_plain_table(table: Table) -> bool:
    """Ordinary or partitioned: the tables RLS and keys apply to (not foreign tables)."""
    return table.kind in _APPLICABLE_KINDS


@dataclass(frozen=True, slots=True)
class OwnerMarkers:
    """What makes a table hold user data: one of ``columns``, or a foreign key to one of
    ``tables`` (qualified names as text)."""

    columns: frozenset[str]
    tables: frozenset[str]


def owner_markers(context: RuleContext) -> OwnerMarkers:
    """The rule's ``owner_columns`` and ``owner_tables`` spec settings, defaulting to
    ``user_id``/``owner_id`` and ``auth.users``: the shape of every Supabase tutorial
    table and of the five seed systems. Read once per rule run, not per table (a spec
    setting the rule lacks is a pydantic attribute miss, ~5 us each)."""
    config = context.config
    columns = getattr(config, "owner_columns", None) or DEFAULT_OWNER_COLUMNS
    tables = getattr(config, "owner_tables", None) or DEFAULT_OWNER_TABLES
    return OwnerMarkers(frozenset(columns), frozenset(tables))


def holds_user_data(table: Table, markers: OwnerMarkers) -> str | None:
    """Why ``table`` holds user data (``column user_id``, ``foreign key to auth.users``),
    or ``None``: it has one of the owner columns, or a foreign key to an owner table."""
    for column in table.columns:
        if column.name in markers.columns:
            return f"column {column.name}"
    for constraint in table.constraints:
        target = constraint.references
        if target is not None and str(target.table) in markers.tables:
            return f"foreign key to {target.table}"
    return None
