"""Property items through pytest: ids beside the structural items, planted changes failing
with runnable counterexamples, the examples option, seeds, and a DSN target left as it was.

The example project (tests/examples/property_project) conforms; tests plant changes into
their copy of ``schema.sql``.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import psycopg
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")
SERVER = ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []
STRUCTURE_ONLY = ["--schemaprobe", "--schemaprobe-sql", "schema.sql", *SERVER]
RUN = [*STRUCTURE_ONLY, "--schemaprobe-properties"]
PROPERTIES = ["-m", "schemaprobe_property"]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.copy_example("property_project")
    return pytester


def _plant(project: pytest.Pytester, *changes: tuple[str, str]) -> None:
    schema = project.path / "schema.sql"
    text = schema.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    schema.write_text(text)


def test_property_items_are_opt_in(project: pytest.Pytester) -> None:
    without = project.runpytest("--collect-only", "-q", *STRUCTURE_ONLY)
    assert "_property[" not in without.stdout.str()
    assert "::check[" in without.stdout.str()
    project.makeini("[pytest]\nschemaprobe_properties = true\n")
    by_ini = project.runpytest("--collect-only", "-q", *STRUCTURE_ONLY)
    assert "check_property[window_order]" in by_ini.stdout.str()


def test_property_items_sit_beside_the_structural_ones(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q", *RUN)
    collected = set(result.stdout.lines)
    jobs = "specs/app.yaml::public.jobs::"
    assert {
        f"{jobs}check[window_order]",
        f"{jobs}check_property[window_order]",
        f"{jobs}check_property[status IN ('queued', 'running', 'done')]",
        f"{jobs}check_property[retry_count >= 0 AND retry_count <= 5]",
        f"{jobs}nullable_property[account_id]",
        f"{jobs}nullable_property[status]",
        f"{jobs}nullable_property[title]",
        f"{jobs}foreign_key_property[account_id]",
        f"{jobs}on_delete_property[account_id]",
        "specs/app.yaml::public.accounts::nullable_property[name]",
    } <= collected


def test_a_conforming_database_passes_every_property(project: pytest.Pytester) -> None:
    default = _junit(project)  # default settings: 100 examples per item
    assert {p["max_examples"] for p in default.values()} == {"100"}
    # CHECKs: their edges, then Hypothesis; NOT NULL: decided by NULL and one valid value
    checks = {n: p for n, p in default.items() if "check_property" in n}
    assert checks and all(int(p["examples"]) >= 100 for p in checks.values())
    nulls = [p for n, p in default.items() if "nullable_property" in n]
    assert nulls and all(1 <= int(p["examples"]) <= 2 for p in nulls)
    # a reference: its edges, then Hypothesis; an ON DELETE action: one example decides
    assert int(default["foreign_key_property[account_id]"]["examples"]) >= 100
    assert default["on_delete_property[account_id]"]["examples"] == "1"


def test_planted_changes_fail_with_a_runnable_counterexample(project: pytest.Pytester) -> None:
    _plant(
        project,
        ("BETWEEN 0 AND 5", "BETWEEN 0 AND 6"),
        ("'running', 'done'", "'running', 'done', 'paused'"),
        ("title text NOT NULL", "title text"),
        ("account_id bigint NOT NULL", "account_id bigint"),
    )
    result = project.runpytest(*PROPERTIES, "--schemaprobe-examples", "50", *RUN)
    result.assert_outcomes(passed=5, failed=4, deselected=15)
    result.stdout.re_match_lines(
        [
            r"specs/app.yaml:12: public\.jobs::check_property\[retry_count >= 0 AND .*\]",
            r"CHECK property fails: the database accepts a row the spec rejects",
            r"  promise: +CHECK \(retry_count >= 0 AND retry_count <= 5\)",
            r"  spec: +specs/app.yaml:12:\d+",
            r"  row: +retry_count = '6'",
            r"  spec: +rejects",
            r"  database: +accepts",
            r"Reproduce with:",
            r" +BEGIN;",
            r' +INSERT INTO "public"."accounts" .*OVERRIDING SYSTEM VALUE VALUES .*;',
            r' +INSERT INTO "public"."jobs" \(.*"retry_count".*\) OVERRIDING SYSTEM VALUE .*;',
            r" +ROLLBACK;",
        ]
    )
    result.stdout.re_match_lines([r"  row: +status = 'paused'"])
    result.stdout.re_match_lines([r"NOT NULL property fails.*", r".*", r".*title NOT NULL"])
    result.stdout.re_match_lines([r"  row: +account_id = NULL"])
    assert "Traceback" not in result.stdout.str()


def test_planted_cascade_change_fails_with_the_delete_that_shows_it(
    project: pytest.Pytester,
) -> None:
    _plant(project, ("ON DELETE CASCADE", "ON DELETE SET NULL"))
    on_delete = "specs/app.yaml::public.jobs::on_delete_property[account_id]"
    result = project.runpytest(on_delete, *RUN)
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"specs/app.yaml:\d+: public\.jobs::on_delete_property\[account_id\]",
            r"ON DELETE property fails: the database does not do what the spec says",
            r"  promise: +FOREIGN KEY \(account_id\) \.\.\. ON DELETE CASCADE",
            r"  spec: +deleting the parent row deletes the child row",
            r"  database: +deleting the parent row fails \(23502: .*\)",
            r"Reproduce with:",
            r' +INSERT INTO "public"."accounts" .*;',
            r' +INSERT INTO "public"."jobs" .*;',
            r' +DELETE FROM "public"."accounts" WHERE "id" = \'1\';',
            r" +ROLLBACK;",
        ]
    )


def _junit(project: pytest.Pytester, *args: str) -> dict[str, dict[str, str]]:
    result = project.runpytest("--junitxml=out.xml", *PROPERTIES, *args, *RUN)
    result.assert_outcomes(passed=9, deselected=15)
    root = ET.parse(project.path / "out.xml").getroot()
    found: dict[str, dict[str, str]] = {}
    for case in root.iter("testcase"):
        props = {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        found[case.get("name", "")] = props
    return found


def test_examples_per_item_from_ini_and_command_line_and_the_seed(
    project: pytest.Pytester,
) -> None:
    project.makeini("[pytest]\nschemaprobe_examples = 9\n")
    from_ini = _junit(project)
    assert {p["max_examples"] for p in from_ini.values()} == {"9"}
    assert all(9 <= int(p["examples"]) < 100 for n, p in from_ini.items() if "check_" in n)
    from_cli = _junit(project, "--schemaprobe-examples", "7")  # the command line wins
    assert {p["max_examples"] for p in from_cli.values()} == {"7"}
    assert len({p["seed"] for p in from_cli.values()}) == len(from_cli)  # one seed per item
    assert {p["seed"] for p in from_cli.values()} == {p["seed"] for p in from_ini.values()}
    seeded = _junit(project, "--schemaprobe-examples", "7", "--hypothesis-seed", "42")
    assert not {p["seed"] for p in seeded.values()} & {p["seed"] for p in from_cli.values()}


def test_bad_example_count_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--schemaprobe-examples", "0", *RUN)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*invalid example count '0'*"])


def _checksum(dsn: str) -> tuple[object, ...]:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) FROM accounts a),"
            " (SELECT md5(string_agg(j::text, ',' ORDER BY j.id)) FROM jobs j),"
            " (SELECT string_agg(s.last_value::text, ',' ORDER BY s.sequencename)"
            "  FROM pg_sequences s)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_a_dsn_target_is_left_exactly_as_it_was(project: pytest.Pytester, scratch_dsn: str) -> None:
    """Against a database named by a DSN (no clone possible) every item runs in a rolled-back
    transaction: data and sequences are the same after a full run (planted changes
    included, so shrinking and the counterexample rendering run too)."""
    _plant(project, ("BETWEEN 0 AND 5", "BETWEEN 0 AND 6"))
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute((project.path / "schema.sql").read_text())  # type: ignore[call-overload]
        conn.execute("INSERT INTO accounts (name) VALUES ('a'), ('b')")
        conn.execute(
            "INSERT INTO jobs (account_id, title, retry_count) VALUES (1, 'x', 3), (2, 'y', 6)"
        )
    before = _checksum(scratch_dsn)
    run = ["--schemaprobe", "--schemaprobe-properties", "--schemaprobe-dsn", scratch_dsn]
    run += ["--schemaprobe-examples", "30"]
    result = project.runpytest(*PROPERTIES, *run)
    result.assert_outcomes(passed=8, failed=1, deselected=15)
    assert _checksum(scratch_dsn) == before


def test_the_row_factory_fixture_in_a_hand_written_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_rows="""
        from hypothesis import given, settings
        from schemaprobe.introspect import QualifiedName
        from schemaprobe.properties import insert_rowset

        def test_jobs_go_in_with_their_account(schemaprobe_rows, schemaprobe_connection):
            conn = schemaprobe_connection

            @settings(max_examples=20, derandomize=True, database=None, deadline=None)
            @given(schemaprobe_rows.rows(QualifiedName("public", "jobs")))
            def insert(rowset):
                with conn.transaction(force_rollback=True):
                    values = insert_rowset(conn, rowset)
                    assert values["status"] in ("queued", "running", "done")
                    count = "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM jobs)"
                    assert conn.execute(count).fetchone() == (1, 1)

            insert()
        """
    )
    result = project.runpytest("test_rows.py", *RUN)
    result.assert_outcomes(passed=1)


def test_hypothesis_example_database_keeps_each_items_failure(project: pytest.Pytester) -> None:
    """A CHECK the steering cannot read (``lower(title) = title``) is left to Hypothesis'
    random rows; the failure it finds is filed in the profile's example database under
    the item, and replayed first next run (as Hypothesis does, not under
    ``--hypothesis-seed``, which asks for a fresh search).

    Hypothesis loads its ``ci`` profile (``database=None``) on a CI machine (``CI`` set):
    the default profile, named here, is the one under test."""
    spec = project.path / "specs" / "app.yaml"
    spec.write_text(
        spec.read_text().replace(
            "      - {name: window_order",
            "      - {name: title_lower, expression: lower(title) = title}\n"
            "      - {name: window_order",
        )
    )
    item = "specs/app.yaml::public.jobs::check_property[title_lower]"
    run = (item, *RUN, "--hypothesis-profile", "default")
    first = project.runpytest_subprocess(*run, "--schemaprobe-examples", "30")
    first.assert_outcomes(failed=1)
    saved = [p for p in (project.path / ".hypothesis" / "examples").rglob("*") if p.is_file()]
    assert saved, "the failure was not saved"
    row = [line for line in first.stdout.lines if line.startswith("  row:")]
    # replayed first: the same shrunk row at once, no search, even with one example asked
    again = project.runpytest_subprocess(*run, "--schemaprobe-examples", "1")
    again.assert_outcomes(failed=1)
    assert [line for line in again.stdout.lines if line.startswith("  row:")] == row
    # the failure's own text (a CI machine's short summary repeats it untruncated)
    count = next(int(line.split()[0]) for line in again.stdout.lines if " examples (" in line)
    before = next(int(line.split()[0]) for line in first.stdout.lines if " examples (" in line)
    assert count < before / 4, (count, before)
