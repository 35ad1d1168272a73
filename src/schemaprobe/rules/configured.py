"""A spec's ``rules:`` section applied: which rules run for it, how, and their items.

Each spec that switches rules on gets one item per rule, ``<spec>::rules::<rule-id>``,
beside its structural items, and one more per waiver, ``<spec>::rules::<rule-id>[<object>]``:
the waived finding is expected there (strict, like every waiver: when the object
conforms again the waiver item fails, so it cannot hide a later regression). Selectors
keep the findings whose subject lies in ``schemas`` and matches ``tables`` and not
``exclude_tables``; ``severity`` replaces the rule's own; ``roles`` the API roles it
reasons about; the rule's settings reach it as :attr:`RuleContext.config`.

:func:`plan_spec_rules` gives the items from the specs alone (pytest collection);
:func:`evaluate_spec_rules` runs them over the one catalog read, plus one read-only
query per SQL rule of the specs' own.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from schemaprobe._gc import gc_paused
from schemaprobe._location import Location
from schemaprobe.errors import SpecError, SpecProblem, UsageError
from schemaprobe.findings import ItemResult
from schemaprobe.rules._model import Rule, Violation
from schemaprobe.rules.engine import (
    MARKER,
    RULES_PREFIX,
    not_run,
    rule_finding,
    violations_of,
)
from schemaprobe.rules.exposure import RuleContext, context_for
from schemaprobe.rules.installed import available_rules
from schemaprobe.rules.sql_rules import SqlQuery, fetch_violations, sql_rule

if TYPE_CHECKING:
    import psycopg

    from schemaprobe.introspect.model import Catalog
    from schemaprobe.spec.load import LoadedSpec, SpecSet
    from schemaprobe.spec.model import RuleSpec

__all__ = ["SpecRule", "evaluate_spec_rules", "plan_spec_rules", "spec_rules"]

ALL = "all"


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A ``tables`` selector entry: a glob, or ``/regex/`` (matched in full)."""

    text: str
    regex: re.Pattern[str] | None

    def matches(self, names: tuple[str, str]) -> bool:
        if self.regex is not None:
            return any(self.regex.fullmatch(n) for n in names)
        return any(fnmatch.fnmatchcase(n, self.text) for n in names)


@dataclass(frozen=True, slots=True)
class SpecRule:
    """One rule a spec switched on: the rule (severity applied), its settings, selectors."""

    spec: LoadedSpec
    rule: Rule
    settings: RuleSpec
    written_as: str
    """The key it was switched on by: its id, or ``all``."""
    tables: tuple[_Pattern, ...] | None
    exclude: tuple[_Pattern, ...]
    sql: SqlQuery | None = None

    @property
    def name(self) -> str:
        return f"{RULES_PREFIX}::{self.rule.id}"

    @property
    def id(self) -> str:
        return f"{self.spec.path}::{self.name}"

    @property
    def location(self) -> Location | None:
        return self.spec.locate("rules", self.written_as)

    @property
    def selecting(self) -> bool:
        """Whether any selector is set (else every finding stays, unchecked)."""
        return bool(self.settings.schemas is not None or self.tables is not None or self.exclude)

    def waiver_id(self, obj: str) -> str:
        return f"{self.id}[{obj}]"

    def selects(self, violation: Violation) -> bool:
        """Whether the selectors keep ``violation`` (one without a subject always stays)."""
        subject = violation.subject
        if subject is None:
            return True
        schemas = self.settings.schemas
        if schemas is not None and subject.schema not in schemas:
            return False
        names = (subject.name, f"{subject.schema}.{subject.name}")
        if self.tables is not None and not any(p.matches(names) for p in self.tables):
            return False
        return not any(p.matches(names) for p in self.exclude)


def spec_rules(specs: SpecSet, catalogue: Sequence[Rule] | None = None) -> list[SpecRule]:
    """Every rule every spec switches on, in spec order then catalogue order (SQL rules
    last, as written). Raises :class:`SpecError` with every problem at once: an unknown
    id (with a "did you mean"), an own rule under a built-in id, a broken regex."""
    rules = available_rules() if catalogue is None else tuple(catalogue)
    problems: list[SpecProblem] = []
    found: list[SpecRule] = []
    for loaded in specs.specs:
        found.extend(_of_spec(loaded, rules, problems))
    if problems:
        raise SpecError(sorted(problems, key=_written_order))
    return found


