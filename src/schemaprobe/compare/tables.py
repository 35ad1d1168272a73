"""A table spec against the live table: the table itself, RLS, columns, triggers, policies.

Keys, constraints and indexes (matched by meaning) are in :mod:`.keys`; inventories of
what is present but undeclared in :mod:`.inventory`.
"""

from __future__ import annotations

from schemaprobe.compare import keys
from schemaprobe.compare._context import Context, DocContext, exhaustive_sections, role_name
from schemaprobe.compare._grants import compare_grants
from schemaprobe.compare._items import Item, Items
from schemaprobe.compare._oracle import SERIAL_TYPES
from schemaprobe.introspect import model as cat
from schemaprobe.introspect.model import QualifiedName
from schemaprobe.spec.model import ColumnSpec, PolicySpec, TableSpec, TriggerSpec, declared

__all__ = ["compare_table"]

_TABLE_KINDS = {"table": "table", "partitioned table": "partitioned", "foreign table": "foreign"}
_ENABLED = {"O": "origin", "D": "disabled", "R": "replica", "A": "always"}


def compare_table(
    ctx: Context, dc: DocContext, items: Items, key: str, spec: TableSpec
) -> QualifiedName:
    """Declare and evaluate every item of one table spec; returns the table's name."""
    name = dc.qualify(key, "tables", key)
    base = ("tables", key)
    table = ctx.catalog.tables.get(name)
    schema_spec = dc.doc.schemas.get(name.schema)
    sections = exhaustive_sections(
        spec.exhaustive, schema_spec.exhaustive if schema_spec else None, dc.doc.exhaustive
    )
    tname = str(name)  # rendered once: it prefixes every item name of the table
    item = items.new(f"{tname}::table", base, spec.xfail)
    obj = f"table {tname}"
    if spec.absent:
        if table is not None:
            item.add(obj, "absent", "Unexpected table", "absent", "present")
        return name
    ctx.claims.tables.add(name)
    missing = f"table {tname} is missing"
    if table is None:
        view = ctx.catalog.views.get(name)
        actual = f"a {view.kind} of that name" if view else None
        item.add(obj, "missing", "Missing table", "present", actual)
    else:
        _table_attributes(item, obj, spec, table)

    def part(label: str, path: tuple[str, ...], waiver: str | None) -> Item | None:
        """The item of one part of the table; ``None`` (and skipped) when it is missing."""
        part_item = items.new(f"{tname}::{label}", (*base, *path), waiver)
        if table is None:
            part_item.skipped = missing
        return part_item if table is not None else None

    if spec.rls is not None:
        rls = part("rls", ("rls",), spec.rls.xfail)
        if rls is not None and table is not None:
            _compare_rls(rls, obj, spec, table)

    for column_key, column_spec in spec.columns.items():
        column_item = part(f"column[{column_key}]", ("columns", column_key), column_spec.xfail)
        if column_item is not None and table is not None:
            _compare_column(ctx, column_item, table, column_key, column_spec, sections)

    keys.compare_keys(ctx, dc, items, name, base, spec, table, sections)

    for trigger_name, trigger_spec in spec.triggers.items():
        trigger_item = part(
            f"trigger[{trigger_name}]", ("triggers", trigger_name), trigger_spec.xfail
        )
        if trigger_item is not None and table is not None:
            _compare_trigger(ctx, dc, trigger_item, table, trigger_name, trigger_spec)

    for policy_name, policy_spec in spec.policies.items():
        policy_item = part(f"policy[{policy_name}]", ("policies", policy_name), policy_spec.xfail)
        if policy_item is not None and table is not None:
            _compare_policy(ctx, policy_item, table, policy_name, policy_spec, spec)

    if spec.grants is not None or "grants" in sections:
        grants_item = part("grants", ("grants",), None)
        if grants_item is not None and table is not None:
            compare_grants(
                grants_item,
                obj,
                spec.grants,
                table.privileges,
                table.owner,
                "table",
                ctx.catalog.major_version,
                exhaustive="grants" in sections,
                at=(),
            )
    return name


