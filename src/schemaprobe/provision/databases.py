"""Scratch databases, templates and clones on a server schemaprobe may create databases on.

The database a user names is never written to: SQL is loaded into a scratch database
that becomes a template, and tests that write get a clone of it (``CREATE DATABASE ...
TEMPLATE``, a file copy, far cheaper than loading the SQL again). Every scratch
database is named after its owner process, so a later run on the same host drops the
leftovers of a crashed one and never touches those of a live one.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
from psycopg import sql

from schemaprobe.errors import ProvisionError
from schemaprobe.provision._owner import Owner, host_tag
from schemaprobe.provision.dsn import with_database
from schemaprobe.provision.session import connect, describe
from schemaprobe.provision.sqlfile import apply_sql_files

PREFIX = "schemaprobe"
# One counter per process, not per object: two ScratchDatabases alive at once in one
# process (a test session's and a command's) must never pick the same name.
_COUNTER = itertools.count(1)
_NAME = re.compile(rf"^{PREFIX}_(?P<host>[0-9a-f]{{6}})_(?P<owner>\d+_\d+)_\d+(?:_[a-z]+)?$")


class ScratchDatabases:
    """Creates and drops this process's scratch databases on one server.

    Use as a context manager: leaving it drops every database it created that is
    still there. Creating it sweeps stale databases left by dead processes on this host.
    """

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        self._owner = Owner.current()
        self._created: list[str] = []
        self._admin = connect(admin_dsn, autocommit=True)
        self.sweep_stale()

    def __enter__(self) -> ScratchDatabases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop every database this object created, then disconnect."""
        if self._admin.closed:
            return
        try:
            for name in reversed(self._created):
                with contextlib.suppress(psycopg.Error):
                    self._drop(name)
            self._created.clear()
        finally:
            self._admin.close()

    def new_name(self, suffix: str = "") -> str:
        name = f"{PREFIX}_{host_tag()}_{self._owner}_{next(_COUNTER)}"
        return f"{name}_{suffix}" if suffix else name

    def create(self, *, template: str | None = None, suffix: str = "") -> str:
        """Create a database (empty, or a copy of ``template``) and return its name."""
        name = self.new_name(suffix)
        query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template or "template0")
        )
        try:
            self._admin.execute(query)
        except psycopg.errors.InsufficientPrivilege:
            raise ProvisionError(
                f"cannot create scratch databases on {describe(self.admin_dsn)}: "
                "the role lacks CREATEDB (schemaprobe loads SQL only into databases it creates)"
            ) from None
        except psycopg.errors.ObjectInUse:
            raise ProvisionError(
                f"cannot clone template {template!r}: another session is connected to it"
            ) from None
        self._created.append(name)
        return name

    def drop(self, name: str) -> None:
        """Drop a database this object created (sessions still connected are ended)."""
        if name not in self._created:
            raise ProvisionError(f"refusing to drop {name!r}: not created by this run")
        self._drop(name)
        self._created.remove(name)

    def _drop(self, name: str) -> None:
        self._admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def dsn(self, name: str) -> str:
        return with_database(self.admin_dsn, name)

    @contextlib.contextmanager
    def database(self, *, template: str | None = None) -> Iterator[str]:
        """A fresh database (or clone of ``template``) for the block; yields its DSN."""
        name = self.create(template=template)
        try:
            yield self.dsn(name)
        finally:
            if not self._admin.closed:
                self.drop(name)

    def template_from_sql(self, paths: Sequence[Path], *, profile: str | None = None) -> str:
        """Load a profile and SQL files into a new database and return its name.

        The caller clones it with :meth:`database` (``template=name``); nothing may stay
        connected to it, so the loading session is closed before returning.
        """
        name = self.create(suffix="tpl")
        try:
            with connect(self.dsn(name), autocommit=True) as conn:
                if profile == "supabase":
                    from schemaprobe.provision.supabase import install_supabase_compat

                    with conn.transaction():
                        install_supabase_compat(conn)
                elif profile is not None:
                    raise ProvisionError(f"unknown profile {profile!r}; valid profiles: 'supabase'")
                apply_sql_files(conn, paths)
        except BaseException:
            self.drop(name)
            raise
        return name

    def sweep_stale(self) -> list[str]:
        """Drop scratch databases of this host whose owner process is gone."""
        rows = self._admin.execute(
            sql.SQL("SELECT datname FROM pg_database WHERE datname LIKE {} ORDER BY 1").format(
                sql.Literal(PREFIX + r"\_%")
            )
        ).fetchall()
        dropped = []
        for (name,) in rows:
            match = _NAME.match(str(name))
            if match is None or match["host"] != host_tag():
                continue
            owner = Owner.parse(match["owner"])
            if owner is None or owner.is_alive():
                continue
            with contextlib.suppress(psycopg.Error):
                self._drop(str(name))
                dropped.append(str(name))
        return dropped
