"""Judging one world: each actor's probes against the rows the tenancy model allows.

:class:`Isolation` holds one item's probes (the command, the actors present, whether
writes may be blind, the side doors); :meth:`Isolation.judge` builds a world, runs the
probes in their savepoints and returns the first :class:`Breach`, if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from schemaprobe.properties import _sql
from schemaprobe.properties.background import describe_error
from schemaprobe.properties.rls.doors import Door
from schemaprobe.properties.rls.model import TenancyModel
from schemaprobe.properties.rls.probes import (
    SAVEPOINT_PROBE,
    Actor,
    Outcome,
    acting,
    actors,
    expected_rows,
    key_expression,
    run_probe,
    snapshot,
    world_filter,
)
from schemaprobe.properties.rls.world import Built, World, WorldBuilder, WorldError

__all__ = ["BACK_TO_WORLD", "WORLD", "Breach", "Found", "Isolation"]

WORLD = sql.SQL("SAVEPOINT schemaprobe_world")
BACK_TO_WORLD = sql.SQL("ROLLBACK TO SAVEPOINT schemaprobe_world")
_PROBE = sql.SQL("SAVEPOINT {}").format(sql.Identifier(SAVEPOINT_PROBE))
_ACCESS_REFUSED = "42501"  # insufficient_privilege: RLS refusals and missing grants alike


@dataclass(frozen=True, slots=True)
class Breach:
    """One probe that touched other rows than the model allows (or was refused)."""

    built: Built
    actor: Actor
    command: str
    outcome: Outcome
    expected: str
    actual: str
    extra: tuple[str, ...] = ()


class Found(Exception):
    def __init__(self, breach: Breach) -> None:
        super().__init__("the database lets an actor touch other rows than the model")
        self.breach = breach


class Isolation:
    """The probes of one item on one world, against the model."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        builder: WorldBuilder,
        model: TenancyModel,
        command: str,
        present: set[str],
        blind: bool,
        doors: list[Door],
    ) -> None:
        self.doors = doors
        self.conn = conn
        self.builder = builder
        self.model = model
        self.command = command
        self.present = present
        self.blind = blind
        self.table = model.table
        self.key = builder.key
        self.worlds = 0
        self.discarded = 0
        self.last_error: str | None = None
        self.updated = model.link
        """The column UPDATE probes write: the link column, unless the user role may
        update only other columns (a column-level grant), then the first of those."""
        if command == "update":
            self.updated = _updatable(conn, model, builder) or model.link

    def judge(self, world: World) -> Breach | bool | None:
        """The breach this world shows, ``None`` for none, ``False`` if it could not be
        built (a constraint refused one of its rows)."""
        self.worlds += 1
        conn = self.conn
        try:
            built = self.builder.build(world)
        except WorldError as exc:
            self.last_error = str(exc)
            self.discarded += 1
            conn.execute(BACK_TO_WORLD)
            return False
        try:
            before = snapshot(conn, self.table, self.key, built)
            conn.execute(_PROBE)
            if self.command == "select":
                return self._select(built)
            if self.command == "insert":
                return self._insert(built)
            return self._change(built, before) or (
                self._transfer(built, before) if self.command == "update" else None
            )
        finally:
            conn.execute(BACK_TO_WORLD)

    def _probe(
        self, built: Built, actor: Actor, statement: sql.Composable, before: dict[str, str] | None
    ) -> Outcome:
        prepare = acting(self.model, actor, built)
        return run_probe(
            self.conn,
            self.table,
            self.key,
            built,
            statement,
            prepare,
            changes=before is not None,
            before=before,
        )

    def _rows(self, built: Built, rows: set[int]) -> str:
        if not rows:
            return "no rows"
        return ", ".join(built.world.describe(j) for j in sorted(rows))

    def _compare(
        self, built: Built, actor: Actor, outcome: Outcome, allowed: set[int], verb: str
    ) -> Breach | None:
        error = outcome.error
        if error is not None and error.sqlstate != _ACCESS_REFUSED:
            self.last_error = describe_error(error)
            return None  # not about access (a constraint, a trigger): says nothing
        if outcome.rows == allowed:
            return None
        actual = self._rows(built, outcome.rows)
        if error is not None:
            actual = f"nothing: refused ({describe_error(error)})"
        expected = f"{verb} {self._rows(built, allowed)}"
        return Breach(built, actor, self.command, outcome, expected, f"{verb} {actual}")

    def _allowed(self, actor: Actor, world: World) -> set[int]:
        allowed = expected_rows(self.model, actor, self.command, world)
        if self.command in ("update", "delete") and not self.blind:
            # limited to the world's keys: SELECT policies apply as well
            allowed &= expected_rows(self.model, actor, "select", world)
        return allowed

    def _where(self, built: Built) -> sql.Composable:
        if self.blind:
            return sql.SQL("")
        return sql.SQL(" WHERE {}").format(world_filter(self.key, built.keys))

    def _select(self, built: Built) -> Breach | None:
        statement = sql.SQL("SELECT {} FROM {}").format(
            key_expression(self.key), self.table.identifier
        )
        for actor in actors(self.model, built.world, self.present):
            allowed = self._allowed(actor, built.world)
            outcome = self._probe(built, actor, statement, None)
            found = self._compare(built, actor, outcome, allowed, "sees")
            if found is not None:
                return found
            for door in self.doors:
                found = self._through(built, actor, door, allowed)
                if found is not None:
                    return found
        return None

    def _through(self, built: Built, actor: Actor, door: Door, allowed: set[int]) -> Breach | None:
        """The world read through a side door: no row the actor may not see (fewer is
        fine, a view may filter); refused is fine too."""
        for query in door.queries([*built.ids, *built.links]):
            outcome = self._probe(built, actor, query, None)
            if outcome.error is not None:
                if outcome.error.sqlstate != _ACCESS_REFUSED:
                    self.last_error = describe_error(outcome.error)
                continue
            if outcome.rows <= allowed:
                continue
            expected = f"sees at most {self._rows(built, allowed)} through {door.what}"
            actual = f"sees {self._rows(built, outcome.rows)} through {door.what}"
            return Breach(built, actor, "select", outcome, expected, actual)
        return None

    def _change(self, built: Built, before: dict[str, str]) -> Breach | None:
        """UPDATE (setting the owner to the actor's own) or DELETE, as every actor."""
        verb = "changes" if self.command == "update" else "deletes"
        for actor in actors(self.model, built.world, self.present):
            if self.command == "update":
                statement = sql.SQL("UPDATE {} SET {} = {}{}").format(
                    self.table.identifier,
                    sql.Identifier(self.updated),
                    self._new_value(built, actor),
                    self._where(built),
                )
            else:
                statement = sql.SQL("DELETE FROM {}{}").format(
                    self.table.identifier, self._where(built)
                )
            outcome = self._probe(built, actor, statement, before)
            allowed = self._allowed(actor, built.world)
            if self._refused_by_a_policy(outcome) and self.blind:
                # one row the new values may not have refuses the whole statement: which
                # rows may the actor change, then, one at a time (SELECT policies apply)
                outcome = self._row_by_row(built, actor, statement, before)
                allowed &= expected_rows(self.model, actor, "select", built.world)
            found = self._compare(built, actor, outcome, allowed, verb)
            if found is not None:
                return found
        return None

    @staticmethod
    def _refused_by_a_policy(outcome: Outcome) -> bool:
        error = outcome.error
        return error is not None and "row-level security" in (error.diag.message_primary or "")

    def _row_by_row(
        self, built: Built, actor: Actor, statement: sql.Composed, before: dict[str, str]
    ) -> Outcome:
        changed: set[int] = set()
        for j, key in enumerate(built.keys):
            keyed = sql.SQL("{} WHERE {}").format(statement, world_filter(self.key, [key]))
            outcome = self._probe(built, actor, keyed, before)
            if outcome.error is None:
                changed |= outcome.rows & {j}
        return Outcome(changed, None, sql.SQL("{} WHERE <each row's key>").format(statement))

    def _new_value(self, built: Built, actor: Actor) -> sql.Composable:
        """What an UPDATE probe writes: the actor's own owner value (a group it is in;
        else the first owner's: WITH CHECK must then refuse whatever USING let through),
        or for another column the value the table's background row has, or its DEFAULT
        (a constant: the UPDATE reads no column, so only the UPDATE policies judge it)."""
        if self.updated != self.model.link:
            value = self.builder.backgrounds[self.table].values().get(self.updated)
            return sql.DEFAULT if value is None else sql.Literal(_text(value))
        own = built.world.own_owner(actor.index) if actor.kind == "user" else 0
        return sql.Literal(built.links[own if own is not None else 0])

    def _transfer(self, built: Built, before: dict[str, str]) -> Breach | None:
        """The first user's rows handed to the second: refused where users own rows."""
        if self.model.users["update"] != "own" or self.updated != self.model.link:
            return None  # a hand-over writes the link column, which the role may not
        world = built.world
        mine = sorted(j for j, r in enumerate(world.rows) if world.mine(0, r.owner))
        other = world.other_owner(0)
        if not mine or other is None:
            return None
        actor = Actor("user", self.model.act_as.user_role, 0)
        statement = sql.SQL("UPDATE {} SET {} = {} WHERE {}").format(
            self.table.identifier,
            sql.Identifier(self.model.link),
            sql.Literal(built.links[other]),
            world_filter(self.key, [built.keys[j] for j in mine]),
        )
        outcome = self._probe(built, actor, statement, before)
        if outcome.error is not None or not outcome.rows:
            return None
        return Breach(
            built,
            actor,
            "update",
            outcome,
            f"hands no row to {world.owner_label(other)} (WITH CHECK refuses a row its "
            "writer would not own)",
            f"hands {self._rows(built, outcome.rows)} to {world.owner_label(other)}",
        )

    def _insert(self, built: Built) -> Breach | None:
        world = built.world
        copy = 500
        for actor in actors(self.model, world, self.present):
            owners: list[int | None] = [0]
            if actor.kind == "user":
                owners = [world.own_owner(actor.index), world.other_owner(actor.index)]
            for owner in (o for o in owners if o is not None):
                copy += 1
                values = self.builder.new_row(built, owner, copy)
                statement = _sql.insert_literal(
                    self.table, values, overriding=self.builder.overriding(values)
                )
                outcome = self._probe(built, actor, statement, None)
                error = outcome.error
                if error is not None and error.sqlstate != _ACCESS_REFUSED:
                    self.last_error = describe_error(error)
                    continue  # a constraint refused the row: says nothing about access
                allowed = _may_insert(self.model, actor, world, owner)
                if (error is None) != allowed:
                    row = f"a row of {world.owner_label(owner)}'s"
                    expected = f"{'accepts' if allowed else 'refuses'} {row}"
                    actual = (
                        f"accepts {row}"
                        if error is None
                        else f"refuses {row} ({describe_error(error)})"
                    )
                    return Breach(built, actor, "insert", outcome, expected, actual)
        return None


