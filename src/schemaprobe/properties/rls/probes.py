"""Probes: one statement per actor and command, run as that actor in one round trip.

Each probe is a single simple-query string: roll back to the world's probe savepoint
(undoing the previous probe, its role and its claims), act as the actor
(:func:`~schemaprobe.provision.acting.acting_statement`), run the statement, and where
the statement changes rows, return to the session user and read back which of the
world's rows it changed (``xmin`` moves on every updated row). Values are literals
composed with ``psycopg.sql``; the probe SAVEPOINT makes an error harmless.

What a probe may touch follows PostgreSQL. ``UPDATE t SET owner = <mine>`` with no WHERE
is checked by the UPDATE policies alone (it reads no column, so SELECT policies do not
apply): a blind write is how an UPDATE policy wider than the SELECT one leaks. Where
the table holds rows other than the world's (a deployed database), UPDATE and DELETE are
limited to the world's keys instead, and then SELECT policies apply too, as they do to
any filtered API request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg import sql

from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties.rls.model import Access, TenancyModel
from schemaprobe.properties.rls.world import Built, World
from schemaprobe.provision.acting import acting_statement
from schemaprobe.spec.tenancy import PLACEHOLDER

__all__ = ["Actor", "Outcome", "actors", "expected_rows", "run_probe"]

SAVEPOINT_PROBE = "schemaprobe_probe"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: Literal["user", "anon", "privileged"]
    role: str
    index: int = 0
    """The principal a user actor is (its index in the world)."""

    def label(self) -> str:
        if self.kind == "user":
            return f"user {self.index + 1} (role {self.role})"
        return f"{self.kind} (role {self.role})"


def actors(model: TenancyModel, world: World, present: set[str]) -> list[Actor]:
    """Every user of the world, the anonymous role and the privileged roles that exist."""
    found = [Actor("user", model.act_as.user_role, i) for i in range(world.principals)]
    anon = model.act_as.anon_role
    if anon is not None and anon in present:
        found.append(Actor("anon", anon))
    found += [Actor("privileged", r) for r in model.privileged if r in present]
    return found


def access(model: TenancyModel, actor: Actor, command: str) -> Access:
    if actor.kind == "privileged":
        return "all"
    return model.users[command] if actor.kind == "user" else model.anon[command]


def expected_rows(model: TenancyModel, actor: Actor, command: str, world: World) -> set[int]:
    """The world's rows ``actor`` may touch with ``command`` (SELECT: see), by the model."""
    mode = access(model, actor, command)
    rows = range(len(world.rows))
    if mode == "all":
        return set(rows)
    if mode == "none":
        return set()
    found: set[int] = set()
    if mode == "own" and actor.kind == "user":
        found |= {j for j in rows if world.mine(actor.index, world.rows[j].owner)}
    if model.public and command == "select" and (mode == "public" or actor.kind == "user"):
        found |= {j for j in rows if world.rows[j].public}
    return found


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a probe did: rows seen or changed (world indexes), or the error it raised."""

    rows: set[int]
    error: psycopg.Error | None
    statement: sql.Composable
    """The probe's statement as the actor runs it (rendered only for a report)."""


def acting(model: TenancyModel, actor: Actor, built: Built) -> sql.Composed:
    setup: sql.Composable | None = None
    principal = built.ids[actor.index] if actor.kind == "user" else None
    if model.act_as.setup is not None and principal is not None:
        before, _sep, after = model.act_as.setup.partition(PLACEHOLDER)
        parts: list[sql.Composable] = [sql.SQL(before)]  # the spec's SQL, by design
        while _sep:
            parts.append(sql.Literal(principal))
            before, _sep, after = after.partition(PLACEHOLDER)
            parts.append(sql.SQL(before))
        setup = sql.Composed(parts)
    claims = {"aud": "authenticated"} if actor.kind == "user" else None
    role = actor.role
    if model.act_as.role_per_principal and principal is not None:
        role = principal  # the principal's own role, created for the item
    return acting_statement(
        role,
        user_id=principal,
        claims=claims,
        jwt=model.act_as.claims,
        setup=setup,
    )


#: Between the parts of a key's text (keys are NOT NULL, so ``concat_ws`` drops nothing).
KEY_SEPARATOR = "\x1f"


def key_text(values: Sequence[str]) -> str:
    """A row's key as :func:`key_expression` renders it on the server."""
    return KEY_SEPARATOR.join(values)


def key_expression(key: Sequence[str]) -> sql.Composable:
    """The key's columns as text, joined by :data:`KEY_SEPARATOR`."""
    parts = sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in key)
    return sql.SQL("pg_catalog.concat_ws(pg_catalog.chr(31), {})").format(parts)


def world_filter(key: Sequence[str], keys: Sequence[str]) -> sql.Composable:
    """``key IN (world's keys)``, as literals the key's types coerce (an index serves it)."""
    rows = [k.split(KEY_SEPARATOR) for k in keys]
    if len(key) == 1:
        values = sql.SQL(", ").join(sql.Literal(r[0]) for r in rows)
        return sql.SQL("{} IN ({})").format(sql.Identifier(key[0]), values)
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in key)
    tuples = sql.SQL(", ").join(
        sql.SQL("({})").format(sql.SQL(", ").join(sql.Literal(v) for v in r)) for r in rows
    )
    return sql.SQL("({}) IN ({})").format(columns, tuples)


def run_probe(
    conn: psycopg.Connection[Any],
    table: QualifiedName,
    key: Sequence[str],
    built: Built,
    statement: sql.Composable,
    prepare: sql.Composable,
    *,
    changes: bool,
    before: dict[str, str] | None = None,
) -> Outcome:
    """Run ``statement`` after ``prepare`` (acting as the actor) in one round trip.

    SELECT-like probes return the world keys they saw; with ``changes`` the session
    user reads back the world's rows afterwards: a row whose ``xmin`` differs from
    ``before`` was updated, a row that is gone was deleted.
    """
    parts: list[sql.Composable] = [
        sql.SQL("ROLLBACK TO SAVEPOINT {}").format(sql.Identifier(SAVEPOINT_PROBE)),
        prepare,
        statement,
    ]
    if changes:
        parts += [
            sql.SQL("RESET ROLE"),
            sql.SQL("SELECT {}, xmin::text FROM {} WHERE {}").format(
                key_expression(key), table.identifier, world_filter(key, built.keys)
            ),
        ]
    text = sql.SQL("; ").join(parts).as_string(conn)
    index = {k: j for j, k in enumerate(built.keys)}
    try:
        cursor = conn.execute(text.encode())
    except psycopg.Error as exc:
        return Outcome(set(), exc, statement)
    last: list[tuple[Any, ...]] = []
    while True:
        if cursor.description is not None:
            last = cursor.fetchall()
        if not cursor.nextset():
            break
    if not changes:
        return Outcome({index[r[0]] for r in last if r[0] in index}, None, statement)
    after = {r[0]: r[1] for r in last}
    touched = {index[k] for k in built.keys if k not in after or (before or {}).get(k) != after[k]}
    return Outcome(touched, None, statement)


def snapshot(
    conn: psycopg.Connection[Any], table: QualifiedName, key: Sequence[str], built: Built
) -> dict[str, str]:
    """Each world row's key -> its ``xmin``, as the session user sees them."""
    query = sql.SQL("SELECT {}, xmin::text FROM {} WHERE {}").format(
        key_expression(key), table.identifier, world_filter(key, built.keys)
    )
    return {r[0]: r[1] for r in conn.execute(query).fetchall()}
