"""How rule findings name objects: the same words every time (they are also the keys)."""

from __future__ import annotations

from schemaprobe.introspect.model import Function, Policy, QualifiedName, Table, quote_ident

__all__ = ["column_name", "function_name", "index_name", "policy_name", "relation_name"]

_APPLICABLE_KINDS = ("table", "partitioned table")


def relation_name(kind: str, name: QualifiedName) -> str:
    """``table public.notes``, ``view public.feed``."""
    return f"{kind} {name}"


def policy_name(table: Table, policy: Policy) -> str:
    return f"policy {quote_ident(policy.name)} on {table.name}"


def index_name(table: Table, index: str) -> str:
    return f"index {QualifiedName(table.name.schema, index)} on {table.name}"


def column_name(table: Table, column: str) -> str:
    return f"column {table.name}.{quote_ident(column)}"


def function_name(function: Function) -> str:
    return f"{function.kind} {function.signature}"


def is_plain_table(table: Table) -> bool:
    """Ordinary or partitioned: the tables RLS and keys apply to (not foreign tables)."""
    return table.kind in _APPLICABLE_KINDS
