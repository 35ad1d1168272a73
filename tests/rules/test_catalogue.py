"""The catalogue itself: ids, severities and categories well-formed, every rule documented."""

from __future__ import annotations

import re
from pathlib import Path

from schemaprobe.rules import BUILTIN_RULES, CATEGORIES, SEVERITIES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_ids_are_unique_kebab_case_and_rules_are_complete() -> None:
    ids = [rule.id for rule in BUILTIN_RULES]
    assert len(ids) == len(set(ids))
    for rule in BUILTIN_RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule.id
        assert rule.severity in SEVERITIES
        assert rule.category in CATEGORIES
        assert rule.why.endswith(".") and rule.trigger.endswith("."), rule.id


def test_every_rule_is_documented_with_its_severity() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in BUILTIN_RULES:
        assert f"| `{rule.id}` | {rule.severity} |" in text, rule.id
