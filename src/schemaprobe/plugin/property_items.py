"""Property items: ``...::check_property[retry_count <= 5]``, ``...::nullable_property[title]``,
``unique_property[...]``, ``foreign_key_property[...]``, ``on_delete_property[...]``,
``default_property[...]``, ``updated_at_property[<trigger>]``.

They sit beside a table's structural items (same collector, marker
``schemaprobe_property``) and run through the run's one
:class:`~schemaprobe.properties.runner.PropertyRunner`. A failure shows the shrunk
counterexample as runnable SQL with both verdicts; never a traceback, unless schemaprobe
itself has a bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from schemaprobe.errors import SchemaprobeError

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from schemaprobe.findings import Finding
    from schemaprobe.properties.oracle import PropertyOutcome
    from schemaprobe.properties.plan import PropertyPlan

__all__ = ["PropertyFailed", "PropertyItem", "format_outcome", "outcome_finding"]


class PropertyFailed(Exception):
    """Raised by a failing property item; rendered by :meth:`PropertyItem.repr_failure`."""

    def __init__(self, plan: PropertyPlan, outcome: PropertyOutcome) -> None:
        super().__init__(plan.id)
        self.plan = plan
        self.outcome = outcome


def _verdict(accepts: bool) -> str:
    return "accepts" if accepts else "rejects"


_WHAT = {
    "unique": "UNIQUE",
    "foreign_key": "FOREIGN KEY",
    "on_delete": "ON DELETE",
    "default": "DEFAULT",
    "updated_at": "updated_at trigger",
    "rls": "RLS isolation",
}


_VERBS = {"select": "sees", "insert": "inserts", "update": "changes", "delete": "deletes"}


def _what(plan: PropertyPlan) -> str:
    if plan.kind == "check":
        return "CHECK"
    if plan.kind == "nullable":
        return "NOT NULL" if plan.nullable is False else "NULL"
    return _WHAT[plan.kind]


def _title(plan: PropertyPlan, outcome: PropertyOutcome) -> str:
    found = outcome.counterexample
    what = _what(plan)
    if found is None:
        return f"{what} property could not be tested"
    if plan.kind == "rls":
        verb = _VERBS[plan.label]
        return f"{what} property fails: an actor {verb} other rows than the tenancy model allows"
    if found.expected is not None:
        return f"{what} property fails: the database does not do what the spec says"
    if found.database_accepts:
        return f"{what} property fails: the database accepts a row the spec rejects"
    return f"{what} property fails: the database rejects a row the spec allows"


def _promise(plan: PropertyPlan) -> str:
    columns = ", ".join(plan.columns)
    if plan.kind == "check":
        return f"CHECK ({plan.expression})"
    if plan.kind == "nullable":
        return f"{columns} {'NOT NULL' if plan.nullable is False else 'nullable'}"
    if plan.kind == "unique":
        nulls = " NULLS NOT DISTINCT" if plan.nulls_not_distinct else ""
        return f"UNIQUE{nulls} ({columns})"
    target = f"{plan.references}({', '.join(plan.referenced)})" if plan.referenced else ""
    if plan.kind == "foreign_key":
        return f"FOREIGN KEY ({columns}) REFERENCES {target or plan.references}"
    if plan.kind == "on_delete":
        return f"FOREIGN KEY ({columns}) ... ON DELETE {(plan.action or '').upper()}"
    if plan.kind == "default":
        return f"{columns} DEFAULT {plan.default}"
    if plan.kind == "rls" and plan.tenancy is not None:
        return _isolation_promise(plan)
    return f"trigger {plan.trigger} changes {columns} on UPDATE"


def _isolation_promise(plan: PropertyPlan) -> str:
    """``DELETE: users own rows, anon none, service_role all (owner user_id)``."""
    model = plan.tenancy
    assert model is not None  # only called for rls plans, which carry one
    command = plan.label
    users: str = model.users[command]
    if command == "select" and model.public and users == "own":
        users = f"own + {model.public} rows"
    who = [f"users {users}", f"anon {model.anon[command]}"]
    who += [f"{role} all" for role in model.privileged]
    return f"{command.upper()}: {', '.join(who)} ({model.describe()})"


def format_outcome(plan: PropertyPlan, outcome: PropertyOutcome) -> str:
    """The failure block: title, promise, verdicts, the row, how to reproduce."""
    location = plan.location
    lines = [f"{location.short + ': ' if location else ''}{plan.name}", "", _title(plan, outcome)]
    lines.append("")
    lines.append(f"  object:    table {plan.table}")
    lines.append(f"  promise:   {_promise(plan)}")
    if location is not None:
        lines.append(f"  spec:      {location}")
    found = outcome.counterexample
    if found is None:
        lines.append(f"  problem:   {outcome.error}")
    elif found.context:
        lines += [f"  {line}" for line in found.context]
    if found is not None and not found.context:
        row = ", ".join(f"{c} = {'NULL' if v is None else repr(v)}" for c, v in found.values)
        lines.append(f"  row:       {row or '(defaults)'}")
    if found is not None:
        if found.expected is not None:
            lines.append(f"  spec:      {found.expected}")
            database = found.actual or ""
        else:
            lines.append(f"  spec:      {_verdict(found.spec_accepts)}")
            database = _verdict(found.database_accepts)
        if found.refusal:
            database += f" ({found.refusal})"
        lines.append(f"  database:  {database}")
        lines += ["", "Reproduce with:", ""]
        lines += [f"    {line}" for line in found.reproduce().splitlines()]
    lines.append("")
    unit = "worlds" if plan.kind == "rls" else "examples"
    lines += [f"note: {note}" for note in outcome.notes]
    lines.append(
        f"{outcome.examples} {unit} ({outcome.discarded} discarded), seed {outcome.seed}; "
        "--hypothesis-seed changes the seeds"
    )
    return "\n".join(lines)


def outcome_finding(plan: PropertyPlan, outcome: PropertyOutcome) -> Finding:
    """The failure as a :class:`~schemaprobe.findings.Finding` (kind ``check-property``)."""
    from schemaprobe.findings import Finding

    found = outcome.counterexample
    if found is None:
        expected, actual = "testable", outcome.error
    elif found.expected is not None:
        expected, actual = found.expected, found.actual
    else:
        expected = f"{_verdict(found.spec_accepts)} {found.statements[-1]}"
        actual = _verdict(found.database_accepts) + (f" ({found.refusal})" if found.refusal else "")
    return Finding(
        id=plan.id,
        kind="rls-property" if plan.kind == "rls" else "check-property",
        object=f"table {plan.table}",
        path=plan.kind,
        message=_title(plan, outcome),
        expected=expected,
        actual=actual,
        spec=plan.location,
        waived=plan.waiver,
    )


class PropertyItem(pytest.Item):
    """One property of a spec, run with Hypothesis against the database under test."""

    def __init__(self, *, plan: PropertyPlan, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.plan = plan
        from schemaprobe.properties.plan import MARKER, RLS_MARKER

        self.add_marker(MARKER)
        if plan.kind == "rls":
            self.add_marker(RLS_MARKER)
        if plan.waiver is not None:
            self.add_marker(
                pytest.mark.xfail(
                    reason=plan.waiver, strict=plan.waiver_strict, raises=PropertyFailed
                )
            )

    def runtest(self) -> None:
        from schemaprobe.plugin import STATE_KEY
        from schemaprobe.properties.runner import Skipped

        state = self.config.stash[STATE_KEY]
        runner = state.property_runner()
        outcome = runner.run(self.plan)
        if isinstance(outcome, Skipped):
            pytest.skip(outcome.reason)
        # in --junitxml: how hard the item tried, and with which seed
        self.user_properties += [
            ("max_examples", runner.worlds if self.plan.kind == "rls" else runner.examples),
            ("examples", outcome.examples),
            ("seed", outcome.seed),
            *(("note", note) for note in outcome.notes),
        ]
        if not outcome.passed:
            raise PropertyFailed(self.plan, outcome)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: object = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, PropertyFailed):
            return format_outcome(excinfo.value.plan, excinfo.value.outcome)
        if isinstance(excinfo.value, SchemaprobeError):
            return f"schemaprobe: {excinfo.value}"
        return super().repr_failure(excinfo)  # a bug: keep its traceback

    def reportinfo(self) -> tuple[Path, int | None, str]:
        location = self.plan.location
        return self.path, (location.line - 1) if location else None, self.plan.id
