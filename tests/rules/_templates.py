"""Run one convention template with spec settings, as a spec's ``rules:`` section would."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from schemaprobe.findings import Finding
from schemaprobe.introspect.model import Catalog
from schemaprobe.rules import Selection, evaluate, rule_by_id
from schemaprobe.rules._model import Violation
from schemaprobe.spec.model import RuleSpec


def run(catalog: Catalog, rule: str, config: RuleSpec | None) -> dict[str, Finding]:
    """The template's findings by object (``--profile supabase``, settings ``config``)."""
    selection = Selection(only=(rule,), profile="supabase")
    context = replace(selection.context(catalog), config=config)
    (result,) = evaluate(catalog, selection, context=context)
    found = {f.object: f for f in result.findings}
    assert len(found) == len(result.findings), "two findings share an object (and a key)"
    return found


def violations(catalog: Catalog, rule: str, config: RuleSpec) -> list[Violation]:
    """The rule's raw violations (to see each one's ``subject``)."""
    context = replace(Selection(profile="supabase").context(catalog), config=config)
    return list(rule_by_id(rule).check(catalog, context))


def spec(model: type[RuleSpec], settings: dict[str, Any]) -> RuleSpec:
    return model.model_validate(settings)