def _may_insert(model: TenancyModel, actor: Actor, world: World, owner: int) -> bool:
    if actor.kind == "privileged":
        return True
    mode = model.users["insert"] if actor.kind == "user" else model.anon["insert"]
    mine = actor.kind == "user" and world.mine(actor.index, owner)
    return mode == "all" or (mode == "own" and mine)


def _text(value: Any) -> str:
    """A row value as the text its column's input function reads (JSON for json)."""
    import json

    return value if isinstance(value, str) else json.dumps(value)


def _updatable(
    conn: psycopg.Connection[Any], model: TenancyModel, builder: WorldBuilder
) -> str | None:
    """The link column if the user role may update it, else the first column it may
    update that is no key and not generated (``None``: none at all)."""
    rows = conn.execute(
        "SELECT a.attname FROM pg_catalog.pg_attribute a"
        " WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped"
        " AND a.attgenerated = '' AND a.attidentity = ''"
        " AND pg_catalog.has_column_privilege(%s, a.attrelid, a.attnum, 'UPDATE')"
        " ORDER BY a.attnum",
        (str(model.table), model.act_as.user_role),
    ).fetchall()
    names = [r[0] for r in rows]
    if model.link in names or not names:
        return model.link if names else None
    keys = set(builder.key)
    return next((n for n in names if n not in keys), None)
