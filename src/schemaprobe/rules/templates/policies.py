"""Policy conventions: one permissive policy per role and command, and tables holding
user data guarded by RLS with a policy of their own for each command.

Only permissive policies count: a restrictive policy narrows what permissive ones admit
and admits nothing by itself. A ``FOR ALL`` policy governs all four commands, so it
overlaps with any per-command policy, and is not a separate policy for any of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from psycopg import sql

from schemaprobe.introspect.model import PUBLIC, Catalog, Policy, Table, quote_ident
from schemaprobe.rules import _fix
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import holds_user_data, owner_markers, relation_name
from schemaprobe.rules.exposure import RuleContext
from schemaprobe.rules.templates._common import template_tables

__all__ = ["RULES"]

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")
_NAME_BYTES = 63  # NAMEDATALEN - 1: longer names are cut by the server


def _governs(policy: Policy, command: str) -> bool:
    return policy.command in (command, "ALL")


def _listed(policies: list[Policy]) -> str:
    return ", ".join(f"{quote_ident(p.name)} (FOR {p.command})" for p in policies)


def _roles(table: Table, catalog: Catalog, context: RuleContext) -> list[str]:
    """PUBLIC, then the API roles and every role a policy names, minus roles that bypass
    RLS (their policies never apply)."""
    named = {r for p in table.policies for r in p.roles if r != PUBLIC}
    roles = sorted({*context.api_roles, *named})
    kept = [
        r
        for r in roles
        if (role := catalog.roles.get(r)) is None or not (role.bypassrls or role.superuser)
    ]
    return [PUBLIC, *kept]


def _overlaps(table: Table, catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    permissive = [p for p in table.policies if p.permissive]
    for command in COMMANDS:
        governing = sorted((p for p in permissive if _governs(p, command)), key=lambda p: p.name)
        if len(governing) < 2:
            continue
        for_public = [p for p in governing if PUBLIC in p.roles]
        for role in _roles(table, catalog, context):
            if role == PUBLIC:
                applying = for_public
            else:
                applying = [p for p in governing if PUBLIC in p.roles or role in p.roles]
                if applying == for_public:  # already reported once, as PUBLIC
                    continue
            if len(applying) < 2:
                continue
            yield Violation(
                object=f"{relation_name('table', table.name)} {command} as {role}",
                path="policies",
                expected=f"at most one permissive policy governing {command} for {role}",
                actual=f"{len(applying)}: {_listed(applying)}",
                subject=table.name,
            )


def _one_policy_per_command(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in template_tables(catalog):
        if table.rls_enabled:
            yield from _overlaps(table, catalog, context)


def _split_all(table: Table, policy: Policy, enable: bool) -> str | None:
    """The FOR ALL policy as four policies with the same effect, then dropped: SELECT and
    DELETE keep USING, INSERT checks new rows with WITH CHECK (else USING, as FOR ALL
    does), UPDATE keeps both. ``None`` without USING or when a new name would be cut."""
    if policy.using is None:
        return None
    check = policy.with_check or policy.using
    clauses = {
        "SELECT": f"USING ({policy.using})",
        "INSERT": f"WITH CHECK ({check})",
        "UPDATE": f"USING ({policy.using}) WITH CHECK ({check})",
        "DELETE": f"USING ({policy.using})",
    }
    statements: list[sql.Composable] = []
    for command, clause in clauses.items():
        name = f"{policy.name} ({command.lower()})"
        if len(name.encode()) > _NAME_BYTES:
            return None
        statements.append(
            sql.SQL("CREATE POLICY {} ON {} AS PERMISSIVE FOR {} TO {} {};").format(
                sql.Identifier(name),
                table.name.identifier,
                sql.SQL(command),
                _fix.grantees(policy.roles),
                # the server's own rendering of the expressions: trusted SQL text
                sql.SQL(clause),
            )
        )
    statements.append(
        sql.SQL("DROP POLICY {} ON {};").format(sql.Identifier(policy.name), table.name.identifier)
    )
    if enable:
        statements.append(_enable(table))
    return _fix.render(sql.SQL(" ").join(statements))


def _enable(table: Table) -> sql.Composable:
    return sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;").format(table.name.identifier)


def _crud_fix(table: Table, missing: list[str], permissive: list[Policy]) -> str | None:
    """Enabling RLS once every command has its policy (before, it would lock callers
    out); splitting the one FOR ALL policy when that is all the table has."""
    if not missing:
        return _fix.render(_enable(table))
    if len(permissive) == 1 and permissive[0].command == "ALL":
        return _split_all(table, permissive[0], enable=not table.rls_enabled)
    return None


def _user_data_crud_policies(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    markers = owner_markers(context)
    for table in template_tables(catalog):
        reason = holds_user_data(table, markers)
        if reason is None:
            continue
        permissive = [p for p in table.policies if p.permissive]
        own = {p.command for p in permissive}
        missing = [c for c in COMMANDS if c not in own]
        if table.rls_enabled and not missing:
            continue
        actual: list[str] = [] if table.rls_enabled else ["row level security disabled"]
        if missing:
            covering = [p for p in permissive if p.command == "ALL"]
            also = f" (FOR ALL {_listed(covering)} is not a separate one)" if covering else ""
            actual.append(f"no {', '.join(missing)} policy of its own{also}")
        yield Violation(
            object=relation_name("table", table.name),
            path=" and ".join(
                p for p, bad in (("rls", not table.rls_enabled), ("policies", missing)) if bad
            ),
            expected="row level security enabled, and a SELECT, INSERT, UPDATE and DELETE "
            "policy each",
            actual=f"holds user data ({reason}); {'; '.join(actual)}",
            fix=_crud_fix(table, missing, permissive),
            subject=table.name,
        )


RULES = (
    Rule(
        id="one-policy-per-command",
        title="One policy per command",
        severity="error",
        category="convention",
        why="When two permissive policies govern one command for one role, a row is "
        "admitted if either admits it, so whoever reviews one policy does not see the "
        "access the table really grants.",
        trigger="A table with RLS enabled where SELECT, INSERT, UPDATE or DELETE is governed "
        "by two or more permissive policies applying to one role (PUBLIC, the API roles and "
        "every role a policy names; a FOR ALL policy governs every command).",
        check=_one_policy_per_command,
        default=False,
    ),
    Rule(
        id="user-data-crud-policies",
        title="User data guarded per command",
        severity="error",
        category="convention",
        why="A table holding user data needs row level security, and one policy per command "
        "keeps read, create, change and delete rights reviewable one by one instead of one "
        "FOR ALL policy granting writes along with reads.",
        trigger="A table with an owner column (user_id, owner_id) or a foreign key to an "
        "owner table (auth.users) whose RLS is disabled, or which lacks a permissive policy "
        "FOR SELECT, INSERT, UPDATE or DELETE of its own (FOR ALL does not count).",
        check=_user_data_crud_policies,
        default=False,
    ),
)
