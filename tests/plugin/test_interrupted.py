"""A pytest run killed mid-way leaves nothing behind once the next run has started.

The killed run's postmaster shuts down by itself (parent-death signal); its run
directory and scratch databases are removed by the next run's sweep.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from schemaprobe.provision._owner import pid_alive
from schemaprobe.provision.embedded import state_root

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")
ADMIN_DSN = TEST_DSN or ""

_SLOW_TEST = """
import os, pathlib, time

def test_hangs(schemaprobe_dsn, schemaprobe_clone):
    pathlib.Path("started").write_text(str(os.getpid()))
    time.sleep(120)
"""


def _scratch_databases(admin_dsn: str) -> set[str]:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'schemaprobe\\_%'")
        return {row[0] for row in rows}


def _postmasters_under(root: Path) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-f", f"postgres -D {root}/run/"], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in out.stdout.split()]


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_killed_run_leaves_nothing_after_the_next(
    pytester: pytest.Pytester, how: signal.Signals
) -> None:
    pytester.copy_example("basic")
    pytester.makepyfile(test_slow=_SLOW_TEST)
    server_args = ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []
    # A private state directory, so other runs' servers don't count (and under /tmp:
    # pytest's tmp_path is root-only, and the server runs as another account under root).
    state = Path(tempfile.mkdtemp(prefix="sp-interrupt-"))
    state.chmod(0o711)
    env = {**os.environ, "SCHEMAPROBE_STATE_DIR": str(state)}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "test_slow.py",
            "--schemaprobe",
            "--schemaprobe-sql",
            "schema.sql",
            *server_args,
        ],
        cwd=pytester.path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with run:
        deadline = time.monotonic() + 60
        while not (pytester.path / "started").exists():
            assert time.monotonic() < deadline, "the inner run never started its test"
            assert run.poll() is None, "the inner run ended early"
            time.sleep(0.05)
        os.environ["SCHEMAPROBE_STATE_DIR"] = env["SCHEMAPROBE_STATE_DIR"]
        try:
            root = state_root()
        finally:
            del os.environ["SCHEMAPROBE_STATE_DIR"]
        postmasters = _postmasters_under(root)
        assert TEST_DSN or len(postmasters) == 1
        # Only the killed run's own databases: other xdist workers create some too.
        mine = f"_{run.pid}_"
        leftover = (
            {name for name in _scratch_databases(ADMIN_DSN) if mine in name} if TEST_DSN else set()
        )
        assert not TEST_DSN or len(leftover) == 3  # template, database under test, clone
        run.send_signal(how)
        run.wait(timeout=60)

    deadline = time.monotonic() + 15
    while any(pid_alive(pid) for pid in postmasters):
        assert time.monotonic() < deadline, "the killed run's server is still running"
        time.sleep(0.05)

    # The next run (any run that provisions) cleans up what the killed one left.
    (pytester.path / "test_slow.py").unlink()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "test_uses_fixtures.py",
            "--schemaprobe",
            "--schemaprobe-sql",
            "schema.sql",
            *server_args,
        ],
        cwd=pytester.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert list((root / "run").iterdir()) == []
    assert _postmasters_under(root) == []
    if TEST_DSN:
        assert {name for name in _scratch_databases(ADMIN_DSN) if mine in name} == set()
    shutil.rmtree(state)
