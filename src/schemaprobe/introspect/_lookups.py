"""Cluster-wide facts needed to name things: roles, schemas, operator classes, collations.

Read first, in the same snapshot as everything else, and small: they let the big queries
return bare oids that are named here with a dictionary hit instead of a join per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from schemaprobe.introspect._names import QualifiedName
from schemaprobe.introspect.model import Membership, Role

__all__ = ["Lookups", "OpClass", "Row", "display_name"]

Row = tuple[Any, ...]

DEFAULT_COLLATION = 100


def display_name(schema: str, name: str) -> str:
    """Catalog objects by bare name, others schema-qualified and quoted as needed."""
    if schema == "pg_catalog":
        return name
    return str(QualifiedName(schema, name))


@dataclass(frozen=True, slots=True)
class OpClass:
    name: str
    method: int
    intype: int
    default: bool


class Lookups:
    """Oid → name tables, filled from the ``roles``, ``memberships`` and ``lookups`` queries."""

    def __init__(self) -> None:
        self.role_names: dict[int, str] = {0: "PUBLIC"}
        self.roles: dict[str, Role] = {}
        self.opclasses: dict[int, OpClass] = {}
        self.default_opclass: dict[tuple[int, int], int] = {}
        self.collations: dict[int, str] = {}
        self.type_base: dict[int, int] = {}
        self.type_collation: dict[int, int] = {}
        self.access_methods: dict[int, str] = {}
        self.languages: dict[int, str] = {}

    def add_roles(self, rows: Iterable[Row], memberships: Iterable[Row]) -> None:
        rows = list(rows)
        for row in rows:
            self.role_names[row[0]] = row[1]
        member_of: dict[int, list[Membership]] = {}
        for member, roleid, admin, inherit, set_ in memberships:
            name = self.role_names.get(roleid)
            if name is None:
                continue
            member_of.setdefault(member, []).append(Membership(name, admin, inherit, set_))
        for (
            oid,
            name,
            login,
            superuser,
            bypassrls,
            createrole,
            createdb,
            inherit_,
            replication,
            connlimit,
            comment,
        ) in rows:
            if name.startswith("pg_"):
                continue  # predefined roles: named when referenced, not listed
            self.roles[name] = Role(
                name=name,
                login=login,
                superuser=superuser,
                bypassrls=bypassrls,
                createrole=createrole,
                createdb=createdb,
                inherit=inherit_,
                replication=replication,
                connection_limit=connlimit,
                memberships=tuple(sorted(member_of.get(oid, ()))),
                comment=comment,
            )

    def add_lookups(self, rows: Iterable[Row]) -> None:
        for kind, oid, schema, name, a, b, flag in rows:
            if kind == "opclass":
                opclass = OpClass(display_name(schema, name), a, b, flag)
                self.opclasses[oid] = opclass
                if flag:
                    self.default_opclass[(a, b)] = oid
            elif kind == "collation":
                self.collations[oid] = display_name(schema, name)
            elif kind == "type":
                if a:
                    self.type_base[oid] = a
                if b:
                    self.type_collation[oid] = b
            elif kind == "am":
                self.access_methods[oid] = name
            elif kind == "language":
                self.languages[oid] = name

    def role(self, oid: int) -> str:
        """The name of role ``oid`` (``PUBLIC`` for 0); a dropped owner shows as its oid."""
        name = self.role_names.get(oid)
        return name if name is not None else f"<role {oid}>"

    def base_type(self, type_oid: int) -> int:
        """Follow domains down to their base type."""
        seen = 0
        while type_oid in self.type_base and seen < 32:
            type_oid = self.type_base[type_oid]
            seen += 1
        return type_oid

    def collation_name(self, collation: int) -> str:
        return self.collations.get(collation) or f"<collation {collation}>"

    def opclass_shown(self, opclass: int, method: int, key_type: int | None) -> str | None:
        """The opclass name when ``pg_get_indexdef`` would print it (it is not the default).

        Mirrors ``GetDefaultOpClass``: an opclass is implied when it is the default of
        the method for the key's (base) type, or, when that type has no exact default,
        a default opclass for a type it is coercible to (``varchar`` uses ``text_ops``).
        """
        info = self.opclasses.get(opclass)
        if info is None:
            return f"<opclass {opclass}>"
        if not info.default:
            return info.name
        if key_type is None:
            return None
        base = self.base_type(key_type)
        if info.intype == base:
            return None
        exact = self.default_opclass.get((method, base))
        if exact is not None and exact != opclass:
            return info.name
        return None
