"""The built-in rules, looked up by id (with a "did you mean" for a typo)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from schemaprobe.errors import UsageError
from schemaprobe.rules import access, columns, indexes, policies, rls, roles, surface, templates
from schemaprobe.rules._model import Rule

__all__ = ["BUILTIN_RULES", "rule_by_id", "select_rules"]

BUILTIN_RULES: tuple[Rule, ...] = (
    *rls.RULES,
    *roles.RULES,
    *policies.RULES,
    *access.RULES,
    *surface.RULES,
    *indexes.RULES,
    *columns.RULES,
    *templates.RULES,
)

_BY_ID = {rule.id: rule for rule in BUILTIN_RULES}


def rule_by_id(rule_id: str, rules: Iterable[Rule] = BUILTIN_RULES) -> Rule:
    """The rule called ``rule_id``; :class:`UsageError` with a suggestion otherwise."""
    known = _BY_ID if rules is BUILTIN_RULES else {r.id: r for r in rules}
    found = known.get(rule_id)
    if found is not None:
        return found
    close = difflib.get_close_matches(rule_id, list(known), n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise UsageError(
        f"unknown rule '{rule_id}'.{hint} Valid values are: {', '.join(sorted(known))}"
    )


def select_rules(
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    rules: Sequence[Rule] = BUILTIN_RULES,
    *,
    audit: bool = False,
) -> tuple[Rule, ...]:
    """``rules`` narrowed to ``only`` (if given; else the default selection, see
    :attr:`Rule.default`, plus the audit-only rules when ``audit``) minus ``skip``, in
    catalogue order.

    Every id must exist, in both lists: a misspelt ``--skip-rule`` would otherwise run
    the rule it was meant to silence.
    """
    wanted = {rule_by_id(i, rules).id for i in only}
    unwanted = {rule_by_id(i, rules).id for i in skip}
    return tuple(
        r
        for r in rules
        if (r.id in wanted if wanted else r.default or (audit and r.audit)) and r.id not in unwanted
    )
