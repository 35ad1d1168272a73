"""The tenancy model in a spec: who may see and change which rows of a table.

Written once for a spec (``tenancy:`` at the top) and refined per table::

    tenancy:
      owner: user_id                  # the column holding the principal's id
      public: is_public               # rows every signed-in user may read
      users: {select: own, insert: own, update: own, delete: own}
      anon: {select: none}            # everything anon may not do is "none"
      privileged: [service_role]      # roles that see and change every row

    tables:
      ai_tasks:
        tenancy: {owner: clone_id -> ai_clones.user_id}   # owned through a foreign key

Each table with a tenancy gets one isolation item per command
(``rls_property[select]`` ...): schemaprobe builds worlds of principals and rows and
checks that each principal sees and changes exactly the rows the model allows.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator

from schemaprobe.spec._node import _Node

__all__ = [
    "ActAsSpec",
    "AnonModes",
    "MembershipSpec",
    "OwnerPath",
    "TenancySpec",
    "UserModes",
    "parse_owner",
]

UserMode = Literal["own", "all", "none"]
AnonMode = Literal["none", "all"]
AnonSelect = Literal["none", "public", "all"]
COMMANDS = ("select", "insert", "update", "delete")

_NAME = r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")'
_COLUMN = re.compile(rf"^{_NAME}$")
_TABLE_COLUMN = re.compile(rf"^(?P<table>{_NAME}(?:\.{_NAME})?)\.(?P<column>{_NAME})$")
PLACEHOLDER = "{principal}"
Reason = Annotated[str, Field(pattern=r"\S", description="why, in words (not blank)")]


class UserModes(_Node):
    """What a signed-in principal may do per command: its own rows (``own``; with
    ``public`` declared, SELECT also sees the public rows), every row (``all``), none."""

    select: UserMode | None = None
    insert: UserMode | None = None
    update: UserMode | None = None
    delete: UserMode | None = None


class AnonModes(_Node):
    """What the anonymous role may do per command (default: nothing). SELECT may be
    ``public``: the rows the ``public`` column marks."""

    select: AnonSelect | None = None
    insert: AnonMode | None = None
    update: AnonMode | None = None
    delete: AnonMode | None = None


class ActAsSpec(_Node):
    """How to act as a principal. The default is Supabase's: ``SET ROLE authenticated``
    (``anon`` for the anonymous one) and the JWT claims in ``request.jwt.claims`` with
    ``sub`` = the principal's id, as PostgREST does. Plain PostgreSQL: name the role the
    application connects as and a ``setup`` statement that tells the policies who is
    asking (``{principal}`` is replaced by the principal's id as a quoted literal)."""

    user_role: str = Field(default="authenticated", min_length=1)
    anon_role: str | None = Field(
        default="anon", description="null: there is no anonymous access to test"
    )
    claims: bool = Field(default=True, description="set request.jwt.claims (Supabase)")
    role_per_principal: bool = Field(
        default=False,
        description="each principal is a database role of its own (policies compare the "
        "owner column with current_user): schemaprobe creates one per principal for the "
        "item, a member of user_role, inside the transaction it rolls back",
    )
    setup: str | None = Field(
        default=None,
        examples=["SELECT set_config('app.user_id', {principal}, true)"],
        description="SQL run as the principal before each probe; {principal} is its id",
    )

    @field_validator("setup")
    @classmethod
    def _one_placeholder_kind(cls, value: str | None) -> str | None:
        if value is not None and (
            "{" in value.replace(PLACEHOLDER, "") or "}" in value.replace(PLACEHOLDER, "")
        ):
            raise ValueError(f"setup may use no braces but the placeholder {PLACEHOLDER}")
        return value


class MembershipSpec(_Node):
    """Team or organisation tenancy: the row's owner is a group, and a principal may
    touch the rows of the groups it is a member of, as ``table`` lists them."""

    table: str = Field(min_length=1, examples=["team_members"])
    group: str = Field(min_length=1, description="the column naming the group (team_id)")
    member: str = Field(min_length=1, description="the column naming the principal (user_id)")


class OwnerPath(_Node):
    """``user_id`` or ``clone_id -> ai_clones.user_id``: parsed form of ``owner``."""

    hops: tuple[tuple[str, str], ...]
    """(column of the table before, the table it references) per foreign key followed."""
    column: str
    """The owner column, in the last table of the path (the table itself without hops)."""


def parse_owner(text: str) -> OwnerPath:
    """``a_id -> a.b_id -> b.user_id`` -> hops ``(a_id, a), (b_id, b)``, column ``user_id``.

    Example::

        >>> parse_owner("clone_id -> ai_clones.user_id").hops
        (('clone_id', 'ai_clones'),)
    """
    parts = [p.strip() for p in text.split("->")]
    if not parts[0] or not _COLUMN.match(parts[0]):
        raise ValueError(f"owner must start with a column of the table, got {parts[0]!r}")
    if len(parts) == 1:
        return OwnerPath(hops=(), column=_unquote(parts[0]))
    hops: list[tuple[str, str]] = []
    column = _unquote(parts[0])
    for part in parts[1:]:
        match = _TABLE_COLUMN.match(part)
        if match is None:
            raise ValueError(
                f"after -> comes table.column (the table the key references), got {part!r}"
            )
        hops.append((column, match.group("table")))
        column = _unquote(match.group("column"))
    return OwnerPath(hops=tuple(hops), column=column)


def _unquote(name: str) -> str:
    if name.startswith('"'):
        return name[1:-1].replace('""', '"')
    return name.lower()


class TenancySpec(_Node):
    """The tenancy model: whose row is whose, and who may do what with which rows."""

    owner: str | None = Field(
        default=None,
        examples=["user_id", "clone_id -> ai_clones.user_id"],
        description="the column holding the owning principal's id, or a path through "
        "foreign keys to it (column -> table.column ...)",
    )
    public: str | None = Field(
        default=None, description="boolean column: rows every signed-in user may read"
    )
    membership: MembershipSpec | None = Field(
        default=None,
        description="the owner is a group (a team): its members, as this table lists them, "
        "own its rows",
    )
    users: UserModes | None = None
    anon: AnonModes | None = None
    privileged: list[str] | None = Field(
        default=None,
        description="roles that see and change every row (default: service_role where it exists)",
    )
    act_as: ActAsSpec | None = None
    functions: list[str] | None = Field(
        default=None,
        examples=[["public.get_stories"]],
        description="SECURITY DEFINER functions returning the table's rows to call as each "
        "principal even though VOLATILE (the rollback undoes what they write)",
    )
    xfail: Reason | dict[Literal["select", "insert", "update", "delete"], Reason] | None = Field(
        default=None,
        description="Waiver: the isolation items of this table are expected to fail, for "
        "this reason (strict: they fail when the table conforms again); or per command, "
        "{select: reason, ...}, for a breach of one command.",
    )

    @field_validator("owner")
    @classmethod
    def _owner_path(cls, value: str | None) -> str | None:
        if value is not None:
            parse_owner(value)
        return value