def _table_attributes(item: Item, obj: str, spec: TableSpec, table: cat.Table) -> None:
    if declared(spec, "kind"):
        item.compare(obj, "kind", spec.kind, _TABLE_KINDS.get(table.kind, table.kind))
    for aspect in ("owner", "comment"):
        if declared(spec, aspect):
            item.compare(obj, aspect, getattr(spec, aspect), getattr(table, aspect))
    if declared(spec, "partition_by"):
        item.compare(
            obj,
            "partition_by",
            spec.partition_by,
            table.partition_key,
            lambda a, b: (
                a is not None
                and b is not None
                and " ".join(str(a).split()).lower() == " ".join(str(b).split()).lower()
            ),
        )


def _compare_rls(item: Item, obj: str, spec: TableSpec, table: cat.Table) -> None:
    assert spec.rls is not None
    if spec.rls.enabled is not None:
        item.compare(
            obj,
            "rls.enabled",
            spec.rls.enabled,
            table.rls_enabled,
            message="Row-level security " + ("disabled" if spec.rls.enabled else "enabled"),
            at=("enabled",),
        )
    if spec.rls.forced is not None:
        item.compare(
            obj,
            "rls.forced",
            spec.rls.forced,
            table.rls_forced,
            message="Row-level security " + ("not forced" if spec.rls.forced else "forced"),
            at=("forced",),
        )


def _compare_column(
    ctx: Context,
    item: Item,
    table: cat.Table,
    key: str,
    spec: ColumnSpec,
    sections: frozenset[str],
) -> None:
    column = table.column(key)
    if column is not None and _column_conforms(spec, column, "columns" in sections):
        ctx.claims.claim(table.name, "columns", column.name)
        return  # the usual case, decided without building any message text
    obj = f"column {table.name}.{cat.quote_ident(key)}"
    if column is None:
        item.add(obj, "missing", "Missing column", spec.type or "present", None)
        return
    ctx.claims.claim(table.name, "columns", column.name)
    oracle = ctx.oracle
    serial = spec.type is not None and spec.type.strip().lower() in SERIAL_TYPES
    if spec.type is not None:
        verdict = oracle.same_type(spec.type, column.type)
        if not verdict:
            item.add(obj, "type", "Column type differs", spec.type, column.type, ("type",))
    if spec.nullable is not None:
        item.compare(
            obj,
            "nullable",
            spec.nullable,
            not column.not_null,
            message="NOT NULL dropped" if not spec.nullable else "Column is NOT NULL",
        )
    exhaustive = "columns" in sections
    if declared(spec, "default") or (exhaustive and not serial):
        _compare_expression(
            ctx,
            item,
            obj,
            "default",
            "default",
            table.name,
            spec.default,
            column.default,
            column.name,
        )
    elif serial and (column.default is None or not column.default.startswith("nextval(")):
        item.add(
            obj,
            "default",
            "Column default differs",
            "nextval(...) (serial)",
            column.default,
            ("type",),
        )
    if declared(spec, "identity") or exhaustive:
        item.compare(obj, "identity", spec.identity, column.identity)
    if declared(spec, "generated") or exhaustive:
        _compare_expression(
            ctx,
            item,
            obj,
            "generated",
            "generated",
            table.name,
            spec.generated,
            column.generation,
            column.name,
        )
    if spec.generated_storage is not None:
        item.compare(obj, "generated_storage", spec.generated_storage, column.generated)
    for aspect in ("collation", "comment"):
        if declared(spec, aspect):
            item.compare(obj, aspect, getattr(spec, aspect), getattr(column, aspect))
    if spec.grants is not None:
        compare_grants(
            item,
            obj,
            spec.grants,
            column.privileges,
            None,
            "column",
            ctx.catalog.major_version,
            exhaustive=False,
        )


