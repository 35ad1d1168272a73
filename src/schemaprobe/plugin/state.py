"""The per-run state behind spec items and fixtures: specs, target, catalog, results.

Everything is made lazily and once per pytest process (so once per xdist worker): the
spec set when collection first needs it, the database and its catalog when the first
item or fixture runs, the comparison of every spec on first use. Kept in
``config.stash`` (never a private attribute on ``Config``) and closed at unconfigure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from schemaprobe._gc import gc_paused
from schemaprobe.errors import SchemaprobeError, SpecError, UsageError
from schemaprobe.plugin.options import PluginConfig
from schemaprobe.plugin.rule_options import RuleSettings

if TYPE_CHECKING:
    from schemaprobe.findings import ItemResult
    from schemaprobe.introspect import Catalog
    from schemaprobe.properties.plan import PropertyPlan
    from schemaprobe.properties.runner import PropertyRunner
    from schemaprobe.provision.target import Target
    from schemaprobe.spec.load import SpecSet

__all__ = ["DEFAULT_SPEC_GLOBS", "RunState"]

DEFAULT_SPEC_GLOBS = ("specs/**/*.yaml", "specs/**/*.yml")


class RunState:
    """Lazily built, cached pieces of one run; errors are cached too, raised on each use."""

    def __init__(
        self, settings: PluginConfig, rootdir: Path, rule_settings: RuleSettings | None = None
    ) -> None:
        self.settings = settings
        self.rule_settings = rule_settings or RuleSettings((), None)
        self.rootdir = rootdir
        self._stack = contextlib.ExitStack()
        self._spec_paths: list[Path] | None = None
        self._spec_files: frozenset[Path] = frozenset()
        self._specs: SpecSet | None = None
        self._spec_error: SpecError | UsageError | None = None
        self._target: Target | None = None
        self._catalog: Catalog | None = None
        self._results: dict[str, ItemResult] | None = None
        self._error: SchemaprobeError | None = None
        self._property_plans: list[PropertyPlan] | None = None
        self._runner: PropertyRunner | None = None
        self._rule_plans: list[ItemResult] | None = None
        self._baseline: frozenset[str] | None = None
        #: what the rules printed: exposure notes, baseline notes (terminal summary)
        self.rule_notes: list[str] = []
        self._accepted: set[str] = set()
        self._ran: set[str] = set()

    # -- specs (collection) --------------------------------------------------------------

    def spec_paths(self) -> list[Path]:
        """Spec files the globs match, sorted; globbed once per run (``pytest_collect_file``
        asks for every file pytest visits)."""
        if self._spec_paths is None:
            self._spec_paths = self._glob_specs()
            self._spec_files = frozenset(p.resolve() for p in self._spec_paths)
        return self._spec_paths

    def spec_files(self) -> frozenset[Path]:
        """The spec files, resolved, for membership tests."""
        self.spec_paths()
        return self._spec_files

    def _glob_specs(self) -> list[Path]:
        patterns: Sequence[str] = self.settings.specs or DEFAULT_SPEC_GLOBS
        found: set[Path] = set()
        for pattern in patterns:
            base, relative = (
                (Path("/"), pattern[1:]) if pattern.startswith("/") else (self.rootdir, pattern)
            )
            found.update(p for p in base.glob(relative) if p.is_file())
        if self.settings.specs and not found:
            raise UsageError(
                f"schemaprobe_specs = {', '.join(patterns)} matches no spec file "
                f"(relative to {self.rootdir})"
            )
        return sorted(found)

    def specs(self) -> SpecSet | None:
        """Every spec of the run, loaded together (includes resolved); ``None``: none."""
        if self._spec_error is not None:
            raise self._spec_error
        if self._specs is None:
            from schemaprobe.spec.load import load_specs

            try:
                paths = self.spec_paths()
                if not paths:
                    return None
                self._specs = load_specs([self._display(p) for p in paths])
            except (SpecError, UsageError) as exc:
                self._spec_error = exc
                raise
        return self._specs

    def _display(self, path: Path) -> Path:
        """The path relative to the working directory (how the loader opens and shows it),
        which is the rootdir-relative path pytest shows when pytest runs from the rootdir."""
        try:
            return Path(os.path.relpath(path))
        except ValueError:  # another drive (Windows)
            return path

    # -- database ------------------------------------------------------------------------

    def target(self) -> Target:
        if self._error is not None:
            raise self._error
        if self._target is None:
            from schemaprobe.plugin.fixtures import target_options
            from schemaprobe.provision.target import open_target

            try:
                self._target = self._stack.enter_context(open_target(target_options(self.settings)))
            except SchemaprobeError as exc:
                self._error = exc
                raise
        return self._target

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from schemaprobe.introspect import read_catalog
            from schemaprobe.provision.session import connect

            target = self.target()
            try:
                with gc_paused(), connect(target.dsn) as conn:
                    self._catalog = read_catalog(
                        conn,
                        include_schemas=self.settings.schemas or None,
                        profile=self.settings.profile,
                        parallel_dsn=target.dsn,
                    )
            except SchemaprobeError as exc:
                self._error = exc
                raise
        return self._catalog

    def result(self, item_id: str) -> ItemResult:
        """The outcome of one spec item (all are computed together on first call)."""
        if self._results is None:
            self._results = self._compare()
        return self._results[item_id]

    def _compare(self) -> dict[str, ItemResult]:
        from schemaprobe.compare.engine import canonicalizer_for, compare_specs
        from schemaprobe.provision.session import connect
        from schemaprobe.rules.configured import evaluate_spec_rules

        specs = self.specs()
        if specs is None:
            return {}
        catalog = self.catalog()
        try:
            with connect(self.target().dsn) as conn:
                results = compare_specs(specs, catalog, canonicalizer_for(conn, specs))
                run = evaluate_spec_rules(
                    specs,
                    catalog,
                    conn=conn,
                    exposed_schemas=self.rule_settings.exposed_schemas,
                    profile=self.settings.profile,
                )
            self.rule_notes.extend(run.notes)
            results.extend(self.apply_baseline(run.results))
        except SchemaprobeError as exc:
            self._error = exc
            raise
        return {r.id: r for r in results}

    # -- rules ---------------------------------------------------------------------------

    def rule_plans(self) -> list[ItemResult]:
        """The rule items the specs' ``rules:`` sections switch on (from the specs alone)."""
        if self._rule_plans is None:
            from schemaprobe.rules.configured import plan_spec_rules

            specs = self.specs()
            self._rule_plans = plan_spec_rules(specs) if specs is not None else []
        return self._rule_plans

    def apply_baseline(self, results: list[ItemResult]) -> list[ItemResult]:
        """``results`` without the findings the baseline accepts (``--schemaprobe-baseline``)."""
        path = self.rule_settings.baseline
        if path is None:
            return results
        from schemaprobe.rules.baseline import apply_baseline, read_baseline

        if self._baseline is None:
            self._baseline = read_baseline(path)
        kept, _applied = apply_baseline(results, self._baseline)
        self._accepted.update(f.key for r in results for f in r.findings if f.key in self._baseline)
        self._ran.update(r.name.partition("::")[2].partition("[")[0] for r in results)
        return kept

    def baseline_note(self) -> str | None:
        """How the baseline was used, once every rule ran (``None``: no baseline)."""
        path = self.rule_settings.baseline
        if path is None or self._baseline is None:
            return None
        from schemaprobe.rules.baseline import Baseline

        # a key of a rule this run did not evaluate is not "no longer found"
        resolved = tuple(
            sorted(k for k in self._baseline - self._accepted if k.partition("::")[0] in self._ran)
        )
        return Baseline(len(self._accepted), resolved).note(path)

    # -- properties ----------------------------------------------------------------------

    def property_plans(self) -> list[PropertyPlan]:
        """The property items of every spec (planned once, from the specs alone); none
        unless asked for (``--schemaprobe-properties``, see docs/properties.md)."""
        if self._property_plans is None:
            from schemaprobe.properties.plan import plan_properties

            specs = self.specs() if self.settings.properties else None
            self._property_plans = plan_properties(specs) if specs is not None else []
        return self._property_plans

    def property_runner(self) -> PropertyRunner:
        """The runner for property items, on a private clone when schemaprobe loaded the
        schema (else on the database under test itself, every item rolled back)."""
        if self._runner is None:
            from schemaprobe.properties.runner import PropertyRunner

            target = self.target()
            catalog = self.catalog()
            try:
                dsn = self._stack.enter_context(target.clone()) if target.can_clone else target.dsn
            except SchemaprobeError as exc:
                self._error = exc
                raise
            from hypothesis import settings as hypothesis_settings

            runner = PropertyRunner(
                dsn,
                catalog,
                self.property_plans(),
                examples=self.settings.examples,
                worlds=self.settings.worlds,
                seed=self.settings.hypothesis_seed,
                # the loaded Hypothesis profile's example database (None: none), as for
                # any Hypothesis test: a failure found is replayed first next run
                database=hypothesis_settings().database,
            )
            self._stack.callback(runner.close)
            self._runner = runner
        return self._runner

    def close(self) -> None:
        self._stack.close()
