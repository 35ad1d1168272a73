"""Worlds for isolation properties: principals, the rows each owns, built in the database.

A world is small and abstract (2-5 principals; rows, each owned by one of them and
public or not), drawn by Hypothesis, which shrinks it to the smallest that still shows a
breach. :class:`WorldBuilder` turns one into rows: a row for each principal where the
owner column references a table (``auth.users``: the principal's id must exist there),
the rows a foreign-key path passes through (``ai_tasks.clone_id -> ai_clones.user_id``:
a clone per principal), then the table's rows. Every row is the table's background row
(valid, its parents inserted once per item, see :mod:`..background`) with the owner,
the public flag and the unique keys changed, so a world costs one insert per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from hypothesis import strategies as st
from psycopg import sql

from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.background import Background, find_background
from schemaprobe.properties.execute import Inserter
from schemaprobe.properties.rls.model import TenancyModel
from schemaprobe.properties.rows import LINKED, RowFactory, RowInsert, RowSet, _nudged
from schemaprobe.properties.strategies import steered
from schemaprobe.properties.types import INT_RANGES, PgType, Value, parse_type

#: The most principals, and groups, a world has.
_MAX_PRINCIPALS = 5
_MAX_GROUPS = 3

__all__ = ["Built", "World", "WorldBuilder", "WorldRow", "edge_worlds", "worlds"]


@dataclass(frozen=True, slots=True)
class WorldRow:
    owner: int
    """Index of the owning principal."""
    public: bool = False
    values: RowInsert | None = None
    """The row's other columns as drawn (``None``: the background row's). Drawn rows are
    what finds a leak through a column the model does not name (``OR is_public`` where
    no public rows are declared, ``OR status = 'published'``)."""


@dataclass(frozen=True, slots=True)
class World:
    principals: int
    rows: tuple[WorldRow, ...]
    groups: int = 0
    """Groups owning the rows (membership tenancy); 0: principals own rows themselves."""
    members: tuple[frozenset[int], ...] = ()
    """Per principal, the groups it is a member of."""

    @property
    def owners(self) -> int:
        """How many owners rows can have: groups, or principals."""
        return self.groups or self.principals

    def owner_label(self, owner: int) -> str:
        return f"{'group' if self.groups else 'user'} {owner + 1}"

    def mine(self, principal: int, owner: int) -> bool:
        """Whether rows of ``owner`` are ``principal``'s own."""
        return owner in self.members[principal] if self.groups else owner == principal

    def own_owner(self, principal: int) -> int | None:
        """An owner whose rows are the principal's (its first group, or itself)."""
        if not self.groups:
            return principal
        return min(self.members[principal], default=None)

    def other_owner(self, principal: int) -> int | None:
        """An owner whose rows are not the principal's (the next one), if any."""
        for step in range(1, self.owners + 1):
            owner = (principal + step) % self.owners
            if not self.mine(principal, owner):
                return owner
        return None

    def describe(self, row: int) -> str:
        """``row 2 (user 1's, public)``."""
        found = self.rows[row]
        public = ", public" if found.public else ""
        drawn = dict(found.values.values) if found.values is not None else {}
        shown = "".join(f"; {k} = {v!r}" for k, v in sorted(drawn.items()) if v is not LINKED)
        return f"row {row + 1} ({self.owner_label(found.owner)}'s{public}{shown})"

    def describe_members(self) -> str:
        """``user 1 in group 1, user 2 in no group``."""
        parts = []
        for principal, groups in enumerate(self.members):
            inside = ", ".join(f"group {g + 1}" for g in sorted(groups)) or "no group"
            parts.append(f"user {principal + 1} in {inside}")
        return "; ".join(parts)


