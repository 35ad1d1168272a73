"""Opening probe sessions: every connection schemaprobe makes goes through :func:`connect`.

A probe session always identifies itself (``application_name``), always has a
``statement_timeout`` and a ``lock_timeout`` (a probe must never hang a deploy or wait
behind one), and in read-only mode asks the *server* to refuse writes, then checks
that it took effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from schemaprobe.errors import ConnectionFailed, ServerTooOld
from schemaprobe.provision.dsn import database_of, parse, redact

MIN_SERVER_VERSION = 130000
APPLICATION_NAME = "schemaprobe"


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Server settings applied to every probe session."""

    statement_timeout_ms: int = 60_000
    lock_timeout_ms: int = 5_000
    idle_in_transaction_timeout_ms: int = 300_000
    read_only: bool = False
    connect_timeout_s: int = 10

    def options(self) -> str:
        """The libpq ``options`` string: settings arrive with the startup packet, no round trip."""
        parts = [
            f"-c statement_timeout={self.statement_timeout_ms}",
            f"-c lock_timeout={self.lock_timeout_ms}",
            f"-c idle_in_transaction_session_timeout={self.idle_in_transaction_timeout_ms}",
        ]
        if self.read_only:
            parts.append("-c default_transaction_read_only=on")
        return " ".join(parts)


DEFAULT_SETTINGS = SessionSettings()


def connect(
    dsn: str,
    settings: SessionSettings = DEFAULT_SETTINGS,
    *,
    autocommit: bool = False,
) -> psycopg.Connection[tuple[object, ...]]:
    """Open a probe session on ``dsn``; failures become one-line :class:`ConnectionFailed`."""
    params = parse(dsn)
    extra = params.pop("options", "")
    params.setdefault("application_name", APPLICATION_NAME)
    params.setdefault("connect_timeout", str(settings.connect_timeout_s))
    params["options"] = f"{extra} {settings.options()}".strip()
    try:
        conn = psycopg.connect(autocommit=autocommit, **params)  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        raise ConnectionFailed(
            f"cannot connect to {describe(dsn)}: {_first_line(redact(str(exc)))}"
        ) from None
    try:
        check_server(conn, dsn)
        if settings.read_only:
            _check_read_only(conn, dsn)
    except BaseException:
        conn.close()
        raise
    return conn


def describe(dsn: str) -> str:
    """A short, password-free name for a server and database, for messages."""
    params = parse(dsn)
    host = params.get("host", "localhost")
    port = params.get("port", "5432")
    where = host if host.startswith("/") else f"{host}:{port}"
    return f"database {database_of(dsn)!r} at {where}"


def check_server(conn: psycopg.Connection[tuple[object, ...]], dsn: str) -> None:
    """Refuse servers older than PostgreSQL 13: their catalogs lack columns we read."""
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise ServerTooOld(server_too_old_message(describe(dsn), version))


def server_too_old_message(where: str, version: int) -> str:
    """``90624`` is 9.6, ``120005`` is 12: majors were two numbers before PostgreSQL 10."""
    major = (
        str(version // 10000) if version >= 100000 else f"{version // 10000}.{version // 100 % 100}"
    )
    return f"{where} runs PostgreSQL {major}; schemaprobe needs PostgreSQL 13 or newer"


def _check_read_only(conn: psycopg.Connection[tuple[object, ...]], dsn: str) -> None:
    row = conn.execute(sql.SQL("SHOW default_transaction_read_only")).fetchone()
    conn.rollback()
    if row is None or row[0] != "on":
        raise ConnectionFailed(f"{describe(dsn)} did not accept read-only mode; refusing to probe")


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
