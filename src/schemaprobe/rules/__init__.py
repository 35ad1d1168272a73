"""Rules: built-in conventions over the catalog model, reported as findings.

A rule reads only the :class:`~schemaprobe.introspect.Catalog` (the one bulk read) and
a :class:`RuleContext` (exposed schemas, API roles); :func:`evaluate` turns every rule
into one item whose findings name the object, say why, and give the fix as SQL.
"""

from __future__ import annotations

from schemaprobe.rules._model import CATEGORIES, SEVERITIES, Rule, Violation
from schemaprobe.rules.engine import MARKER, Selection, evaluate, finding_key, item_name
from schemaprobe.rules.exposure import API_ROLES, RuleContext, context_for
from schemaprobe.rules.registry import BUILTIN_RULES, rule_by_id, select_rules

__all__ = [
    "API_ROLES",
    "BUILTIN_RULES",
    "CATEGORIES",
    "MARKER",
    "SEVERITIES",
    "Rule",
    "RuleContext",
    "Selection",
    "Violation",
    "context_for",
    "evaluate",
    "finding_key",
    "item_name",
    "rule_by_id",
    "select_rules",
]