def worlds(
    model: TenancyModel, rows: st.SearchStrategy[RowInsert], *, owner_unique: bool
) -> st.SearchStrategy[World]:
    """2-5 principals (membership tenancy: 2-4, in 1-3 groups, each a member of any of
    them) and 1-6 rows owned by them (one each at most where the owner column is a key of
    its own: a profile per user), each row's other columns from ``rows``."""
    flags = st.booleans() if model.public else st.just(False)

    def with_rows(
        n: int, owners: int, members: tuple[frozenset[int], ...]
    ) -> st.SearchStrategy[World]:
        row = st.builds(WorldRow, st.integers(0, owners - 1), flags, rows)
        unique = (lambda r: r.owner) if owner_unique else None
        size = min(6, owners) if owner_unique else 6
        drawn = st.lists(row, min_size=1, max_size=size, unique_by=unique)
        groups = owners if members else 0
        return drawn.map(lambda found: World(n, tuple(found), groups, members))

    if model.membership is None:
        return st.integers(2, _MAX_PRINCIPALS).flatmap(lambda n: with_rows(n, n, ()))

    def grouped(sizes: tuple[int, int]) -> st.SearchStrategy[World]:
        n, k = sizes
        belongs = st.frozensets(st.integers(0, k - 1), max_size=k)
        members = st.tuples(*([belongs] * n))
        return members.flatmap(lambda m: with_rows(n, k, m))

    return st.tuples(st.integers(2, 4), st.integers(1, _MAX_GROUPS)).flatmap(grouped)


def edge_worlds(model: TenancyModel) -> list[World]:
    """Tried first, every time: two users with a row each (and one public row where the
    model has public rows); with groups, two users each in a group of their own with a
    row each. What most breaches need, and no luck needed to find it."""
    if model.membership is not None:
        members = (frozenset({0}), frozenset({1}))
        found = [World(2, (WorldRow(0), WorldRow(1)), 2, members)]
        if model.public:
            found.append(World(2, (WorldRow(0), WorldRow(1, public=True)), 2, members))
        return found
    found = [World(2, (WorldRow(0), WorldRow(1)))]
    if model.public:
        found.append(World(2, (WorldRow(0), WorldRow(1, public=True))))
    return found


@dataclass(frozen=True, slots=True)
class Inserted:
    """A row the world (or an item's background) put in, for a runnable script."""

    table: QualifiedName
    payload: dict[str, Value]
    overriding: bool


@dataclass
class Built:
    """A world in the database: each principal's id and the value its rows carry in the
    table's link column, and the keys of the world's rows (as text, in world order)."""

    world: World
    ids: list[str]
    links: list[str]
    keys: list[str]
    inserted: list[Inserted] = field(default_factory=list)


class WorldError(Exception):
    """The world cannot be built (a constraint of the table refused a row)."""


def principal_id(pg: PgType, index: int) -> str:
    """A deterministic id of principal ``index`` for an owner column of type ``pg``."""
    if pg.name == "uuid":
        return f"00000000-0000-4000-8000-{index + 1:012x}"
    if pg.name in INT_RANGES or pg.is_number:
        return str(910_000 + index + 1)
    return f"user-{index + 1}"


