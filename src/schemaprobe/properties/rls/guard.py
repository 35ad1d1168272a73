"""The guard: an isolation test must be able to fail.

Row level security does not apply to superusers, to roles with BYPASSRLS, or to the
table's owner (and whoever has its privileges) unless the table FORCEs it. A test that
acts as such a role sees every row whatever the policies say, so it passes whatever
they say: worse than no test. Before any world is built, the acting roles are checked
(one query), and so is the session that builds the worlds: it must see every row to
tell which rows a probe touched.
"""

from __future__ import annotations

from typing import Any

import psycopg

from schemaprobe.introspect.model import QualifiedName

__all__ = ["guard"]

_ROLES = """
SELECT r.rolname, r.rolsuper, r.rolbypassrls,
       pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') AS owns,
       c.relforcerowsecurity
FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
WHERE r.rolname = ANY(%s) AND c.oid = %s::regclass
"""

_SESSION = """
SELECT r.rolsuper OR r.rolbypassrls
       OR (pg_catalog.pg_has_role(r.oid, c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
FROM pg_catalog.pg_roles r, pg_catalog.pg_class c
WHERE r.rolname = current_user AND c.oid = %s::regclass
"""


def guard(
    conn: psycopg.Connection[Any], table: QualifiedName, acting: list[str], optional: set[str]
) -> tuple[str | None, set[str]]:
    """``(why the test could not fail, or None; the optional roles that do not exist)``.

    ``acting`` are the roles RLS must bind (the user and anonymous roles); a missing
    one is an error unless it is in ``optional`` (the default anonymous role).
    """
    regclass = str(table)
    found = {row[0]: row[1:] for row in conn.execute(_ROLES, (acting, regclass)).fetchall()}
    absent = {r for r in acting if r not in found and r in optional}
    for role in acting:
        if role in absent:
            continue
        if role not in found:
            return f'the acting role "{role}" does not exist (tenancy act_as)', absent
        superuser, bypass, owns, forced = found[role]
        if superuser:
            return _cannot_fail(role, "is a superuser"), absent
        if bypass:
            return _cannot_fail(role, "has BYPASSRLS"), absent
        if owns and not forced:
            return _cannot_fail(
                role, f"owns {table} (or has its owner's privileges) and RLS is not FORCEd"
            ), absent
    session = conn.execute(_SESSION, (regclass,)).fetchone()
    if not session or not session[0]:
        return (
            f"the session user is bound by RLS on {table}, so it cannot see which rows a "
            "probe touched: connect as the owner, a superuser or a BYPASSRLS role",
            absent,
        )
    return None, absent


def _cannot_fail(role: str, why: str) -> str:
    return (
        f'the acting role "{role}" {why}: row level security never applies to it, so '
        "this test could not fail"
    )
