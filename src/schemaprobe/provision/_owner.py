"""Which process owns a resource, and whether that process is still alive.

Servers, data directories and scratch databases are tagged with their owner so a
later run can tell a crashed run's leftovers (owner gone: remove them) from a
concurrent run's live resources (owner alive: leave them alone). A pid alone is not
enough, pids are reused; the process start time makes the tag unique.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path


def _start_ticks(pid: int) -> int | None:
    """Kernel start time of ``pid`` (Linux ``/proc``); None where it cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])


def host_tag() -> str:
    """A short, stable tag of this host, so scratch databases of other hosts are left alone."""
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:6]


@dataclass(frozen=True, slots=True)
class Owner:
    """A process identity that survives pid reuse: ``pid`` plus its start time."""

    pid: int
    start: int

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(pid, _start_ticks(pid) or 0)

    @classmethod
    def parse(cls, text: str) -> Owner | None:
        parts = text.strip().split("_")
        if len(parts) != 2 or not all(part.isdigit() for part in parts):
            return None
        return cls(int(parts[0]), int(parts[1]))

    def __str__(self) -> str:
        return f"{self.pid}_{self.start}"

    def is_alive(self) -> bool:
        if not pid_alive(self.pid):
            return False
        ticks = _start_ticks(self.pid)
        return ticks is None or self.start in (0, ticks)


def pid_alive(pid: int) -> bool:
    """True if a process with ``pid`` exists (zombies included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminate(pid: int, *, grace: float = 5.0) -> None:
    """Stop a postmaster: fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGQUIT, 2.0), (signal.SIGKILL, 2.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(pid) or _is_zombie(pid):
                return
            time.sleep(0.01)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].startswith("Z")
