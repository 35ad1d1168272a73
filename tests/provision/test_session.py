"""Probe sessions: timeouts and identity always set, read-only enforced, errors in one line."""

from __future__ import annotations

import pytest

from schemaprobe.errors import ConnectionFailed, UsageError
from schemaprobe.provision.dsn import parse, redact, with_database
from schemaprobe.provision.session import SessionSettings, connect, server_too_old_message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://app:s3cret@db:5432/prod", "postgresql://app:********@db:5432/prod"),
        (
            "postgres://app:p%40ss@db/prod?sslmode=require",
            "postgres://app:********@db/prod?sslmode=require",
        ),
        ("host=db password=s3cret dbname=prod", "host=db password=******** dbname=prod"),
        ("host=db password='s3 cret' dbname=prod", "host=db password=******** dbname=prod"),
        ("postgresql://app@db/prod", "postgresql://app@db/prod"),
        (
            "error at postgresql://u:pw@h/d: refused",
            "error at postgresql://u:********@h/d: refused",
        ),
    ],
)
def test_redact_hides_every_password_form(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_invalid_dsn_is_a_usage_error_without_the_password() -> None:
    with pytest.raises(UsageError) as info:
        parse("host=db password=s3cret dbname")
    assert "s3cret" not in str(info.value)
    assert str(info.value).startswith("invalid DSN 'host=db password=******** dbname'")


def test_with_database_keeps_other_settings() -> None:
    assert parse(with_database("postgresql://u@h:6543/a?sslmode=disable", "b")) == {
        "user": "u",
        "host": "h",
        "port": "6543",
        "dbname": "b",
        "sslmode": "disable",
    }


def test_probe_session_sets_timeouts_and_application_name(server_dsn: str) -> None:
    settings = SessionSettings(statement_timeout_ms=1234, lock_timeout_ms=567)
    with connect(server_dsn, settings) as conn:
        shown = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in (
                "statement_timeout",
                "lock_timeout",
                "application_name",
                "idle_in_transaction_session_timeout",
                "default_transaction_read_only",
            )
        }
    assert shown == {
        "statement_timeout": "1234ms",
        "lock_timeout": "567ms",
        "application_name": "schemaprobe",
        "idle_in_transaction_session_timeout": "5min",
        "default_transaction_read_only": "off",
    }


def test_read_only_session_is_enforced_by_the_server(server_dsn: str) -> None:
    import psycopg

    with connect(server_dsn, SessionSettings(read_only=True)) as conn:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE must_not_exist (id int)")
        conn.rollback()


def test_unreachable_server_is_one_line() -> None:
    with pytest.raises(ConnectionFailed) as info:
        connect("postgresql://u:hunter2@127.0.0.1:1/db", SessionSettings(connect_timeout_s=2))
    message = str(info.value)
    assert "\n" not in message and "hunter2" not in message
    assert message.startswith("cannot connect to database 'db' at 127.0.0.1:1: ")
    assert "Connection refused" in message


def test_missing_database_is_one_line(server_dsn: str) -> None:
    with pytest.raises(ConnectionFailed) as info:
        connect(with_database(server_dsn, "no_such_db_sp"))
    assert "\n" not in str(info.value)
    assert str(info.value).endswith('database "no_such_db_sp" does not exist')


def test_wrong_credentials_are_one_line_and_redacted(server_dsn: str) -> None:
    params = parse(server_dsn)
    params.update(user="no_such_role_sp", password="hunter2")
    dsn = " ".join(f"{k}={v}" for k, v in params.items())
    with pytest.raises(ConnectionFailed) as info:
        connect(dsn)
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).endswith('role "no_such_role_sp" does not exist')


@pytest.mark.parametrize(("version", "shown"), [(120005, "12"), (90624, "9.6"), (110000, "11")])
def test_server_too_old_message_names_the_version(version: int, shown: str) -> None:
    # No pre-13 server exists on this machine; the live path shares this message.
    assert server_too_old_message("database 'x' at h:5432", version) == (
        f"database 'x' at h:5432 runs PostgreSQL {shown}; schemaprobe needs PostgreSQL 13 or newer"
    )
