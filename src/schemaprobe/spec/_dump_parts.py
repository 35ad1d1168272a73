"""Leaf converters of :mod:`schemaprobe.spec.dump`: one catalog value → its spec form.

Pure functions over single catalog objects (an index key, a trigger, a policy, grants);
the document, its order and the sharing of converted objects are ``dump``'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from schemaprobe.introspect.model import (
    PUBLIC,
    Extension,
    ForeignKey,
    IndexColumn,
    Policy,
    Privilege,
    Role,
    Trigger,
    quote_ident,
)

__all__ = [
    "extension_spec",
    "grants_spec",
    "index_key",
    "policy_spec",
    "reference",
    "role_spec",
    "trigger_spec",
]

JSON = dict[str, Any]

_TRIGGER_ENABLED = {"D": "disabled", "R": "replica", "A": "always"}

# How spec index keys are read back (schemaprobe.compare._index_keys): a trailing
# ASC/DESC/NULLS FIRST|LAST is an ordering, an identifier (optionally followed by a word)
# is a column (with an opclass). An expression that would be read so is written as a
# mapping instead, which is never re-parsed.
_ORDER_SUFFIX = re.compile(r"\s(?:asc|desc|nulls\s+(?:first|last))\s*$", re.IGNORECASE)
_IDENT = r'"(?:[^"]|"")+"|[A-Za-z_][\w$]*'
_COLUMN_LIKE = re.compile(rf"^(?:{_IDENT})(?:\s+[A-Za-z_][\w.]*)?$")
# ``references: table(col, ...)`` is split on parentheses and commas, names unquoted.
_REFERENCE_UNSAFE = re.compile(r"[(),]")


def _public(role: str) -> str:
    """The spec's name of a grantee or policy role (``public`` for everyone)."""
    return "public" if role == PUBLIC else role


def grants_spec(privileges: Iterable[Privilege], owner: str | None) -> JSON:
    """Grantee -> sorted privilege keywords, without the owner's own (implied)."""
    grouped: dict[str, set[str]] = {}
    for privilege in privileges:
        if privilege.grantee != owner:
            grouped.setdefault(_public(privilege.grantee), set()).add(privilege.privilege)
    return {grantee: sorted(grouped[grantee]) for grantee in sorted(grouped)}


def index_key(key: IndexColumn) -> str | JSON:
    """One index key as a spec writes it: ``name``, ``lower(email) DESC`` or a mapping.

    A string when there is no opclass or collation (and the text cannot be misread);
    the ordering is written only where it is not the default for its direction.
    """
    if key.opclass is None and key.collation is None:
        text = key.name
        if key.expression:
            plain = (
                text == text.strip()
                and _ORDER_SUFFIX.search(text) is None
                and _COLUMN_LIKE.match(text) is None
            )
        else:
            text = quote_ident(text)
            plain = True
        if plain:
            if key.descending:
                return text + " DESC" if key.nulls_first else text + " DESC NULLS LAST"
            return text + " NULLS FIRST" if key.nulls_first else text
    out: JSON = {"expression" if key.expression else "column": key.name}
    if key.descending:
        out["order"] = "desc"
    if key.nulls_first != key.descending:
        out["nulls"] = "first" if key.nulls_first else "last"
    if key.opclass is not None:
        out["opclass"] = key.opclass
    if key.collation is not None:
        out["collation"] = key.collation
    return out


def reference(ref: ForeignKey) -> str | None:
    """``schema.table(col, ...)``; only ``schema.table`` when a column name would not
    survive the split (the engine then accepts any target columns)."""
    table = str(ref.table)
    if "(" in table or ")" in table:
        return None
    columns = ref.columns
    if not columns or any(_REFERENCE_UNSAFE.search(c) or c != c.strip() or not c for c in columns):
        return table
    return f"{table}({', '.join(columns)})"


def trigger_spec(trigger: Trigger) -> JSON:
    out: JSON = {
        "timing": trigger.timing.lower(),
        "events": [event.lower() for event in trigger.events],
    }
    if trigger.update_columns:
        out["columns"] = list(trigger.update_columns)
    out["level"] = trigger.level.lower()
    out["function"] = str(trigger.function)
    if trigger.arguments:
        out["arguments"] = list(trigger.arguments)
    if trigger.when is not None:
        out["when"] = trigger.when
    enabled = _TRIGGER_ENABLED.get(trigger.enabled)
    if enabled is not None:
        out["enabled"] = enabled
    return out


def policy_spec(policy: Policy) -> JSON:
    return {
        "command": policy.command.lower(),
        "permissive": policy.permissive,
        "roles": sorted(_public(role) for role in policy.roles),
        "using": policy.using,
        "with_check": policy.with_check,
    }


def extension_spec(extension: Extension) -> JSON:
    return {"version": extension.version, "schema": extension.schema}


def role_spec(role: Role) -> JSON:
    out: JSON = {
        "login": role.login,
        "superuser": role.superuser,
        "bypassrls": role.bypassrls,
        "createrole": role.createrole,
        "createdb": role.createdb,
        "inherit": role.inherit,
    }
    if role.connection_limit != -1:
        out["connection_limit"] = role.connection_limit
    if role.memberships:
        out["member_of"] = list(role.member_of)
    return out
