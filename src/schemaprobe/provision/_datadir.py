"""Initialised data directories for the embedded server: created once, copied per start.

``initdb`` runs once per server version (the *cache*). A start needs a private copy of
it; copying 30 MB is fast on a quiet disk but can take most of a second on a busy or
``discard``-mounted one, so after each start a *spare* copy is made in the background
and the next start takes it with one atomic rename. Every step is race-free across
processes (xdist workers): work happens in a directory named after its owner, and
results appear by rename only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from schemaprobe.errors import ProvisionError
from schemaprobe.provision._owner import Owner
from schemaprobe.provision.binaries import PgBinaries

SUPERUSER = "postgres"
_SPARE = ".spare-"
_STAGING = ".staging-"


def run_tool(args: list[str], account: pwd.struct_passwd | None, what: str) -> None:
    """Run a PostgreSQL tool (as ``account`` when given); failure is one ProvisionError line."""
    try:
        subprocess.run(
            args,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        raise ProvisionError(f"{what} failed: {detail[-1] if detail else exc}") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProvisionError(f"{what} failed: {exc}") from None


def chown_tree(path: Path, account: pwd.struct_passwd | None) -> None:
    """Hand a directory tree to the account the server runs as (no-op when not root)."""
    if account is None:
        return
    os.chown(path, account.pw_uid, account.pw_gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in (*dirnames, *filenames):
            os.lchown(Path(dirpath) / name, account.pw_uid, account.pw_gid)


def initdb(binaries: PgBinaries, target: Path, account: pwd.struct_passwd | None) -> None:
    """A new cluster: trust auth, UTF8, C locale, no fsync, 1 MB WAL segments (small copy)."""
    target.mkdir(mode=0o700)
    chown_tree(target, account)  # initdb runs as the account and must own its directory
    run_tool(
        [
            str(binaries.tool("initdb")),
            "-D",
            str(target),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
            "--wal-segsize=1",
        ],
        account,
        f"initdb ({binaries.source}, PostgreSQL {binaries.version})",
    )


def cached_data_dir(
    binaries: PgBinaries, cache_root: Path, account: pwd.struct_passwd | None
) -> Path:
    """The initialised data directory for these binaries, created on first use."""
    owner_tag = account.pw_name if account else str(os.getuid())
    where = hashlib.sha1(str(binaries.bindir).encode()).hexdigest()[:8]
    cached = cache_root / f"pg{binaries.version}-{where}-{owner_tag}"
    if (cached / "PG_VERSION").exists():
        return cached
    staging = _staging_name(cached)
    try:
        initdb(binaries, staging, account)
        with contextlib.suppress(OSError):  # another process won the race: use theirs
            staging.rename(cached)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (cached / "PG_VERSION").exists():
        raise ProvisionError(f"could not create the data directory cache at {cached}")
    return cached


def copy_data_dir(source: Path, target: Path, account: pwd.struct_passwd | None) -> None:
    """Copy a data directory keeping owners and modes (``cp -a``, which is fastest here)."""
    if sys.platform.startswith("linux") and shutil.which("cp"):
        run_tool(["cp", "-a", str(source), str(target)], None, "copying the cached data directory")
    else:
        shutil.copytree(source, target, symlinks=True)
        chown_tree(target, account)


def copied_installation(install: Path, root: Path, version: str) -> Path:
    """A world-readable copy of a relocatable PostgreSQL installation, made once.

    The wheel's tools find libpq through an RPATH of ``$ORIGIN/../../../<pkg>.libs``,
    so the copy keeps that layout: ``<copy>/<pkg>/pginstall`` beside ``<copy>/<pkg>.libs``.
    Returns the copied installation directory (the one holding ``bin``).
    """
    where = hashlib.sha1(str(install).encode()).hexdigest()[:8]
    copy = root / f"pg{version}-{where}"
    package = install.parent
    libs = package.parent / f"{package.name}.libs"
    copied_install = copy / package.name / install.name
    if (copied_install / "bin" / "postgres").exists():
        return copied_install
    root.mkdir(mode=0o755, exist_ok=True)
    root.chmod(0o755)
    staging = _staging_name(copy)
    try:
        (staging / package.name).mkdir(mode=0o755, parents=True)
        staging.chmod(0o755)
        what = "copying the PostgreSQL binaries"
        run_tool(["cp", "-R", "-p", str(install), str(staging / package.name)], None, what)
        if libs.is_dir():
            run_tool(["cp", "-R", "-p", str(libs), str(staging)], None, what)
        with contextlib.suppress(OSError):  # another process won the race: use theirs
            staging.rename(copy)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (copied_install / "bin" / "postgres").exists():
        raise ProvisionError(f"could not copy the PostgreSQL binaries to {copy}")
    return copied_install


def take_spare(cached: Path, target: Path) -> bool:
    """Move a ready spare copy of ``cached`` to ``target``; False if none was left."""
    for spare in sorted(cached.parent.glob(f"{cached.name}{_SPARE}*")):
        try:
            spare.rename(target)
        except OSError:
            continue  # taken by another process a moment ago
        return True
    return False


def prepare_spare(cached: Path, account: pwd.struct_passwd | None) -> threading.Thread | None:
    """Copy ``cached`` to a spare in a background thread, unless a spare is already there."""
    if any(cached.parent.glob(f"{cached.name}{_SPARE}*")):
        return None

    def copy() -> None:
        staging = _staging_name(cached)
        try:
            copy_data_dir(cached, staging, account)
            staging.rename(cached.with_name(f"{cached.name}{_SPARE}{secrets.token_hex(4)}"))
        except (OSError, ProvisionError):
            shutil.rmtree(staging, ignore_errors=True)  # a spare is an optimisation only

    thread = threading.Thread(target=copy, name="schemaprobe-spare-data-dir", daemon=True)
    thread.start()
    return thread


def sweep_stale_spares(cache_root: Path) -> list[Path]:
    """Remove half-made copies (cache or spare) whose owning process is gone."""
    removed = []
    for staging in cache_root.glob(f"*{_STAGING}*"):
        owner = Owner.parse(staging.name.rsplit(_STAGING, 1)[1].rsplit("-", 1)[0])
        if owner is None or not owner.is_alive():
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    return removed


def _staging_name(cached: Path) -> Path:
    return cached.with_name(f"{cached.name}{_STAGING}{Owner.current()}-{secrets.token_hex(3)}")
