"""The database under test, resolved from what the user gave: a DSN, SQL files, a provider.

This is the one place the CLI and the pytest plugin share for "give me a database":

* ``--dsn`` alone: that database, used as it is (schemaprobe only reads it);
* SQL files (with or without ``--dsn``): a server (the DSN's, else the embedded or
  Docker one), a template database loaded from the files, and a clone of it to test;
* writes go to further clones (:meth:`Target.clone`), never to the template or the DSN.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schemaprobe.errors import ProvisionError, UsageError
from schemaprobe.provision.choices import DEFAULT_DOCKER_IMAGE, PROFILES, PROVIDERS, Provider
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.server import Server, dsn_server, embedded_server

__all__ = ["DEFAULT_DOCKER_IMAGE", "PROFILES", "PROVIDERS", "Provider", "Target", "TargetOptions"]


@dataclass(frozen=True, slots=True)
class TargetOptions:
    """Everything that decides where the database under test comes from."""

    dsn: str | None = None
    sql: tuple[Path, ...] = ()
    profile: str | None = None
    provider: Provider | None = None
    pg_bin: Path | None = None
    docker_image: str = DEFAULT_DOCKER_IMAGE

    def resolved_provider(self) -> Provider:
        """The explicit provider, else ``dsn`` when a DSN is given, else ``embedded``."""
        if self.provider is not None:
            return self.provider
        return "dsn" if self.dsn else "embedded"

    def validate(self) -> None:
        provider = self.resolved_provider()
        if provider not in PROVIDERS:
            raise UsageError(
                f"unknown provider {provider!r}; valid providers: {', '.join(PROVIDERS)}"
            )
        if self.profile is not None and self.profile not in PROFILES:
            raise UsageError(
                f"unknown profile {self.profile!r}; valid profiles: {', '.join(PROFILES)}"
            )
        if provider == "dsn" and not self.dsn:
            raise UsageError(
                "the dsn provider needs a DSN (--dsn / --schemaprobe-dsn / SCHEMAPROBE_DSN)"
            )
        if provider != "dsn" and not self.sql and not self.profile:
            raise UsageError(
                f"the {provider} provider starts an empty server: give SQL files to load "
                "(--sql / --schemaprobe-sql) or a DSN to read"
            )
        if self.profile and not self.sql and provider == "dsn":
            raise UsageError("--profile applies to SQL loaded by schemaprobe; give --sql files too")


@dataclass
class Target:
    """A database to test, and the means to make writable copies of it."""

    dsn: str
    server: Server
    _databases: ScratchDatabases | None = field(default=None, repr=False)
    _template: str | None = field(default=None, repr=False)

    @property
    def can_clone(self) -> bool:
        """Whether :meth:`clone` works: schemaprobe loaded the schema (never for a bare DSN)."""
        return self._databases is not None and self._template is not None

    @contextlib.contextmanager
    def clone(self) -> Iterator[str]:
        """A private copy of the loaded schema for a test that writes; dropped afterwards."""
        if self._databases is None or self._template is None:
            raise ProvisionError(
                "clones need a schema loaded by schemaprobe (SQL files); a database named by "
                "a DSN is never copied or written to"
            )
        with self._databases.database(template=self._template) as dsn:
            yield dsn


@contextlib.contextmanager
def open_server(options: TargetOptions) -> Iterator[Server]:
    """Start (or reach) the server the options name; stop it on exit if we started it."""
    provider = options.resolved_provider()
    if provider == "dsn":
        with dsn_server(options.dsn or "") as server:
            yield server
    elif provider == "docker":
        from schemaprobe.provision.docker import docker_server

        with docker_server(options.docker_image) as server:
            yield server
    else:
        with embedded_server(options.pg_bin) as server:
            yield server


@contextlib.contextmanager
def open_target(options: TargetOptions) -> Iterator[Target]:
    """Provide the database under test for the block; everything started is cleaned up."""
    options.validate()
    with open_server(options) as server:
        if not options.sql and not options.profile:
            yield Target(dsn=server.dsn, server=server)
            return
        with ScratchDatabases(server.dsn) as databases:
            template = databases.template_from_sql(options.sql, profile=options.profile)
            under_test = databases.create(template=template, suffix="db")
            yield Target(
                dsn=databases.dsn(under_test),
                server=server,
                _databases=databases,
                _template=template,
            )