class WorldBuilder:
    """Builds worlds for one table's model on ``conn`` (inside the item's transaction).

    :meth:`prepare` inserts the backgrounds' parents once; :meth:`build` is called per
    world inside a savepoint the caller rolls back to.
    """

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        factory: RowFactory,
        model: TenancyModel,
        *,
        parent_seed: int,
        cache: dict[QualifiedName, Any],
    ) -> None:
        self.conn = conn
        self.factory = factory
        self.model = model
        self.inserter = Inserter(conn)
        self._seed = parent_seed
        self._cache = cache
        self.backgrounds: dict[QualifiedName, Background] = {}
        self.roles: list[str] = []
        """The principals' own roles (``act_as.role_per_principal``), else empty."""
        self._ids: list[str] = []
        self._links: list[str] = []
        self._owner_ids: list[str] = []
        self._fixed: list[Inserted] = []
        self.table = factory.table(model.table)
        self.key = key_columns(self.table)
        # each hop: (table, its column that references the next, the next's key column)
        self.hops = _hop_chain(factory, model)
        owner = factory.table(model.owner_table).column(model.owner)
        if owner is None:
            raise WorldError(f"column {model.owner} of {model.owner_table} is missing")
        self.owner_type = parse_type(owner.type)
        self.owner_unique = _is_own_key(self.table, model.link)
        # (table, column, the column it references) from the column naming a principal
        # down to the table whose key is its id (auth.users.id): inserted deepest first
        self.group_chain: list[tuple[QualifiedName, str, str]] = []
        self.principal_type = self.owner_type
        if model.membership is None:
            self.identity = _identity_chain(factory, model.owner_table, model.owner)
        else:
            members, group, member = model.membership
            live = factory.table(members)
            column = live.column(member)
            if column is None or live.column(group) is None:
                raise WorldError(f"{members} has no columns {group} and {member} (membership)")
            self.principal_type = parse_type(column.type)
            self.identity = _identity_chain(factory, members, member)
            # where a group's id must exist (teams.id): from the owner column outwards
            self.group_chain = _identity_chain(factory, model.owner_table, model.owner)

    def prepare(self) -> None:
        """Find each table's background row and insert its parents (kept for the item)."""
        tables = [t for t, _c, _r in self.identity] + [t for t, _c, _r in self.hops]
        tables += [t for t, _c, _r in self.group_chain]
        if self.model.membership is not None:
            tables.append(self.model.membership[0])
        tables += [self.model.owner_table, self.model.table]
        if self.model.act_as.role_per_principal:
            self._create_roles()
        for name in dict.fromkeys(tables):
            verdicts = _sql.verdicts(name, ()).as_bytes(self.conn)
            found = find_background(
                self.conn, self.factory, name, verdicts, base_seed=self._seed, cache=self._cache
            )
            if isinstance(found, str):
                raise WorldError(found)
            self.backgrounds[name] = found
        self._owners()

    def _create_roles(self) -> None:
        """One role per possible principal, named after this session's backend so that
        parallel sessions never wait on each other's names; members of the user role
        (its grants), created in the item's transaction and gone with its rollback."""
        row = self.conn.execute("SELECT pg_catalog.pg_backend_pid()").fetchone()
        prefix = f"schemaprobe_{row[0] if row else 0}"
        self.roles = [f"{prefix}_user_{i + 1}" for i in range(_MAX_PRINCIPALS)]
        member_of = sql.Identifier(self.model.act_as.user_role)
        for role in self.roles:
            statement = sql.SQL("CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {}")
            try:
                self.conn.execute(statement.format(sql.Identifier(role), member_of))
            except psycopg.Error as exc:
                raise WorldError(
                    f"cannot create a role per principal (act_as.role_per_principal): "
                    f"{exc.diag.message_primary}"
                ) from None

    def owner_types(self) -> set[str]:
        """The types an owner's id has here: the principal's, the owner column's, and the
        table's link column's (an owner path's key)."""
        kinds = {self.principal_type, self.owner_type}
        link = self.table.column(self.model.link)
        if link is not None:
            kinds.add(parse_type(link.type))
        return {_type_text(k) for k in kinds}

    def background_inserts(self) -> list[Inserted]:
        """The backgrounds' parent rows and the rows every world shares, for a script
        that rebuilds a world."""
        found: list[Inserted] = []
        for background in self.backgrounds.values():
            rows = zip(
                background.parents.inserts, background.payloads, background.returned, strict=False
            )
            for insert, payload, keys in rows:
                found.append(self._written(insert.table, dict(payload), keys, insert.overriding))
        return found + self._fixed

    def _written(
        self,
        table: QualifiedName,
        values: dict[str, Value],
        keys: dict[str, Value],
        overriding: bool,
    ) -> Inserted:
        """A row as a script must insert it: with the keys the server generated and later
        rows refer to written out (an identity among them needs OVERRIDING SYSTEM VALUE)."""
        extra = {k: v for k, v in keys.items() if k not in values}
        if not extra:
            return Inserted(table, values, overriding)
        live = self.factory.table(table)
        always = any((c := live.column(k)) is not None and c.identity == "always" for k in extra)
        return Inserted(table, {**values, **extra}, overriding or always)

    def _nudge(
        self, table: cat.Table, values: dict[str, Value], fixed: set[str], copy: int
    ) -> None:
        """Keep the ``copy``-th row off the others' unique keys: each unique column moved
        by ``copy``, but for those the world sets (``fixed``), foreign keys (they point at
        a parent) and columns a CHECK limits to a list (a moved member is no member: two
        rows of one owner may then clash, and that world is discarded)."""
        limited = {c for a in self.factory.analyses(table) for c in a.finite}
        for name in _unique_columns(table) - fixed - _foreign_columns(table) - limited:
            column = table.column(name)
            if column is not None and name in values:
                values[name] = _nudged(parse_type(column.type), values[name], copy)

    def row_strategy(self) -> st.SearchStrategy[RowInsert]:
        """The table's own rows with every writable column drawn, those with a default
        too (or left to it), linked to the background's parents (the same foreign-key
        plan the background was found with). Keys, the owner link and the public flag
        are the world's to set; sequences are never drawn from."""
        table = self.table
        checks = self.factory.analyses(table)
        fixed = {self.model.link, *self.key, *_foreign_columns(table)}
        if self.model.public:
            fixed.add(self.model.public)
        overrides: dict[str, st.SearchStrategy[Value]] = {}
        for column in table.columns:
            if column.name in fixed or column.default is None or _generated(column):
                continue
            pg = parse_type(column.type)
            info = self.factory.types.get(pg.element.name)
            drawn = steered(pg, column.name, checks, info, nullable=not column.not_null)
            overrides[column.name] = st.one_of(st.just(LINKED), drawn)  # LINKED: default
        parts = self.factory.parts(self.model.table, overrides, fill="complete")
        return parts[1].map(lambda r: r.row)

    def _insert(
        self,
        built: Built,
        table: QualifiedName,
        changes: dict[str, Value],
        copy: int,
        returning: tuple[str, ...],
        drawn: RowInsert | None = None,
    ) -> dict[str, Value]:
        background = self.backgrounds[table]
        live = self.factory.table(table)
        if drawn is None:
            values = background.values(changes)
        else:
            values = {**RowSet.linked(drawn, background.returned), **changes}
        self._nudge(live, values, set(changes), copy)
        overriding = background.row.overriding or any(
            c in background.always and values.get(c) is not None for c in values
        )
        insert = RowInsert(table, values, (), returning, overriding)
        try:
            returned = self.inserter.insert(insert, values)
        except psycopg.Error as exc:
            raise WorldError(
                f"a row of {table} was refused: {exc.sqlstate}: {exc.diag.message_primary}"
            ) from None
        built.inserted.append(self._written(table, values, returned, overriding))
        return returned

    def _owners(self) -> None:
        """The rows every world shares, inserted once per item (kept under the worlds'
        savepoint): each possible principal's id where it must exist (``auth.users``),
        each possible group's, and the rows an owner path passes through per owner (a
        clone per user). A world then costs its memberships and its own rows."""
        fixed = Built(World(0, ()), [], [], [])
        if self.roles:
            ids = list(self.roles)
        else:
            ids = [principal_id(self.principal_type, i) for i in range(_MAX_PRINCIPALS)]
        for i, pid in enumerate(ids):
            for table, column, _referenced in reversed(self.identity):
                self._insert(fixed, table, {column: pid}, 1000 + i, ())
        # the owners' values in the owner column: the principals' ids, or the groups'
        owners = list(ids)
        if self.model.membership is not None:
            owners = [principal_id(self.owner_type, 100 + g) for g in range(_MAX_GROUPS)]
            for g, gid in enumerate(owners):
                for table, column, _referenced in reversed(self.group_chain):
                    self._insert(fixed, table, {column: gid}, 3000 + g, ())
        links = list(owners)
        # the owner table's row per owner, then each table on the way back
        for i, owner in enumerate(owners if self.hops else ()):
            value = owner
            column = self.model.owner
            table = self.model.owner_table
            for hop_table, hop_column, referenced in reversed(self.hops):
                returned = self._insert(fixed, table, {column: value}, 2000 + i, (referenced,))
                value = str(returned[referenced])
                table, column = hop_table, hop_column
            links[i] = value
        self._ids, self._links, self._fixed = ids, links, fixed.inserted
        self._owner_ids = owners

    def build(self, world: World) -> Built:
        """Insert ``world`` (the caller holds the savepoint to roll back to)."""
        built = Built(world, self._ids[: world.principals], self._links[: world.owners], [])
        if world.groups:
            self._members(built, world, self._owner_ids[: world.groups])
        for j, row in enumerate(world.rows):
            changes: dict[str, Value] = {self.model.link: built.links[row.owner]}
            if self.model.public:
                changes[self.model.public] = row.public
            returned = self._insert(built, self.model.table, changes, j + 1, self.key, row.values)
            built.keys.append(_key_text(returned, self.key))
        return built

    def _members(self, built: Built, world: World, groups: list[str]) -> None:
        """A row of the membership table per principal and group it belongs to."""
        assert self.model.membership is not None  # only called for worlds with groups
        members, group, member = self.model.membership
        copy = 4000
        for principal, belongs in enumerate(world.members):
            for g in sorted(belongs):
                copy += 1
                changes = {group: groups[g], member: built.ids[principal]}
                self._insert(built, members, changes, copy, ())

    def new_row(self, built: Built, owner: int, copy: int) -> dict[str, Value]:
        """Values of one more row owned by principal ``owner`` (for INSERT probes)."""
        background = self.backgrounds[self.model.table]
        changes: dict[str, Value] = {self.model.link: built.links[owner]}
        if self.model.public:
            changes[self.model.public] = False
        values = background.values(changes)
        self._nudge(self.table, values, set(changes), copy)
        return values

    def overriding(self, values: dict[str, Value]) -> bool:
        background = self.backgrounds[self.model.table]
        return background.row.overriding or any(
            c in background.always and values.get(c) is not None for c in values
        )