_COLUMN_FIELDS_FAST = frozenset(
    (
        "type",
        "nullable",
        "default",
        "identity",
        "generated",
        "generated_storage",
        "collation",
        "comment",
        "xfail",
    )
)


def _column_conforms(spec: ColumnSpec, column: cat.Column, exhaustive: bool) -> bool:
    """Whether the column says, word for word, what the spec says (the snapshot case).

    Anything less literal (another spelling, a shorthand constraint, grants) goes the
    long way, which can also tell *what* differs.
    """
    stated = spec.model_fields_set
    if not stated <= _COLUMN_FIELDS_FAST:
        return False
    if spec.type is not None and spec.type != column.type:
        return False
    if spec.nullable is not None and spec.nullable == column.not_null:
        return False
    if ("default" in stated or exhaustive) and spec.default != column.default:
        return False
    if ("identity" in stated or exhaustive) and spec.identity != column.identity:
        return False
    if ("generated" in stated or exhaustive) and spec.generated != column.generation:
        return False
    return (
        (spec.generated_storage is None or spec.generated_storage == column.generated)
        and ("collation" not in stated or spec.collation == column.collation)
        and ("comment" not in stated or spec.comment == column.comment)
    )


def _compare_expression(
    ctx: Context,
    item: Item,
    obj: str,
    aspect: str,
    kind: str,
    table: QualifiedName,
    expected: str | None,
    actual: str | None,
    context: str = "",
) -> None:
    if expected is None or actual is None:
        if expected != actual:
            item.add(
                obj,
                aspect,
                f"{aspect.capitalize().replace('_', ' ')} differs",
                expected,
                actual,
                (aspect,),
            )
        return
    verdict = ctx.oracle.same_expression(kind, table, expected, actual, context)  # type: ignore[arg-type]
    if not verdict:
        item.add(
            obj,
            aspect,
            f"{aspect.capitalize().replace('_', ' ')} differs",
            expected,
            actual,
            (aspect,),
            note=verdict.note,
        )


def _compare_trigger(
    ctx: Context, dc: DocContext, item: Item, table: cat.Table, key: str, spec: TriggerSpec
) -> None:
    obj = f"trigger {cat.quote_ident(key)} on {table.name}"
    trigger = table.trigger(key)
    if spec.absent:
        if trigger is not None:
            ctx.claims.claim(table.name, "triggers", key)
            item.add(obj, "absent", "Unexpected trigger", "absent", "present")
        return
    if trigger is None:
        item.add(obj, "missing", "Missing trigger", "present", None)
        return
    ctx.claims.claim(table.name, "triggers", key)
    if spec.timing is not None:
        item.compare(obj, "timing", spec.timing, trigger.timing.lower())
    if spec.events is not None:
        item.compare(
            obj, "events", sorted(set(spec.events)), sorted(e.lower() for e in trigger.events)
        )
    if spec.columns is not None:
        item.compare(obj, "columns", sorted(spec.columns), sorted(trigger.update_columns))
    if spec.level is not None:
        item.compare(obj, "level", spec.level, trigger.level.lower())
    if spec.function is not None:
        wanted = spec.function.strip()
        wanted = wanted.removesuffix("()").strip()
        item.compare(obj, "function", str(dc.try_qualify(wanted) or wanted), str(trigger.function))
    if spec.arguments is not None:
        item.compare(obj, "arguments", list(spec.arguments), list(trigger.arguments))
    if declared(spec, "when"):
        context = f"{trigger.timing} {' OR '.join(trigger.events)} FOR EACH {trigger.level}"
        _compare_expression(
            ctx, item, obj, "when", "trigger_when", table.name, spec.when, trigger.when, context
        )
    if spec.enabled is not None:
        item.compare(obj, "enabled", spec.enabled, _ENABLED.get(trigger.enabled))


