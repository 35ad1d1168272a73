"""Textually different but equivalent spellings are not findings; renames are renames.

Each case changes one expectation of ``data/base.yaml`` to another spelling of the same
promise and checks the base schema still conforms. The rename cases pin a name the
database no longer has while an undeclared object means the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from schemaprobe.compare.canonical import ServerCanonicalizer
from schemaprobe.compare.engine import compare_specs
from schemaprobe.findings import ItemResult
from schemaprobe.introspect import read_catalog
from schemaprobe.provision.databases import ScratchDatabases
from schemaprobe.spec.load import load_specs

DATA = Path(__file__).parent / "data"
BASE = (DATA / "base.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def template(scratch_databases: ScratchDatabases) -> str:
    return scratch_databases.template_from_sql([DATA / "base.sql"], profile="supabase")


@pytest.fixture(scope="module")
def base_dsn(scratch_databases: ScratchDatabases, template: str) -> Iterator[str]:
    with scratch_databases.database(template=template) as dsn:
        yield dsn


def check_text(dsn: str, spec_text: str, tmp_path: Path, drift: str = "") -> list[ItemResult]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    with psycopg.connect(dsn) as conn:
        if drift:
            conn.execute(drift)  # type: ignore[call-overload]
        catalog = read_catalog(conn, profile="supabase")
        results = compare_specs(load_specs([spec]), catalog, ServerCanonicalizer(conn))
        conn.rollback()  # the drift too: the module's database stays as loaded
    return results


def failures(results: list[ItemResult]) -> dict[str, list[tuple[str, str | None]]]:
    return {r.name: [(f.path, f.actual) for f in r.findings] for r in results if r.findings}


REWRITES = [
    (
        "BETWEEN for two comparisons",
        "retry_count BETWEEN 0 AND 5",
        "retry_count >= 0 AND retry_count <= 5",
    ),
    (
        "comparisons reversed",
        "retry_count BETWEEN 0 AND 5",
        "5 >= retry_count AND 0 <= retry_count",
    ),
    (
        "IN list as the server prints it",
        "status IN ('draft', 'published', 'archived')",
        "(status = ANY (ARRAY['draft'::text, 'published'::text, 'archived'::text]))",
    ),
    (
        "IN list reordered",
        "status IN ('draft', 'published', 'archived')",
        "status IN ('archived', 'draft', 'published')",
    ),
    ("int4 as integer", "power_level: {type: int4", "power_level: {type: integer"),
    (
        "int8 as bigint",
        "id: {type: int8, identity: always}",
        "id: {type: bigint, identity: always}",
    ),
    ("varchar spelled out", "name: {type: varchar(100)", "name: {type: character varying(100)"),
    (
        "timestamptz spelled out",
        "created_at: {type: timestamptz",
        "created_at: {type: timestamp with time zone",
    ),
    ("bool as boolean", "is_public: {type: bool", "is_public: {type: boolean"),
    (
        "default with its cast",
        "status: {type: text, default: \"'draft'\"}",
        "status: {type: text, default: \"'draft'::text\"}",
    ),
    (
        "equality operands swapped",
        "using: user_id = auth.uid() OR is_public",
        "using: (is_public OR (auth.uid() = user_id))",
    ),
    ("boolean comparison", "where: is_public = true", "where: is_public"),
    ("FK action in capitals", "on_delete: set null", "on_delete: SET NULL"),
    (
        "privileges in capitals",
        "authenticated: [select, insert, update, delete]",
        "authenticated: [SELECT, DELETE, INSERT, UPDATE]",
    ),
    (
        "index key in lower case",
        "columns: [user_id, created_at DESC]",
        "columns: [user_id, created_at desc]",
    ),
    (
        "index key as a mapping",
        "columns: [user_id, created_at DESC]",
        "columns: [user_id, {column: created_at, order: desc, nulls: first}]",
    ),
    (
        "qualified trigger function",
        "function: update_updated_at",
        "function: public.update_updated_at()",
    ),
    ("function key with schema", "  public.update_updated_at():", "  update_updated_at:"),
    (
        "serial as integer with nextval",
        "      id: serial",
        "      id: {type: integer, default: \"nextval('billing.invoices_id_seq'::regclass)\"}",
    ),
]


@pytest.mark.parametrize(
    ("before", "after"), [r[1:] for r in REWRITES], ids=[r[0] for r in REWRITES]
)
def test_equivalent_rewrite_is_not_a_finding(
    base_dsn: str, tmp_path: Path, before: str, after: str
) -> None:
    assert before in BASE
    assert failures(check_text(base_dsn, BASE.replace(before, after), tmp_path)) == {}


def test_the_rewrites_are_compared_not_ignored(base_dsn: str, tmp_path: Path) -> None:
    # A near-miss of a rewrite above is reported: the comparison does look at them.
    spec = BASE.replace("retry_count BETWEEN 0 AND 5", "retry_count BETWEEN 0 AND 4")
    found = failures(check_text(base_dsn, spec, tmp_path))
    assert list(found) == ["public.stories::check[stories_retry_count_check]"]


def test_renamed_index_is_a_rename(base_dsn: str, tmp_path: Path) -> None:
    found = failures(
        check_text(
            base_dsn,
            BASE,
            tmp_path,
            "ALTER INDEX stories_title_lower_idx RENAME TO stories_title_ci_idx",
        )
    )
    assert found == {
        "public.stories::index[stories_title_lower_idx]": [("renamed", "stories_title_ci_idx")]
    }


def test_renamed_constraint_is_a_rename(base_dsn: str, tmp_path: Path) -> None:
    found = failures(
        check_text(
            base_dsn,
            BASE,
            tmp_path,
            "ALTER TABLE stories RENAME CONSTRAINT stories_retry_count_check TO retries_check",
        )
    )
    assert found == {
        "public.stories::check[stories_retry_count_check]": [("renamed", "retries_check")]
    }


def test_unreadable_table_name_is_a_spec_error_with_its_line(tmp_path: Path) -> None:
    from schemaprobe.compare.engine import plan
    from schemaprobe.errors import SpecError

    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\ntables:\n  '\"unterminated':\n    columns: {id: int}\n")
    with pytest.raises(SpecError) as raised:
        plan(load_specs([spec]))
    assert str(raised.value).startswith(f'{spec}:3:3: tables."unterminated: invalid name')


def test_function_names_with_parentheses(base_dsn: str, tmp_path: Path) -> None:
    with psycopg.connect(base_dsn, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION \"f(x)\"(a int) RETURNS int LANGUAGE sql AS 'SELECT a'")
    try:
        spec = 'version: 1\nfunctions:\n  public."f(x)"(integer): {returns: integer}\n'
        assert failures(check_text(base_dsn, spec, tmp_path)) == {}
        missing = spec.replace("(integer)", "(text)")
        assert failures(check_text(base_dsn, missing, tmp_path)) == {
            'function[public."f(x)"(text)]': [("missing", None)]
        }
    finally:
        with psycopg.connect(base_dsn, autocommit=True) as conn:
            conn.execute('DROP FUNCTION "f(x)"(int)')


def test_several_specs_describe_one_database(base_dsn: str, tmp_path: Path) -> None:
    """An exhaustive spec does not call "extra" what another spec of the run declares."""
    (tmp_path / "a.yaml").write_text(
        "version: 1\nexhaustive: [tables]\ntables:\n  heroes:\n  stories:\n"
    )
    (tmp_path / "b.yaml").write_text("version: 1\ntables:\n  billing.invoices:\n")
    with psycopg.connect(base_dsn) as conn:
        catalog = read_catalog(conn, profile="supabase")
        both = compare_specs(load_specs([tmp_path]), catalog, ServerCanonicalizer(conn))
        alone = compare_specs(load_specs([tmp_path / "a.yaml"]), catalog, ServerCanonicalizer(conn))
        conn.rollback()
    assert failures(both) == {}
    assert failures(alone) == {"tables": [("unexpected", "billing.invoices")]}


def test_waived_findings_are_reported_as_waived(base_dsn: str, tmp_path: Path) -> None:
    spec = BASE.replace(
        "      body: {type: jsonb, nullable: true}",
        "      body: {type: json, nullable: true, xfail: migrating to jsonb in 2027}",
    )
    results = check_text(base_dsn, spec, tmp_path)
    waived = [r for r in results if r.waiver]
    assert [(r.name, r.waiver) for r in waived] == [
        ("public.stories::column[body]", "migrating to jsonb in 2027")
    ]
    assert [f.waived for f in waived[0].findings] == ["migrating to jsonb in 2027"]
