"""The issue's planted changes: each makes its property fail with a shrunk counterexample;
textually different but equivalent CHECKs pass. All against the real server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemaprobe.plugin.property_items import outcome_finding
from schemaprobe.properties.oracle import PropertyOutcome
from schemaprobe.properties.plan import plan_properties
from schemaprobe.provision.session import connect
from schemaprobe.spec.load import load_specs
from tests.properties.helpers import failed, run_spec

SPEC = """
version: 1
tables:
  jobs:
    columns:
      id: {type: bigint}
      retry_count: {type: integer, nullable: false, check: retry_count <= 5}
      language: {type: text, check: "language IN ('en', 'es', 'fr')"}
      title: {type: text, nullable: false}
    checks:
      - {name: title_length, expression: length(title) BETWEEN 1 AND 50}
"""

GOOD = {
    "retry": "CHECK (retry_count <= 5)",
    "language": "CHECK (language IN ('en', 'es', 'fr'))",
    "title_null": "NOT NULL",
    "title_check": "CHECK (length(title) BETWEEN 1 AND 50)",
}


def ddl(**changes: str) -> str:
    parts = {**GOOD, **changes}
    return f"""
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  retry_count integer NOT NULL DEFAULT 0 {parts["retry"]},
  language text DEFAULT 'en' {parts["language"]},
  title text {parts["title_null"]},
  CONSTRAINT title_length {parts["title_check"]}
);"""


RETRY = "public.jobs::check_property[retry_count <= 5]"
LANGUAGE = "public.jobs::check_property[language IN ('en', 'es', 'fr')]"
TITLE_NULL = "public.jobs::nullable_property[title]"
TITLE_LENGTH = "public.jobs::check_property[title_length]"


def test_the_conforming_table_passes_every_property(scratch_dsn: str, tmp_path: Path) -> None:
    outcomes = run_spec(scratch_dsn, ddl(), SPEC, tmp_path, examples=60)
    assert set(outcomes) == {
        RETRY,
        LANGUAGE,
        TITLE_LENGTH,
        TITLE_NULL,
        "public.jobs::nullable_property[retry_count]",
    }
    for name, outcome in outcomes.items():
        assert isinstance(outcome, PropertyOutcome) and outcome.passed, (name, outcome)
        # a CHECK tries its edges and then Hypothesis' examples; a NOT NULL is decided by
        # NULL and one valid value
        assert outcome.examples >= (60 if "check_property" in name else 1), (name, outcome)


def test_equivalent_checks_spelled_differently_pass(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(
        retry="CHECK (NOT (retry_count > 5))",
        language="CHECK (language = ANY (ARRAY['fr', 'es', 'en']))",
        title_check="CHECK (char_length(title) >= 1 AND NOT char_length(title) > 50)",
    )
    outcomes = run_spec(scratch_dsn, changed, SPEC, tmp_path, examples=60)
    assert all(isinstance(o, PropertyOutcome) and o.passed for o in outcomes.values()), outcomes


def test_boundary_moved(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(retry="CHECK (retry_count <= 6)")
    outcome = failed(run_spec(scratch_dsn, changed, SPEC, tmp_path, only=RETRY)[RETRY])
    found = outcome.counterexample
    assert found is not None
    assert found.values == (("retry_count", "6"),)
    assert (found.spec_accepts, found.database_accepts) == (False, True)
    assert found.statements == (
        'INSERT INTO "public"."jobs" ("id", "retry_count", "language", "title")'
        " OVERRIDING SYSTEM VALUE VALUES ('1', '6', NULL, 'a');",
    )
    # the reproduction runs as printed, and the row goes in
    with connect(scratch_dsn) as conn:
        for line in found.reproduce().splitlines():
            conn.execute(line)  # type: ignore[call-overload]
    # the same failure as a Finding (the one shape reports read)
    (plan,) = [p for p in plan_properties(load_specs([tmp_path / "spec.yaml"])) if p.name == RETRY]
    finding = outcome_finding(plan, outcome).to_json()
    assert finding["kind"] == "check-property"
    assert finding["id"].endswith("::public.jobs::check_property[retry_count <= 5]")
    assert finding["spec"].endswith("spec.yaml:7")
    assert finding["actual"] == "accepts"
    assert finding["expected"].startswith('rejects INSERT INTO "public"."jobs"')


TASKS_SPEC = """
version: 1
tables:
  projects:
    columns:
      id: {type: bigint, identity: always}
      name: {type: text, nullable: false}
  tasks:
    columns:
      id: {type: bigint, identity: always}
      project_id: {type: bigint, nullable: false, references: projects(id)}
      priority: {type: integer, nullable: false, check: priority <= 5}
"""
PRIORITY = "public.tasks::check_property[priority <= 5]"


def test_boundary_moved_down_reproduces_the_refusal(scratch_dsn: str, tmp_path: Path) -> None:
    """The database refuses a row the spec allows: the script, run in full where the
    schema is, inserts the parent and ends with the INSERT the database refuses, for the
    reason the report gives."""
    changed = """
