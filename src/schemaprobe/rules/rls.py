"""Row-level security switched on where it matters, and policies that can take effect."""

from __future__ import annotations

from collections.abc import Iterator

from schemaprobe.introspect.model import Catalog, Table
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import is_plain_table, relation_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]

_ACCESS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def _enable(table: Table) -> str:
    return _fix.template("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", table.name.identifier)


def _reachable_by(table: Table, context: RuleContext) -> str:
    held = [
        f"{privilege} to {', '.join(roles)}"
        for privilege in _ACCESS
        if (roles := context.holders(table.privileges, privilege))
    ]
    return "; ".join(held)


def _rls_disabled_in_exposed_schema(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if not is_plain_table(table) or table.rls_enabled:
            continue
        if not context.is_exposed(table.name.schema):
            continue
        reach = _reachable_by(table, context)
        yield Violation(
            object=relation_name("table", table.name),
            subject=table.name,
            path="rls",
            expected="row level security enabled",
            actual="disabled" + (f" ({reach})" if reach else ""),
            fix=_enable(table),
        )


def _policies_without_rls(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if table.rls_enabled or not table.policies or not is_plain_table(table):
            continue
        names = ", ".join(sorted(p.name for p in table.policies))
        yield Violation(
            object=relation_name("table", table.name),
            subject=table.name,
            path="rls",
            expected="row level security enabled (its policies apply only then)",
            actual=f"disabled, with {len(table.policies)} policies: {names}",
            fix=_enable(table),
        )


def _rls_without_policy(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if table.rls_enabled and not table.policies and is_plain_table(table):
            yield Violation(
                object=relation_name("table", table.name),
                subject=table.name,
                path="policies",
                expected="at least one policy (or a comment that owner-only access is meant)",
                actual="row level security enabled, no policy",
            )


RULES = (
    Rule(
        id="rls-disabled-in-exposed-schema",
        title="RLS disabled in an exposed schema",
        severity="error",
        category="security",
        why="Every row of a table without row level security in a schema the API serves "
        "can be read and changed by anyone the table is granted to, anonymous callers included.",
        trigger="An ordinary or partitioned table in an exposed schema with RLS disabled.",
        check=_rls_disabled_in_exposed_schema,
    ),
    Rule(
        id="policies-without-rls",
        title="Policies exist but RLS is disabled",
        severity="error",
        category="security",
        why="Policies on a table whose row level security is disabled are ignored, so the "
        "table is open although it looks protected.",
        trigger="A table with at least one policy and RLS disabled (any schema).",
        check=_policies_without_rls,
    ),
    Rule(
        id="rls-enabled-no-policy",
        title="RLS enabled without a policy",
        severity="info",
        category="security",
        why="With row level security on and no policy, nobody but the owner and BYPASSRLS "
        "roles sees a row: fine for a private table, a silent outage if access was meant.",
        trigger="A table with RLS enabled and no policy.",
        check=_rls_without_policy,
    ),
)
