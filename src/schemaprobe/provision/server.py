"""A running PostgreSQL server, whichever provider it came from.

Providers are context managers yielding a :class:`Server`: leaving the block stops
whatever the provider started (nothing, for a DSN). Everything downstream only
needs the admin DSN and the major version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from schemaprobe.provision.dsn import redact
from schemaprobe.provision.session import connect

ProviderKind = Literal["dsn", "embedded", "docker"]


@dataclass(frozen=True, slots=True)
class Server:
    """A reachable server: ``dsn`` names its maintenance database and a superuser-ish role."""

    dsn: str
    kind: ProviderKind
    server_version: int

    @property
    def major_version(self) -> int:
        return self.server_version // 10000

    def __str__(self) -> str:
        return f"{self.kind} PostgreSQL {self.major_version} ({redact(self.dsn)})"


def probe_version(dsn: str) -> int:
    """Connect once to check the server is reachable and new enough; return its version."""
    with connect(dsn, autocommit=True) as conn:
        return conn.info.server_version


@contextmanager
def dsn_server(dsn: str) -> Iterator[Server]:
    """An existing server: nothing to start or stop, only checked to be reachable."""
    yield Server(dsn=dsn, kind="dsn", server_version=probe_version(dsn))


@contextmanager
def embedded_server(pg_bin: Path | None = None) -> Iterator[Server]:
    """A private server in a temporary data directory, stopped and removed on exit."""
    from schemaprobe.provision.embedded import EmbeddedServer

    with EmbeddedServer.start(pg_bin=pg_bin) as running:
        yield Server(dsn=running.dsn, kind="embedded", server_version=running.server_version)