def _written_order(problem: SpecProblem) -> tuple[str, int, int]:
    where = problem.location
    return (where.file, where.line, where.column) if where else ("", 0, 0)


def _of_spec(
    loaded: LoadedSpec, rules: tuple[Rule, ...], problems: list[SpecProblem]
) -> list[SpecRule]:
    section = loaded.document.rules
    if section is None:
        return []
    by_id = {rule.id: rule for rule in rules}
    configured = section.configured()
    chosen: dict[str, tuple[Rule, RuleSpec, str]] = {}
    everything = configured.pop(ALL, None)
    if everything is not None:
        for field in ("waivers", "sql"):
            if getattr(everything, field):
                problems.append(
                    _problem(loaded, (ALL, field), f"{field} belong to one rule: list it by id")
                )
        if everything.enabled:
            chosen.update((r.id, (r, everything, ALL)) for r in rules if r.default)
    own: dict[str, tuple[Rule, RuleSpec, str]] = {}
    for rule_id, settings in configured.items():
        if not settings.enabled:
            chosen.pop(rule_id, None)
            if rule_id not in by_id and settings.sql is None:
                problems.append(_unknown(loaded, rule_id, by_id))
            continue
        if settings.sql is not None:
            if rule_id in by_id:
                problems.append(
                    _problem(
                        loaded,
                        (rule_id, "sql"),
                        f"'{rule_id}' is a built-in rule; give your own rule another id",
                    )
                )
            else:
                own[rule_id] = (sql_rule(rule_id, settings, ()), settings, rule_id)
            continue
        rule = by_id.get(rule_id)
        if rule is None:
            problems.append(_unknown(loaded, rule_id, by_id))
            continue
        chosen[rule_id] = (rule, settings, rule_id)
    ordered = [chosen[r.id] for r in rules if r.id in chosen] + list(own.values())
    made = []
    for written, settings, written_as in ordered:
        rule = (
            written if settings.severity is None else replace(written, severity=settings.severity)
        )
        tables = _patterns(loaded, written_as, "tables", settings.tables, problems)
        exclude = _patterns(loaded, written_as, "exclude_tables", settings.exclude_tables, problems)
        sql = (
            SqlQuery(
                f"{loaded.path}::{rule.id}",
                settings.sql,
                loaded.locate("rules", written_as, "sql"),
            )
            if settings.sql is not None
            else None
        )
        made.append(SpecRule(loaded, rule, settings, written_as, tables, exclude or (), sql))
    return made


def _patterns(
    loaded: LoadedSpec,
    rule_key: str,
    field: str,
    texts: list[str] | None,
    problems: list[SpecProblem],
) -> tuple[_Pattern, ...] | None:
    if texts is None:
        return None
    patterns = []
    for i, text in enumerate(texts):
        regex = None
        if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
            try:
                regex = re.compile(text[1:-1])
            except re.error as exc:
                problems.append(
                    _problem(loaded, (rule_key, field, i), f"not a regular expression: {exc}")
                )
                continue
        patterns.append(_Pattern(text, regex))
    return tuple(patterns)


