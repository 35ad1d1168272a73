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
    "specs/otakon.yaml::public.user_profiles::rls_property[update]": (
        "schemaprobe limitation: the UPDATE probe sets the owner column (SET user_id = "
        "<the actor's id>), and the API roles may update username, display_name and "
        "avatar_url only (GRANT UPDATE (...), keeping is_admin out of users' hands), so "
        "every probe is refused with 42501 although users can update their own profile"
    ),
    **{
        f"specs/otakon.yaml::public.contact_submissions::rls_property[{command}]": (
            "schemaprobe limitation: the admin-only policies read public.user_profiles "
            "(is_admin), a table the tenancy model cannot describe (it has no admins), so "
            "the item is reported undecided"
        )
        for command in ("select", "update", "delete")
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        reason = WAIVED.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True, raises=PropertyFailed))
