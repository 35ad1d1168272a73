"""The seed examples' specs as property tests (issue 6): inside each example folder,
``pytest --schemaprobe --schemaprobe-properties`` passes every property item on the
clean schema, and the drifts that change behaviour (a bound moved, an IN member added,
CASCADE/SET NULL swapped, UNIQUE dropped, the updated_at trigger dropped) fail their
property items with a counterexample.

Kept to CI's budget: few examples per item (the edge rows run whatever the count), and
the drifts of one example applied together in one run, only their items selected.
"""

from __future__ import annotations

import shutil

import pytest

from tests.seed_examples.examples import Example, discover

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

EXAMPLES = discover()
EXAMPLES_FEW = "5"

#: example -> drift files -> the property items they make fail, and a text of the report
DRIFT_PROPERTIES: dict[str, dict[str, dict[str, str]]] = {
    "infinitestories": {
        "illustrations_retry_bound_moved.sql": {
            "public.story_illustrations::check_property"
            "[retry_count >= 0 AND retry_count <= 5]": "row:       retry_count = '6'",
        },
        "stories_language_pt_added.sql": {
            "public.stories::check_property"
            "[language IN ('en', 'es', 'fr', 'de', 'it')]": "row:       language = 'pt'",
        },
        "scenes_fk_set_null.sql": {
            "public.story_scenes::on_delete_property[story_id]": (
                "database:  deleting the parent row sets story_id to NULL"
            ),
        },
        "illustrations_trigger_dropped.sql": {
            "public.story_illustrations::updated_at_property"
            "[update_story_illustrations_updated_at]": "after the UPDATE",
        },
    },
    "aethercrown98": {
        "users_email_unique_dropped.sql": {
            "public.users::unique_property[email]": "UNIQUE property fails",
        },
        "payments_user_fk_cascade.sql": {
            "public.payments::on_delete_property[user_id]": (
                "database:  deleting the parent row deletes the child row"
            ),
        },
        "tasks_updated_at_trigger_dropped.sql": {
            "public.ai_tasks::updated_at_property[update_tasks_updated_at]": "after the UPDATE",
        },
    },
}


def _run(
    pytester: pytest.Pytester, example: Example, server_dsn: str, *args: str
) -> pytest.RunResult:
    shutil.copytree(example.folder, pytester.path, dirs_exist_ok=True)
    return pytester.runpytest(
        "--schemaprobe",
        "--schemaprobe-properties",
        "--schemaprobe-dsn",
        server_dsn,
        "--schemaprobe-examples",
        EXAMPLES_FEW,
        "-p",
        "no:cacheprovider",
        *args,
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_clean_schema_keeps_every_property(
    example: Example, pytester: pytest.Pytester, server_dsn: str
) -> None:
    result = _run(pytester, example, server_dsn, "-m", "schemaprobe_property")
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) > 40
    assert "failed" not in outcomes


@pytest.mark.parametrize("name", sorted(DRIFT_PROPERTIES))
def test_drifts_fail_their_property_items(
    name: str, pytester: pytest.Pytester, server_dsn: str
) -> None:
    (example,) = [e for e in EXAMPLES if e.name == name]
    drifts = DRIFT_PROPERTIES[name]
    spec = next((example.folder / "specs").glob("*.yaml")).relative_to(example.folder)
    items = {f"{spec}::{item}": text for fails in drifts.values() for item, text in fails.items()}
    paths = ["schema", *(f"drift/{file}" for file in drifts)]
    sql = [arg for path in paths for arg in ("--schemaprobe-sql", path)]
    result = _run(pytester, example, server_dsn, *sql, *items)
    failed = {report.nodeid for report in result.reprec.getfailures()}  # type: ignore[attr-defined]
    assert failed == set(items), result.stdout.str()
    out = result.stdout.str()
    for item, text in items.items():
        section = out.split(f"_ {item} _", 1)[-1].split("seed ", 1)[0]
        assert text in section, f"{item}: {text!r} not in\n{section}"
        assert "Reproduce with:" in section
