"""One isolation item: every actor sees, inserts, updates or deletes exactly the rows the
tenancy model allows, over worlds Hypothesis draws and shrinks.

For each world (built inside a savepoint, see :mod:`.world`) each actor runs one probe
(:mod:`.probes`) and the rows it saw or changed are compared with the model's:

- ``select``: the world's rows the actor's ``SELECT`` returns; more is a leak, fewer an
  over-restriction, both fail;
- ``insert``: each user inserts a row of its own and one of the next user's; anon and the
  privileged roles one of the first user's; accepted exactly where the model allows;
- ``update``: each actor's ``UPDATE ... SET <owner> = <its own>``; then the first user
  tries to hand its rows to the second (WITH CHECK must refuse where users own rows);
- ``delete``: each actor's ``DELETE``.

The edge worlds (two users, a row each, and a public row where the model has some) run
first, every time; then Hypothesis' worlds. A breach comes back as a counterexample with
the world, the actor, the statement, the rows touched against the rows allowed, and a
script that rebuilds it all in psql.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from hypothesis import HealthCheck, Phase, Verbosity, given, reject, seed, settings
from hypothesis.database import ExampleDatabase
from hypothesis.errors import Unsatisfiable
from psycopg import sql

from schemaprobe.properties import _sql
from schemaprobe.properties.background import BackgroundCache, describe_error
from schemaprobe.properties.oracle import Counterexample, PropertyOutcome
from schemaprobe.properties.rls.decidable import undecided
from schemaprobe.properties.rls.doors import Door, side_doors
from schemaprobe.properties.rls.guard import guard
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
from schemaprobe.properties.rls.render import render_inserts
from schemaprobe.properties.rls.world import (
    Built,
    World,
    WorldBuilder,
    WorldError,
    edge_worlds,
    worlds,
)
from schemaprobe.properties.rows import RowFactory

__all__ = ["DEFAULT_WORLDS", "run_isolation"]

DEFAULT_WORLDS = 25
_WORLD = sql.SQL("SAVEPOINT schemaprobe_world")
_BACK_TO_WORLD = sql.SQL("ROLLBACK TO SAVEPOINT schemaprobe_world")
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


class _Found(Exception):
    def __init__(self, breach: Breach) -> None:
        super().__init__("the database lets an actor touch other rows than the model")
        self.breach = breach


class _Isolation:
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
            conn.execute(_BACK_TO_WORLD)
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
            conn.execute(_BACK_TO_WORLD)

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
                # the actor's own owner value (a group it is in; else the first owner's:
                # WITH CHECK must then refuse whatever USING let through)
                own = built.world.own_owner(actor.index) if actor.kind == "user" else 0
                statement = sql.SQL("UPDATE {} SET {} = {}{}").format(
                    self.table.identifier,
                    sql.Identifier(self.model.link),
                    sql.Literal(built.links[own if own is not None else 0]),
                    self._where(built),
                )
            else:
                statement = sql.SQL("DELETE FROM {}{}").format(
                    self.table.identifier, self._where(built)
                )
            outcome = self._probe(built, actor, statement, before)
            found = self._compare(built, actor, outcome, self._allowed(actor, built.world), verb)
            if found is not None:
                return found
        return None

    def _transfer(self, built: Built, before: dict[str, str]) -> Breach | None:
        """The first user's rows handed to the second: refused where users own rows."""
        if self.model.users["update"] != "own":
            return None
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


def _holds_other_rows(conn: psycopg.Connection[Any], model: TenancyModel) -> bool:
    """Whether the table has rows of its own (then UPDATE/DELETE probes name the world's)."""
    query = sql.SQL("SELECT EXISTS (SELECT FROM {})").format(model.table.identifier)
    row = conn.execute(query).fetchone()
    return bool(row and row[0])


