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

__all__ = ["acting_as", "acting_statement"]


class _Undo(Exception):
    """Raised to make psycopg roll the savepoint back; never escapes."""


def acting_statement(
    role: str,
    *,
    user_id: str | None = None,
    claims: Mapping[str, object] | None = None,
    jwt: bool = True,
    setup: sql.Composable | None = None,
) -> sql.Composed:
    """``SET LOCAL ROLE role; SELECT set_config('request.jwt.claims', ...)`` (and
    ``setup``): the statements that make the rest of a transaction run as ``role`` with
    JWT ``claims`` (``sub`` = ``user_id`` when given), values as literals, so that they
    travel in one round trip with the statement they prepare (``jwt=False``: the role
    and ``setup`` only, for applications that do not read JWT claims)."""
    parts: list[sql.Composable] = [sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role))]
    if jwt:
        payload: dict[str, object] = {"role": role}
        if claims:
            payload.update(claims)
        if user_id is not None:
            payload["sub"] = str(user_id)
        parts.append(
            sql.SQL(
                "SELECT pg_catalog.set_config('request.jwt.claims', {}, true),"
                " pg_catalog.set_config('request.jwt.claim.sub', {}, true),"
                " pg_catalog.set_config('request.jwt.claim.role', {}, true)"
            ).format(
                sql.Literal(json.dumps(payload)),
                sql.Literal(str(payload.get("sub", ""))),
                sql.Literal(role),
            )
        )
    if setup is not None:
        parts.append(setup)
    return sql.SQL("; ").join(parts)


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
    try:
        with conn.transaction():
            conn.execute(acting_statement(role, user_id=user_id, claims=claims))
            yield conn
            raise _Undo
    except _Undo:
        pass
