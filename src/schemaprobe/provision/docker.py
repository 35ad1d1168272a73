"""PostgreSQL in a throwaway Docker container, through testcontainers.

Needs the ``docker`` extra (``pip install 'schemaprobe[docker]'``) and a reachable
Docker engine; both are checked *before* anything starts, and every failure is one
:class:`ProvisionError` line (no traceback, no password). testcontainers is imported
only when a container is asked for, so the rest of schemaprobe never needs it.

Images that work:

- the official ``postgres`` images, 13 and newer (default ``postgres:18-alpine``). They
  run with ``fsync``, ``synchronous_commit`` and ``full_page_writes`` off: the data
  lives only as long as the container, durability buys nothing;
- Supabase's ``supabase/postgres`` images (e.g. ``supabase/postgres:15.8.1.060``). They
  must keep their own ``POSTGRES_USER=supabase_admin`` (initdb creates that superuser;
  the image's migrations then create ``postgres`` themselves and fail if it exists) and
  ``POSTGRES_DB=postgres``, and their command (``postgres -D /etc/postgresql``). The
  password goes in ``POSTGRES_PASSWORD``; schemaprobe connects as ``supabase_admin``,
  because ``postgres`` is demoted from superuser by the image's later migrations and
  scratch databases need CREATEDB. These images already have ``auth``: use them
  without the Supabase profile. Their first start runs many migrations: allow
  ``startup_timeout=180``.

Cleanup: leaving the block removes the container and its volumes, also on errors and
Ctrl-C. If the process dies without unwinding (SIGKILL), testcontainers' Ryuk reaper
container removes it once this process's connection to Ryuk is gone (about 10 s).
Where Ryuk cannot run (rootless or remote engines), ``TESTCONTAINERS_RYUK_DISABLED=true``
turns it off, and a killed run then leaves its container behind.

The password is random per container and appears in no message: DSNs go through
:func:`~schemaprobe.provision.dsn.redact`, and container logs quoted in errors are
scrubbed of it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import secrets
import socket
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from psycopg import conninfo

from schemaprobe.errors import ConnectionFailed, ProvisionError, UsageError
from schemaprobe.provision.dsn import redact
from schemaprobe.provision.server import Server, probe_version

if TYPE_CHECKING:
    from testcontainers.core.waiting_utils import WaitStrategyTarget

__all__ = [
    "DEFAULT_IMAGE",
    "ContainerConfig",
    "check_docker_engine",
    "container_config",
    "docker_server",
    "is_supabase_image",
    "libpq_dsn",
]

DEFAULT_IMAGE = "postgres:18-alpine"
POSTGRES_PORT = 5432
INSTALL_HINT = "install schemaprobe[docker] (pip install 'schemaprobe[docker]')"
_DEFAULT_SOCKET = "unix:///var/run/docker.sock"
_THROWAWAY_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
_SUPABASE_REPOSITORY = re.compile(r"(?:^|/)supabase/postgres$")
_REDACTED = "********"
_PERMISSION_DENIED = "permission denied (may this user use Docker? e.g. the docker group)"


@dataclass(frozen=True, slots=True)
class ContainerConfig:
    """How to run one image: what the container gets, and whom schemaprobe connects as."""

    image: str
    username: str
    password: str = field(repr=False)
    dbname: str
    command: tuple[str, ...] | None
    port: int = POSTGRES_PORT

    @property
    def env(self) -> dict[str, str]:
        """The environment the container starts with (set by testcontainers' PostgresContainer)."""
        return {
            "POSTGRES_USER": self.username,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_DB": self.dbname,
        }

    @property
    def ready_command(self) -> tuple[str, ...]:
        """Run inside the container; succeeds once the final server listens on TCP.

        The images' entrypoints initialise with a temporary server on the Unix socket
        only, so a TCP check cannot mistake that one for the real server.
        """
        return ("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                "-U", self.username, "-d", self.dbname)  # fmt: skip


def is_supabase_image(image: str) -> bool:
    """Whether ``image`` is Supabase's Postgres (any registry, tag or digest)."""
    repository = image.split("@", 1)[0]
    last = repository.rsplit("/", 1)[-1]
    if ":" in last:
        repository = repository[: len(repository) - len(last) + last.index(":")]
    return bool(_SUPABASE_REPOSITORY.search(repository.lower()))


def container_config(image: str, password: str) -> ContainerConfig:
    """The container settings for ``image``: pure, so the choices can be tested without Docker.

    Example::

        >>> container_config("supabase/postgres:15.8.1.060", "pw").username
        'supabase_admin'
    """
    image = image.strip()
    if not image:
        raise UsageError("the Docker image name is empty")
    if is_supabase_image(image):
        return ContainerConfig(image, "supabase_admin", password, "postgres", command=None)
    command = tuple(part for setting in _THROWAWAY_SETTINGS for part in ("-c", setting))
    return ContainerConfig(image, "postgres", password, "postgres", command=command)


def libpq_dsn(url: str) -> str:
    """A libpq key/value DSN from testcontainers' SQLAlchemy-style connection URL.

    ``get_connection_url()`` returns ``postgresql+psycopg2://user:pw@host:port/db`` with
    the password percent-quoted; libpq knows neither the ``+driver`` suffix nor the
    quoting rules testcontainers uses, so the URL is taken apart rather than passed on.

    Example::

        >>> libpq_dsn("postgresql+psycopg2://postgres:p%40ss@localhost:55012/postgres")
        'host=localhost port=55012 user=postgres password=p@ss dbname=postgres'
    """
    unexpected = ProvisionError(f"unexpected connection URL from testcontainers: {redact(url)}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise unexpected from None
    if parts.scheme.split("+", 1)[0] not in ("postgresql", "postgres") or not parts.hostname:
        raise unexpected
    params = {
        "host": parts.hostname,
        "port": str(port) if port else "",
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "dbname": unquote(parts.path.lstrip("/")),
    }
    return conninfo.make_conninfo("", **{key: value for key, value in params.items() if value})


def check_docker_engine(timeout: float = 5.0) -> str:
    """Fail with one line unless a Docker engine answers; return where it was found.

    Looks where testcontainers will look (``~/.testcontainers.properties``,
    ``DOCKER_HOST``, the current docker context, then the default socket), so a
    container start never begins against an engine that is not there.
    """
    host, environment = _docker_environment()
    where = redact(host or _DEFAULT_SOCKET)
    target = host or ("" if sys.platform == "win32" else _DEFAULT_SOCKET)
    if target.startswith("unix://"):
        # Our own probe first: the docker SDK leaks a socket on every failed Unix connect.
        _probe_unix_socket(target.removeprefix("unix://"), where, timeout)
    client = None
    try:
        client = _import("docker").from_env(environment=environment, timeout=max(1, round(timeout)))
        client.ping()
    except Exception as exc:
        if not _is_docker_failure(exc):
            raise
        raise _unreachable(where, _engine_reason(exc, where)) from None
    finally:
        if client is not None:
            client.close()
    return where


def _docker_environment() -> tuple[str | None, dict[str, str]]:
    """The engine testcontainers will use, as an environment for ``docker.from_env``."""
    host: str | None = _import("testcontainers.core.docker_client").get_docker_host()
    environment = dict(os.environ)
    if host:
        environment["DOCKER_HOST"] = host
    return host, environment


def _ensure_image(image: str) -> None:
    """Pull ``image`` unless present, so a pull failure is reported as one."""
    docker = _import("docker")
    client = docker.from_env(environment=_docker_environment()[1])
    try:
        try:
            client.images.get(image)
        except docker.errors.ImageNotFound:
            client.images.pull(image)
    except Exception as exc:
        if not _is_docker_failure(exc):
            raise
        raise ProvisionError(
            f"cannot pull Docker image {image!r}: {_docker_explanation(exc)}"
        ) from None
    finally:
        client.close()


def _probe_unix_socket(path: str, where: str, timeout: float) -> None:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(timeout)
            probe.connect(path)
    except FileNotFoundError:
        raise _unreachable(where, f"no socket at {path}") from None
    except ConnectionRefusedError:
        raise _unreachable(where, "connection refused (is the Docker daemon running?)") from None
    except PermissionError:
        raise _unreachable(where, _PERMISSION_DENIED) from None
    except TimeoutError:
        raise _unreachable(where, "no answer in time") from None
    except OSError as exc:
        raise _unreachable(where, exc.strerror or str(exc)) from None


def _unreachable(where: str, reason: str) -> ProvisionError:
    return ProvisionError(
        f"Docker engine not reachable at {where}: {reason}; "
        "start Docker or point DOCKER_HOST at it (or use the embedded server)"
    )


@contextlib.contextmanager
def docker_server(image: str = DEFAULT_IMAGE, *, startup_timeout: float = 60) -> Iterator[Server]:
    """A PostgreSQL container from ``image``, removed when the block ends.

    ``startup_timeout`` counts from the container's start to the server accepting
    connections (an image pull is not included).
    """
    if startup_timeout <= 0:
        raise UsageError(f"startup_timeout must be positive, not {startup_timeout!r}")
    config = container_config(image, secrets.token_hex(16))
    postgres_container = _postgres_container_class()
    check_docker_engine()
    container: Any = None
    finished = False
    try:
        try:
            container = postgres_container(
                config.image, port=config.port, username=config.username,
                password=config.password, dbname=config.dbname,
            )  # fmt: skip
            if config.command is not None:
                container.with_command(list(config.command))
            container.waiting_for(_ready_strategy(config, startup_timeout))
            _ensure_image(container.image)  # with testcontainers' registry prefix, if any
            container.start()  # creates, starts, then waits for pg_isready
            dsn = libpq_dsn(container.get_connection_url())
        except Exception as exc:
            failure = _start_failure(exc, config, container)
            if failure is None:
                raise  # a bug, not the environment: keep the traceback
            raise failure from None
        version = _wait_for_host_connection(dsn, time.monotonic() + startup_timeout, config)
        yield Server(dsn=dsn, kind="docker", server_version=version)
        finished = True
    finally:
        if container is not None:
            _remove(container, config, report=finished)


class _ContainerExited(Exception):
    pass


def _ready_strategy(config: ContainerConfig, timeout: float) -> Any:
    from testcontainers.core.waiting_utils import WaitStrategy

    class PgIsReady(WaitStrategy):
        """pg_isready inside the container; gives up at once if the container exits."""

        def wait_until_ready(self, container: WaitStrategyTarget) -> None:
            deadline = time.monotonic() + timeout
            while True:
                container.reload()
                if container.status in ("exited", "dead"):
                    raise _ContainerExited(container.status)
                wrapped = container.get_wrapped_container()
                if wrapped.exec_run(list(config.ready_command)).exit_code == 0:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError
                time.sleep(0.25)

    return PgIsReady()


def _wait_for_host_connection(dsn: str, deadline: float, config: ContainerConfig) -> int:
    """The port mapping can lag the server by a moment: retry until the deadline."""
    while True:
        try:
            return probe_version(dsn)
        except ConnectionFailed as exc:
            if time.monotonic() > deadline:
                raise ProvisionError(
                    f"PostgreSQL in the container from {config.image!r} is not reachable "
                    f"from here: {_scrub(str(exc), config)}"
                ) from None
            time.sleep(0.25)


def _start_failure(
    exc: Exception, config: ContainerConfig, container: Any
) -> ProvisionError | None:
    image = config.image
    if isinstance(exc, ProvisionError):
        return exc
    if isinstance(exc, _ContainerExited):
        return ProvisionError(
            f"the container from {image!r} stopped while starting ({exc}); "
            f"last log lines: {_log_tail(container, config)}"
        )
    if isinstance(exc, TimeoutError):
        return ProvisionError(
            f"PostgreSQL in the container from {image!r} did not accept connections in time "
            f"(startup_timeout); last log lines: {_log_tail(container, config)}"
        )
    if not _is_docker_failure(exc):
        return None
    explanation = _scrub(_docker_explanation(exc), config)
    if "ryuk" in explanation.lower():
        return ProvisionError(
            f"testcontainers' Ryuk reaper could not start ({explanation}); where it cannot "
            "run, set TESTCONTAINERS_RYUK_DISABLED=true (a killed run then leaves its container)"
        )
    return ProvisionError(f"Docker could not start {image!r}: {explanation}")


def _remove(container: Any, config: ContainerConfig, *, report: bool) -> None:
    try:
        container.stop()
    except Exception as exc:
        if report and _is_docker_failure(exc):
            raise ProvisionError(
                f"could not remove the container from {config.image!r} "
                f"({_scrub(_docker_explanation(exc), config)}); testcontainers' Ryuk "
                "reaper removes it when this process ends"
            ) from None
        if report:
            raise


def _is_docker_failure(exc: BaseException) -> bool:
    """Failures of the engine or of the way to it, as opposed to bugs."""
    docker_errors = _import("docker.errors")
    requests_exceptions = _import("requests.exceptions")
    tc_exceptions = _import("testcontainers.core.exceptions")
    return isinstance(
        exc,
        (
            docker_errors.DockerException,
            requests_exceptions.RequestException,
            ConnectionError,
            tc_exceptions.ContainerStartException,
        ),
    )


def _engine_reason(exc: BaseException, where: str) -> str:
    text = " ".join(str(e) + " " + repr(e) for e in _chain(exc))
    if "FileNotFoundError" in text or "No such file or directory" in text:
        return f"no socket at {where.removeprefix('unix://')}"
    if "Connection refused" in text or "ConnectionRefusedError" in text:
        return "connection refused (is the Docker daemon running?)"
    if "PermissionError" in text or "Permission denied" in text:
        return _PERMISSION_DENIED
    if "timed out" in text.lower():
        return "no answer in time"
    return _docker_explanation(exc)


def _docker_explanation(exc: BaseException) -> str:
    explanation = getattr(exc, "explanation", None) or str(exc) or type(exc).__name__
    text = str(explanation).removeprefix("Error while fetching server API version: ")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return redact(first[:300])


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _log_tail(container: Any, config: ContainerConfig, lines: int = 5) -> str:
    try:
        stdout, stderr = container.get_logs()
    except Exception:
        return "(logs unavailable)"
    text = (stdout + stderr).decode("utf-8", "replace")
    tail = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return _scrub(" | ".join(tail), config) or "(none)"


def _scrub(text: str, config: ContainerConfig) -> str:
    return redact(text.replace(config.password, _REDACTED))


def _postgres_container_class() -> Any:
    """testcontainers' PostgresContainer, from its current home or the older one."""
    try:
        module = importlib.import_module("testcontainers.community.postgres")
    except ImportError:
        with warnings.catch_warnings():  # the old path warns once the new one exists
            warnings.simplefilter("ignore", DeprecationWarning)
            module = _import("testcontainers.postgres")
    return module.PostgresContainer


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ProvisionError(f"the Docker provider needs testcontainers: {INSTALL_HINT}") from None
