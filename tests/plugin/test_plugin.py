"""The pytest plugin, tested through pytest itself (pytester)."""

from __future__ import annotations

import os
import re

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")


@pytest.fixture
def server_args() -> list[str]:
    """Inner runs use the same server as the outer suite: embedded, or SCHEMAPROBE_TEST_DSN's."""
    return ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []


def test_inert_without_the_flag(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_heavy_imported():
            assert "psycopg" not in sys.modules
            assert "schemaprobe.plugin.fixtures" not in sys.modules

        def test_fixtures_absent(request):
            import pytest
            with pytest.raises(pytest.FixtureLookupError):
                request.getfixturevalue("schemaprobe_dsn")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    assert "schemaprobe:" not in result.stdout.str()


def test_help_lists_the_option_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "schemaprobe: test a PostgreSQL database's promises:",
            "  --schemaprobe*Enable schemaprobe*",
            "  --schemaprobe-dsn=DSN*",
            "  --schemaprobe-sql=PATH*",
            "  --schemaprobe-profile=NAME*",
            "  --schemaprobe-provider=NAME*",
            "  --schemaprobe-pg-bin=DIR*",
            "  --schemaprobe-docker-image=IMAGE*",
            "  --schemaprobe-schema=PATTERN*",
        ]
    )
    result.stdout.fnmatch_lines(["*schemaprobe_dsn (string):*", "*schemaprobe_sql (paths):*"])


def test_sql_from_the_command_line(pytester: pytest.Pytester, server_args: list[str]) -> None:
    pytester.copy_example("basic")
    result = pytester.runpytest("--schemaprobe", "--schemaprobe-sql", "schema.sql", *server_args)
    result.assert_outcomes(passed=3)
    expected = "dsn" if TEST_DSN else "embedded"
    result.stdout.fnmatch_lines([f"schemaprobe: provider={expected}*sql=1 path(s)"])


def test_settings_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.copy_example("basic")
    dsn_line = f'schemaprobe_dsn = "{TEST_DSN}"' if TEST_DSN else ""
    pytester.makepyprojecttoml(
        f"""
        [tool.pytest.ini_options]
        schemaprobe = true
        schemaprobe_sql = ["schema.sql"]
        {dsn_line}
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=3)


def test_command_line_wins_over_ini_and_env(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, server_args: list[str]
) -> None:
    pytester.copy_example("basic")
    (pytester.path / "broken.sql").write_text("CREATE TABLE oops (;\n")
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        schemaprobe_sql = ["broken.sql"]
        """
    )
    monkeypatch.setenv("SCHEMAPROBE_DSN", "postgresql://nobody:pw@127.0.0.1:1/none")
    if not server_args:
        # The env DSN must lose to an explicit provider on the command line.
        server_args = ["--schemaprobe-provider", "embedded"]
    result = pytester.runpytest("--schemaprobe", "--schemaprobe-sql", "schema.sql", *server_args)
    result.assert_outcomes(passed=3)


def test_env_dsn_is_used_and_redacted_on_failure(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.copy_example("basic")
    monkeypatch.setenv("SCHEMAPROBE_DSN", "postgresql://app:hunter2@127.0.0.1:1/prod")
    result = pytester.runpytest("--schemaprobe", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=3)
    out = result.stdout.str()
    assert "hunter2" not in out
    result.stdout.fnmatch_lines(
        ["*schemaprobe: cannot connect to database 'prod' at 127.0.0.1:1: *"]
    )
    assert "Traceback" not in out and "open_target" not in out


def test_bad_sql_fails_with_file_and_line_not_a_traceback(
    pytester: pytest.Pytester, server_args: list[str]
) -> None:
    pytester.copy_example("basic")
    (pytester.path / "broken.sql").write_text("CREATE TABLE fine (id int);\nCREATE TABLE oops (;\n")
    result = pytester.runpytest("--schemaprobe", "--schemaprobe-sql", "broken.sql", *server_args)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(['*schemaprobe: broken.sql:2: syntax error at or near ";"'])
    assert "Traceback" not in result.stdout.str()


def test_invalid_ini_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nschemaprobe_provider = podman\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*schemaprobe_provider = 'podman' is not valid; valid values are: embedded, dsn, docker"]
    )


def test_invalid_command_line_value_names_the_valid_ones(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--schemaprobe-profile", "firebase")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*invalid profile 'firebase'; valid values are: supabase*"])


def test_xdist_workers_each_get_their_own_databases(
    pytester: pytest.Pytester, server_args: list[str]
) -> None:
    pytester.copy_example("basic")
    pytester.makepyfile(
        test_many="""
        import psycopg, pytest

        @pytest.mark.parametrize("n", range(6))
        def test_write(schemaprobe_clone, n):
            with psycopg.connect(schemaprobe_clone) as conn:
                conn.execute("INSERT INTO heroes (name) VALUES ('x')")
                assert conn.execute("SELECT count(*) FROM heroes").fetchone() == (1,)
        """
    )
    result = pytester.runpytest_subprocess(
        "-n", "2", "--schemaprobe", "--schemaprobe-sql", "schema.sql", *server_args
    )
    result.assert_outcomes(passed=9)
    assert re.search(r"created: 2/2 workers", result.stdout.str())
