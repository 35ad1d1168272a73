"""The Docker provider: its decisions without Docker, its failures for real, a live start.

No fake Docker client here: the configuration and URL conversion are pure functions,
the "no engine" errors come from real sockets that are absent or refuse, and the live
tests skip (saying why) where no engine answers.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from psycopg import conninfo

from schemaprobe.errors import ProvisionError, UsageError
from schemaprobe.provision.docker import (
    DEFAULT_IMAGE,
    check_docker_engine,
    container_config,
    docker_server,
    is_supabase_image,
    libpq_dsn,
)
from schemaprobe.provision.dsn import redact
from schemaprobe.provision.session import connect
from schemaprobe.provision.supabase import has_auth_schema, install_supabase_compat

SUPABASE_IMAGE_ENV = "SCHEMAPROBE_TEST_SUPABASE_IMAGE"


def engine_or_skip() -> None:
    try:
        check_docker_engine()
    except ProvisionError as exc:
        pytest.skip(f"no Docker engine: {exc}")


# -- configuration: pure decisions -------------------------------------------------


def test_official_image_runs_as_postgres_with_throwaway_settings() -> None:
    config = container_config(DEFAULT_IMAGE, "s3cret")
    assert DEFAULT_IMAGE == "postgres:18-alpine"
    assert (config.image, config.username, config.dbname, config.port) == (
        "postgres:18-alpine",
        "postgres",
        "postgres",
        5432,
    )
    assert config.env == {
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "s3cret",
        "POSTGRES_DB": "postgres",
    }
    assert config.command == (
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
    )  # fmt: skip
    # TCP on 127.0.0.1: the entrypoint's temporary init server listens on the socket only.
    assert config.ready_command[:5] == ("pg_isready", "-q", "-h", "127.0.0.1", "-p")


def test_supabase_image_keeps_its_superuser_database_and_command() -> None:
    config = container_config("supabase/postgres:15.8.1.060", "s3cret")
    assert config.username == "supabase_admin"
    assert config.dbname == "postgres"
    assert config.command is None  # the image's own: postgres -D /etc/postgresql
    assert config.env["POSTGRES_USER"] == "supabase_admin"
    assert config.env["POSTGRES_PASSWORD"] == "s3cret"


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("supabase/postgres:15.8.1.060", True),
        ("supabase/postgres", True),
        ("public.ecr.aws/supabase/postgres:17.4.1.054", True),
        ("localhost:5000/supabase/postgres:15.1", True),
        ("supabase/postgres@sha256:0123abcd", True),
        ("Supabase/Postgres:15", True),
        ("postgres:18-alpine", False),
        ("supabase/postgres-meta:v0.80.0", False),
        ("notsupabase/postgres:15", False),
        ("localhost:5000/postgres:16", False),
    ],
)
def test_supabase_images_are_recognised(image: str, expected: bool) -> None:
    assert is_supabase_image(image) is expected


def test_password_stays_out_of_the_config_repr() -> None:
    assert "s3cret" not in repr(container_config("postgres:16", "s3cret"))


def test_empty_image_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="image name is empty"):
        container_config("  ", "pw")


# -- testcontainers' URL -> libpq DSN ----------------------------------------------


def test_driver_url_becomes_a_libpq_dsn() -> None:
    dsn = libpq_dsn("postgresql+psycopg2://test:test@localhost:55012/test")
    assert conninfo.conninfo_to_dict(dsn) == {
        "host": "localhost",
        "port": "55012",
        "user": "test",
        "password": "test",
        "dbname": "test",
    }
    assert libpq_dsn("postgresql://u:p@127.0.0.1:5/db") == (
        "host=127.0.0.1 port=5 user=u password=p dbname=db"
    )


@pytest.mark.parametrize("password", ["p@ss", "a b", "x+y", "%41", "ü/ß", "a:b/c?d#e", "it's"])
def test_passwords_survive_testcontainers_quoting(password: str) -> None:
    # testcontainers builds the URL with quote(password, safe=" +"): mirror that exactly.
    url = f"postgresql+psycopg2://postgres:{quote(password, safe=' +')}@localhost:5432/postgres"
    dsn = libpq_dsn(url)
    assert conninfo.conninfo_to_dict(dsn)["password"] == password
    assert password not in redact(dsn)


def test_ipv6_host() -> None:
    assert conninfo.conninfo_to_dict(libpq_dsn("postgresql://u:p@[::1]:5433/db"))["host"] == "::1"


@pytest.mark.parametrize(
    "url", ["mysql://u:s3cret@localhost:3306/db", "postgresql://u:s3cret@:5432/db", "nonsense"]
)
def test_unexpected_urls_are_refused_without_the_password(url: str) -> None:
    with pytest.raises(ProvisionError, match="unexpected connection URL") as info:
        libpq_dsn(url)
    assert "s3cret" not in str(info.value)


# -- failures before anything starts -----------------------------------------------


def test_no_socket_at_docker_host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "docker.sock"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{missing}")
    with pytest.raises(ProvisionError) as info:
        check_docker_engine()
    message = str(info.value)
    assert message.startswith(f"Docker engine not reachable at unix://{missing}: no socket at")
    assert "\n" not in message


def test_daemon_not_running_behind_the_socket(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A socket file nobody listens on: what a stopped daemon leaves behind.
    path = tmp_path / "docker.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
        dead.bind(str(path))
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        with pytest.raises(ProvisionError, match=r"connection refused \(is the Docker daemon"):
            check_docker_engine()


def test_nothing_listening_on_a_tcp_docker_host(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:  # a free port: bind, read it, close
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{port}")
    with pytest.raises(ProvisionError, match=rf"at tcp://127.0.0.1:{port}: connection refused"):
        check_docker_engine()


def test_docker_server_fails_in_one_line_without_an_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'docker.sock'}")
    with pytest.raises(ProvisionError, match="engine not reachable") as info, docker_server():
        pytest.fail("no container can start without an engine")
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_this_machine_as_it_is() -> None:
    """Here only the docker client is installed: the check must say so in one line."""
    try:
        where = check_docker_engine()
    except ProvisionError as exc:
        assert str(exc).startswith("Docker engine not reachable at ")
        assert "start Docker" in str(exc)
    else:
        assert where


def test_missing_testcontainers_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the package were not installed.
    for name in ("testcontainers", "testcontainers.community.postgres", "testcontainers.postgres"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ProvisionError, match=r"install schemaprobe\[docker\]"), docker_server():
        pytest.fail("unreachable")


def test_startup_timeout_must_be_positive() -> None:
    with pytest.raises(UsageError, match="startup_timeout"), docker_server(startup_timeout=0):
        pytest.fail("unreachable")


# -- live: only where an engine answers ---------------------------------------------


@pytest.fixture
def docker_engine() -> Iterator[None]:
    engine_or_skip()
    yield


@pytest.mark.slow
@pytest.mark.usefixtures("docker_engine")
def test_live_container_answers_and_is_removed() -> None:
    with docker_server(DEFAULT_IMAGE) as server:
        assert server.kind == "docker"
        assert server.major_version == 18
        password = conninfo.conninfo_to_dict(server.dsn)["password"]
        assert isinstance(password, str)
        assert password not in str(server)
        with connect(server.dsn, autocommit=True) as conn:
            row = conn.execute("SELECT 1").fetchone()
            assert row == (1,)
        dsn = server.dsn
    with pytest.raises(ProvisionError):
        connect(dsn).close()


@pytest.mark.slow
@pytest.mark.usefixtures("docker_engine")
def test_live_supabase_image_has_auth_and_refuses_the_profile() -> None:
    image = os.environ.get(SUPABASE_IMAGE_ENV)
    if not image:
        pytest.skip(f"set {SUPABASE_IMAGE_ENV}=supabase/postgres:<tag> to run (a large image)")
    with docker_server(image, startup_timeout=240) as server, connect(server.dsn) as conn:
        assert has_auth_schema(conn)
        with pytest.raises(ProvisionError, match="already has an `auth` schema"):
            install_supabase_compat(conn)
