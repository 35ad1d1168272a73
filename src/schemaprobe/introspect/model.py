"""The catalog model: what a live database *is*, as immutable, typed, comparable values.

Every class is a frozen slotted dataclass, so two reads of the same database compare
equal with ``==`` and nothing downstream can change what was read. Collections are
tuples (ordered as PostgreSQL orders them where order means something: columns by
position, index and constraint columns in key order; by name otherwise) and read-only
mappings keyed by :class:`QualifiedName` (or by plain name for global objects).

Text such as expressions, defaults and types is PostgreSQL's own canonical rendering
(``pg_get_expr``, ``format_type``), never the user's original spelling: compare against
it through the server's canonicaliser, not by string equality with spec text.

Names of roles are plain strings; ``"PUBLIC"`` stands for the pseudo-role of grants and
policies that apply to everyone (the catalog's role oid 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemaprobe.introspect._names import QualifiedName, quote_ident

__all__ = [
    "PUBLIC",
    "Catalog",
    "Column",
    "Constraint",
    "Extension",
    "ForeignKey",
    "Function",
    "Index",
    "IndexColumn",
    "Membership",
    "Policy",
    "Privilege",
    "QualifiedName",
    "Role",
    "Schema",
    "Sequence",
    "SequenceOwner",
    "Table",
    "Trigger",
    "View",
    "quote_ident",
]

PUBLIC = "PUBLIC"


@dataclass(frozen=True, slots=True, order=True)
class Privilege:
    """One privilege held by one grantee (``"PUBLIC"`` for everyone), as in ``aclexplode``.

    ``privilege`` is the SQL keyword (``SELECT``, ``EXECUTE``, ``USAGE`` ...). When an
    object's ACL is still the default (``NULL`` in the catalog) the default privileges
    are reported (``acldefault``), so "owner can do everything" is visible, not implied.
    """

    grantee: str
    privilege: str
    grantable: bool
    grantor: str


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    owner: str
    comment: str | None
    privileges: tuple[Privilege, ...]


@dataclass(frozen=True, slots=True)
class Extension:
    name: str
    version: str
    schema: str
    relocatable: bool
    comment: str | None


@dataclass(frozen=True, slots=True, order=True)
class Membership:
    """Role ``role`` granted to the member; ``inherit``/``set`` are ``None`` before PG 16."""

    role: str
    admin: bool
    inherit: bool | None
    set: bool | None


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    login: bool
    superuser: bool
    bypassrls: bool
    createrole: bool
    createdb: bool
    inherit: bool
    replication: bool
    connection_limit: int
    memberships: tuple[Membership, ...]
    comment: str | None

    @property
    def member_of(self) -> tuple[str, ...]:
        """Names of the roles this role is a direct member of, sorted."""
        return tuple(m.role for m in self.memberships)


@dataclass(frozen=True, slots=True)
class Column:
    """A column; ``default`` is ``None`` for generated columns (see ``generation``).

    ``type`` is ``format_type(atttypid, atttypmod)``: ``character varying(20)``,
    ``numeric(12,2)``, ``timestamp with time zone``, ``text[]``. ``identity`` is
    ``"always"``/``"by default"``; ``generated`` is ``"stored"`` or ``"virtual"`` (PG 18).
    ``collation`` is set only when it differs from the type's default collation.
    """

    name: str
    position: int
    type: str
    not_null: bool
    default: str | None
    identity: str | None
    generated: str | None
    generation: str | None
    collation: str | None
    comment: str | None
    privileges: tuple[Privilege, ...]


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """What a FOREIGN KEY references; actions are SQL words (``CASCADE``, ``NO ACTION``)."""

    table: QualifiedName
    columns: tuple[str, ...]
    on_update: str
    on_delete: str
    match: str
    on_delete_set_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Constraint:
    """A table constraint; kind-specific fields are ``None``/empty for other kinds.

    ``kind`` is one of ``primary key``, ``unique``, ``foreign key``, ``check``,
    ``exclude``. ``columns`` are in key order. ``check`` is the CHECK expression as
    ``pg_get_expr`` renders it. ``definition`` is set for EXCLUDE only (its operators
    and elements are not modelled separately). ``index`` names the backing index of a
    primary key, unique or exclusion constraint. ``enforced`` is always true before PG 18.
    ``no_inherit`` is CHECK ... NO INHERIT (the catalog flags every key constraint so, which
    says nothing); ``inherited`` means the constraint came from a parent or partitioned table.
    """

    name: str
    kind: str
    columns: tuple[str, ...]
    deferrable: bool
    initially_deferred: bool
    validated: bool
    enforced: bool
    no_inherit: bool
    inherited: bool
    nulls_not_distinct: bool
    check: str | None
    references: ForeignKey | None
    definition: str | None
    index: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class IndexColumn:
    """One key of an index: a column name, or an expression (``expression=True``).

    ``opclass`` is set only when it is not the default operator class for the key's
    type and access method (what ``pg_get_indexdef`` would print). ``descending`` and
    ``nulls_first`` are the orderings stored in ``indoption`` (btree default: ascending,
    nulls last; descending implies nulls first unless ``NULLS LAST`` was given).
    """

    name: str
    expression: bool
    opclass: str | None
    collation: str | None
    descending: bool
    nulls_first: bool


@dataclass(frozen=True, slots=True)
class Index:
    """An index. ``scans`` is how often it was scanned since statistics were last reset
    (``pg_stat_all_indexes.idx_scan``): a usage counter, not part of the schema, so it
    takes no part in ``==`` and is never serialized (snapshots stay deterministic).
    ``None`` when not read."""

    name: str
    method: str
    columns: tuple[IndexColumn, ...]
    include: tuple[str, ...]
    unique: bool
    nulls_not_distinct: bool
    primary: bool
    constraint: str | None
    predicate: str | None
    valid: bool
    options: tuple[str, ...]
    comment: str | None
    scans: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A user trigger (internal FK/constraint triggers are skipped).

    ``timing`` is ``BEFORE``/``AFTER``/``INSTEAD OF``; ``events`` a subset of
    ``INSERT``, ``UPDATE``, ``DELETE``, ``TRUNCATE`` in that order; ``level``
    ``ROW``/``STATEMENT``; ``enabled`` the ``tgenabled`` letter: ``O`` (origin, the
    default), ``D`` (disabled), ``R`` (replica only), ``A`` (always).
    """

    name: str
    timing: str
    events: tuple[str, ...]
    update_columns: tuple[str, ...]
    level: str
    function: QualifiedName
    arguments: tuple[str, ...]
    when: str | None
    enabled: str
    constraint: bool
    deferrable: bool
    initially_deferred: bool
    old_table: str | None
    new_table: str | None
    inherited: bool
    comment: str | None


