"""Which schemas a read covers: system schemas never, profiles' managed schemas not by default.

Patterns are shell globs matched case-sensitively against the schema's real name
(``fnmatch.fnmatchcase``): ``app_*``, ``tenant_??``, ``[ab]*``. The filter runs in Python
on the (short) schema list; every other query then receives the chosen schema oids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

from schemaprobe.errors import IntrospectionError, UsageError

__all__ = ["PROFILES", "SUPABASE_SCHEMAS", "SYSTEM_SCHEMAS", "SchemaFilter", "is_system_schema"]

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
_TEMP = re.compile(r"pg_(toast_)?temp_\d+")

# Schemas that Supabase creates and manages itself (platform services and the extensions
# it preinstalls). A project's own objects live elsewhere (usually ``public``).
SUPABASE_SCHEMAS = (
    "_analytics",
    "_realtime",
    "_supavisor",
    "auth",
    "cron",
    "extensions",
    "graphql",
    "graphql_public",
    "net",
    "pgbouncer",
    "pgsodium",
    "pgsodium_masks",
    "pgtle",
    "realtime",
    "repack",
    "storage",
    "supabase_functions",
    "supabase_migrations",
    "tiger",
    "tiger_data",
    "topology",
    "vault",
)

PROFILES: dict[str, tuple[str, ...]] = {"supabase": SUPABASE_SCHEMAS}

_GLOB_CHARS = frozenset("*?[")


def is_system_schema(name: str) -> bool:
    """True for pg_catalog, information_schema, pg_toast and temporary schemas."""
    return name in SYSTEM_SCHEMAS or _TEMP.fullmatch(name) is not None


class SchemaFilter:
    """Decides schema by schema; a profile's schemas yield only to an include by exact name."""

    def __init__(
        self,
        include: Sequence[str] | None,
        exclude: Sequence[str],
        profile: str | None,
    ) -> None:
        if isinstance(include, str) or isinstance(exclude, str):
            raise UsageError("include_schemas and exclude_schemas take a list of patterns")
        if profile is not None and profile not in PROFILES:
            valid = ", ".join(sorted(PROFILES))
            raise UsageError(f"unknown profile {profile!r}. Valid values are: {valid}")
        self.include = tuple(include) if include is not None else None
        self.exclude = tuple(exclude)
        self.managed = frozenset(PROFILES[profile]) if profile else frozenset()
        self._literal = frozenset(p for p in self.include or () if not _GLOB_CHARS.intersection(p))

    def selects(self, name: str) -> bool:
        """Whether schema ``name`` is read."""
        if is_system_schema(name):
            return False
        if self.include is not None and not any(fnmatchcase(name, p) for p in self.include):
            return False
        if any(fnmatchcase(name, p) for p in self.exclude):
            return False
        return name not in self.managed or name in self._literal

    def check_includes(self, names: Sequence[str]) -> None:
        """An include pattern that matches no schema at all is a mistake, not an empty read."""
        candidates = [*names, *SYSTEM_SCHEMAS]  # naming one is pointless, not a typo
        for pattern in self.include or ():
            if not any(fnmatchcase(name, pattern) for name in candidates):
                known = ", ".join(sorted(n for n in names if not is_system_schema(n)))
                raise IntrospectionError(
                    f"no schema matches {pattern!r} (schemas in this database: {known or 'none'})"
                )