def _type_text(pg: PgType) -> str:
    """``uuid``, ``integer``, ``text``: a type as ``pg_get_function_identity_arguments``
    writes it (no modifiers)."""
    return pg.name + "[]" * pg.array


def key_columns(table: cat.Table) -> tuple[str, ...]:
    """The columns that tell the table's rows apart: its primary key, else a unique key
    of NOT NULL columns; empty when it has neither."""
    primary = table.primary_key
    if primary is not None:
        return primary.columns
    for constraint in table.constraints:
        if constraint.kind == "unique":
            columns = [table.column(c) for c in constraint.columns]
            if all(c is not None and c.not_null for c in columns):
                return constraint.columns
    return ()


def _key_text(returned: dict[str, Value], key: tuple[str, ...]) -> str:
    # as probes.key_expression renders it on the server (keys are NOT NULL)
    return "\x1f".join(str(returned[c]) for c in key)


def _unique_columns(table: cat.Table) -> set[str]:
    found = {c for k in table.constraints if k.kind in ("unique", "primary key") for c in k.columns}
    found |= {c.name for i in table.indexes if i.unique for c in i.columns if not c.expression}
    return found


def _generated(column: cat.Column) -> bool:
    """Identity, serial and generated columns: never written from a draw."""
    default = column.default or ""
    return column.identity is not None or column.generated is not None or "nextval(" in default