def _unknown(loaded: LoadedSpec, rule_id: str, by_id: dict[str, Rule]) -> SpecProblem:
    close = difflib.get_close_matches(rule_id, list(by_id), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return _problem(
        loaded,
        (rule_id,),
        f"unknown rule '{rule_id}'{hint}; a rule of your own needs sql: and why: "
        "(schemaprobe lint --list-rules lists the others)",
    )


def _problem(loaded: LoadedSpec, path: tuple[str | int, ...], message: str) -> SpecProblem:
    key = ".".join(str(p) for p in ("rules", *path))
    return SpecProblem(loaded.locate("rules", *path), key, message)


# -- items ---------------------------------------------------------------------------------


def plan_spec_rules(specs: SpecSet) -> list[ItemResult]:
    """The rule items of every spec, from the specs alone (no database)."""
    results: list[ItemResult] = []
    for spec_rule in spec_rules(specs):
        results.extend(_items(spec_rule, (), None))
    return results


def _items(
    spec_rule: SpecRule, violations: Sequence[Violation], skipped: str | None
) -> list[ItemResult]:
    """The rule's item (findings not waived) and one item per waiver (its finding)."""
    location = spec_rule.location
    waivers = spec_rule.settings.waivers

    rule = spec_rule.rule

    def findings(item: str, of: Sequence[Violation]) -> tuple[Any, ...]:
        return tuple([rule_finding(rule, item, v, location) for v in of])

    kept = [v for v in violations if v.object not in waivers] if waivers else violations
    items = [
        ItemResult(
            spec_rule.id,
            spec_rule.name,
            "rule",
            MARKER,
            location,
            findings=findings(spec_rule.id, kept),
            skipped=skipped,
        )
    ]
    for obj, reason in waivers.items():
        item = spec_rule.waiver_id(obj)
        items.append(
            ItemResult(
                item,
                f"{spec_rule.name}[{obj}]",
                "rule",
                MARKER,
                spec_rule.spec.locate("rules", spec_rule.written_as, "waivers", obj),
                findings=findings(item, [v for v in violations if v.object == obj]),
                waiver=reason,
                skipped=skipped,
            )
        )
    return items


@dataclass(frozen=True, slots=True)
class SpecRuleRun:
    """What the specs' rules came to: the items, and one note per spec on which schemas
    were treated as exposed (and why)."""

    results: list[ItemResult]
    notes: list[str]


def evaluate_spec_rules(
    specs: SpecSet,
    catalog: Catalog,
    *,
    conn: psycopg.Connection[Any] | None = None,
    exposed_schemas: Sequence[str] | None = None,
    profile: str | None = None,
    audit: bool = False,
) -> SpecRuleRun:
    """Run every rule the specs switch on over ``catalog``.

    ``conn`` (a session on the same database) runs the specs' SQL rules; it is needed
    only when there are some. ``exposed_schemas`` (a command-line choice) wins over the
    schemas a spec declares ``exposed``, which win over deriving them from grants.
    """
    chosen = spec_rules(specs)
    queries = [r.sql for r in chosen if r.sql is not None]
    fetched: dict[str, tuple[Violation, ...]] = {}
    if queries:
        if conn is None:
            raise UsageError("the specs' SQL rules need a database session")
        fetched = fetch_violations(conn, queries)
    results: list[ItemResult] = []
    notes: dict[str, str] = {}
    bases: dict[str, RuleContext] = {}
    with gc_paused():
        for spec_rule in chosen:
            base = bases.get(spec_rule.spec.path)
            if base is None:
                base = _spec_context(spec_rule.spec, catalog, exposed_schemas, profile, audit)
                bases[spec_rule.spec.path] = base
                notes[spec_rule.spec.path] = f"{spec_rule.spec.path}: {base.note}"
            rule = spec_rule.rule
            if spec_rule.sql is not None:
                rule = sql_rule(rule.id, spec_rule.settings, fetched[spec_rule.sql.key])
            context = _rule_context(base, spec_rule, catalog, profile)
            skipped = not_run(rule, context)
            violations = [] if skipped else violations_of(rule, catalog, context)
            selected = (
                [v for v in violations if spec_rule.selects(v)]
                if spec_rule.selecting
                else violations
            )
            results.extend(_items(replace(spec_rule, rule=rule), selected, skipped))
    return SpecRuleRun(results, list(notes.values()))


def _spec_context(
    loaded: LoadedSpec,
    catalog: Catalog,
    exposed_schemas: Sequence[str] | None,
    profile: str | None,
    audit: bool,
) -> RuleContext:
    doc = loaded.document
    if exposed_schemas is None and any(s.exposed is not None for s in doc.schemas.values()):
        exposed_schemas = [name for name, s in doc.schemas.items() if s.exposed]
        context = context_for(
            catalog, exposed_schemas, profile, api_roles=doc.api_roles, audit=audit
        )
        return replace(context, note=context.note.replace("(given)", "(declared in the spec)"))
    return context_for(catalog, exposed_schemas, profile, api_roles=doc.api_roles, audit=audit)


def _rule_context(
    base: RuleContext, spec_rule: SpecRule, catalog: Catalog, profile: str | None
) -> RuleContext:
    roles = spec_rule.settings.roles
    if roles is not None:
        base = context_for(
            catalog,
            tuple(base.exposed_schemas),
            profile,
            api_roles=roles,
            audit=base.audit,
        )
    return replace(base, config=spec_rule.settings)
