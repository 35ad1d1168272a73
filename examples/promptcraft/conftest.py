"""Waivers of single isolation items, for `pytest --schemaprobe --schemaprobe-properties`.

A table's ``tenancy: {xfail: ...}`` in the spec waives all four of its isolation items
(``rls_property[select|insert|update|delete]``), strictly: a breach of one command
cannot be waived there without the table's conforming items failing as XPASS(strict).
The breaches that concern one command are waived here instead, item by item, just as
strictly: the day an item passes, the run fails until its entry is removed. README,
"Isolation (RLS) findings", has the counterexamples.
"""

from __future__ import annotations

import pytest

from schemaprobe.plugin.property_items import PropertyFailed

WAIVED = {
    "specs/promptcraft.yaml::public.prompt_templates::rls_property[select]": (
        "anon reads every public template: the RLS Pattern's policies name no role (TO "
        "PUBLIC), harmless while they admit own rows only (auth.uid() is NULL for anon), "
        "but prompt_templates' SELECT policy also admits is_public rows, to visitors who "
        "are not signed in too"
    ),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        reason = WAIVED.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True, raises=PropertyFailed))
