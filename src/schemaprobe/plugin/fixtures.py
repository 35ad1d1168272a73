"""Fixtures the plugin offers once enabled; registered by ``pytest_configure``.

Session-scoped: the server, the database under test and its catalog are made once per
session (once per xdist worker: each worker has its own server and scratch databases).
Function-scoped: ``schemaprobe_clone``, a private writable copy of the loaded schema.
Provisioning errors fail the requesting tests with one line, not a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pytest

from schemaprobe.errors import SchemaprobeError
from schemaprobe.plugin.options import PluginConfig
from schemaprobe.provision.dsn import redact
from schemaprobe.provision.session import connect
from schemaprobe.provision.target import DEFAULT_DOCKER_IMAGE, Target, TargetOptions

if TYPE_CHECKING:
    from psycopg import Connection

    from schemaprobe.introspect import Catalog
    from schemaprobe.plugin.state import RunState
    from schemaprobe.properties.rows import RowFactory


def target_options(settings: PluginConfig) -> TargetOptions:
    return TargetOptions(
        dsn=settings.dsn,
        sql=settings.sql,
        profile=settings.profile,
        provider=settings.provider,
        pg_bin=settings.pg_bin,
        docker_image=settings.docker_image or DEFAULT_DOCKER_IMAGE,
    )


def describe_settings(settings: PluginConfig) -> str:
    options = target_options(settings)
    parts = [f"provider={options.resolved_provider()}"]
    if options.dsn:
        parts.append(f"dsn={redact(options.dsn)}")
    if options.sql:
        parts.append(f"sql={len(options.sql)} path(s)")
    if options.profile:
        parts.append(f"profile={options.profile}")
    return ", ".join(parts)


@pytest.fixture(scope="session")
def schemaprobe_config(pytestconfig: pytest.Config) -> PluginConfig:
    """The resolved schemaprobe settings of this run."""
    from schemaprobe.plugin import CONFIG_KEY

    return pytestconfig.stash[CONFIG_KEY]


def _state(config: pytest.Config) -> RunState:
    from schemaprobe.plugin import STATE_KEY

    return config.stash[STATE_KEY]


@pytest.fixture(scope="session")
def schemaprobe_target(pytestconfig: pytest.Config) -> Target:
    """The database under test (provisioned once per session and worker, shared with the
    spec items)."""
    try:
        return _state(pytestconfig).target()
    except SchemaprobeError as exc:
        pytest.fail(f"schemaprobe: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def schemaprobe_dsn(schemaprobe_target: Target) -> str:
    """DSN of the database under test: read it, do not write to it (use a clone)."""
    return schemaprobe_target.dsn


@pytest.fixture(scope="session")
def schemaprobe_catalog(pytestconfig: pytest.Config) -> Catalog:
    """The live catalog of the database under test, read once per session."""
    try:
        return _state(pytestconfig).catalog()
    except SchemaprobeError as exc:
        pytest.fail(f"schemaprobe: {exc}", pytrace=False)


@pytest.fixture
def schemaprobe_connection(schemaprobe_target: Target) -> Iterator[Connection[Any]]:
    """A probe session on the database under test, inside a transaction rolled back after
    the test: whatever the test writes is never committed."""
    try:
        conn = connect(schemaprobe_target.dsn)
    except SchemaprobeError as exc:
        pytest.fail(f"schemaprobe: {exc}", pytrace=False)
    with conn:
        try:
            yield conn
        finally:
            conn.rollback()


@pytest.fixture
def schemaprobe_acting_as() -> Callable[..., AbstractContextManager[Connection[Any]]]:
    """``with schemaprobe_acting_as(conn, "authenticated", user_id=uid):`` runs the block
    as that role (Supabase: with ``request.jwt.claims``), in a savepoint rolled back after."""
    from schemaprobe.provision.acting import acting_as

    return acting_as


@pytest.fixture
def schemaprobe_clone(schemaprobe_target: Target) -> Iterator[str]:
    """DSN of a private copy of the loaded schema, for a test that writes; dropped after."""
    try:
        with schemaprobe_target.clone() as dsn:
            yield dsn
    except SchemaprobeError as exc:
        pytest.fail(f"schemaprobe: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def schemaprobe_rows(pytestconfig: pytest.Config) -> RowFactory:
    """The row factory for the database under test: ``schemaprobe_rows.rows(table)`` is a
    Hypothesis strategy of valid rows (parents first); insert them with
    ``schemaprobe.properties.insert_rowset`` inside a savepoint."""
    try:
        return _state(pytestconfig).property_runner().factory()
    except SchemaprobeError as exc:
        pytest.fail(f"schemaprobe: {exc}", pytrace=False)
