"""Acting as a role or an API user for a block of statements, then undoing everything.

Supabase's PostgREST runs each request as a role (``anon``, ``authenticated``,
``service_role``) with the JWT's claims in the transaction-local setting
``request.jwt.claims``; ``auth.uid()`` reads ``sub`` from it (older versions read
``request.jwt.claim.sub``, set too). :func:`acting_as` reproduces exactly that, inside a
savepoint (or transaction) that is always rolled back, so nothing the block writes
survives and the session's role is restored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

__all__ = ["acting_as"]


class _Undo(Exception):
    """Raised to make psycopg roll the savepoint back; never escapes."""


@contextmanager
def acting_as(
    conn: psycopg.Connection[Any],
    role: str,
    *,
    user_id: str | None = None,
    claims: Mapping[str, object] | None = None,
) -> Iterator[psycopg.Connection[Any]]:
    """Run the block as ``role`` with JWT ``claims`` (``sub`` = ``user_id`` when given).

    Example::

        with acting_as(conn, "authenticated", user_id=alice) as c:
            rows = c.execute("SELECT * FROM stories").fetchall()
    """
    payload: dict[str, object] = {"role": role}
    if claims:
        payload.update(claims)
    if user_id is not None:
        payload["sub"] = str(user_id)
    try:
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
            conn.execute(
                "SELECT set_config('request.jwt.claims', %s, true),"
                " set_config('request.jwt.claim.sub', %s, true),"
                " set_config('request.jwt.claim.role', %s, true)",
                (json.dumps(payload), str(payload.get("sub", "")), role),
            )
            yield conn
            raise _Undo
    except _Undo:
        pass