def _compare_policy(
    ctx: Context, item: Item, table: cat.Table, key: str, spec: PolicySpec, table_spec: TableSpec
) -> None:
    policy = table.policy(key)
    if policy is not None and not spec.absent and _policy_conforms(spec, policy):
        ctx.claims.claim(table.name, "policies", key)
        return  # the usual case, decided without building any message text
    obj = f"policy {cat.quote_ident(key)} on {table.name}"
    if spec.absent:
        if policy is not None:
            ctx.claims.claim(table.name, "policies", key)
            item.add(obj, "absent", "Unexpected policy", "absent", "present")
        return
    if policy is None:
        renamed = _renamed_policy(ctx, table, spec, table_spec)
        if renamed is not None:
            ctx.claims.claim(table.name, "policies", renamed.name)
            item.add(obj, "renamed", "Policy renamed", key, renamed.name)
        else:
            item.add(obj, "missing", "Missing policy", "present", None)
        return
    ctx.claims.claim(table.name, "policies", key)
    if not _policy_conforms(spec, policy):
        _policy_differences(ctx, item, obj, table, spec, policy)


def _policy_conforms(spec: PolicySpec, policy: cat.Policy) -> bool:
    """Whether the policy says, word for word, what the spec says (the snapshot case)."""
    return (
        (spec.command is None or spec.command == policy.command.lower())
        and (spec.permissive is None or spec.permissive == policy.permissive)
        and (
            spec.roles is None or sorted({role_name(r) for r in spec.roles}) == sorted(policy.roles)
        )
        and ("using" not in spec.model_fields_set or spec.using == policy.using)
        and ("with_check" not in spec.model_fields_set or spec.with_check == policy.with_check)
    )


def _policy_differences(
    ctx: Context, item: Item, obj: str, table: cat.Table, spec: PolicySpec, policy: cat.Policy
) -> None:
    if spec.command is not None:
        item.compare(obj, "command", spec.command, policy.command.lower())
    if spec.permissive is not None:
        item.compare(
            obj,
            "permissive",
            spec.permissive,
            policy.permissive,
            message="Policy is " + ("restrictive" if spec.permissive else "permissive"),
        )
    if spec.roles is not None:
        item.compare(
            obj,
            "roles",
            sorted({role_name(r) for r in spec.roles}),
            sorted(policy.roles),
            message="Policy roles differ",
        )
    for aspect, kind, live in (
        ("using", "policy_using", policy.using),
        ("with_check", "policy_with_check", policy.with_check),
    ):
        if declared(spec, aspect):
            _compare_expression(
                ctx, item, obj, aspect, kind, table.name, getattr(spec, aspect), live
            )


def _renamed_policy(
    ctx: Context, table: cat.Table, spec: PolicySpec, table_spec: TableSpec
) -> cat.Policy | None:
    """An undeclared live policy that says exactly what the missing one should say."""
    for policy in table.policies:
        if policy.name in table_spec.policies:
            continue
        if _policy_matches(ctx, table, spec, policy):
            return policy
    return None


def _policy_matches(ctx: Context, table: cat.Table, spec: PolicySpec, policy: cat.Policy) -> bool:
    if spec.command is not None and spec.command != policy.command.lower():
        return False
    if spec.permissive is not None and spec.permissive != policy.permissive:
        return False
    if spec.roles is not None and sorted({role_name(r) for r in spec.roles}) != sorted(
        policy.roles
    ):
        return False
    for aspect, kind, live in (
        ("using", "policy_using", policy.using),
        ("with_check", "policy_with_check", policy.with_check),
    ):
        if not declared(spec, aspect):
            continue
        wanted = getattr(spec, aspect)
        if wanted is None or live is None:
            if wanted != live:
                return False
        elif not ctx.oracle.same_expression(kind, table.name, wanted, live):  # type: ignore[arg-type]
            return False
    return True
