"""pytest entry point (``pytest11``): hook functions only.

This module is imported by every pytest run in an environment where schemaprobe is
installed, so it stays inert and light: no psycopg import, nothing registered, unless
``--schemaprobe`` (or ini ``schemaprobe = true``) switches it on.

Spec files are collected wherever pytest walks (``pytest specs/``), and, when pytest was
given no paths (its ``testpaths`` or the current directory), from the ``schemaprobe_specs``
globs too, so ``pytest --schemaprobe`` checks ``specs/`` even though ``testpaths`` names
only ``tests``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from schemaprobe.plugin.options import PluginConfig, add_options, resolve
from schemaprobe.plugin.rule_options import add_rule_options

if TYPE_CHECKING:
    from schemaprobe.plugin.state import RunState

CONFIG_KEY = pytest.StashKey[PluginConfig]()
STATE_KEY: pytest.StashKey[RunState] = pytest.StashKey()
_COLLECTED_KEY = pytest.StashKey[set[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)
    add_rule_options(parser)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    settings = resolve(config)
    config.stash[CONFIG_KEY] = settings
    if not settings.enabled:
        return
    from schemaprobe.plugin import fixtures
    from schemaprobe.plugin.items import MARKERS
    from schemaprobe.plugin.state import RunState

    for name, description in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {description}")
    from schemaprobe.plugin.rule_options import RuleSettings

    config.stash[STATE_KEY] = RunState(settings, config.rootpath, RuleSettings.resolve(config))
    config.stash[_COLLECTED_KEY] = set()
    config.pluginmanager.register(fixtures, "schemaprobe.fixtures")
    from schemaprobe.plugin import rule_items

    config.pluginmanager.register(rule_items, "schemaprobe.rule_items")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE_KEY, None)
    if state is not None:
        state.close()


def _spec_files(config: pytest.Config) -> frozenset[Path] | None:
    state = config.stash.get(STATE_KEY, None)
    if state is None:
        return None
    from schemaprobe.errors import SchemaprobeError

    try:
        return state.spec_files()
    except SchemaprobeError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    spec_files = _spec_files(parent.config)
    if not spec_files or file_path.resolve() not in spec_files:
        return None
    from schemaprobe.plugin.items import SpecFile

    parent.config.stash[_COLLECTED_KEY].add(file_path.resolve())
    return SpecFile.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add spec files pytest did not walk, when it was run without explicit paths."""
    spec_files = _spec_files(config)
    if not spec_files or config.args_source == pytest.Config.ArgsSource.ARGS:
        return
    from schemaprobe.plugin.items import SpecFile

    collected = config.stash[_COLLECTED_KEY]
    for path in sorted(spec_files - collected):
        collector = SpecFile.from_parent(session, path=path)
        report = config.hook.pytest_make_collect_report(collector=collector)
        config.hook.pytest_collectreport(report=report)
        if report.failed:
            continue
        items.extend(_items_of(collector, report.result, config))


def _items_of(
    parent: pytest.Collector, nodes: list[pytest.Item | pytest.Collector], config: pytest.Config
) -> list[pytest.Item]:
    found: list[pytest.Item] = []
    for node in nodes:
        if isinstance(node, pytest.Item):
            found.append(node)
            continue
        report = config.hook.pytest_make_collect_report(collector=node)
        config.hook.pytest_collectreport(report=report)
        if not report.failed:
            found.extend(_items_of(node, report.result, config))
    return found


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(CONFIG_KEY, None)
    if settings is None or not settings.enabled:
        return None
    from schemaprobe.plugin.fixtures import describe_settings

    return f"schemaprobe: {describe_settings(settings)}"