CREATE TABLE projects (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES projects (id),
  priority integer NOT NULL CHECK (priority <= 4)
);"""
    outcomes = run_spec(scratch_dsn, changed, TASKS_SPEC, tmp_path, only=PRIORITY)
    found = failed(outcomes[PRIORITY]).counterexample
    assert found is not None
    assert found.values == (("priority", "5"),)
    assert (found.spec_accepts, found.database_accepts) == (True, False)
    assert found.refusal is not None
    assert found.refusal.startswith("23514") and "tasks_priority_check" in found.refusal
    script = found.reproduce().splitlines()
    assert (script[0], script[-1]) == ("BEGIN;", "ROLLBACK;")
    parent, last = script[1:-1]
    assert parent.startswith('INSERT INTO "public"."projects"')
    assert last.startswith('INSERT INTO "public"."tasks"') and "'5'" in last
    with connect(scratch_dsn) as conn:
        for line in script[:-2]:
            conn.execute(line)  # type: ignore[call-overload]
        with pytest.raises(psycopg.errors.CheckViolation) as refused:
            conn.execute(last)  # type: ignore[call-overload]
        assert refused.value.diag.constraint_name == "tasks_priority_check"
        conn.execute(script[-1])  # type: ignore[call-overload]


def test_in_list_value_added(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(language="CHECK (language IN ('en', 'es', 'fr', 'pt'))")
    found = failed(run_spec(scratch_dsn, changed, SPEC, tmp_path, only=LANGUAGE)[LANGUAGE])
    found = found.counterexample
    assert found is not None
    assert found.values == (("language", "pt"),)
    assert (found.spec_accepts, found.database_accepts) == (False, True)


def test_in_list_value_removed(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(language="CHECK (language IN ('en', 'es'))")
    found = failed(run_spec(scratch_dsn, changed, SPEC, tmp_path, only=LANGUAGE)[LANGUAGE])
    found = found.counterexample
    assert found is not None
    assert found.values == (("language", "fr"),)
    assert (found.spec_accepts, found.database_accepts) == (True, False)
    assert found.refusal is not None and found.refusal.startswith("23514")


def _near_miss(dsn: str, tmp_path: Path, check: str) -> tuple[str | None, int]:
    """The counterexample's language and the examples it took, the same under three
    seeds: found by an edge row, not by Hypothesis' search (which the seed moves)."""
    changed = ddl(language=check)
    found = set()
    for seed in (1, 2, 3):
        with connect(dsn, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS jobs")
        outcome = failed(run_spec(dsn, changed, SPEC, tmp_path, only=LANGUAGE, seed=seed)[LANGUAGE])
        counterexample = outcome.counterexample
        assert counterexample is not None
        assert (counterexample.spec_accepts, counterexample.database_accepts) == (False, True)
        ((column, value),) = counterexample.values
        assert column == "language"
        found.add((value, outcome.examples))
    (result,) = found
    return result


def test_in_list_matched_in_any_case(scratch_dsn: str, tmp_path: Path) -> None:
    # the members of 'en' first: 'en' (both accept), then the other case
    value, examples = _near_miss(
        scratch_dsn, tmp_path, "CHECK (lower(language) IN ('en', 'es', 'fr'))"
    )
    assert (value, examples) == ("EN", 2)


def test_in_list_matched_after_trimming(scratch_dsn: str, tmp_path: Path) -> None:
    # 'en', 'EN', 'En' (both refuse the last two), then the trailing space
    value, examples = _near_miss(
        scratch_dsn, tmp_path, "CHECK (btrim(language) IN ('en', 'es', 'fr'))"
    )
    assert (value, examples) == ("en ", 4)


def test_check_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(title_check="CHECK (true)")
    outcomes = run_spec(scratch_dsn, changed, SPEC, tmp_path, only=TITLE_LENGTH)
    found = failed(outcomes[TITLE_LENGTH]).counterexample
    assert found is not None
    assert found.values == (("title", ""),)  # the shortest title the spec refuses
    assert (found.spec_accepts, found.database_accepts) == (False, True)


def test_not_null_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    changed = ddl(title_null="NULL")
    outcome = failed(run_spec(scratch_dsn, changed, SPEC, tmp_path, only=TITLE_NULL)[TITLE_NULL])
    found = outcome.counterexample
    assert found is not None
    assert found.values == (("title", None),)
    assert (found.spec_accepts, found.database_accepts) == (False, True)


def test_a_seed_gives_the_same_run_twice(scratch_dsn: str, tmp_path: Path) -> None:
    """Deterministic in CI: the same seed draws the same examples and finds the same
    counterexample (the plugin derives one seed per item; --hypothesis-seed moves them)."""
    changed = ddl(language="CHECK (language IN ('en', 'es', 'fr', 'pt'))")
    first = run_spec(scratch_dsn, changed, SPEC, tmp_path, only=LANGUAGE)[LANGUAGE]
    with connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE jobs")
    again = run_spec(scratch_dsn, changed, SPEC, tmp_path, only=LANGUAGE)[LANGUAGE]
    assert first == again


CITEXT_SPEC = """
version: 1
tables:
  tags:
    columns:
      id: {type: bigint}
      code: {type: citext, nullable: false, check: "code IN ('en', 'es')"}
"""
CODE = "public.tags::check_property[code IN ('en', 'es')]"


def _citext_ddl(check: str) -> str:
    return f"""
CREATE EXTENSION IF NOT EXISTS citext;
DROP TABLE IF EXISTS tags;
CREATE TABLE tags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code citext NOT NULL CHECK ({check})
);"""


def test_a_check_on_a_citext_column(scratch_dsn: str, tmp_path: Path) -> None:
    """citext values are drawn and judged with citext's own comparison: 'EN' is in
    ('en', 'es') for the spec and for a citext CHECK, not for one that compares text."""
    outcomes = run_spec(scratch_dsn, _citext_ddl("code IN ('en', 'es')"), CITEXT_SPEC, tmp_path)
    outcome = outcomes[CODE]
    assert isinstance(outcome, PropertyOutcome) and outcome.passed, outcome
    assert outcome.examples >= 100 and outcome.discarded < outcome.examples
    changed = _citext_ddl("code::text IN ('en', 'es')")
    found = failed(run_spec(scratch_dsn, changed, CITEXT_SPEC, tmp_path, only=CODE)[CODE])
    counterexample = found.counterexample
    assert counterexample is not None
    assert counterexample.values == (("code", "EN"),)  # the first near miss: other case
    assert (counterexample.spec_accepts, counterexample.database_accepts) == (True, False)
    assert counterexample.refusal is not None and counterexample.refusal.startswith("23514")


WINDOW_SPEC = """
version: 1
tables:
  slots:
    columns:
      id: {type: bigint}
      window_start: {type: timestamptz, nullable: false}
      window_end: {type: timestamptz, nullable: false}
    checks:
      - {name: window_order, expression: window_end > window_start}
"""
WINDOW = "public.slots::check_property[window_order]"


def _slots(check: str) -> str:
    return f"""
CREATE TABLE slots (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  CONSTRAINT window_order CHECK ({check})
);"""


def test_column_comparison_loosened(scratch_dsn: str, tmp_path: Path) -> None:
    """``>=`` where the spec says ``>``: the rows differ only where the two columns are
    equal, which the edge rows try (the background's window_start in both)."""
    changed = _slots("window_end >= window_start")
    outcome = failed(run_spec(scratch_dsn, changed, WINDOW_SPEC, tmp_path, only=WINDOW)[WINDOW])
    found = outcome.counterexample
    assert found is not None
    values = dict(found.values)
    assert set(values) == {"window_start", "window_end"}
    assert values["window_start"] is not None
    assert values["window_start"] == values["window_end"]
    assert (found.spec_accepts, found.database_accepts) == (False, True)
    assert outcome.examples == 1  # the pair's edge row: no other edge, nothing drawn
    # and the conforming table passes
    with connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE slots")
    outcome = run_spec(scratch_dsn, _slots("window_end > window_start"), WINDOW_SPEC, tmp_path)[
        WINDOW
    ]
    assert isinstance(outcome, PropertyOutcome) and outcome.passed, outcome


NOTES_SPEC = """
version: 1
tables:
  notes:
    columns:
      id: {type: bigint}
      title: {type: text, nullable: false, check: lower(title) = title}
"""
NOTES = "public.notes::check_property[lower(title) = title]"


def test_a_failure_found_by_search_is_shrunk(scratch_dsn: str, tmp_path: Path) -> None:
    """No edge row for ``lower(title) = title`` (the steering reads no constant in it), so
    Hypothesis has to find the failure and shrink it. The database takes any title with
    an ASCII capital in it: those are the rows it accepts and the spec refuses, and the
    smallest is 'A', whatever the seed. (Other capitals are refused by both sides: with
    no CHECK at all, PostgreSQL 15's locale lower-cases 'Ⱥ' too, and one seed stopped
    shrinking there.)"""
    changed = """
DROP TABLE IF EXISTS notes;
CREATE TABLE notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (lower(title) = title OR title ~ '[A-Z]')
);"""
    for seed in (None, 1, 2, 3):
        outcomes = run_spec(scratch_dsn, changed, NOTES_SPEC, tmp_path, only=NOTES, seed=seed)
        outcome = failed(outcomes[NOTES])
        found = outcome.counterexample
        assert found is not None
        assert found.values == (("title", "A"),), seed
        assert (found.spec_accepts, found.database_accepts) == (False, True)
        assert outcome.examples > 10  # all drawn by Hypothesis (no edge rows), shrinks included
