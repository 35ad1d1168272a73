"""What every comparison step shares: the catalog, the oracle, and what specs claimed.

``Claims`` records every live object some spec declared (in any file of the run), so the
``exhaustive`` inventories that run after all declarations can tell declared from extra.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from schemaprobe.compare._oracle import Oracle
from schemaprobe.errors import SpecError, SpecProblem
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.spec.load import LoadedSpec
from schemaprobe.spec.model import INVENTORY_SECTIONS, SpecDocument

__all__ = [
    "Claims",
    "Context",
    "DocContext",
    "all_privileges",
    "exhaustive_sections",
    "grants_of",
    "role_name",
]


@dataclass(slots=True)
class Claims:
    tables: set[QualifiedName] = field(default_factory=set)
    views: set[QualifiedName] = field(default_factory=set)
    functions: set[tuple[QualifiedName, str]] = field(default_factory=set)
    schemas: set[str] = field(default_factory=set)
    extensions: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    # per relation: section -> names of live objects a spec declared
    parts: defaultdict[tuple[str, str, str], set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def claim(self, table: QualifiedName, section: str, name: str) -> None:
        self.parts[table.schema, table.name, section].add(name)

    def claimed(self, table: QualifiedName, section: str) -> set[str]:
        return self.parts.get((table.schema, table.name, section), set())


@dataclass(slots=True)
class Context:
    catalog: cat.Catalog
    oracle: Oracle
    claims: Claims = field(default_factory=Claims)


@dataclass(frozen=True, slots=True)
class DocContext:
    """One spec file being compared."""

    spec: LoadedSpec

    @property
    def doc(self) -> SpecDocument:
        return self.spec.document

    def qualify(self, key: str, *path: str | int) -> QualifiedName:
        """``key`` as a qualified name; a name SQL cannot read is a spec error at ``path``."""
        try:
            return _parse_name(key, self.doc.default_schema)
        except ValueError as exc:
            where = path or (key,)
            dotted = ".".join(str(p) for p in where)
            problem = SpecProblem(self.spec.locate(*where), dotted, f"invalid name: {exc}")
            raise SpecError([problem]) from None

    def try_qualify(self, key: str) -> QualifiedName | None:
        """``key`` as a qualified name, or ``None`` (for values compared, not keys)."""
        try:
            return _parse_name(key, self.doc.default_schema)
        except ValueError:
            return None


@lru_cache(maxsize=1 << 16)
def _parse_name(key: str, default_schema: str) -> QualifiedName:
    return QualifiedName.parse(key, default_schema)


def role_name(name: str) -> str:
    """Spec role names as the catalog spells them (``public`` is the PUBLIC pseudo-role)."""
    return cat.PUBLIC if name.lower() == "public" else name


_ALL = {
    "table": ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"),
    "column": ("SELECT", "INSERT", "UPDATE", "REFERENCES"),
    "schema": ("USAGE", "CREATE"),
    "function": ("EXECUTE",),
}


def all_privileges(kind: str, server_major: int) -> frozenset[str]:
    """What ``ALL`` grants on an object of ``kind`` on this server version."""
    privileges = set(_ALL[kind])
    if kind == "table" and server_major >= 17:
        privileges.add("MAINTAIN")
    return frozenset(privileges)


def grants_of(privileges: Iterable[cat.Privilege], owner: str | None) -> dict[str, set[str]]:
    """Grantee -> privileges, without the owner's own (implied by ownership)."""
    grants: dict[str, set[str]] = {}
    for privilege in privileges:
        if privilege.grantee == owner:
            continue
        grants.setdefault(privilege.grantee, set()).add(privilege.privilege)
    return grants


def exhaustive_sections(*levels: object) -> frozenset[str]:
    """The sections ``exhaustive`` covers, from the nearest level that sets it.

    ``levels`` go from innermost (table) to outermost (document); ``None`` means "not
    set here". ``true`` covers every section except ``roles`` (cluster-wide: other
    databases' roles are no business of this spec unless it lists ``roles``).
    """
    for level in levels:
        if level is None:
            continue
        if level is True:
            return frozenset(s for s in INVENTORY_SECTIONS if s != "roles")
        if level is False:
            return frozenset()
        if isinstance(level, list):
            return frozenset(level)
    return frozenset()
