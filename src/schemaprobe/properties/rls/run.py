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

from typing import Any

import psycopg
from hypothesis import given, reject, seed
from hypothesis.database import ExampleDatabase
from hypothesis.errors import Unsatisfiable
from psycopg import sql

from schemaprobe.properties._explore import search_settings
from schemaprobe.properties.background import BackgroundCache
from schemaprobe.properties.oracle import Counterexample, PropertyOutcome
from schemaprobe.properties.rls.decidable import undecided
from schemaprobe.properties.rls.doors import Door, side_doors
from schemaprobe.properties.rls.guard import guard
from schemaprobe.properties.rls.judge import WORLD, Breach, Found, Isolation
from schemaprobe.properties.rls.model import TenancyModel
from schemaprobe.properties.rls.probes import acting, key_expression, world_filter
from schemaprobe.properties.rls.render import render_inserts
from schemaprobe.properties.rls.world import World, WorldBuilder, WorldError, edge_worlds, worlds
from schemaprobe.properties.rows import RowFactory

__all__ = ["DEFAULT_WORLDS", "run_isolation"]

DEFAULT_WORLDS = 25


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
    conn.execute(WORLD)
    run = Isolation(conn, builder, model, command, present, blind, doors)

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

    @search_settings(max(1, max_examples - run.worlds), database)
    @seed(seed_value)
    @given(worlds(model, builder.row_strategy(), owner_unique=builder.owner_unique))
    def check(world: World) -> None:
        judged = run.judge(world)
        if judged is False:
            reject()
        if isinstance(judged, Breach):
            raise Found(judged)

    try:
        check()
    except Found as found:
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
    statement = breach.outcome.statement.as_string(conn)
    context.append(f"statement:  {statement}")
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
    statements.append(statement + ";")
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