def _foreign_columns(table: cat.Table) -> set[str]:
    return {c for k in table.constraints if k.references is not None for c in k.columns}


def _is_own_key(table: cat.Table, column: str) -> bool:
    """Whether ``column`` alone is a primary or unique key (one row per owner)."""
    for constraint in table.constraints:
        if constraint.kind in ("unique", "primary key") and constraint.columns == (column,):
            return True
    return any(
        i.unique and len(i.columns) == 1 and i.columns[0].name == column and i.predicate is None
        for i in table.indexes
    )


def _reference(table: cat.Table, column: str) -> tuple[QualifiedName, str] | None:
    """The table and column a single-column foreign key on ``column`` references."""
    for constraint in table.constraints:
        fk = constraint.references
        if fk is not None and constraint.columns == (column,) and len(fk.columns) == 1:
            return fk.table, fk.columns[0]
    return None


def _identity_chain(
    factory: RowFactory, table: QualifiedName, column: str
) -> list[tuple[QualifiedName, str, str]]:
    """Where a principal's id must exist as a row: the owner column's foreign key target,
    and its target's, as long as the key column itself is a foreign key (profiles.id ->
    auth.users.id). Listed from the owner column outwards."""
    chain: list[tuple[QualifiedName, str, str]] = []
    seen: set[tuple[QualifiedName, str]] = set()
    while (table, column) not in seen:
        seen.add((table, column))
        found = _reference(factory.table(table), column)
        if found is None:
            break
        target, key = found
        chain.append((target, key, key))
        table, column = target, key
    return chain


def _hop_chain(factory: RowFactory, model: TenancyModel) -> list[tuple[QualifiedName, str, str]]:
    """Per hop of the owner path: (table, its column, the key column it references in
    the next table); a :class:`WorldError` when a hop is not a foreign key."""
    chain: list[tuple[QualifiedName, str, str]] = []
    table = model.table
    for column, target in model.hops:
        found = _reference(factory.table(table), column)
        if found is None or found[0] != target:
            raise WorldError(
                f"{table}.{column} has no single-column foreign key to {target} "
                f"(the tenancy's owner path says it leads there)"
            )
        chain.append((table, column, found[1]))
        table = target
    return chain
