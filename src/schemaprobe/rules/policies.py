"""What policies say: always-true writes, owner hand-over, overlap, per-row auth calls."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from psycopg import sql

from schemaprobe.introspect.model import PUBLIC, Catalog, Policy, Table
from schemaprobe.rules import _fix
from schemaprobe.rules._expr import always_true, guard_columns, per_row_calls, wrap_per_row_calls
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules._objects import holds_user_data, owner_markers, policy_name, relation_name
from schemaprobe.rules.exposure import RuleContext

__all__ = ["RULES"]

_COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")
_USING_COMMANDS = ("UPDATE", "DELETE", "ALL")
_CHECK_COMMANDS = ("INSERT", "UPDATE", "ALL")
# who a policy on user data should not apply to: everyone, and whoever holds the public key
_ANYONE = (PUBLIC, "anon")
_ANYONE_SET = frozenset(_ANYONE)
SIGNED_IN = "authenticated"
_SIGNED_IN_ONLY = f"applies to signed-in roles only (TO {SIGNED_IN})"
_WRAPPED = "identity calls wrapped as (select ...), evaluated once per statement"


def _applies_to_api(policy: Policy, context: RuleContext) -> bool:
    return PUBLIC in policy.roles or any(r in policy.roles for r in context.api_roles)


def _commands(policy: Policy) -> tuple[str, ...]:
    return _COMMANDS if policy.command == "ALL" else (policy.command,)


def _clauses(policy: Policy) -> str:
    parts = [f"USING ({policy.using})" if policy.using is not None else None]
    parts.append(f"WITH CHECK ({policy.with_check})" if policy.with_check is not None else None)
    return " ".join(p for p in parts if p) or "no USING, no WITH CHECK"


def _always_true_clauses(policy: Policy) -> list[str]:
    """Which clauses let every row through (splinter's rls_policy_always_true, which also
    reads a missing clause as "no restriction" where PostgreSQL does)."""
    found: list[str] = []
    open_using = policy.using is None or always_true(policy.using)
    if policy.command in _USING_COMMANDS and (policy.using is None or always_true(policy.using)):
        found.append("USING")
    if policy.command in _CHECK_COMMANDS and (
        # an UPDATE/ALL that restricts USING but not WITH CHECK is the sharper
        # update-check-weaker-than-using finding, with its fix: not reported twice
        (always_true(policy.with_check) and (policy.command == "INSERT" or open_using))
        or (policy.with_check is None and (policy.command == "INSERT" or open_using))
    ):
        found.append("WITH CHECK")
    return found


def _always_true_writes(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if not table.rls_enabled:
            continue
        for policy in table.policies:
            if not policy.permissive or not _applies_to_api(policy, context):
                continue
            clauses = _always_true_clauses(policy)
            if clauses:
                yield Violation(
                    object=policy_name(table, policy),
                    subject=table.name,
                    path=" and ".join(c.lower().replace(" ", "_") for c in clauses),
                    expected=f"{' and '.join(clauses)} limited to the caller's rows",
                    actual=f"FOR {policy.command} TO {', '.join(policy.roles)} {_clauses(policy)}",
                )


def _weaker_check(policy: Policy) -> str | None:
    """Why WITH CHECK lets an updated row leave the caller's rows, or ``None``.

    Without WITH CHECK PostgreSQL checks new rows with USING itself: safe, not flagged.
    """
    if policy.command not in ("UPDATE", "ALL") or not policy.permissive:
        return None
    if policy.using is None or policy.with_check is None or always_true(policy.using):
        return None
    if policy.with_check == policy.using:
        return None
    if always_true(policy.with_check):
        return "WITH CHECK accepts any new row"
    using, check = guard_columns(policy.using), guard_columns(policy.with_check)
    if not using or check is None:
        return None
    lost = sorted(using - check)
    if lost:
        return f"WITH CHECK does not tie {', '.join(lost)} to the caller as USING does"
    return None


def _weaker_check_violations(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        for policy in table.policies:
            reason = _weaker_check(policy)
            if reason is None:
                continue
            using = policy.using or "true"
            yield Violation(
                object=policy_name(table, policy),
                subject=table.name,
                path="with_check",
                expected=f"WITH CHECK at least as strict as USING ({using})",
                actual=f"{reason}: WITH CHECK ({policy.with_check})",
                fix=_fix.render(
                    sql.SQL("ALTER POLICY {} ON {} WITH CHECK ({});").format(
                        sql.Identifier(policy.name), table.name.identifier, sql.SQL(using)
                    )
                ),
            )


def _policy_roles(table: Table, catalog: Catalog, context: RuleContext) -> list[str]:
    """Roles whose overlapping policies are worth counting: the API roles and every role
    a policy names, minus those that bypass RLS anyway; ``PUBLIC`` when that is empty."""
    named = {r for p in table.policies for r in p.roles if r != PUBLIC}
    roles = sorted({*context.api_roles, *named})
    kept = [
        r
        for r in roles
        if (role := catalog.roles.get(r)) is None or not (role.bypassrls or role.superuser)
    ]
    return kept or [PUBLIC]


def _some_command_twice(commands: list[tuple[tuple[str, ...], Policy]]) -> bool:
    seen: set[str] = set()
    for covered, _policy in commands:
        for command in covered:
            if command in seen:
                return True
            seen.add(command)
    return False


def _multiple_permissive(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        permissive = [p for p in table.policies if p.permissive]
        if len(permissive) < 2:
            continue
        commands = [(_commands(p), p) for p in permissive]
        if not _some_command_twice(commands):
            continue  # no role can have two for one command (the usual table: one each)
        for role in _policy_roles(table, catalog, context):
            applying = [(c, p) for c, p in commands if PUBLIC in p.roles or role in p.roles]
            if len(applying) < 2:
                continue
            for command in _COMMANDS:
                names = sorted(p.name for c, p in applying if command in c)
                if len(names) > 1:
                    yield Violation(
                        object=f"{relation_name('table', table.name)} {command} as {role}",
                        subject=table.name,
                        path="policies",
                        expected=f"one permissive {command} policy for {role}",
                        actual=f"{len(names)}: {', '.join(names)}",
                    )


def _per_row_auth(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        if not table.rls_enabled:
            continue
        target = None
        for policy in table.policies:
            found = _per_row(policy.using, policy.with_check)
            if found is None:
                continue
            actual, clauses = found
            if target is None:
                target = _fix.ident(table.name.schema, table.name.name)
            # positional, in field order (object, path, expected, actual, fix, detail,
            # subject): keywords cost twice as much, and 10,000 tables make 40,000 of these
            yield Violation(
                policy_name(table, policy),
                "expression",
                _WRAPPED,
                actual,
                f"ALTER POLICY {_fix.ident(policy.name)} ON {target} {clauses};",
                None,
                table.name,
            )


@lru_cache(maxsize=4096)
def _per_row(using: str | None, with_check: str | None) -> tuple[str, str] | None:
    """(actual, the fix's USING/WITH CHECK clauses) for a policy's two texts, or ``None``
    when neither calls an identity function per row; cached, as a schema repeats a few
    policy texts over thousands of tables."""
    calls = per_row_calls(using) + per_row_calls(with_check)
    if not calls:
        return None
    # expressions are the server's own rendering (trusted SQL text); names quoted
    clauses = []
    if using is not None:
        clauses.append(f"USING ({wrap_per_row_calls(using)})")
    if with_check is not None:
        clauses.append(f"WITH CHECK ({wrap_per_row_calls(with_check)})")
    return f"called per row: {', '.join(dict.fromkeys(calls))}", " ".join(clauses)


def _user_metadata(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    for table in catalog.tables.values():
        for policy in table.policies:
            clauses = [
                label
                for label, text in (("USING", policy.using), ("WITH CHECK", policy.with_check))
                if text is not None and "user_metadata" in text
            ]
            if clauses:
                yield Violation(
                    object=policy_name(table, policy),
                    subject=table.name,
                    path="expression",
                    expected="decisions on server-set claims (app_metadata) or table data",
                    actual=f"{' and '.join(clauses)} read user_metadata",
                )


def _signed_in_roles(roles: tuple[str, ...]) -> str:
    """``"authenticated", "service_role"``: authenticated instead of PUBLIC and anon, the
    other roles kept, quoted by the cached ``_fix.ident`` (``sql.SQL.format`` per fix
    cost a second over the 40,000 policies of the 10,000-table benchmark)."""
    kept = [r for r in roles if r not in (*_ANYONE, SIGNED_IN)]
    return ", ".join(_fix.ident(r) for r in (SIGNED_IN, *kept))


def _public_on_user_data(catalog: Catalog, context: RuleContext) -> Iterator[Violation]:
    fixable = SIGNED_IN in catalog.roles  # else there is no role to name instead
    markers = owner_markers(context)
    by_roles: dict[tuple[str, ...], tuple[str, str]] = {}  # roles -> (TO text, fix text)
    for table in catalog.tables.values():
        wide = [p for p in table.policies if p.permissive and not _ANYONE_SET.isdisjoint(p.roles)]
        if not wide:
            continue
        reason = holds_user_data(table, markers)
        if reason is None:
            continue
        holding = f"on a table holding user data ({reason})"
        target = _fix.ident(table.name.schema, table.name.name)
        for policy in wide:
            texts = by_roles.get(policy.roles)
            if texts is None:
                texts = by_roles[policy.roles] = (
                    ", ".join(policy.roles),
                    _signed_in_roles(policy.roles),
                )
            yield Violation(  # positional, as in _per_row_auth
                policy_name(table, policy),
                "roles",
                _SIGNED_IN_ONLY,
                f"FOR {policy.command} TO {texts[0]} {holding}",
                f"ALTER POLICY {_fix.ident(policy.name)} ON {target} TO {texts[1]};"
                if fixable
                else None,
                None,
                table.name,
            )


RULES = (
    Rule(
        id="policy-always-true-for-write",
        title="Write policy that allows every row",
        severity="warning",
        category="security",
        why="A permissive INSERT, UPDATE, DELETE or ALL policy whose USING or WITH CHECK is "
        "always true lets every API caller write every row: row level security in name only.",
        trigger="A permissive write policy for PUBLIC, anon or authenticated on a table with "
        "RLS enabled whose USING (UPDATE, DELETE, ALL) or WITH CHECK (INSERT, UPDATE, ALL) is "
        "true, 1 = 1, or missing where PostgreSQL then lets every row through.",
        check=_always_true_writes,
    ),
    Rule(
        id="update-check-weaker-than-using",
        title="UPDATE policy whose WITH CHECK is weaker than its USING",
        severity="error",
        category="security",
        why="A caller may update the rows USING lets them see, and a WITH CHECK that does not "
        "hold the owner column to the caller lets them hand a row to another owner.",
        trigger="A permissive UPDATE or ALL policy with both clauses where WITH CHECK is "
        "always true, or does not tie to the caller's identity every column USING ties "
        "(user_id = auth.uid(), owner = current_user, team_id IN (... auth.uid() ...)). "
        "No WITH CHECK is safe (PostgreSQL reuses USING) and is not flagged.",
        check=_weaker_check_violations,
    ),
    Rule(
        id="multiple-permissive-policies",
        title="Several permissive policies for one role and command",
        severity="warning",
        category="performance",
        why="Permissive policies combine with OR and each one runs for every row, so two "
        "policies for the same role and command cost twice and are easy to widen by accident.",
        trigger="Two or more permissive policies on one table applying to the same role "
        "(API roles and roles policies name; PUBLIC policies apply to all) and command.",
        check=_multiple_permissive,
    ),
    Rule(
        id="policy-uses-user-metadata",
        title="Policy reads user-editable JWT metadata",
        severity="error",
        category="security",
        why="user_metadata in a Supabase JWT is set by the user themself (auth.updateUser), "
        "so a policy that trusts it lets any user grant themself what it guards.",
        trigger="A policy whose USING or WITH CHECK mentions user_metadata.",
        check=_user_metadata,
    ),
    Rule(
        id="auth-function-per-row",
        title="auth.uid() or current_setting() evaluated per row",
        severity="warning",
        category="performance",
        why="A bare auth.uid(), auth.jwt() or current_setting() in a policy runs once per "
        "row; wrapped as (select auth.uid()) the planner runs it once per statement.",
        trigger="A policy on a table with RLS enabled calling auth.uid/jwt/role/email() or "
        "current_setting() other than as the only expression of a scalar subquery.",
        check=_per_row_auth,
    ),
    Rule(
        id="policy-to-public-on-user-data",
        title="Policy for PUBLIC or anon on a table holding user data",
        severity="warning",
        category="security",
        why="A permissive policy for PUBLIC or anon on a table of users' rows lets anyone "
        "holding the public API key in as far as its predicate allows, so a single loose "
        "predicate exposes user data to the world; users' rows are for signed-in roles.",
        trigger="A permissive policy whose roles include PUBLIC (also what a policy without "
        "TO means) or anon, on a table holding user data: a column named in owner_columns "
        "(default user_id, owner_id) or a foreign key to one of owner_tables (default "
        "auth.users).",
        check=_public_on_user_data,
    ),
)
