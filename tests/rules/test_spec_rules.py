"""A spec's ``rules:`` section: severity, selectors, waivers, SQL rules, errors at file:line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from schemaprobe.errors import SpecError
from schemaprobe.findings import ItemResult
from schemaprobe.introspect.model import Catalog
from schemaprobe.provision.session import connect
from schemaprobe.report.render import outcome
from schemaprobe.rules.configured import evaluate_spec_rules, plan_spec_rules
from schemaprobe.spec.load import SpecSet, load_specs
from tests.rules._lint import catalog_of

SCHEMA = """
CREATE TABLE public.accounts (id int PRIMARY KEY);
CREATE TABLE public.orders (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
CREATE TABLE public.app_events (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
CREATE TABLE public."Legacy Log" (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int PRIMARY KEY, account_id int REFERENCES public.accounts);
CREATE TABLE public.nokey (x int);
"""


def spec(tmp_path: Path, text: str, name: str = "app.yaml") -> SpecSet:
    path = tmp_path / name
    path.write_text("version: 1\n" + textwrap.dedent(text), encoding="utf-8")
    return load_specs([path])


def run(catalog: Catalog, specs: SpecSet, dsn: str | None = None) -> dict[str, ItemResult]:
    if dsn is None:
        results = evaluate_spec_rules(specs, catalog, profile="supabase").results
    else:
        with connect(dsn) as conn:
            results = evaluate_spec_rules(specs, catalog, conn=conn, profile="supabase").results
    return {r.name: r for r in results}


def objects(result: ItemResult) -> list[str]:
    return [f.object for f in result.findings]


@pytest.fixture
def catalog(scratch_dsn: str) -> Catalog:
    return catalog_of(scratch_dsn, SCHEMA)


def test_items_are_planned_from_the_spec_alone(tmp_path: Path) -> None:
    specs = spec(
        tmp_path,
        """\
        rules:
          unindexed-foreign-key:
            waivers: {"table public.orders": accepted}
          table-without-primary-key: warning
        """,
    )
    planned = plan_spec_rules(specs)
    assert [r.id for r in planned] == [
        f"{tmp_path / 'app.yaml'}::rules::table-without-primary-key",
        f"{tmp_path / 'app.yaml'}::rules::unindexed-foreign-key",
        f"{tmp_path / 'app.yaml'}::rules::unindexed-foreign-key[table public.orders]",
    ]
    assert planned[0].location is not None and planned[0].location.line == 5
    assert {r.kind for r in planned} == {"rule"}


def test_severity_is_the_spec_s_and_findings_point_at_the_spec(
    tmp_path: Path, catalog: Catalog
) -> None:
    specs = spec(tmp_path, "rules:\n  table-without-primary-key: info\n")
    (finding,) = run(catalog, specs)["rules::table-without-primary-key"].findings
    assert finding.object == "table public.nokey"
    assert finding.severity == "info"
    assert finding.spec is not None and finding.spec.line == 3
    assert finding.key == "table-without-primary-key::table public.nokey"


def test_selectors_schemas_globs_regex_and_exclusions(tmp_path: Path, catalog: Catalog) -> None:
    every = objects(
        run(catalog, spec(tmp_path, "rules: {unindexed-foreign-key: {}}"))[
            "rules::unindexed-foreign-key"
        ]
    )
    assert len(every) == 4

    def selected(settings: str) -> list[str]:
        specs = spec(tmp_path, f"rules:\n  unindexed-foreign-key: {settings}\n")
        return [
            o.split(" on ")[-1]
            for o in objects(run(catalog, specs)["rules::unindexed-foreign-key"])
        ]

    assert selected("{schemas: [billing]}") == ["billing.invoices"]
    assert selected("{tables: ['app_*']}") == ["public.app_events"]
    assert selected("{tables: ['public.o*']}") == ["public.orders"]
    assert selected("{tables: ['/(orders|app_.*)/']}") == ["public.app_events", "public.orders"]
    assert selected("{schemas: [public], exclude_tables: ['Legacy*', app_events]}") == [
        "public.orders"
    ]


def test_waivers_accept_one_object_and_go_stale_when_it_conforms(
    tmp_path: Path, catalog: Catalog
) -> None:
    specs = spec(
        tmp_path,
        """\
        rules:
          table-without-primary-key:
            waivers:
              table public.nokey: imported from the old system; keyed in Q3
              table public.gone: was fixed last year
        """,
    )
    results = run(catalog, specs)
    assert outcome(results["rules::table-without-primary-key"]) == "passed"
    waived = results["rules::table-without-primary-key[table public.nokey]"]
    assert outcome(waived) == "waived"
    assert waived.waiver == "imported from the old system; keyed in Q3"
    assert objects(waived) == ["table public.nokey"]
    stale = results["rules::table-without-primary-key[table public.gone]"]
    assert outcome(stale) == "stale"  # fails: the waiver hides nothing any more
    assert stale.location is not None and stale.location.line == 6


def test_all_switches_on_the_default_selection_and_false_switches_one_off(
    tmp_path: Path, catalog: Catalog
) -> None:
    specs = spec(tmp_path, "rules:\n  all: warning\n  duplicate-index: false\n")
    results = run(catalog, specs)
    assert "rules::duplicate-index" not in results
    assert "rules::table-without-primary-key" in results
    assert "rules::required-columns" not in results  # templates run only when named
    assert {f.severity for r in results.values() for f in r.findings} == {"warning"}


def test_roles_replace_the_api_roles(tmp_path: Path, scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.notes (id int PRIMARY KEY);
        GRANT INSERT ON public.notes TO anon;
        """,
    )
    default = run(catalog, spec(tmp_path, "rules: {anon-write-grant: {}}"))
    assert objects(default["rules::anon-write-grant"]) == ["table public.notes"]
    narrowed = run(catalog, spec(tmp_path, "rules: {anon-write-grant: {roles: [authenticated]}}"))
    assert objects(narrowed["rules::anon-write-grant"]) == []


def test_unknown_ids_and_misplaced_settings_are_spec_errors_at_their_line(tmp_path: Path) -> None:
    specs = spec(
        tmp_path,
        """\
        rules:
          unindexed-foreign-keys: error
          duplicate-index:
            sql: SELECT 1 AS object
            why: mine
          all:
            waivers: {x: y}
          redundant-index: {tables: ['/([/']}
        """,
    )
    with pytest.raises(SpecError) as caught:
        plan_spec_rules(specs)
    lines = str(caught.value).splitlines()
    path = tmp_path / "app.yaml"
    assert lines == [
        f"{path}:3:3: rules.unindexed-foreign-keys: unknown rule 'unindexed-foreign-keys' "
        "(did you mean 'unindexed-foreign-key'?); a rule of your own needs sql: and why: "
        "(schemaprobe lint --list-rules lists the others)",
        f"{path}:5:5: rules.duplicate-index.sql: 'duplicate-index' is a built-in rule; give "
        "your own rule another id",
        f"{path}:8:5: rules.all.waivers: waivers belong to one rule: list it by id",
        f"{path}:9:30: rules.redundant-index.tables.0: not a regular expression: "
        "unterminated character set at position 1",
    ]


def test_an_own_sql_rule_reports_its_rows(tmp_path: Path, scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    specs = spec(
        tmp_path,
        """\
        rules:
          tables-have-comments:
            severity: info
            why: Every table is documented in the database itself.
            schemas: [public]
            sql: |
              SELECT format('table %s', c.oid::regclass) AS object,
                     n.nspname AS schema, c.relname AS "table",
                     'no comment' AS actual,
                     format('COMMENT ON TABLE %s IS ''...'';', c.oid::regclass) AS fix
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'r' AND n.nspname IN ('public', 'billing')
                AND obj_description(c.oid, 'pg_class') IS NULL
        """,
    )
    result = run(catalog, specs, scratch_dsn)["rules::tables-have-comments"]
    assert objects(result) == [  # regclass leaves out the schema on the search path
        'table "Legacy Log"',
        "table accounts",
        "table app_events",
        "table nokey",
        "table orders",
    ]  # billing.invoices left out by the schemas selector
    finding = result.findings[0]
    assert finding.severity == "info"
    assert finding.message == "Every table is documented in the database itself."
    assert finding.fix == "COMMENT ON TABLE \"Legacy Log\" IS '...';"


def test_sql_rules_run_read_only_and_report_errors_at_their_line(
    tmp_path: Path, scratch_dsn: str
) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    specs = spec(
        tmp_path,
        """\
        rules:
          sneaky:
            why: tries to write
            sql: WITH gone AS (DELETE FROM public.nokey RETURNING x) SELECT 'x' AS object
          typo:
            why: a typo
            sql: |
              SELECT relname AS object
              FROM pg_clas
          no-object:
            why: forgets the object column
            sql: SELECT relname FROM pg_class LIMIT 1
        """,
    )
    with connect(scratch_dsn) as conn:
        conn.execute("INSERT INTO public.nokey VALUES (1)")
        conn.commit()
        with pytest.raises(SpecError) as caught:
            evaluate_spec_rules(specs, catalog, conn=conn)
        assert conn.execute("SELECT count(*) FROM public.nokey").fetchone() == (1,)
    path = tmp_path / "app.yaml"
    lines = str(caught.value).splitlines()
    # the server names the statement's top-level command
    assert lines[0].startswith(f"{path}:5:5: rules.sneaky.sql: the query fails: cannot execute ")
    assert lines[0].endswith(" in a read-only transaction")
    assert lines[1] == (
        f'{path}:8:5: rules.typo.sql: the query fails: relation "pg_clas" does not exist '
        "(line 2 of the query)"
    )
    assert lines[2].startswith(f"{path}:13:5: rules.no-object.sql: the query returns no column ")


def test_an_audit_only_rule_is_reported_not_run_never_passed(
    tmp_path: Path, catalog: Catalog
) -> None:
    (result,) = run(catalog, spec(tmp_path, "rules: {unused-index: warning}")).values()
    assert outcome(result) == "skipped"
    assert result.skipped is not None and result.skipped.startswith("audit mode only")


EXPOSURE_SCHEMA = """
CREATE SCHEMA api;
CREATE TABLE api.widgets (id int PRIMARY KEY);
CREATE SCHEMA internal;
GRANT USAGE ON SCHEMA internal TO anon, authenticated;
CREATE TABLE internal.jobs (id int PRIMARY KEY);
GRANT USAGE ON SCHEMA public TO anon, authenticated;
CREATE TABLE public.notes (id int PRIMARY KEY);
"""


def test_exposed_schemas_declared_in_the_spec_are_the_ones_judged(
    tmp_path: Path, scratch_dsn: str
) -> None:
    # api: no API role may use it, but the spec says it is exposed; internal: the API
    # roles have USAGE on it, but the spec says it is not; public: the spec says nothing
    catalog = catalog_of(scratch_dsn, EXPOSURE_SCHEMA)
    rule = "rules::rls-disabled-in-exposed-schema"
    path = tmp_path / "app.yaml"

    def judged(text: str, exposed: list[str] | None = None) -> tuple[list[str], list[str]]:
        outcome = evaluate_spec_rules(
            spec(tmp_path, text), catalog, exposed_schemas=exposed, profile="supabase"
        )
        (result,) = outcome.results
        assert result.name == rule
        return objects(result), outcome.notes

    derived, notes = judged("rules: {rls-disabled-in-exposed-schema: error}\n")
    assert derived == ["table internal.jobs", "table public.notes"]
    (note,) = notes
    assert note.startswith(f"{path}: exposed schemas (derived from USAGE granted to ")
    assert note.endswith(": internal, public; override with --exposed-schema")

    declared = """\
    schemas:
      api: {exposed: true}
      internal: {exposed: false}
    rules: {rls-disabled-in-exposed-schema: error}
    """
    found, notes = judged(declared)
    # only what the spec says true: internal is declared not exposed, public not declared
    assert found == ["table api.widgets"]
    assert notes == [f"{path}: exposed schemas (declared in the spec): api"]

    # a command-line choice wins over the spec's declaration
    found, notes = judged(declared, exposed=["internal"])
    assert found == ["table internal.jobs"]
    assert notes == [f"{path}: exposed schemas (given): internal"]
