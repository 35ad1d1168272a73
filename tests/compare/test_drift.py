"""Planted drifts: each breaks one promise of ``data/base.yaml`` and must be reported by the
right item, naming the right object; the undrifted base (spelled differently from the
server throughout) must pass with zero findings.

The base schema is loaded once into a template database; each drift runs on its own
clone, so drifts never see each other.
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
from schemaprobe.spec.load import SpecSet, load_specs

DATA = Path(__file__).parent / "data"
SPEC = "base.yaml"


@pytest.fixture(scope="module")
def template(scratch_databases: ScratchDatabases) -> str:
    return scratch_databases.template_from_sql([DATA / "base.sql"], profile="supabase")


@pytest.fixture(scope="module")
def specs() -> SpecSet:
    return load_specs([DATA / SPEC])


@pytest.fixture
def clone(scratch_databases: ScratchDatabases, template: str) -> Iterator[str]:
    with scratch_databases.database(template=template) as dsn:
        yield dsn


def check(dsn: str, specs: SpecSet, drift: str = "") -> list[ItemResult]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        if drift:
            conn.execute(drift)  # type: ignore[call-overload]
    with psycopg.connect(dsn) as conn:
        catalog = read_catalog(conn, profile="supabase")
        results = compare_specs(specs, catalog, ServerCanonicalizer(conn))
        conn.rollback()
    return results


def failing(results: list[ItemResult]) -> dict[str, list[str]]:
    return {r.name: [f.path for f in r.findings] for r in results if r.findings and not r.skipped}


def test_base_conforms_although_spelled_differently(clone: str, specs: SpecSet) -> None:
    results = check(clone, specs)
    assert failing(results) == {}
    assert not [r for r in results if r.skipped]
    names = {r.name for r in results}
    # spot-check that the expectations exist as items (a vacuous pass would have none)
    assert {
        "public.heroes::table",
        "public.heroes::policy[Users can view own heroes]",
        "public.stories::check[stories_retry_count_check]",
        "public.stories::index[(tags)]",
        "billing.invoices::column[id]",
        "function[public.is_admin()]",
        "tables",
        "public.heroes::columns",
    } <= names
    assert len(results) > 50


DRIFTS = [
    # (id, SQL applied to the clone, item that must fail, aspect of its finding)
    (
        "column dropped",
        "ALTER TABLE stories DROP COLUMN body",
        "public.stories::column[body]",
        "missing",
    ),
    (
        "column type changed",
        "ALTER TABLE stories ALTER COLUMN title TYPE varchar(300)",
        "public.stories::column[title]",
        "type",
    ),
    (
        "integer widened",
        "ALTER TABLE stories ALTER COLUMN retry_count TYPE integer",
        "public.stories::column[retry_count]",
        "type",
    ),
    (
        "NOT NULL dropped",
        "ALTER TABLE heroes ALTER COLUMN name DROP NOT NULL",
        "public.heroes::column[name]",
        "nullable",
    ),
    (
        "default changed",
        "ALTER TABLE stories ALTER COLUMN status SET DEFAULT 'published'",
        "public.stories::column[status]",
        "default",
    ),
    (
        "default dropped",
        "ALTER TABLE heroes ALTER COLUMN is_public DROP DEFAULT",
        "public.heroes::column[is_public]",
        "default",
    ),
    (
        "identity dropped",
        "ALTER TABLE stories ALTER COLUMN id DROP IDENTITY",
        "public.stories::column[id]",
        "identity",
    ),
    (
        "serial default dropped",
        "ALTER TABLE billing.invoices ALTER COLUMN id DROP DEFAULT",
        "billing.invoices::column[id]",
        "default",
    ),
    (
        "FK action changed",
        "ALTER TABLE heroes DROP CONSTRAINT heroes_user_id_fkey, ADD FOREIGN KEY (user_id)"
        " REFERENCES auth.users (id) ON DELETE SET NULL",
        "public.heroes::foreign_key[user_id]",
        "on_delete",
    ),
    (
        "FK dropped",
        "ALTER TABLE stories DROP CONSTRAINT stories_hero_id_fkey",
        "public.stories::foreign_key[hero_id]",
        "missing",
    ),
    (
        "unique dropped",
        "ALTER TABLE heroes DROP CONSTRAINT heroes_user_name_key",
        "public.heroes::unique[user_id, name]",
        "missing",
    ),
    (
        "CHECK bound loosened",
        "ALTER TABLE stories DROP CONSTRAINT stories_retry_count_check,"
        " ADD CONSTRAINT stories_retry_count_check CHECK (retry_count >= 0 AND retry_count <= 6)",
        "public.stories::check[stories_retry_count_check]",
        "definition",
    ),
    (
        "CHECK IN list grew",
        "ALTER TABLE stories DROP CONSTRAINT stories_status_check, ADD CONSTRAINT"
        " stories_status_check CHECK (status IN ('draft', 'published', 'archived', 'deleted'))",
        "public.stories::check[status IN ('draft', 'published', 'archived')]",
        "definition",
    ),
    (
        "CHECK dropped",
        "ALTER TABLE billing.invoices DROP CONSTRAINT invoices_amount_check",
        "billing.invoices::check[amount > 0]",
        "missing",
    ),
    (
        "exclusion dropped",
        "ALTER TABLE billing.invoices DROP CONSTRAINT invoices_no_overlap",
        "billing.invoices::exclusion[USING gist (period WITH &&)]",
        "missing",
    ),
    (
        "primary key changed",
        "ALTER TABLE stories DROP CONSTRAINT stories_pkey, ADD PRIMARY KEY (id, hero_id)",
        "public.stories::primary_key",
        "definition",
    ),
    ("index dropped", "DROP INDEX stories_tags_idx", "public.stories::index[(tags)]", "missing"),
    (
        "index reordered",
        "DROP INDEX heroes_user_created_idx;"
        " CREATE INDEX heroes_user_created_idx ON heroes (created_at DESC, user_id)",
        "public.heroes::index[(user_id, created_at DESC)]",
        "columns",
    ),
    (
        "index DESC to ASC",
        "DROP INDEX heroes_user_created_idx;"
        " CREATE INDEX heroes_user_created_idx ON heroes (user_id, created_at)",
        "public.heroes::index[(user_id, created_at DESC)]",
        "columns",
    ),
    (
        "index predicate changed",
        "DROP INDEX heroes_public_idx;"
        " CREATE INDEX heroes_public_idx ON heroes (created_at) WHERE NOT is_public",
        "public.heroes::index[(created_at)]",
        "where",
    ),
    (
        "GIN became btree",
        "DROP INDEX stories_tags_idx; CREATE INDEX stories_tags_idx ON stories (tags)",
        "public.stories::index[(tags)]",
        "method",
    ),
    (
        "named index expression changed",
        "DROP INDEX stories_title_lower_idx;"
        " CREATE INDEX stories_title_lower_idx ON stories (upper(title))",
        "public.stories::index[stories_title_lower_idx]",
        "columns",
    ),
    (
        "INCLUDE dropped",
        "DROP INDEX stories_hero_idx; CREATE INDEX stories_hero_idx ON stories (hero_id)",
        "public.stories::index[(hero_id)]",
        "include",
    ),
    (
        "trigger dropped",
        "DROP TRIGGER heroes_updated_at ON heroes",
        "public.heroes::trigger[heroes_updated_at]",
        "missing",
    ),
    (
        "trigger timing changed",
        "DROP TRIGGER heroes_updated_at ON heroes; CREATE TRIGGER heroes_updated_at AFTER UPDATE"
        " ON heroes FOR EACH ROW EXECUTE FUNCTION update_updated_at()",
        "public.heroes::trigger[heroes_updated_at]",
        "timing",
    ),
    (
        "policy widened",
        'ALTER POLICY "Users can view own heroes" ON heroes USING (true)',
        "public.heroes::policy[Users can view own heroes]",
        "using",
    ),
    (
        "policy WITH CHECK dropped",
        'DROP POLICY "Users can update own heroes" ON heroes; CREATE POLICY "Users can update'
        ' own heroes" ON heroes FOR UPDATE TO authenticated USING (auth.uid() = user_id)',
        "public.heroes::policy[Users can update own heroes]",
        "with_check",
    ),
    (
        "policy roles widened",
        'ALTER POLICY "Users can insert own heroes" ON heroes TO authenticated, anon',
        "public.heroes::policy[Users can insert own heroes]",
        "roles",
    ),
    (
        "policy became permissive",
        'DROP POLICY "Admins only delete" ON stories; CREATE POLICY "Admins only delete" ON'
        " stories FOR DELETE TO authenticated USING (public.is_admin())",
        "public.stories::policy[Admins only delete]",
        "permissive",
    ),
    (
        "policy renamed",
        'ALTER POLICY "Users can insert own heroes" ON heroes RENAME TO "insert heroes"',
        "public.heroes::policy[Users can insert own heroes]",
        "renamed",
    ),
    (
        "extra policy under exhaustive",
        'CREATE POLICY "Everyone reads" ON heroes FOR SELECT USING (true)',
        "public.heroes::policies",
        "unexpected",
    ),
    (
        "RLS disabled",
        "ALTER TABLE heroes DISABLE ROW LEVEL SECURITY",
        "public.heroes::rls",
        "rls.enabled",
    ),
    (
        "RLS no longer forced",
        "ALTER TABLE stories NO FORCE ROW LEVEL SECURITY",
        "public.stories::rls",
        "rls.forced",
    ),
    (
        "extra table under exhaustive",
        "CREATE TABLE public.scratch (id int)",
        "tables",
        "unexpected",
    ),
    (
        "extra column under exhaustive",
        "ALTER TABLE heroes ADD COLUMN nickname text",
        "public.heroes::columns",
        "unexpected",
    ),
    (
        "extra index under exhaustive",
        "CREATE INDEX heroes_name_idx ON heroes (name)",
        "public.heroes::indexes",
        "unexpected",
    ),
    ("table dropped", "DROP TABLE billing.invoices", "billing.invoices::table", "missing"),
    ("grant added", "GRANT SELECT ON heroes TO anon", "public.heroes::grants", "grants.anon"),
    (
        "grant revoked",
        "REVOKE DELETE ON heroes FROM authenticated",
        "public.heroes::grants",
        "grants.authenticated",
    ),
    (
        "view lost security_invoker",
        "ALTER VIEW public_heroes SET (security_invoker = false)",
        "public.public_heroes",
        "security_invoker",
    ),
    (
        "function search_path unpinned",
        "ALTER FUNCTION is_admin() RESET search_path",
        "function[public.is_admin()]",
        "search_path",
    ),
    (
        "function no longer SECURITY DEFINER",
        "ALTER FUNCTION is_admin() SECURITY INVOKER",
        "function[public.is_admin()]",
        "security_definer",
    ),
    (
        "function volatility changed",
        "ALTER FUNCTION is_admin() VOLATILE",
        "function[public.is_admin()]",
        "volatility",
    ),
    ("schema exposed", "GRANT USAGE ON SCHEMA billing TO anon", "schema[billing]", "exposed"),
    ("extension dropped", "DROP EXTENSION citext CASCADE", "extension[citext]", "missing"),
    (
        "policy count exceeded",
        'CREATE POLICY "another" ON stories FOR SELECT TO anon USING (false)',
        "public.stories::policies",
        "count.policies",
    ),
    (
        "table comment changed",
        "COMMENT ON TABLE heroes IS 'Heroes'",
        "public.heroes::table",
        "comment",
    ),
]


@pytest.mark.parametrize(
    ("drift", "item", "aspect"), [d[1:] for d in DRIFTS], ids=[d[0] for d in DRIFTS]
)
def test_drift_is_reported_by_the_right_item(
    clone: str, specs: SpecSet, drift: str, item: str, aspect: str
) -> None:
    failures = failing(check(clone, specs, drift))
    assert item in failures, f"expected {item} to fail; failing: {failures}"
    assert aspect in failures[item]
    # the drift is reported where it belongs: other items fail only as its consequences
    others = set(failures) - {item}
    assert others <= _CONSEQUENCES.get(item, set()), others


# Drifts that legitimately show in a second item too (dropping a table removes its FK...).
_CONSEQUENCES: dict[str, set[str]] = {
    "public.stories::index[(tags)]": {"public.stories::indexes"},  # counts: {indexes: min 4}
}


def test_there_are_at_least_thirty_drifts() -> None:
    assert len(DRIFTS) >= 30
    assert len({d[2] for d in DRIFTS}) >= 30  # and they hit distinct items
