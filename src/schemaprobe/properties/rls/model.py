"""A table's tenancy model, resolved from the spec: the spec's own ``tenancy:`` with the
table's merged over it, every default filled in, names qualified.

This is what the isolation items plan with (no database needed) and what the run judges
against: for each kind of actor and command, which rows of a world it may touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schemaprobe.introspect.model import QualifiedName
from schemaprobe.spec.model import TableSpec, declared
from schemaprobe.spec.tenancy import COMMANDS, ActAsSpec, TenancySpec, parse_owner

__all__ = ["COMMANDS", "Access", "Command", "TenancyModel", "resolve_tenancy"]

Command = Literal["select", "insert", "update", "delete"]
#: Which rows an actor may touch: its own, the public ones, every row, none.
Access = Literal["own", "public", "all", "none"]

#: Roles that see every row by default, where they exist (Supabase's service key).
DEFAULT_PRIVILEGED = ("service_role",)


@dataclass(frozen=True, slots=True)
class TenancyModel:
    """Whose row is whose, and who may do what: one table's isolation promise."""

    table: QualifiedName
    hops: tuple[tuple[str, QualifiedName], ...]
    """Foreign keys followed to the owner: (column of the table before, table it names)."""
    owner: str
    """The owner column, in the last table of ``hops`` (``table`` itself without hops)."""
    public: str | None
    membership: tuple[QualifiedName, str, str] | None
    """(members table, its group column, its member column): the owner is a group."""
    users: dict[str, Access]
    anon: dict[str, Access]
    privileged: tuple[str, ...]
    privileged_written: bool
    """The spec named ``privileged`` (a missing role is then an error, not skipped)."""
    act_as: ActAsSpec
    functions: tuple[str, ...] = ()
    """SECURITY DEFINER functions to call as side doors even though VOLATILE."""

    @property
    def owner_table(self) -> QualifiedName:
        return self.hops[-1][1] if self.hops else self.table

    @property
    def link(self) -> str:
        """The column of ``table`` that says whose a row is (the owner, or the first key)."""
        return self.hops[0][0] if self.hops else self.owner

    def describe(self) -> str:
        """``owner user_id`` / ``owner clone_id -> public.ai_clones.user_id``."""
        path = "".join(f"{column} -> {table}." for column, table in self.hops)
        if self.membership is not None:
            table, group, member = self.membership
            return f"owner group {path}{self.owner}, members {table}({group}, {member})"
        return f"owner {path}{self.owner}"


def _merged(base: TenancySpec | None, own: TenancySpec | None) -> TenancySpec | None:
    """``own``'s written fields over ``base``'s (per command for ``users``/``anon``)."""
    if base is None or own is None:
        return own or base
    fields = dict(base)
    for name in type(own).model_fields:
        if not declared(own, name):
            continue
        value = getattr(own, name)
        previous = fields.get(name)
        if name in ("users", "anon") and value is not None and previous is not None:
            value = previous.model_copy(
                update={k: getattr(value, k) for k in value.model_fields_set}
            )
        fields[name] = value
    return TenancySpec.model_construct(**fields)


def resolve_tenancy(
    table: QualifiedName,
    spec: TableSpec,
    default: TenancySpec | None,
    schema: str,
) -> TenancyModel | None:
    """The table's model, or ``None`` when it has none: ``tenancy: false``, no tenancy
    anywhere, or only the spec's default and the table does not declare its owner column
    (the default applies to tables that have it)."""
    own = spec.tenancy
    if own is False:
        return None
    merged = _merged(default, own)
    if merged is None or merged.owner is None:
        return None
    path = parse_owner(merged.owner)
    if own is None and (path.hops or path.column not in spec.columns):
        return None
    hops = tuple((column, QualifiedName.parse(name, schema)) for column, name in path.hops)
    users: dict[str, Access] = {c: "own" for c in COMMANDS}
    if merged.users is not None:
        users.update({c: getattr(merged.users, c) for c in COMMANDS if getattr(merged.users, c)})
    anon: dict[str, Access] = {c: "none" for c in COMMANDS}
    if merged.anon is not None:
        anon.update({c: getattr(merged.anon, c) for c in COMMANDS if getattr(merged.anon, c)})
    written = merged.privileged is not None
    privileged = tuple(merged.privileged) if merged.privileged is not None else DEFAULT_PRIVILEGED
    return TenancyModel(
        table=table,
        hops=hops,
        owner=path.column,
        public=merged.public,
        membership=(
            (
                QualifiedName.parse(merged.membership.table, schema),
                merged.membership.group,
                merged.membership.member,
            )
            if merged.membership is not None
            else None
        ),
        users=users,
        anon=anon,
        privileged=privileged,
        privileged_written=written,
        act_as=merged.act_as or ActAsSpec(),
        functions=tuple(merged.functions or ()),
    )