def run_isolation(
    conn: psycopg.Connection[Any],
    factory: RowFactory,
    model: TenancyModel,
    command: str,
    *,
    max_examples: int = DEFAULT_WORLDS,
    seed_value: int = 0,
    parent_cache: BackgroundCache | None = None,
    parent_seed: int = 0,
    database: ExampleDatabase | None = None,
) -> PropertyOutcome:
    """Test one command of ``model`` on ``conn`` (inside its open transaction, which the
    caller rolls back): the guard, the edge worlds, then Hypothesis' worlds."""
    acting_roles = [model.act_as.user_role]
    optional: set[str] = set()
    if model.act_as.anon_role is not None:
        acting_roles.append(model.act_as.anon_role)
        optional.add(model.act_as.anon_role)
    why, absent = guard(conn, model.table, acting_roles, optional)
    if why is not None:
        return PropertyOutcome(0, 0, seed_value, error=f"guard: {why}")
    present = _present_roles(conn, [*acting_roles, *model.privileged]) - absent
    missing = [r for r in model.privileged if r not in present]
    if missing and model.privileged_written:
        return PropertyOutcome(
            0, 0, seed_value, error=f'privileged role "{missing[0]}" does not exist'
        )
    try:
        builder = WorldBuilder(
            conn, factory, model, parent_seed=parent_seed, cache=parent_cache or {}
        )
        blind = not _holds_other_rows(conn, model)
        builder.prepare()
    except WorldError as exc:
        return PropertyOutcome(0, 0, seed_value, error=str(exc))
    if not builder.key:
        return PropertyOutcome(
            0,
            0,
            seed_value,
            error=f"undecided: {model.table} has no primary key or NOT NULL unique key to "
            "tell its rows apart",
        )
    doors: list[Door] = []
    notes: list[str] = []
    if command == "select":
        doors, notes = side_doors(
            factory.catalog, model.table, builder.key, builder.owner_types(), model.functions
        )
    conn.execute(_WORLD)
    run = _Isolation(conn, builder, model, command, present, blind, doors)

    def outcome(found: Breach | None = None, error: str | None = None) -> PropertyOutcome:
        example = None if found is None else _counterexample(conn, builder, found)
        return PropertyOutcome(
            run.worlds, run.discarded, seed_value, example, error, notes=tuple(notes)
        )

    built_any = False
    for world in edge_worlds(model):
        judged = run.judge(world)
        if isinstance(judged, Breach):
            return outcome(judged)
        built_any = built_any or judged is not False

    @settings(
        max_examples=max(1, max_examples - run.worlds),
        database=database,
        deadline=None,
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.reuse, Phase.generate, Phase.shrink),
    )
    @seed(seed_value)
    @given(worlds(model, builder.row_strategy(), owner_unique=builder.owner_unique))
    def check(world: World) -> None:
        judged = run.judge(world)
        if judged is False:
            reject()
        if isinstance(judged, Breach):
            raise _Found(judged)

    try:
        check()
    except _Found as found:
        return outcome(found.breach)
    except Unsatisfiable:
        if not built_any:
            return outcome(error=f"no world could be built: {run.last_error}")
    modelled = [model.table, *(t for t, _c, _r in builder.identity), *(h for _c, h in model.hops)]
    modelled += [t for t, _c, _r in builder.group_chain]
    if model.membership is not None:
        modelled.append(model.membership[0])
    reasons = undecided(factory.catalog, builder.table, command, modelled, model.table.schema)
    if reasons:
        return outcome(error="undecided: " + "; ".join(reasons))
    return outcome()


def _present_roles(conn: psycopg.Connection[Any], roles: list[str]) -> set[str]:
    rows = conn.execute(
        "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)", (roles,)
    ).fetchall()
    return {r[0] for r in rows}


def _counterexample(
    conn: psycopg.Connection[Any], builder: WorldBuilder, breach: Breach
) -> Counterexample:
    """The breach as a report: the world, who did what, and a script rebuilding it."""
    built = breach.built
    world = built.world
    ids = ", ".join(f"user {i + 1} = {pid}" for i, pid in enumerate(built.ids))
    context = [f"principals: {ids}"]
    if world.groups:
        context.append(f"members:    {world.describe_members()}")
    for j, key in enumerate(built.keys):
        label = "world:     " if j == 0 else "           "
        context.append(f"{label} {world.describe(j)}, key {key.replace(chr(31), ', ')}")
    label = breach.actor.label()
    if builder.roles and breach.actor.kind == "user":
        label = f"user {breach.actor.index + 1} (role {built.ids[breach.actor.index]})"
    context.append(f"actor:      {label}")
    context.append(f"statement:  {breach.outcome.statement}")
    member_of = sql.Identifier(builder.model.act_as.user_role)
    statements = [
        sql.SQL("CREATE ROLE {} NOLOGIN IN ROLE {};")
        .format(sql.Identifier(role), member_of)
        .as_string(conn)
        for role in built.ids
        if role in builder.roles
    ]
    statements += render_inserts(
        conn, builder.factory, [*builder.background_inserts(), *built.inserted]
    )
    statements.append(acting(builder.model, breach.actor, built).as_string(conn) + ";")
    statements.append(breach.outcome.statement + ";")
    if breach.command in ("update", "delete"):
        statements.append("RESET ROLE;")
        statements.append(
            sql.SQL("SELECT {} FROM {} WHERE {};")
            .format(
                key_expression(builder.key),
                builder.model.table.identifier,
                world_filter(builder.key, built.keys),
            )
            .as_string(conn)
        )
    return Counterexample(
        statements=tuple(statements),
        values=(),
        spec_accepts=True,
        database_accepts=True,
        refusal=None,
        expected=breach.expected,
        actual=breach.actual,
        context=tuple(context),
    )
