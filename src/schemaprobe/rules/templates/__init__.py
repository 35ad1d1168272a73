"""Convention templates: rules whose parameters come from a spec's ``rules:`` section
(required columns, key shapes, foreign-key actions, name patterns, policy layout).

They are not in lint's default selection (``Rule.default`` is false): a template knows
what to look for only once a spec says it, and the policy conventions are a house style,
not a hole. Without settings, the parameterised ones report nothing.
"""

from __future__ import annotations

from schemaprobe.rules.templates import columns, foreign_keys, naming, policies, primary_keys

__all__ = ["RULES"]

RULES = (
    *columns.RULES,
    *primary_keys.RULES,
    *foreign_keys.RULES,
    *naming.RULES,
    *policies.RULES,
)
