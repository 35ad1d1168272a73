"""Isolation items through pytest: ids and markers, a planted leak failing with the world,
the actor and a psql script, the worlds option from the command line and the ini file.

The example project (tests/examples/isolation_project) conforms; tests plant defects
into their copy of ``schema.sql``.
"""

from __future__ import annotations

import os

import psycopg
import pytest

from schemaprobe.provision.supabase import install_supabase_compat

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")
SERVER = ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []
RUN = [
    "--schemaprobe",
    "--schemaprobe-sql",
    "schema.sql",
    "--schemaprobe-profile",
    "supabase",
    "--schemaprobe-properties",
    *SERVER,
]
ITEMS = [
    f"specs/app.yaml::public.notes::rls_property[{c}]"
    for c in ("select", "insert", "update", "delete")
]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.copy_example("isolation_project")
    return pytester


def test_one_item_per_command_under_the_rls_marker(project: pytest.Pytester) -> None:
    collected = project.runpytest(*RUN, "-m", "schemaprobe_rls", "--collect-only", "-q")
    assert [line for line in collected.outlines if "rls_property" in line] == ITEMS
    result = project.runpytest(*RUN, "-m", "schemaprobe_rls", "-v")
    result.assert_outcomes(passed=4)


def test_a_leak_fails_with_the_world_the_actor_and_a_script(project: pytest.Pytester) -> None:
    schema = project.path / "schema.sql"
    text = schema.read_text()
    old = "USING ((select auth.uid()) = user_id OR is_public);"
    assert old in text
    schema.write_text(text.replace(old, "USING (true);"))
    result = project.runpytest(*RUN, "-m", "schemaprobe_rls")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*specs/app.yaml:2: public.notes::rls_property[[]select[]]",
            "RLS isolation property fails: an actor sees other rows than the tenancy model allows",
            "  object:    table public.notes",
            "  promise:   SELECT: users own + is_public rows, anon none, service_role all"
            " (owner user_id)",
            "  spec:      specs/app.yaml:2:1",
            "  principals: user 1 = 00000000-0000-4000-8000-000000000001, user 2 = *",
            "  world:      row 1 (user 1's), key *",
            "              row 2 (user 2's), key *",
            "  actor:      user 1 (role authenticated)",
            '  statement:  SELECT pg_catalog.concat_ws(pg_catalog.chr(31), "id"::text)'
            ' FROM "public"."notes"',
            "  spec:      sees row 1 (user 1's)",
            "  database:  sees row 1 (user 1's), row 2 (user 2's)",
            "Reproduce with:",
            "    BEGIN;",
            '    INSERT INTO "public"."notes" *',
            '    SET LOCAL ROLE "authenticated"; SELECT pg_catalog.set_config(*',
            "    ROLLBACK;",
            "* worlds (0 discarded), seed *; --hypothesis-seed changes the seeds",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_worlds_from_the_command_line_and_the_ini_file(project: pytest.Pytester) -> None:
    junit = project.path / "junit.xml"
    result = project.runpytest(
        *RUN, "-m", "schemaprobe_rls", "--schemaprobe-worlds", "7", f"--junitxml={junit}"
    )
    result.assert_outcomes(passed=4)
    assert junit.read_text().count('name="max_examples" value="7"') == 4
    project.makeini("[pytest]\nschemaprobe_worlds = 3\n")
    result = project.runpytest(*RUN, "-m", "schemaprobe_rls", f"--junitxml={junit}")
    result.assert_outcomes(passed=4)
    assert junit.read_text().count('name="max_examples" value="3"') == 4
    bad = project.runpytest(*RUN, "--schemaprobe-worlds", "0")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*invalid example count '0'; give a whole number >= 1*"])


def test_a_waived_table_is_xfailed_and_strict(project: pytest.Pytester) -> None:
    spec = project.path / "specs" / "app.yaml"
    spec.write_text(
        spec.read_text().replace(
            "  public: is_public\n", "  public: is_public\n  xfail: notes are shared by design\n"
        )
    )
    result = project.runpytest(*RUN, "-m", "schemaprobe_rls")
    # the table conforms: a waiver that no longer holds fails (strict), as structural ones do
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(["*XPASS(strict)*notes are shared by design*"])


def _checksum(dsn: str) -> tuple[object, ...]:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT md5(string_agg(n::text, ',' ORDER BY n.id)) FROM public.notes n),"
            " (SELECT md5(string_agg(u.id::text, ',' ORDER BY u.id)) FROM auth.users u),"
            " (SELECT count(*) FROM pg_roles),"
            " (SELECT string_agg(s.last_value::text, ',' ORDER BY s.sequencename)"
            "  FROM pg_sequences s)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_a_dsn_target_with_data_is_left_exactly_as_it_was(
    project: pytest.Pytester, scratch_dsn: str
) -> None:
    """Against a DSN (no clone) the items run in the target, rolled back; the table holds
    rows of its own, so UPDATE and DELETE are limited to the world's keys. A planted leak
    makes shrinking and the script rendering run too; afterwards every row is as it was."""
    schema = (project.path / "schema.sql").read_text()
    leaky = schema.replace("USING ((select auth.uid()) = user_id OR is_public);", "USING (true);")
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        install_supabase_compat(conn)
        conn.execute(leaky.encode())
        conn.execute(
            "INSERT INTO auth.users (id) VALUES ('11111111-1111-4111-8111-111111111111');"
            "INSERT INTO public.notes (user_id, body) VALUES"
            " ('11111111-1111-4111-8111-111111111111', 'kept'),"
            " ('11111111-1111-4111-8111-111111111111', 'kept too')"
        )
    before = _checksum(scratch_dsn)
    run = ["--schemaprobe", "--schemaprobe-properties", "--schemaprobe-dsn", scratch_dsn]
    result = project.runpytest(*run, "-m", "schemaprobe_rls")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*database:  sees row 1 (user 1's), row 2 (user 2's)"])
    assert _checksum(scratch_dsn) == before


def test_a_waiver_per_command(project: pytest.Pytester) -> None:
    """A breach of one command waived on its own: that item xfails, the others pass."""
    schema = project.path / "schema.sql"
    text = schema.read_text()
    schema.write_text(
        text.replace("USING ((select auth.uid()) = user_id OR is_public);", "USING (true);")
    )
    spec = project.path / "specs" / "app.yaml"
    spec.write_text(
        spec.read_text().replace(
            "  public: is_public\n",
            "  public: is_public\n  xfail: {select: every signed-in user reads every note}\n",
        )
    )
    result = project.runpytest(*RUN, "-m", "schemaprobe_rls", "-rx")
    result.assert_outcomes(passed=3, xfailed=1)
    result.stdout.fnmatch_lines(
        ["*XFAIL*rls_property?select?*every signed-in user reads every note*"]
    )
