"""Spec files as pytest items: collection, node ids, failures, waivers, xdist, junit.

The example project (tests/examples/spec_project) loads ``schema.sql`` and checks it
against ``specs/app.yaml`` (which includes a fragment): one expectation is wrong on
purpose (``heroes.name`` is ``text``, the spec says ``varchar(50)``) and one is waived.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

TEST_DSN = os.environ.get("SCHEMAPROBE_TEST_DSN")
SERVER = ["--schemaprobe-dsn", TEST_DSN] if TEST_DSN else []
RUN = ["--schemaprobe", "--schemaprobe-sql", "schema.sql", *SERVER]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.copy_example("spec_project")
    return pytester


def test_every_expectation_is_an_item_with_a_readable_id(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q", *RUN)
    collected = set(result.stdout.lines)
    assert {
        "specs/app.yaml::public.heroes::table",
        "specs/app.yaml::public.heroes::rls",
        "specs/app.yaml::public.heroes::column[id]",
        "specs/app.yaml::public.heroes::column[name]",
        "specs/app.yaml::public.heroes::check[length(name) > 0]",
        "specs/app.yaml::public.heroes::index[(lower(name))]",
        "specs/app.yaml::public.heroes::policy[Heroes are public]",
        'specs/app.yaml::public."Story ""Arcs"" Ü"::foreign_key[hero_id]',
    } <= collected
    assert "fragments/story.yaml::" not in result.stdout.str()  # a fragment, not a spec


def test_failures_show_have_and_want_with_the_spec_line(project: pytest.Pytester) -> None:
    result = project.runpytest("-rx", *RUN)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)
    result.stdout.re_match_lines(
        [
            r"specs/app.yaml:8: public\.heroes::column\[name\]",
            r"Column type differs",
            r"  expected: +varchar\(50\)",
            r"  actual: +text",
            r"  spec: +specs/app.yaml:8:\d+",
        ]
    )
    out = result.stdout.str()
    assert "Traceback" not in out and "def runtest" not in out
    result.stdout.re_match_lines([r"XFAIL .*policy\[Heroes are public\] - ticket 42"])


def test_k_selects_single_expectations(project: pytest.Pytester) -> None:
    result = project.runpytest("-k", "column and not name", *RUN)
    result.assert_outcomes(passed=3, deselected=8)


def test_node_id_runs_one_item(project: pytest.Pytester) -> None:
    result = project.runpytest("specs/app.yaml::public.heroes::rls", *RUN)
    result.assert_outcomes(passed=1)


def test_items_carry_the_structure_marker(project: pytest.Pytester) -> None:
    result = project.runpytest("-m", "schemaprobe_structure", "--strict-markers", *RUN)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)


def test_stale_waiver_fails(project: pytest.Pytester) -> None:
    spec = project.path / "specs" / "app.yaml"
    spec.write_text(spec.read_text().replace("roles: [authenticated]", "roles: [public]"))
    result = project.runpytest(*RUN)
    result.assert_outcomes(passed=9, failed=2)
    result.stdout.re_match_lines([r".*XPASS\(strict\).*ticket 42"])


def test_missing_table_fails_once_and_skips_its_parts(project: pytest.Pytester) -> None:
    (project.path / "specs" / "more.yaml").write_text(
        "version: 1\ntables:\n  villains:\n    columns: {id: int, name: text}\n"
    )
    result = project.runpytest("specs/more.yaml", "-rs", *RUN)
    result.assert_outcomes(failed=1, skipped=2)
    result.stdout.fnmatch_lines(["*Missing table*", "*table public.villains is missing*"])


def test_bad_spec_is_a_collection_error_with_line_and_suggestion(
    project: pytest.Pytester,
) -> None:
    (project.path / "specs" / "bad.yaml").write_text(
        "version: 1\ntables:\n  heroes:\n    colums: {id: int}\n"
    )
    result = project.runpytest(*RUN)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*specs/bad.yaml:4:5*colums*did you mean 'columns'*"])
    assert "Traceback" not in result.stdout.str()


def test_xdist_distributes_items(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess("-n", "2", *RUN)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)


def test_junit_xml_has_a_testcase_per_expectation(project: pytest.Pytester) -> None:
    result = project.runpytest("--junitxml=out.xml", *RUN)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)
    root = ET.parse(project.path / "out.xml").getroot()
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert len(cases) == 11
    failed = [key for key, case in cases.items() if case.find("failure") is not None]
    assert failed == [("specs.app.yaml.public.heroes", "column[name]")]
    failure = cases[failed[0]].find("failure")
    assert failure is not None
    assert "Column type differs" in (failure.text or "")


def test_specs_ini_globs(project: pytest.Pytester) -> None:
    (project.path / "other").mkdir()
    (project.path / "specs" / "app.yaml").rename(project.path / "other" / "app.yaml")
    (project.path / "specs" / "fragments").rename(project.path / "other" / "fragments")
    project.makeini("[pytest]\nschemaprobe_specs = other/*.yaml\n")
    result = project.runpytest(*RUN)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)


def test_specs_glob_matching_nothing_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--schemaprobe-specs", "nowhere/*.yaml", *RUN)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*nowhere/*.yaml matches no spec file*"])


def test_fixtures_for_hand_written_tests(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".sql",
        schema="""
        CREATE TABLE notes (id int PRIMARY KEY, owner uuid NOT NULL);
        ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own ON notes FOR SELECT TO authenticated USING (owner = auth.uid());
        GRANT SELECT, INSERT ON notes TO authenticated;
        """,
    )
    pytester.makepyfile(
        """
        import uuid

        def test_acting_as_a_user(
            schemaprobe_connection, schemaprobe_acting_as, schemaprobe_catalog
        ):
            conn = schemaprobe_connection
            alice, bob = uuid.uuid4(), uuid.uuid4()
            conn.execute("INSERT INTO notes VALUES (1, %s), (2, %s)", (alice, bob))
            with schemaprobe_acting_as(conn, "authenticated", user_id=str(alice)) as c:
                assert c.execute("SELECT auth.uid()").fetchone()[0] == alice
                assert c.execute("SELECT id FROM notes").fetchall() == [(1,)]
                assert c.execute("SELECT current_user").fetchone()[0] == "authenticated"
            assert conn.execute("SELECT current_user").fetchone()[0] != "authenticated"
            assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 2
            assert any(t.name == "notes" for t in schemaprobe_catalog.tables)
        """
    )
    result = pytester.runpytest(
        "--schemaprobe",
        "--schemaprobe-sql",
        "schema.sql",
        "--schemaprobe-profile",
        "supabase",
        *SERVER,
    )
    result.assert_outcomes(passed=1)


def test_run_from_a_subdirectory(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    project.makeini("[pytest]\n")  # tox.ini at the project root: the rootdir
    (project.path / "sub").mkdir()
    monkeypatch.chdir(project.path / "sub")
    result = project.runpytest("--schemaprobe", "--schemaprobe-sql", "../schema.sql", *SERVER)
    result.assert_outcomes(passed=9, failed=1, xfailed=1)
