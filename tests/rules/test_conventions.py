"""Column and key templates: required-columns, primary-key-convention,
foreign-key-convention; each against a real database, fixes applied and re-read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from schemaprobe.errors import UsageError
from schemaprobe.rules.templates import RULES
from schemaprobe.spec.model import (
    ForeignKeyRuleSpec,
    PrimaryKeyRuleSpec,
    RequiredColumnsRuleSpec,
    RuleSpec,
    RulesSection,
)
from tests.rules._lint import apply_fixes, catalog_of, reread
from tests.rules._templates import run, spec, violations

REQUIRED = {
    "created_at": {"type": "timestamptz", "default": "now()", "nullable": False},
    "Tenant Id": {"type": "uuid", "nullable": False},
    "stamp": {"type": "timestamp with time zone", "default": "timezone('utc', now())"},
    "deleted_at": {"type": "timestamptz", "default": None, "nullable": True},
    "version": "int8",
}

CONFORMING = """
    CREATE TABLE public.good (
        id bigint PRIMARY KEY,
        created_at timestamp with time zone NOT NULL DEFAULT now(),
        "Tenant Id" uuid NOT NULL,
        stamp timestamptz DEFAULT timezone('utc'::text, now()),
        deleted_at timestamptz,
        version bigint);
"""
COLUMNS = (
    CONFORMING
    + """
    CREATE TABLE public."Bad Table" (
        id int PRIMARY KEY,
        created_at timestamptz,
        "Tenant Id" uuid,
        stamp timestamptz DEFAULT timezone('utc', now()),
        deleted_at timestamptz NOT NULL DEFAULT now(),
        version integer DEFAULT 7);
    CREATE TABLE public.thin (id int PRIMARY KEY, version bigint);
"""
)


def test_required_columns_conforming_tables_pass(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, CONFORMING)
    config = spec(RequiredColumnsRuleSpec, {"columns": REQUIRED})
    assert run(catalog, "required-columns", config) == {}


def test_required_columns_report_each_column_and_their_fixes_repair_it(scratch_dsn: str) -> None:
    catalog = catalog_of(scratch_dsn, COLUMNS)
    config = spec(RequiredColumnsRuleSpec, {"columns": REQUIRED})
    found = run(catalog, "required-columns", config)
    assert sorted(found) == [
        'column public."Bad Table"."Tenant Id"',
        'column public."Bad Table".created_at',
        'column public."Bad Table".deleted_at',
        'column public."Bad Table".version',
        'column public.thin."Tenant Id"',
        "column public.thin.created_at",
        "column public.thin.deleted_at",
        "column public.thin.stamp",
    ]
    created = found['column public."Bad Table".created_at']
    assert created.path == "default and nullable"
    assert (created.expected, created.actual) == ("default now(), NOT NULL", "no default, nullable")
    assert created.fix == (
        'ALTER TABLE "public"."Bad Table" ALTER COLUMN "created_at" SET DEFAULT (now()), '
        'ALTER COLUMN "created_at" SET NOT NULL;'
    )
    deleted = found['column public."Bad Table".deleted_at']
    assert (deleted.expected, deleted.actual) == (
        "no default, nullable",
        "default now(), NOT NULL",
    )
    version = found['column public."Bad Table".version']
    assert (version.path, version.expected, version.actual) == ("type", "int8", "integer")
    missing = found["column public.thin.created_at"]
    assert (missing.path, missing.actual) == ("column", "missing")
    assert missing.expected == "timestamptz, default now(), NOT NULL"
    assert missing.fix == (
        'ALTER TABLE "public"."thin" ADD COLUMN "created_at" timestamptz DEFAULT (now()) NOT NULL;'
    )
    assert found["column public.thin.stamp"].fix == (
        'ALTER TABLE "public"."thin" ADD COLUMN "stamp" timestamp with time zone '
        "DEFAULT (timezone('utc', now()));"
    )
    assert {v.subject for v in violations(catalog, "required-columns", config)} == {
        catalog.tables[k].name for k in catalog.tables if k.name in ("Bad Table", "thin")
    }

    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert run(reread(scratch_dsn), "required-columns", config) == {}


def test_a_type_change_keeps_the_templates_default(scratch_dsn: str) -> None:
    """The old default is dropped before ALTER TYPE (which would have to cast it) and the
    template's set after; a default already right is set again the same way."""
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.counters ("Hits" text DEFAULT 'none', total int DEFAULT 0);
        INSERT INTO public.counters VALUES ('12', 3);
        """,
    )
    config = spec(
        RequiredColumnsRuleSpec,
        {"columns": {"Hits": {"type": "varchar(40)", "default": "'0'"}, "total": "bigint"}},
    )
    found = run(catalog, "required-columns", config)
    hits = found['column public.counters."Hits"']
    assert (hits.path, hits.expected, hits.actual) == (
        "type and default",
        "varchar(40), default '0'",
        "text, default 'none'::text",
    )
    assert hits.fix == (
        'ALTER TABLE "public"."counters" ALTER COLUMN "Hits" DROP DEFAULT, '
        'ALTER COLUMN "Hits" TYPE varchar(40), ALTER COLUMN "Hits" SET DEFAULT (\'0\');'
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values()])
    assert run(reread(scratch_dsn), "required-columns", config) == {}


def test_identity_defaults_and_what_has_no_mechanical_fix(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.ids (id bigint GENERATED ALWAYS AS IDENTITY);
        CREATE TABLE public.serials (id bigserial);
        CREATE TABLE public.by_default (id bigint GENERATED BY DEFAULT AS IDENTITY);
        """,
    )
    config = spec(
        RequiredColumnsRuleSpec,
        {"columns": {"id": {"type": "bigint", "default": "generated always as identity"}}},
    )
    found = run(catalog, "required-columns", config)
    assert sorted(found) == ["column public.by_default.id", "column public.serials.id"]
    assert found["column public.serials.id"].actual == (
        "default nextval('public.serials_id_seq'::regclass)"
    )
    assert found["column public.by_default.id"].actual == "generated by default as identity"
    assert all(f.fix is None for f in found.values())  # turning into identity: a decision
    anything = spec(RequiredColumnsRuleSpec, {"columns": {"id": {"default": "identity"}}})
    assert list(run(catalog, "required-columns", anything)) == ["column public.serials.id"]


