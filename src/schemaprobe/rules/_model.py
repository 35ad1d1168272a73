"""What a rule is, what it reports, and what it is told about the database around it.

A rule is data plus one function: the function sees the :class:`~schemaprobe.introspect.
Catalog` (the one bulk read, never a query of its own) and a :class:`RuleContext`, and
yields :class:`Violation` values. The engine turns those into findings, so every rule
reports in one shape and none of them formats a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from schemaprobe.introspect.model import Catalog, QualifiedName
    from schemaprobe.rules.exposure import RuleContext

__all__ = ["CATEGORIES", "SEVERITIES", "Category", "Rule", "Severity", "Violation"]

Severity = Literal["error", "warning", "info"]
Category = Literal["security", "performance", "convention"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
CATEGORIES: tuple[Category, ...] = ("security", "performance", "convention")


# Immutable by convention, not frozen: see Finding (as many are made, one per finding).
@dataclass(slots=True, unsafe_hash=True)
class Violation:
    """One object breaking a rule.

    ``object`` names it the way findings do (``table public.notes``, ``policy "Own rows"
    on public.notes``) and is also its identity in the finding's stable key, so it must
    not contain anything that changes between runs of the same database (no oids, no
    line numbers). ``expected``/``actual`` say what is wrong; ``fix`` is SQL that repairs
    it, every identifier quoted; ``detail`` replaces the rule's ``why`` when this
    object needs a more precise sentence.

    ``subject`` is the schema-qualified table, view, function or extension the finding is
    about (a policy's or index's table, a column's table): what a spec's selectors
    (``schemas``, ``tables``) match. ``None`` only for objects outside any schema (roles),
    which selectors never leave out.
    """

    object: str
    path: str
    expected: str | None
    actual: str | None
    fix: str | None = None
    detail: str | None = None
    subject: QualifiedName | None = None


Check = Callable[["Catalog", "RuleContext"], Iterable[Violation]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A built-in or user rule: identity, how bad, why, and the check itself."""

    id: str
    title: str
    severity: Severity
    category: Category
    why: str
    check: Check
    # What makes an object break the rule, in one line (for ``docs/rules.md`` and --help).
    trigger: str = ""
    # In lint's default selection (and a spec's ``all``). Convention templates (they need
    # the spec's settings) and audit-only rules (they read usage statistics) are not:
    # they run when named.
    default: bool = True
    # Reads usage statistics, which mean something only on a deployed database (audit
    # mode); elsewhere its item is reported as not run, with the reason, never passed.
    audit: bool = False
