"""Built-in rules as pytest items: ``rules::<rule-id>``, failing with their findings.

Registered as a plugin only when schemaprobe is enabled; adds its items only when rules
were asked for (``--schemaprobe-rule``, ini ``schemaprobe_rules``). The items hang under
one collector named ``rules`` at the session root, so node ids equal the ``lint`` item
ids (``rules::rls-disabled-in-exposed-schema``) and ``-k`` selects rules by id. Each
xdist worker plans the same items from the settings alone; the catalog is read once per
worker (the spec items' read, shared) and every rule is evaluated on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from schemaprobe.errors import SchemaprobeError
from schemaprobe.plugin.rule_options import RuleSettings

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from schemaprobe.findings import ItemResult
    from schemaprobe.plugin.state import RunState
    from schemaprobe.rules import Rule, Selection

__all__ = ["RuleCollector", "RuleItem"]

_RESULTS_KEY = pytest.StashKey[dict[str, "ItemResult"]]()
_NOTE_KEY = pytest.StashKey[str]()


class RuleFailed(Exception):
    def __init__(self, result: ItemResult) -> None:
        super().__init__(result.id)
        self.result = result


def _selection(config: pytest.Config) -> Selection:
    from schemaprobe.plugin import CONFIG_KEY
    from schemaprobe.rules import Selection

    settings = _settings(config)
    return Selection(
        only=settings.only,
        exposed_schemas=settings.exposed_schemas,
        profile=config.stash[CONFIG_KEY].profile,
    )


def _state(config: pytest.Config) -> RunState:
    from schemaprobe.plugin import STATE_KEY

    return config.stash[STATE_KEY]


def _settings(config: pytest.Config) -> RuleSettings:
    return _state(config).rule_settings


def _results(config: pytest.Config) -> dict[str, ItemResult]:
    found = config.stash.get(_RESULTS_KEY, None)
    if found is None:
        from schemaprobe.rules import evaluate

        state = _state(config)
        catalog = state.catalog()
        selection = _selection(config)
        context = selection.context(catalog)
        config.stash[_NOTE_KEY] = context.note
        results = state.apply_baseline(evaluate(catalog, selection, context=context))
        found = {r.id: r for r in results}
        config.stash[_RESULTS_KEY] = found
    return found


class RuleCollector(pytest.Collector):
    """The ``rules`` node: one item per selected rule."""

    def collect(self) -> Iterator[RuleItem]:
        try:
            rules = _selection(self.config).rules()
        except SchemaprobeError as exc:
            raise self.CollectError(f"schemaprobe: {exc}") from None
        for rule in rules:
            yield RuleItem.from_parent(self, name=rule.id, rule=rule)


class RuleItem(pytest.Item):
    """One rule over the whole catalog; fails with one block per violating object."""

    def __init__(self, *, rule: Rule, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        from schemaprobe.rules import MARKER

        self.rule = rule
        self.add_marker(MARKER)

    def runtest(self) -> None:
        result = _results(self.config)[f"rules::{self.rule.id}"]
        if result.skipped:
            pytest.skip(result.skipped)
        if result.findings:
            raise RuleFailed(result)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: object = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, RuleFailed):
            from schemaprobe.report.text import format_item_failure

            note = self.config.stash.get(_NOTE_KEY, "")
            return f"{format_item_failure(excinfo.value.result)}\n\n({note})"
        if isinstance(excinfo.value, SchemaprobeError):
            return f"schemaprobe: {excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"rules::{self.rule.id}"


def pytest_configure(config: pytest.Config) -> None:
    from schemaprobe.rules import MARKER

    config.addinivalue_line("markers", f"{MARKER}: a built-in schemaprobe rule")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Append the rule items; first, so that ``-k``/``-m`` deselect them like any item."""
    if not _settings(config).rules:
        return
    collector = RuleCollector.from_parent(
        session, name="rules", path=config.rootpath, nodeid="rules"
    )
    report = config.hook.pytest_make_collect_report(collector=collector)
    config.hook.pytest_collectreport(report=report)
    if not report.failed:
        items.extend(node for node in report.result if isinstance(node, pytest.Item))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    config = terminalreporter.config
    state = _state(config)
    note = config.stash.get(_NOTE_KEY, None)
    notes = ([note] if note is not None else []) + state.rule_notes
    baseline = state.baseline_note()
    for line in [*notes, *([baseline] if baseline else [])]:
        terminalreporter.write_line(f"schemaprobe rules: {line}")
