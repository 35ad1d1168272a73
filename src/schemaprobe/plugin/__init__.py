"""pytest entry point (``pytest11``): hook functions only.

This module is imported by every pytest run in an environment where schemaprobe is
installed, so it stays inert and light: no psycopg import, nothing registered, unless
``--schemaprobe`` (or ini ``schemaprobe = true``) switches it on.
"""

from __future__ import annotations

import pytest

from schemaprobe.plugin.options import PluginConfig, add_options, resolve

CONFIG_KEY = pytest.StashKey[PluginConfig]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    settings = resolve(config)
    config.stash[CONFIG_KEY] = settings
    if not settings.enabled:
        return
    from schemaprobe.plugin import fixtures

    config.pluginmanager.register(fixtures, "schemaprobe.fixtures")


def pytest_report_header(config: pytest.Config) -> str | None:
    settings = config.stash.get(CONFIG_KEY, None)
    if settings is None or not settings.enabled:
        return None
    from schemaprobe.plugin.fixtures import describe_settings

    return f"schemaprobe: {describe_settings(settings)}"
