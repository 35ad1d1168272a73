"""The spec model: what a database must be, as validated, immutable pydantic models.

A spec states only what it declares: a field left out is not checked, a field written as
``null`` is checked to be absent (``default: null`` means "no default"). Use
:func:`declared` to tell the two apart. ``exhaustive`` adds the reverse direction: objects
present in the database but not declared become findings.

Shorthands keep specs close to how people write schema documents:

- a column may be just its type (``title: text``);
- ``rls: true`` means enabled, not necessarily forced;
- ``checks``/``unique``/``primary_key`` entries may be a bare expression or column list;
- ``references: auth.users(id)`` names a foreign key's target as SQL does;
- counts may be a bare integer (``tables: 12``) or bounds (``{min: 30}``).

This module knows nothing of YAML or databases: :mod:`schemaprobe.spec.load` fills it
from files, :mod:`schemaprobe.compare` holds it against a catalog.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from schemaprobe.spec._node import _Node
from schemaprobe.spec.tenancy import TenancySpec

__all__ = [
    "API_ROLES",
    "INVENTORY_SECTIONS",
    "Bounds",
    "CheckSpec",
    "ColumnSpec",
    "Counts",
    "ExclusionSpec",
    "ExtensionSpec",
    "ForeignKeySpec",
    "FunctionSpec",
    "Grants",
    "GroupCounts",
    "GroupSpec",
    "IndexKeySpec",
    "IndexSpec",
    "PolicySpec",
    "PrimaryKeySpec",
    "RlsSpec",
    "RoleSpec",
    "SchemaSpec",
    "SpecDocument",
    "TableSpec",
    "TenancySpec",
    "TriggerSpec",
    "UniqueSpec",
    "ViewSpec",
    "declared",
]

#: Roles that reach the database through an HTTP API (Supabase/PostgREST): a schema is
#: "exposed" when one of them has USAGE on it. A spec can name others (``api_roles``).
API_ROLES = ("anon", "authenticated")

#: Section names ``exhaustive`` accepts as a list; ``true`` means all of them.
INVENTORY_SECTIONS = (
    "schemas",
    "extensions",
    "roles",
    "tables",
    "views",
    "functions",
    "columns",
    "constraints",
    "indexes",
    "triggers",
    "policies",
    "grants",
)

Section = Literal[
    "schemas",
    "extensions",
    "roles",
    "tables",
    "views",
    "functions",
    "columns",
    "constraints",
    "indexes",
    "triggers",
    "policies",
    "grants",
]
Exhaustive = bool | list[Section]
Privilege = Annotated[str, Field(pattern=r"(?i)^[a-z][a-z ]*$")]
#: Role name -> the privileges it must hold, exactly (``ALL`` expands per object kind).
Grants = dict[str, list[Privilege]]
#: A reason must say something: text made only of spaces is refused like empty text.
NON_BLANK = r"\S"
Xfail = Annotated[
    str,
    Field(
        min_length=1,
        pattern=NON_BLANK,
        description="Waiver: this object is expected to differ, for this reason. Shown in "
        "every report; fails when the object conforms again (strict).",
    ),
]


def declared(model: BaseModel, field: str) -> bool:
    """Whether the spec wrote ``field`` (as opposed to leaving it out)."""
    return field in model.model_fields_set


class Bounds(_Node):
    """How many: exactly ``count``, or between ``min`` and ``max`` (inclusive)."""

    count: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _bare_count(cls, data: Any) -> Any:
        return {"count": data} if isinstance(data, int) and not isinstance(data, bool) else data

    @model_validator(mode="after")
    def _consistent(self) -> Bounds:
        if self.count is None and self.min is None and self.max is None:
            raise ValueError("give count, min or max")
        if self.count is not None and (self.min is not None or self.max is not None):
            raise ValueError("count excludes min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min={self.min} is greater than max={self.max}")
        return self

    def admits(self, n: int) -> bool:
        if self.count is not None:
            return n == self.count
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)

    def __str__(self) -> str:
        if self.count is not None:
            return str(self.count)
        if self.max is None:
            return f"at least {self.min}"
        if self.min is None:
            return f"at most {self.max}"
        return f"{self.min} to {self.max}"


class Counts(_Node):
    """Bounds on how many objects of each kind exist in the scope they are written in."""

    schemas: Bounds | None = None
    extensions: Bounds | None = None
    roles: Bounds | None = None
    tables: Bounds | None = None
    views: Bounds | None = None
    functions: Bounds | None = None
    columns: Bounds | None = None
    constraints: Bounds | None = None
    checks: Bounds | None = None
    foreign_keys: Bounds | None = None
    indexes: Bounds | None = None
    triggers: Bounds | None = None
    policies: Bounds | None = None


_ACTION = r"(?i)^(no action|restrict|cascade|set null|set default)$"
FkAction = Annotated[str, Field(pattern=_ACTION)]


class _TypeShorthand(_Node):
    """A column-like node that may be written as just its type (``title: text``)."""

    @model_validator(mode="before")
    @classmethod
    def _type_shorthand(cls, data: Any) -> Any:
        return {"type": data} if isinstance(data, str) else data


class ColumnSpec(_TypeShorthand):
    """A column. Only what is written is checked (``nullable`` left out: either is fine)."""

    type: str | None = Field(
        default=None,
        description="Any spelling PostgreSQL accepts: int4, varchar(255), timestamptz, serial.",
    )
    nullable: bool | None = None
    default: str | None = Field(default=None, description="SQL expression; null: no default.")
    identity: Literal["always", "by default"] | None = None
    generated: str | None = Field(
        default=None, description="Generation expression; null: not generated."
    )
    generated_storage: Literal["stored", "virtual"] | None = None
    collation: str | None = None
    comment: str | None = None
    grants: Grants | None = None
    # Column-level shorthands for single-column constraints.
    primary_key: bool | None = None
    unique: bool | None = None
    check: str | None = Field(default=None, min_length=1)
    references: str | None = Field(default=None, description="table(column), e.g. auth.users(id)")
    on_delete: FkAction | None = None
    on_update: FkAction | None = None
    xfail: Xfail | None = None


class _KeyColumns(_Node):
    """A key over columns; ``[a, b]`` or a single ``a`` stand for ``{columns: [...]}``."""

    columns: list[str] = Field(min_length=1)
    name: str | None = None
    xfail: Xfail | None = None

    @model_validator(mode="before")
    @classmethod
    def _columns_shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"columns": [data]}
        return {"columns": data} if isinstance(data, list) else data


class PrimaryKeySpec(_KeyColumns):
    pass


class UniqueSpec(_KeyColumns):
    nulls_not_distinct: bool | None = None
    deferrable: bool | None = None


_REFERENCE = re.compile(r"^\s*(?P<table>[^()]+?)\s*(\((?P<columns>[^()]*)\))?\s*$")


def _reference(value: str) -> str:
    """``references`` as SQL writes it: ``table`` or ``table(column, ...)``."""
    if not _REFERENCE.match(value):
        raise ValueError(f"references={value!r} is not table or table(column, ...)")
    return value


#: A foreign key's target as SQL writes it, checked when a spec loads.
Reference = Annotated[str, AfterValidator(_reference)]


class ForeignKeySpec(_Node):
    """A foreign key; ``references`` is ``table`` or ``table(col, ...)`` (SQL's spelling)."""

    columns: list[str] = Field(min_length=1)
    references: Reference
    on_delete: FkAction | None = None
    on_update: FkAction | None = None
    match: Literal["simple", "full", "partial"] | None = None
    deferrable: bool | None = None
    initially_deferred: bool | None = None
    name: str | None = None
    xfail: Xfail | None = None


def split_reference(text: str) -> tuple[str, tuple[str, ...]]:
    """``auth.users(id)`` -> (``auth.users``, (``id``,)); columns empty when not written."""
    match = _REFERENCE.match(text)
    if match is None:  # validated at load; kept total for callers outside the model
        return text.strip(), ()
    columns = match.group("columns")
    names = tuple(c.strip() for c in columns.split(",")) if columns else ()
    return match.group("table"), tuple(n for n in names if n)


class CheckSpec(_Node):
    expression: str = Field(min_length=1)
    name: str | None = None
    xfail: Xfail | None = None

    @model_validator(mode="before")
    @classmethod
    def _expression_shorthand(cls, data: Any) -> Any:
        return {"expression": data} if isinstance(data, str) else data


class ExclusionSpec(_Node):
    """An EXCLUDE constraint as ``pg_get_constraintdef`` prints it, without ``EXCLUDE``."""

    definition: str = Field(min_length=1, examples=["USING gist (room WITH =, during WITH &&)"])
    name: str | None = None
    xfail: Xfail | None = None


class IndexKeySpec(_Node):
    """One index key: a ``column`` or an ``expression``, with its ordering and opclass."""

    column: str | None = None
    expression: str | None = None
    order: Literal["asc", "desc"] | None = None
    nulls: Literal["first", "last"] | None = None
    opclass: str | None = None
    collation: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> IndexKeySpec:
        if (self.column is None) == (self.expression is None):
            raise ValueError("give exactly one of column or expression")
        return self


class IndexSpec(_Node):
    """An index. Matched by meaning (method, keys, order, predicate) unless ``name`` is set.

    ``columns`` items are strings as in ``CREATE INDEX`` (``created_at DESC``,
    ``lower(email)``, ``title gin_trgm_ops``) or :class:`IndexKeySpec` mappings.
    """

    columns: list[str | IndexKeySpec] = Field(min_length=1)
    name: str | None = None
    method: str | None = None
    unique: bool | None = None
    where: str | None = Field(default=None, description="Partial index predicate; null: none.")
    include: list[str] | None = None
    nulls_not_distinct: bool | None = None
    xfail: Xfail | None = None


TriggerEvent = Literal["insert", "update", "delete", "truncate"]


class TriggerSpec(_Node):
    timing: Literal["before", "after", "instead of"] | None = None
    events: list[TriggerEvent] | None = None
    columns: list[str] | None = Field(default=None, description="UPDATE OF these columns")
    level: Literal["row", "statement"] | None = None
    function: str | None = Field(default=None, description="schema.name of the function")
    arguments: list[str] | None = None
    when: str | None = None
    enabled: Literal["origin", "disabled", "replica", "always"] | None = None
    absent: bool = False
    xfail: Xfail | None = None

    @field_validator("events", mode="before")
    @classmethod
    def _lower_events(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in re.split(r"\s+or\s+|,", value, flags=re.I)]
        return (
            [v.lower() if isinstance(v, str) else v for v in value]
            if isinstance(value, list)
            else value
        )


PolicyCommand = Literal["all", "select", "insert", "update", "delete"]


class PolicySpec(_Node):
    command: PolicyCommand | None = None
    permissive: bool | None = Field(default=None, description="false: RESTRICTIVE")
    roles: list[str] | None = Field(default=None, description="public means everyone")
    using: str | None = None
    with_check: str | None = None
    absent: bool = False
    xfail: Xfail | None = None

    @field_validator("command", mode="before")
    @classmethod
    def _lower_command(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class RlsSpec(_Node):
    enabled: bool | None = None
    forced: bool | None = None
    xfail: Xfail | None = None

    @model_validator(mode="before")
    @classmethod
    def _bool_shorthand(cls, data: Any) -> Any:
        return {"enabled": data} if isinstance(data, bool) else data


class TableSpec(_Node):
    """A table and everything attached to it."""

    kind: Literal["table", "partitioned", "foreign"] | None = None
    owner: str | None = None
    comment: str | None = None
    rls: RlsSpec | None = None
    partition_by: str | None = Field(default=None, examples=["RANGE (created_at)"])
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    primary_key: PrimaryKeySpec | None = None
    unique: list[UniqueSpec] = Field(default_factory=list)
    foreign_keys: list[ForeignKeySpec] = Field(default_factory=list)
    checks: list[CheckSpec] = Field(default_factory=list)
    exclusions: list[ExclusionSpec] = Field(default_factory=list)
    indexes: list[IndexSpec] = Field(default_factory=list)
    triggers: dict[str, TriggerSpec] = Field(default_factory=dict)
    policies: dict[str, PolicySpec] = Field(default_factory=dict)
    grants: Grants | None = None
    counts: Counts | None = None
    exhaustive: Exhaustive | None = None
    tenancy: TenancySpec | Literal[False] | None = Field(
        default=None,
        description="Who may see and change which rows (RLS isolation properties); merged "
        "over the spec's own tenancy: written here wins. false: no isolation items.",
    )
    absent: bool = False
    xfail: Xfail | None = None


class ViewSpec(_Node):
    kind: Literal["view", "materialized"] | None = None
    owner: str | None = None
    comment: str | None = None
    security_invoker: bool | None = None
    security_barrier: bool | None = None
    check_option: Literal["local", "cascaded"] | None = None
    columns: dict[str, str] | None = Field(default=None, description="name -> type")
    grants: Grants | None = None
    absent: bool = False
    xfail: Xfail | None = None


class FunctionSpec(_Node):
    """A function or procedure, keyed by ``schema.name(argument types)``.

    Without parentheses the key names the only overload. ``search_path`` pins the
    function's ``SET search_path`` (``""`` for an empty one; ``null`` for not set).
    """

    kind: Literal["function", "procedure", "aggregate", "window"] | None = None
    returns: str | None = None
    language: str | None = None
    volatility: Literal["immutable", "stable", "volatile"] | None = None
    security_definer: bool | None = None
    search_path: str | None = None
    strict: bool | None = None
    leakproof: bool | None = None
    parallel: Literal["safe", "restricted", "unsafe"] | None = None
    owner: str | None = None
    comment: str | None = None
    grants: Grants | None = None
    absent: bool = False
    xfail: Xfail | None = None

    @field_validator("volatility", "parallel", "language", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class SchemaSpec(_Node):
    owner: str | None = None
    comment: str | None = None
    exposed: bool | None = Field(
        default=None, description="Whether API roles (api_roles) have USAGE on it."
    )
    grants: Grants | None = None
    counts: Counts | None = None
    exhaustive: Exhaustive | None = None
    absent: bool = False
    xfail: Xfail | None = None


class ExtensionSpec(_Node):
    version: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    absent: bool = False
    xfail: Xfail | None = None


class RoleSpec(_Node):
    login: bool | None = None
    superuser: bool | None = None
    bypassrls: bool | None = None
    createrole: bool | None = None
    createdb: bool | None = None
    inherit: bool | None = None
    connection_limit: int | None = None
    member_of: list[str] | None = None
    absent: bool = False
    xfail: Xfail | None = None


class GroupCounts(_Node):
    """How many tables a group has, as a document claims it (``Core User Tables (3)``)."""

    tables: Bounds | None = None


class GroupSpec(_Node):
    """A named group of tables, as a schema document lists them under a heading.

    Every listed table must exist, and ``counts.tables`` (the number the document claims
    for the group) must admit the number of listed tables that exist, so a heading that
    says 6 over a list of 7 is reported. A group declares nothing: the tables themselves
    are declared (and made exhaustive) under ``tables``.
    """

    description: str | None = None
    tables: list[str] = Field(min_length=1, description="schema.name or name of each table")
    counts: GroupCounts | None = None
    xfail: Xfail | None = None


RuleSeverity = Literal["error", "warning", "info"]


class RuleSpec(_Node):
    """A rule switched on for this spec (its key is the rule id), and how it applies.

    ``id: error`` is short for ``{severity: error}``; ``id: false`` switches a rule off
    (useful under ``all``). Selectors narrow the findings to objects in ``schemas`` whose
    name matches ``tables`` and none of ``exclude_tables`` (globs on ``name`` or
    ``schema.name``; ``/regex/`` for a regular expression). ``roles`` replaces the API
    roles the rule reasons about. A waiver accepts one finding, by the object its report
    names, with the reason people will read; a waiver no finding needs any more fails.
    A rule of your own gives ``sql`` (a query returning one row per offending object,
    column ``object`` required) and ``why``.
    """

    enabled: bool = True
    severity: RuleSeverity | None = Field(
        default=None, description="Overrides the rule's own severity."
    )
    schemas: list[str] | None = Field(
        default=None, description="Only objects in these schemas (default: every schema)."
    )
    tables: list[str] | None = Field(
        default=None,
        description="Only objects whose name or schema.name matches one of these globs "
        "(/regex/ for a regular expression).",
        examples=[["app_*", "/^public\\.(users|profiles)$/"]],
    )
    exclude_tables: list[str] | None = Field(
        default=None, description="Objects matching one of these globs (or /regex/) are left out."
    )
    roles: list[str] | None = Field(
        default=None, description="The API roles this rule reasons about (default: api_roles)."
    )
    waivers: dict[str, Xfail] = Field(
        default_factory=dict,
        description="Finding object (as its report names it) -> why it is accepted.",
        examples=[{"table public.schema_migrations": "written only by the migration tool"}],
    )
    sql: str | None = Field(
        default=None,
        min_length=1,
        description="A rule of your own: a read-only query returning one row per offending "
        "object; columns object (required), actual, expected, fix, detail.",
    )
    title: str | None = None
    why: str | None = Field(default=None, description="Why a finding matters, in one sentence.")
    category: Literal["security", "performance", "convention"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _rule_shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return {"enabled": data}
        return {"severity": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _own_rule_says_why(self) -> RuleSpec:
        if self.sql is not None and not self.why:
            raise ValueError("a rule with sql needs why: (one sentence on why it matters)")
        return self


class UserDataRuleSpec(RuleSpec):
    """A rule about tables that hold user data: a table holds user data when it has one of
    ``owner_columns`` or a foreign key to one of ``owner_tables``."""

    owner_columns: list[str] = Field(default_factory=lambda: ["user_id", "owner_id"])
    owner_tables: list[str] = Field(default_factory=lambda: ["auth.users"])


class ColumnTemplate(_TypeShorthand):
    """What a required column must be; ``created_at: timestamptz`` gives the type only."""

    type: str | None = None
    default: str | None = Field(default=None, description="SQL expression; null: no default.")
    nullable: bool | None = None


class RequiredColumnsRuleSpec(RuleSpec):
    """Every selected table has these columns, of this type/default/nullability."""

    columns: dict[str, ColumnTemplate] = Field(min_length=1)


class PrimaryKeyRuleSpec(RuleSpec):
    """Every selected table's primary key has this shape."""

    columns: list[str] | None = Field(default=None, description="e.g. [id]")
    type: str | None = Field(default=None, description="type of a one-column key, e.g. uuid")
    default: str | None = Field(default=None, description="e.g. gen_random_uuid()")


class ForeignKeyTemplate(_Node):
    """``column`` (when given) must reference ``references`` with these actions; without
    ``column``, every foreign key to ``references`` must have them."""

    column: str | None = None
    references: Reference = Field(description="table or table(column), e.g. auth.users(id)")
    on_delete: FkAction | None = None
    on_update: FkAction | None = None


class ForeignKeyRuleSpec(RuleSpec):
    foreign_keys: list[ForeignKeyTemplate] = Field(min_length=1)


class NamingRuleSpec(RuleSpec):
    """Regular expressions names must match in full; ``{table}`` stands for the table's
    name (``{table}_pkey``, ``idx_{table}_.+``)."""

    tables: list[str] | None = Field(
        default=None, description="Selector (see RuleSpec); use table_names for the pattern."
    )
    table_names: str | None = Field(default=None, examples=["^[a-z][a-z0-9_]*$"])
    columns: str | None = None
    indexes: str | None = None
    primary_keys: str | None = None
    foreign_keys: str | None = None
    unique_constraints: str | None = None
    checks: str | None = None
    policies: str | None = None
    triggers: str | None = None

    @model_validator(mode="after")
    def _patterns_compile(self) -> NamingRuleSpec:
        for field in _NAMING_FIELDS:
            pattern = getattr(self, field)
            if pattern is None:
                continue
            try:
                re.compile(pattern.replace("{table}", "t"))
            except re.error as exc:
                raise ValueError(f"{field}: not a regular expression: {exc}") from None
        return self


_NAMING_FIELDS = (
    "table_names",
    "columns",
    "indexes",
    "primary_keys",
    "foreign_keys",
    "unique_constraints",
    "checks",
    "policies",
    "triggers",
)


def _rule(model: Any, rule_id: str, description: str) -> Any:
    return Field(default=None, alias=rule_id, description=description)


class RulesSection(_Node):
    """Rules this spec switches on, by id: built-in rules, convention templates, your own.

    ``all`` switches on every rule of ``schemaprobe lint``'s default selection with the
    settings given there; a rule listed by its own id uses its own settings instead.
    """

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=False)
    __pydantic_extra__: dict[str, RuleSpec] = Field(init=False)

    all: RuleSpec | None = Field(
        default=None, description="Every rule of lint's default selection, with these settings."
    )
    required_columns: RequiredColumnsRuleSpec | None = _rule(
        RequiredColumnsRuleSpec, "required-columns", "Columns every selected table must have."
    )
    primary_key_convention: PrimaryKeyRuleSpec | None = _rule(
        PrimaryKeyRuleSpec, "primary-key-convention", "The shape of every primary key."
    )
    foreign_key_convention: ForeignKeyRuleSpec | None = _rule(
        ForeignKeyRuleSpec, "foreign-key-convention", "Foreign keys to given tables, with actions."
    )
    naming_convention: NamingRuleSpec | None = _rule(
        NamingRuleSpec, "naming-convention", "Name patterns of tables, indexes, constraints, ..."
    )
    user_data_crud_policies: UserDataRuleSpec | None = _rule(
        UserDataRuleSpec,
        "user-data-crud-policies",
        "Tables holding user data have RLS and one policy each for SELECT, INSERT, UPDATE, DELETE.",
    )
    policy_to_public_on_user_data: UserDataRuleSpec | None = _rule(
        UserDataRuleSpec,
        "policy-to-public-on-user-data",
        "Policies for PUBLIC or anon on tables holding user data.",
    )

    def configured(self) -> dict[str, RuleSpec]:
        """Rule id -> settings, for every rule written (``all`` included)."""
        found: dict[str, RuleSpec] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is not None:
                found[info.alias or name] = value
        found.update(self.model_extra or {})
        return found


class SpecDocument(_Node):
    """One spec file after ``include:`` fragments are merged in."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        title="schemaprobe spec",
        json_schema_extra={"$id": "https://schemaprobe.dev/schemaprobe.schema.json"},
    )

    version: Literal[1]
    description: str | None = None
    include: list[str] = Field(
        default_factory=list, description="Fragment files, relative to this file, merged into it."
    )
    default_schema: str = Field(default="public", description="Schema of unqualified names.")
    api_roles: list[str] = Field(default_factory=lambda: list(API_ROLES))
    exhaustive: Exhaustive = False
    schemas: dict[str, SchemaSpec] = Field(default_factory=dict)
    extensions: dict[str, ExtensionSpec] = Field(default_factory=dict)
    roles: dict[str, RoleSpec] = Field(default_factory=dict)
    tables: dict[str, TableSpec] = Field(default_factory=dict)
    views: dict[str, ViewSpec] = Field(default_factory=dict)
    functions: dict[str, FunctionSpec] = Field(default_factory=dict)
    groups: dict[str, GroupSpec] = Field(
        default_factory=dict, description="Named groups of tables and their claimed sizes."
    )
    counts: Counts | None = None
    tenancy: TenancySpec | None = Field(
        default=None,
        description="The tenancy model every table with the owner column follows (RLS "
        "isolation properties); a table's own tenancy: is merged over it.",
    )
    rules: RulesSection | None = Field(
        default=None, description="Rules switched on for this spec, by id (see docs/rules.md)."
    )
