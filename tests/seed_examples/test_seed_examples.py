"""The five seed systems as runnable examples: clean passes, every drift is caught exactly.

For each ``examples/<system>/``: the clean schema conforms to its specs (only the items
the document itself contradicts are waived); each ``drift/*.sql``, applied alone to a
copy of the clean schema, makes exactly the items ``drift/expected.yaml`` lists fail, and
each failure report names the object; ``pytest --schemaprobe`` inside the folder and the
README's ``schemaprobe check`` command agree. The schema is loaded once per example into
a template database; every drift runs on its own clone of it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
import pytest

from schemaprobe.compare.engine import canonicalizer_for, compare_specs
from schemaprobe.findings import ItemResult
from schemaprobe.introspect import read_catalog
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.provision.session import connect
from schemaprobe.provision.sqlfile import apply_sql_files
from schemaprobe.report.render import outcome
from schemaprobe.report.text import format_item_failure, render_text
from schemaprobe.rules.configured import evaluate_spec_rules
from schemaprobe.spec.load import load_specs
from tests.seed_examples.examples import EXAMPLES_ROOT, Drift, Example, discover

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

EXAMPLES = discover()
SYSTEMS = {"otakon", "infinitestories", "aethercrown98", "littlemonster", "promptcraft"}
DRIFTS = [(example, drift) for example in EXAMPLES for drift in example.drifts]


TemplateOf = Callable[[Example], str]


@pytest.fixture(scope="session")
def template_of(scratch_databases: ScratchDatabases) -> TemplateOf:
    """Example -> a template database holding its clean schema, loaded once per session."""
    built: dict[str, str] = {}

    def template(example: Example) -> str:
        if example.name not in built:
            built[example.name] = scratch_databases.template_from_sql(
                [example.schema], profile=example.profile
            )
        return built[example.name]

    return template


def _check(example: Example, dsn: str, monkeypatch: pytest.MonkeyPatch) -> list[ItemResult]:
    """What ``schemaprobe check specs`` run inside the example folder reports for ``dsn``:
    structure, and the rules the specs switch on."""
    monkeypatch.chdir(example.folder)
    specs = load_specs(["specs"])
    with connect(dsn) as conn:
        catalog = read_catalog(conn, profile=example.profile, parallel_dsn=dsn)
        results = compare_specs(specs, catalog, canonicalizer_for(conn, specs))
        conn.rollback()
        rules = evaluate_spec_rules(specs, catalog, conn=conn, profile=example.profile)
    return results + rules.results


def _object_named_by(item_id: str) -> str | None:
    """The object an item id names: the table of a table's item (``public.stories``), the
    name in brackets of a top-level item (``function[public.f()]``), else ``None``."""
    parts = item_id.split("::")
    if len(parts) == 3 and parts[1] != "rules":  # a rule item names no one object
        return parts[1]
    match = re.fullmatch(r"[a-z_]+\[(.+)\]", parts[-1])
    return match[1] if match else None


def _ids(results: Sequence[ItemResult], *states: str) -> set[str]:
    return {r.id for r in results if outcome(r) in states}


def test_all_five_seed_systems_are_examples() -> None:
    assert {example.name for example in EXAMPLES} == SYSTEMS
    for example in EXAMPLES:
        assert len(example.drifts) >= 5, f"{example.name}: fewer than 5 drifts"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_clean_schema_conforms(
    example: Example,
    scratch_databases: ScratchDatabases,
    template_of: TemplateOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with scratch_databases.database(template=template_of(example)) as dsn:
        results = _check(example, dsn, monkeypatch)
    failing = [r for r in results if outcome(r) in ("failed", "stale")]
    assert not failing, render_text(failing)
    assert _ids(results, "waived") == example.waived_when_clean
    assert len(results) > 20, "a spec this small promises too little"


@pytest.mark.parametrize(
    ("example", "drift"), DRIFTS, ids=[f"{e.name}/{d.file.stem}" for e, d in DRIFTS]
)
def test_drift_fails_exactly_the_expected_items(
    example: Example,
    drift: Drift,
    scratch_databases: ScratchDatabases,
    template_of: TemplateOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with scratch_databases.database(template=template_of(example)) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            apply_sql_files(conn, [drift.file])
        results = _check(example, dsn, monkeypatch)
    failing = {r.id: r for r in results if outcome(r) in ("failed", "stale")}
    assert set(failing) == set(drift.fails), render_text(list(failing.values()))
    for item_id, text in drift.fails.items():
        report = format_item_failure(failing[item_id])
        assert text in report, f"{item_id}: {text!r} not in\n{report}"
        named = _object_named_by(item_id)
        if named is not None:
            objects = [finding.object for finding in failing[item_id].findings]
            assert any(named in o for o in objects) or named in report, (
                f"{item_id}: no finding names {named!r}: {objects}"
            )
    # the waived contradictions stay waived (or fail, when the drift touches them)
    assert example.waived_when_clean <= _ids(results, "waived") | set(failing)


def _run_plugin(
    pytester: pytest.Pytester, example: Example, server_dsn: str, *sql: str
) -> pytest.RunResult:
    shutil.copytree(example.folder, pytester.path, dirs_exist_ok=True)
    sql_args = [arg for path in sql for arg in ("--schemaprobe-sql", path)]
    return pytester.runpytest(
        "--schemaprobe", "--schemaprobe-dsn", server_dsn, "-p", "no:cacheprovider", *sql_args
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_pytest_inside_the_example_folder_passes(
    example: Example, pytester: pytest.Pytester, server_dsn: str
) -> None:
    result = _run_plugin(pytester, example, server_dsn)
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) > 20
    assert outcomes.get("xfailed", 0) == len(example.waived_when_clean)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_pytest_fails_the_items_the_cli_expects(
    example: Example, pytester: pytest.Pytester, server_dsn: str
) -> None:
    drift = example.drifts[0]
    result = _run_plugin(pytester, example, server_dsn, "schema", f"drift/{drift.file.name}")
    failed = {report.nodeid for report in result.reprec.getfailures()}  # type: ignore[attr-defined]
    assert failed == set(drift.fails), result.stdout.str()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_readme_command_checks_the_example(
    example: Example,
    server_dsn: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from schemaprobe.cli import main

    folder = Path("examples") / example.name
    profile = ["--profile", example.profile] if example.profile else []
    command = f"schemaprobe check {folder}/specs --sql {folder}/schema"
    assert command in (example.folder / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(EXAMPLES_ROOT.parent)
    code = main(
        ["check", f"{folder}/specs", "--sql", f"{folder}/schema", *profile, "--dsn", server_dsn]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert " passed" in out.splitlines()[-1]