@pytest.mark.parametrize(
    "rule", ["required-columns", "primary-key-convention", "foreign-key-convention"]
)
def test_templates_without_their_settings_report_nothing(scratch_dsn: str, rule: str) -> None:
    catalog = catalog_of(scratch_dsn, "CREATE TABLE public.t (user_id uuid);")
    assert run(catalog, rule, None) == {}
    assert run(catalog, rule, RuleSpec()) == {}


KEYS = {"columns": ["id"], "type": "uuid", "default": "gen_random_uuid()"}


def test_primary_keys_of_the_conventions_shape_pass(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.a (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
        CREATE TABLE public."B b" (id uuid DEFAULT pg_catalog.gen_random_uuid(), PRIMARY KEY (id));
        """,
    )
    assert run(catalog, "primary-key-convention", spec(PrimaryKeyRuleSpec, KEYS)) == {}


def test_primary_keys_that_differ_and_their_fixes(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Odd Keys" ("Code" text PRIMARY KEY);
        CREATE TABLE public.no_default (id uuid PRIMARY KEY);
        CREATE TABLE public.numbered (id bigint PRIMARY KEY DEFAULT 1);
        CREATE TABLE public.unkeyed (id uuid NOT NULL DEFAULT gen_random_uuid());
        CREATE TABLE public.bare (name text);
        INSERT INTO public.bare VALUES ('one'), ('two');
        """,
    )
    config = spec(PrimaryKeyRuleSpec, KEYS)
    found = run(catalog, "primary-key-convention", config)
    assert sorted(found) == [
        'constraint "Odd Keys_pkey" on public."Odd Keys"',
        "constraint no_default_pkey on public.no_default",
        "constraint numbered_pkey on public.numbered",
        "table public.bare",
        "table public.unkeyed",
    ]
    odd = found['constraint "Odd Keys_pkey" on public."Odd Keys"']
    assert (odd.path, odd.expected, odd.actual, odd.fix) == (
        "columns",
        "PRIMARY KEY (id)",
        'PRIMARY KEY ("Code")',
        None,
    )
    numbered = found["constraint numbered_pkey on public.numbered"]
    assert (numbered.path, numbered.expected, numbered.actual) == (
        "type and default",
        "uuid, default gen_random_uuid()",
        "bigint, default 1",
    )
    assert (
        found["table public.unkeyed"].fix
        == 'ALTER TABLE "public"."unkeyed" ADD PRIMARY KEY ("id");'
    )
    assert found["table public.bare"].fix == (
        'ALTER TABLE "public"."bare" ADD COLUMN "id" uuid DEFAULT (gen_random_uuid()) PRIMARY KEY;'
    )
    fixable = [f.fix for f in found.values() if f.object != numbered.object and f.fix]
    assert len(fixable) == 3
    apply_fixes(scratch_dsn, fixable)
    left = run(reread(scratch_dsn), "primary-key-convention", config)
    assert sorted(left) == [odd.object, numbered.object]


def test_a_type_alone_judges_one_column_keys_only(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public.pairs (a int, b int, PRIMARY KEY (a, b));
        CREATE TABLE public.small (id int4 PRIMARY KEY);
        CREATE TABLE public.big (id int8 PRIMARY KEY);
        """,
    )
    found = run(catalog, "primary-key-convention", spec(PrimaryKeyRuleSpec, {"type": "bigint"}))
    assert list(found) == ["constraint small_pkey on public.small"]
    assert found["constraint small_pkey on public.small"].fix == (
        'ALTER TABLE "public"."small" ALTER COLUMN "id" TYPE bigint;'
    )
    apply_fixes(scratch_dsn, [found["constraint small_pkey on public.small"].fix])
    assert (
        run(
            reread(scratch_dsn),
            "primary-key-convention",
            spec(PrimaryKeyRuleSpec, {"type": "bigint"}),
        )
        == {}
    )


FOREIGN_KEYS = {
    "foreign_keys": [
        {"column": "user_id", "references": "auth.users(id)", "on_delete": "cascade"},
        {"references": 'public."Orgs"', "on_delete": "restrict", "on_update": "cascade"},
    ]
}


def test_foreign_keys_as_the_convention_says_pass(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Orgs" (id int PRIMARY KEY);
        CREATE TABLE public.notes (
            user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
            org int REFERENCES public."Orgs" ON DELETE RESTRICT ON UPDATE CASCADE);
        CREATE TABLE public.no_user (id int);
        """,
    )
    assert run(catalog, "foreign-key-convention", spec(ForeignKeyRuleSpec, FOREIGN_KEYS)) == {}
    three_parts = spec(ForeignKeyRuleSpec, {"foreign_keys": [{"references": "db.auth.users(id)"}]})
    with pytest.raises(UsageError, match=re.escape("references='db.auth.users(id)' is not table")):
        run(catalog, "foreign-key-convention", three_parts)


def test_foreign_keys_missing_elsewhere_or_with_other_actions(scratch_dsn: str) -> None:
    catalog = catalog_of(
        scratch_dsn,
        """
        CREATE TABLE public."Orgs" (id int PRIMARY KEY);
        CREATE TABLE public.profiles (id uuid PRIMARY KEY);
        CREATE TABLE public."Loose Notes" (user_id uuid);
        CREATE TABLE public.tasks (user_id uuid REFERENCES auth.users ON DELETE SET NULL);
        CREATE TABLE public.posts (user_id uuid REFERENCES public.profiles (id));
        CREATE TABLE public.members (
            org int,
            CONSTRAINT "Member Org" FOREIGN KEY (org) REFERENCES public."Orgs"
                ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
        """,
    )
    config = spec(ForeignKeyRuleSpec, FOREIGN_KEYS)
    found = run(catalog, "foreign-key-convention", config)
    assert sorted(found) == [
        'column public."Loose Notes".user_id',
        "column public.posts.user_id",
        'constraint "Member Org" on public.members',
        "constraint tasks_user_id_fkey on public.tasks",
    ]
    loose = found['column public."Loose Notes".user_id']
    assert (loose.expected, loose.actual) == (
        "foreign key (user_id) to auth.users(id) ON DELETE CASCADE",
        "no foreign key",
    )
    assert loose.fix == (
        'ALTER TABLE "public"."Loose Notes" ADD FOREIGN KEY ("user_id") '
        'REFERENCES "auth"."users" ("id") ON DELETE CASCADE;'
    )
    posts = found["column public.posts.user_id"]
    assert (posts.actual, posts.fix) == ("foreign key posts_user_id_fkey to public.profiles", None)
    tasks = found["constraint tasks_user_id_fkey on public.tasks"]
    assert (tasks.path, tasks.expected, tasks.actual) == (
        "on_delete",
        "ON DELETE CASCADE",
        "ON DELETE SET NULL",
    )
    member = found['constraint "Member Org" on public.members']
    assert (member.path, member.expected, member.actual) == (
        "on_delete and on_update",
        "ON DELETE RESTRICT, ON UPDATE CASCADE",
        "ON DELETE CASCADE, ON UPDATE NO ACTION",
    )
    assert member.fix == (
        'ALTER TABLE "public"."members" DROP CONSTRAINT "Member Org", ADD CONSTRAINT '
        '"Member Org" FOREIGN KEY ("org") REFERENCES "public"."Orgs" ("id") '
        "ON DELETE RESTRICT ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;"
    )
    apply_fixes(scratch_dsn, [f.fix for f in found.values() if f.fix])
    after = reread(scratch_dsn)
    assert list(run(after, "foreign-key-convention", config)) == ["column public.posts.user_id"]
    kept = after.tables[catalog.tables[next(k for k in catalog.tables if k.name == "members")].name]
    (constraint,) = [c for c in kept.constraints if c.kind == "foreign key"]
    assert (constraint.name, constraint.deferrable, constraint.initially_deferred) == (
        "Member Org",
        True,
        True,
    )


def test_the_documented_settings_are_a_valid_rules_section_for_every_template() -> None:
    """docs/rules.md shows each template's settings; they must load as written."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text("utf-8")
    block = text.split("Their settings in a spec:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    configured = RulesSection.model_validate(yaml.safe_load(block)["rules"]).configured()
    assert sorted(configured) == sorted(rule.id for rule in RULES)
    assert all(not rule.default and rule.category == "convention" for rule in RULES)
