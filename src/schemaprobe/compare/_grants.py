"""Grants: each declared grantee must hold exactly the declared privileges.

The owner's own privileges are implied by ownership and never compared. ``WITH GRANT
OPTION`` is not compared. Under ``exhaustive`` (section ``grants``) any other grantee
holding anything is a finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemaprobe.compare._context import all_privileges, grants_of, role_name
from schemaprobe.compare._items import Item, Path
from schemaprobe.introspect import model as cat

__all__ = ["compare_grants"]


def compare_grants(
    item: Item,
    obj: str,
    declared: dict[str, list[str]] | None,
    live: Iterable[cat.Privilege],
    owner: str | None,
    kind: str,
    server_major: int,
    *,
    exhaustive: bool,
    at: Path = ("grants",),
) -> None:
    actual = grants_of(live, owner)
    wanted: dict[str, set[str]] = {}
    for role, privileges in (declared or {}).items():
        expanded: set[str] = set()
        for privilege in privileges:
            word = " ".join(privilege.upper().split())
            if word in ("ALL", "ALL PRIVILEGES"):
                expanded |= all_privileges(kind, server_major)
            else:
                expanded.add(word)
        wanted[role_name(role)] = expanded
    for role, expected in wanted.items():
        have = actual.get(role, set())
        if have != expected:
            item.add(
                obj,
                f"grants.{role}",
                "Grants differ",
                sorted(expected) or "no privileges",
                sorted(have) or "no privileges",
                (*at, _spec_role(declared, role)),
            )
    if exhaustive:
        for role in sorted(set(actual) - set(wanted)):
            item.add(
                obj,
                f"grants.{role}",
                "Unexpected grant",
                "no privileges",
                sorted(actual[role]),
                at,
            )


def _spec_role(declared: dict[str, list[str]] | None, role: str) -> str:
    for key in declared or {}:
        if role_name(key) == role:
            return key
    return role
