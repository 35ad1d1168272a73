"""Rules other packages install: the ``schemaprobe.rules`` entry point group.

A package registers rules in its ``pyproject.toml``::

    [project.entry-points."schemaprobe.rules"]
    acme = "acme_rules:RULES"

The entry point names a :class:`~schemaprobe.rules.Rule`, an iterable of rules, or a
function of no arguments returning either. Installed rules join the catalogue beside the
built-in ones: ``lint`` runs them (unless they set ``default=False``), ``--rule`` and a
spec's ``rules:`` name them by id. A broken entry point is a usage error naming the
entry point, never a traceback, and never a silently missing rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points

from schemaprobe.errors import UsageError
from schemaprobe.rules._model import CATEGORIES, SEVERITIES, Rule
from schemaprobe.rules.registry import BUILTIN_RULES

__all__ = ["ENTRY_POINT_GROUP", "available_rules", "installed_rules"]

ENTRY_POINT_GROUP = "schemaprobe.rules"
_RULE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def available_rules() -> tuple[Rule, ...]:
    """The built-in catalogue followed by every installed rule."""
    return BUILTIN_RULES + installed_rules()


@lru_cache(maxsize=1)
def installed_rules() -> tuple[Rule, ...]:
    """Every rule the installed entry points provide, checked, in entry point name order."""
    taken = {rule.id: "built in" for rule in BUILTIN_RULES}
    found: list[Rule] = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        for rule in _load(entry_point):
            where = _describe(entry_point)
            _validate(rule, where)
            if rule.id in taken:
                raise UsageError(
                    f"rule '{rule.id}' from {where} clashes with the rule of that id "
                    f"({taken[rule.id]}); give it another id"
                )
            taken[rule.id] = where
            found.append(rule)
    return tuple(found)


def _load(entry_point: EntryPoint) -> list[Rule]:
    where = _describe(entry_point)
    try:
        value = entry_point.load()
    except Exception as exc:  # any import-time failure of a third-party package
        raise UsageError(f"cannot load rules from {where}: {type(exc).__name__}: {exc}") from None
    if callable(value) and not isinstance(value, Rule):
        try:
            value = value()
        except Exception as exc:
            raise UsageError(f"rules from {where} failed: {type(exc).__name__}: {exc}") from None
    if isinstance(value, Rule):
        return [value]
    try:
        rules = list(value)
    except TypeError:
        rules = [value]
    for rule in rules:
        if not isinstance(rule, Rule):
            raise UsageError(
                f"{where} gave {type(rule).__name__}, not a schemaprobe.rules.Rule "
                "(or an iterable of them)"
            )
    return rules


def _validate(rule: Rule, where: str) -> None:
    problems = []
    if not _RULE_ID.fullmatch(rule.id):
        problems.append(f"id {rule.id!r} is not kebab-case (a-z, 0-9, -)")
    if rule.severity not in SEVERITIES:
        problems.append(f"severity {rule.severity!r} is not one of {', '.join(SEVERITIES)}")
    if rule.category not in CATEGORIES:
        problems.append(f"category {rule.category!r} is not one of {', '.join(CATEGORIES)}")
    if not rule.why:
        problems.append("why is empty")
    if problems:
        raise UsageError(f"rule from {where}: {'; '.join(problems)}")


def _describe(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    package = f" ({dist.name} {dist.version})" if dist is not None else ""
    return f"entry point '{entry_point.name} = {entry_point.value}'{package}"