@dataclass(frozen=True, slots=True)
class Policy:
    """A row-level security policy; ``command`` is ``ALL``/``SELECT``/``INSERT``/...."""

    name: str
    command: str
    permissive: bool
    roles: tuple[str, ...]
    using: str | None
    with_check: str | None
    comment: str | None


def _lookup(items: tuple[object, ...], name: str) -> object | None:
    for item in items:
        if getattr(item, "name", None) == name:
            return item
    return None


@dataclass(frozen=True, slots=True)
class Table:
    """A table: ordinary, partitioned or foreign (``kind``), with everything attached.

    ``persistence`` is ``permanent`` or ``unlogged``. A partitioned table has
    ``partition_key`` (``pg_get_partkeydef``: ``RANGE (created_at)``) and its direct
    ``partitions``; a partition has ``partition_of`` and ``partition_bound``
    (``FOR VALUES FROM (...) TO (...)``). ``inherits`` lists classic inheritance parents.
    """

    name: QualifiedName
    kind: str
    owner: str
    persistence: str
    columns: tuple[Column, ...]
    constraints: tuple[Constraint, ...]
    indexes: tuple[Index, ...]
    triggers: tuple[Trigger, ...]
    policies: tuple[Policy, ...]
    rls_enabled: bool
    rls_forced: bool
    privileges: tuple[Privilege, ...]
    partition_key: str | None
    partitions: tuple[QualifiedName, ...]
    partition_of: QualifiedName | None
    partition_bound: str | None
    inherits: tuple[QualifiedName, ...]
    options: tuple[str, ...]
    comment: str | None
    # Name -> part, per kind, built on first lookup: a comparison looks up every declared
    # column, index and policy of 10,000 tables. Not part of the value (no ``==``).
    _by_name: dict[str, dict[str, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _named(self, kind: str, parts: tuple[Any, ...], name: str) -> Any:
        table = self._by_name.get(kind)
        if table is None:
            table = self._by_name[kind] = {part.name: part for part in reversed(parts)}
        return table.get(name)

    def column(self, name: str) -> Column | None:
        """The column called ``name``, or ``None``."""
        found: Column | None = self._named("columns", self.columns, name)
        return found

    def constraint(self, name: str) -> Constraint | None:
        found: Constraint | None = self._named("constraints", self.constraints, name)
        return found

    def index(self, name: str) -> Index | None:
        found: Index | None = self._named("indexes", self.indexes, name)
        return found

    def trigger(self, name: str) -> Trigger | None:
        found: Trigger | None = self._named("triggers", self.triggers, name)
        return found

    def policy(self, name: str) -> Policy | None:
        found: Policy | None = self._named("policies", self.policies, name)
        return found

    @property
    def primary_key(self) -> Constraint | None:
        """The PRIMARY KEY constraint, if any."""
        for constraint in self.constraints:
            if constraint.kind == "primary key":
                return constraint
        return None


@dataclass(frozen=True, slots=True)
class View:
    """A view or materialized view (``kind``).

    ``definition`` is ``pg_get_viewdef``. ``security_invoker`` (PG 15+, else false) and
    ``security_barrier`` come from the view's options, ``check_option`` is ``LOCAL``,
    ``CASCADED`` or ``None``. Materialized views may have indexes; views may have
    INSTEAD OF triggers.
    """

    name: QualifiedName
    kind: str
    owner: str
    definition: str
    columns: tuple[Column, ...]
    indexes: tuple[Index, ...]
    triggers: tuple[Trigger, ...]
    security_invoker: bool
    security_barrier: bool
    check_option: str | None
    populated: bool
    privileges: tuple[Privilege, ...]
    options: tuple[str, ...]
    comment: str | None

    def column(self, name: str) -> Column | None:
        found = _lookup(self.columns, name)
        return found if isinstance(found, Column) else None


@dataclass(frozen=True, slots=True)
class SequenceOwner:
    """The column a sequence is OWNED BY (``identity`` when it backs an identity column)."""

    table: QualifiedName
    column: str
    identity: bool


@dataclass(frozen=True, slots=True)
class Sequence:
    name: QualifiedName
    owner: str
    type: str
    start: int
    increment: int
    minimum: int
    maximum: int
    cache: int
    cycle: bool
    owned_by: SequenceOwner | None
    privileges: tuple[Privilege, ...]
    comment: str | None


@dataclass(frozen=True, slots=True)
class Function:
    """A function, procedure, aggregate or window function (``kind``).

    ``arguments`` is the identity signature (``pg_get_function_identity_arguments``:
    ``a integer, b text``) and ``returns`` the result (``pg_get_function_result``:
    ``SETOF record``, ``TABLE(id uuid)``; ``None`` for procedures). ``volatility`` is
    ``IMMUTABLE``/``STABLE``/``VOLATILE``; ``config`` holds ``SET`` clauses as stored
    in ``proconfig`` (``search_path=public``).
    """

    name: QualifiedName
    arguments: str
    kind: str
    returns: str | None
    language: str
    volatility: str
    strict: bool
    security_definer: bool
    leakproof: bool
    parallel: str
    config: tuple[str, ...]
    owner: str
    source: str | None
    privileges: tuple[Privilege, ...]
    comment: str | None

    @property
    def signature(self) -> str:
        """``schema.name(identity arguments)``, the way ``regprocedure`` names it."""
        return f"{self.name}({self.arguments})"


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything one read saw, in one consistent snapshot.

    ``functions`` maps each qualified name to its overloads, sorted by arguments.
    ``round_trips`` counts the statements this read sent (over all connections); it
    does not grow with the number of objects. ``connections`` is 2 when the bulk queries
    ran on a second connection too. Neither takes part in ``==``.
    """

    server_version: int
    database: str
    schemas: Mapping[str, Schema]
    extensions: Mapping[str, Extension]
    roles: Mapping[str, Role]
    tables: Mapping[QualifiedName, Table]
    views: Mapping[QualifiedName, View]
    sequences: Mapping[QualifiedName, Sequence]
    functions: Mapping[QualifiedName, tuple[Function, ...]]
    # How the read went, not what the database is: left out of comparisons.
    round_trips: int = field(compare=False)
    connections: int = field(default=1, compare=False)

    @property
    def major_version(self) -> int:
        return self.server_version // 10000

    def function(self, name: QualifiedName, arguments: str | None = None) -> Function | None:
        """The function ``name`` with identity ``arguments``; any single overload if ``None``."""
        overloads = self.functions.get(name, ())
        if arguments is None:
            return overloads[0] if len(overloads) == 1 else None
        for function in overloads:
            if function.arguments == arguments:
                return function
        return None
