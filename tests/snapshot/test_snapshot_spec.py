"""``schemaprobe snapshot`` of a rich schema: a valid spec, the expected shapes, stable bytes,
and a clean ``check`` against the database it came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from psycopg import sql

from schemaprobe.cli import main
from schemaprobe.report.yaml_text import dump_yaml
from schemaprobe.spec.model import SpecDocument
from tests.introspect.helpers import Roles
from tests.snapshot.helpers import without_roles
from tests.snapshot.rich import COMMENT, RICH_SQL, RICH_SQL_18

HEROES = '"App Ü"."Heroes ""x"""'


@dataclass(frozen=True)
class Rich:
    dsn: str
    reader: str
    owner: str
    member: str
    major: int


@pytest.fixture
def roles(server_dsn: str) -> Iterator[Roles]:
    made = Roles(server_dsn)
    yield made
    made.drop_all()


@pytest.fixture
def rich(roles: Roles, scratch_dsn: str) -> Rich:
    """The rich schema in a scratch database (dropped before the test's roles)."""
    reader = roles.make("reader")
    owner = roles.make("Owner Ü")
    member = roles.make("member", f"NOLOGIN CONNECTION LIMIT 5 IN ROLE {reader}")
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        major = conn.info.server_version // 10000
        names = {"reader": reader, "owner": owner, "member": member}
        conn.execute(
            sql.SQL(RICH_SQL).format(
                comment=sql.Literal(COMMENT),
                **{key: sql.Identifier(name) for key, name in names.items()},
            )
        )
        if major >= 18:
            conn.execute(RICH_SQL_18)
    return Rich(scratch_dsn, reader, owner, member, major)


def snapshot(dsn: str, path: Path) -> str:
    assert main(["snapshot", "--dsn", dsn, "-o", str(path)]) == 0
    return path.read_text(encoding="utf-8")


def test_snapshot_is_a_valid_spec(rich: Rich, tmp_path: Path) -> None:
    text = snapshot(rich.dsn, tmp_path / "spec.yaml")
    data = yaml.safe_load(text)
    document = SpecDocument.model_validate(data)
    assert document.exhaustive is True
    assert list(data)[:2] == ["version", "exhaustive"]
    assert list(data)[2:] == ["schemas", "extensions", "roles", "tables", "views", "functions"]
    # Every key is fully qualified and sorted (relations by schema, then name).
    assert list(data["tables"]) == [
        HEROES,
        'public."2024-01-01"',
        "public.child",
        "public.events",
        "public.far",
        "public.parent",
        'yes."on"',
    ]
    assert list(data["views"]) == ['public."My View"', "public.invoker", "public.mv"]
    assert not any(name.startswith("pg_") for name in data["roles"])
    # YAML 1.1 words and numbers are quoted, in keys too.
    for line in ('  "yes":\n', '      "on":\n', '      "null":\n', '      "1.0":\n'):
        assert line in text


def test_schemas_extensions_and_roles(rich: Rich, tmp_path: Path) -> None:
    data = yaml.safe_load(snapshot(rich.dsn, tmp_path / "spec.yaml"))
    assert data["schemas"]["App Ü"] == {
        "owner": rich.owner,
        "comment": COMMENT,
        "grants": {rich.reader: ["USAGE"]},
    }
    assert data["schemas"]["yes"] == {
        "owner": "postgres",
        "grants": {"public": ["CREATE", "USAGE"]},
    }
    assert data["extensions"]["citext"]["schema"] == "public"
    assert isinstance(data["extensions"]["plpgsql"]["version"], str)
    assert data["roles"][rich.member] == {
        "login": False,
        "superuser": False,
        "bypassrls": False,
        "createrole": False,
        "createdb": False,
        "inherit": True,
        "connection_limit": 5,
        "member_of": [rich.reader],
    }
    assert "connection_limit" not in data["roles"][rich.reader]


def test_table_shapes(rich: Rich, tmp_path: Path) -> None:
    tables = yaml.safe_load(snapshot(rich.dsn, tmp_path / "spec.yaml"))["tables"]
    heroes = tables[HEROES]
    assert list(heroes)[:4] == ["owner", "comment", "rls", "columns"]
    assert (heroes["owner"], heroes["comment"]) == (rich.owner, COMMENT)
    assert heroes["rls"] == {"enabled": False, "forced": False}
    columns = heroes["columns"]
    assert list(columns) == [
        *("id", "on", "null", "yes", "Name", "1.0", "tags", "doubled", "#hash: colon", "ñame"),
    ]
    assert columns["id"] == {"type": "bigint", "nullable": False, "identity": "always"}
    assert columns["on"] == {
        "type": "text",
        "nullable": False,
        "default": "'yes'::text",
        "collation": "C",
    }
    assert columns["tags"]["comment"] == COMMENT
    assert columns["doubled"]["generated_storage"] == "stored"
    assert "default" not in columns["doubled"]
    assert heroes["primary_key"] == {"name": 'Heroes "x"_pkey', "columns": ["id"]}
    assert heroes["unique"] == [
        {"name": "null unique", "columns": ["null"], "nulls_not_distinct": True}
    ]
    assert heroes["checks"][0]["name"] == "1.0 positive"
    assert heroes["indexes"][0] == {"name": 'Weird "Idx"', "columns": ['"on"', '"null"']}

    parent = tables["public.parent"]
    assert parent["rls"] == {"enabled": True, "forced": True}
    indexes = {index.pop("name"): index for index in parent["indexes"]}
    assert list(indexes) == sorted(indexes)
    assert indexes["parent_desc"] == {"columns": ["code DESC NULLS LAST", "id NULLS FIRST"]}
    assert indexes["parent_desc_default"] == {"columns": ["code DESC"]}
    assert indexes["parent_lower"] == {"columns": ["lower(code) DESC"]}
    assert indexes["parent_pattern"] == {
        "columns": [{"column": "code", "opclass": "text_pattern_ops"}]
    }
    assert indexes["parent_collate"] == {"columns": [{"column": "code", "collation": "C"}]}
    assert indexes["parent_partial"] == {
        "columns": ["id"],
        "unique": True,
        "where": "(id > 0)",
        "include": ["code"],
    }
    assert indexes["parent_nnd"] == {
        "columns": ["body"],
        "unique": True,
        "nulls_not_distinct": True,
    }
    assert indexes["parent_hash"] == {"columns": ["code"], "method": "hash"}
    assert "parent_pkey" not in indexes  # backs a constraint: declared with it
    assert parent["unique"] == [
        {"name": "parent_code_key", "columns": ["code"], "deferrable": True}
    ]
    audit = parent["triggers"]["Audit: on"]
    assert audit.pop("when").lower() == "(new.id > 0)"
    assert audit == {
        "timing": "after",
        "events": ["insert", "update"],
        "columns": ["code", "body"],
        "level": "row",
        "function": "public.trg",
        "arguments": ["a b", "on", ""],
    }
    assert parent["triggers"]["stmt"]["enabled"] == "disabled"
    assert parent["triggers"]["always_t"]["enabled"] == "always"
    assert parent["policies"] == {
        "Users can view own heroes": {
            "command": "select",
            "permissive": True,
            "roles": ["public"],  # PostgreSQL keeps only PUBLIC when it is listed
            "using": "(id > 0)",
            "with_check": None,
        },
        "ins": {
            "command": "insert",
            "permissive": True,
            "roles": [rich.reader],
            "using": None,
            "with_check": "true",
        },
        "on": {
            "command": "all",
            "permissive": False,
            "roles": ["public"],
            "using": "true",
            "with_check": "(code <> 'x'::text)",
        },
    }
    assert parent["grants"] == {"public": ["SELECT"], rich.reader: ["INSERT", "SELECT"]}
    assert parent["columns"]["code"]["grants"] == {rich.reader: ["UPDATE"]}
    if rich.major >= 18:
        assert parent["columns"]["twice"] == {
            "type": "integer",
            "nullable": True,
            "generated": "(id * 2)",
            "generated_storage": "virtual",
        }

    child = tables["public.child"]
    assert child["foreign_keys"] == [
        {
            "name": "child_hero_id_fkey",
            "columns": ["hero_id"],
            "references": f"{HEROES}(id)",
            "on_delete": "no action",
            "on_update": "no action",
        },
        {
            "name": "child_parent",
            "columns": ["parent_id"],
            "references": "public.parent(id)",
            "on_delete": "set null",
            "on_update": "cascade",
            "match": "full",
            "deferrable": True,
            "initially_deferred": True,
        },
    ]
    assert child["exclusions"] == [
        {"name": "no_overlap", "definition": "EXCLUDE USING gist (room WITH =, during WITH &&)"}
    ]
    assert tables["public.events"]["kind"] == "partitioned"
    assert tables["public.events"]["partition_by"] == "RANGE (at)"
    assert tables["public.far"]["kind"] == "foreign"
    assert "kind" not in tables["public.parent"]


def test_view_and_function_shapes(rich: Rich, tmp_path: Path) -> None:
    data = yaml.safe_load(snapshot(rich.dsn, tmp_path / "spec.yaml"))
    assert data["views"]['public."My View"'] == {
        "owner": "postgres",
        "comment": COMMENT,
        "security_invoker": False,
        "security_barrier": True,
        "check_option": "local",
        "columns": {"id": "integer", "on": "text"},
        "grants": {rich.reader: ["SELECT"]},
    }
    assert data["views"]["public.invoker"]["security_invoker"] is True
    assert data["views"]["public.mv"]["kind"] == "materialized"
    functions = data["functions"]
    assert functions['public."Add It"(a integer, b integer)'] == {
        "returns": "integer",
        "language": "sql",
        "volatility": "immutable",
        "security_definer": False,
        "strict": True,
        "leakproof": True,
        "parallel": "safe",
        "owner": "postgres",
        "comment": COMMENT,
        "grants": {"public": ["EXECUTE"]},
    }
    sec = functions["public.sec()"]
    assert (sec["security_definer"], sec["search_path"]) == (True, '""')
    assert sec["grants"] == {rich.reader: ["EXECUTE"]}
    assert functions["public.sec2()"]["search_path"] == "public, pg_temp"
    assert functions["public.sec2()"]["parallel"] == "restricted"
    procedure = functions["public.proc(IN x integer)"]
    assert procedure["kind"] == "procedure"
    assert "returns" not in procedure
    assert functions["public.myagg(integer)"]["kind"] == "aggregate"
    assert functions["public.rows_of()"]["returns"] == 'TABLE(id integer, "on" text)'
    assert {"public.over(x integer)", "public.over(x text)"} <= set(functions)


def test_same_database_same_bytes_on_stdout_and_in_a_file(
    rich: Rich, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = snapshot(rich.dsn, tmp_path / "a.yaml")
    second = snapshot(rich.dsn, tmp_path / "b.yaml")
    assert main(["snapshot", "--dsn", rich.dsn]) == 0
    shown = capsys.readouterr().out
    # Roles are cluster-wide: other tests may add or drop theirs between two snapshots.
    assert without_roles(first) == without_roles(second) == without_roles(shown)
    assert len(without_roles(first).splitlines()) > 300


def test_snapshot_then_check_finds_nothing(rich: Rich, tmp_path: Path) -> None:
    load = pytest.importorskip("schemaprobe.spec.load")
    from schemaprobe.compare.canonical import ServerCanonicalizer
    from schemaprobe.compare.engine import compare_specs
    from schemaprobe.introspect import read_catalog

    data: dict[str, Any] = yaml.safe_load(snapshot(rich.dsn, tmp_path / "raw.yaml"))
    # Only this test's roles: other tests' roles may be gone by the time of the check.
    ours = {rich.reader, rich.owner, rich.member}
    data["roles"] = {name: role for name, role in data["roles"].items() if name in ours}
    spec = tmp_path / "spec.yaml"
    spec.write_text(dump_yaml(data), encoding="utf-8")
    with psycopg.connect(rich.dsn) as conn:
        catalog = read_catalog(conn)
        results = compare_specs(load.load_specs([spec]), catalog, ServerCanonicalizer(conn))
        conn.rollback()
    problems = [
        f"{f.id}: {f.message} ({f.expected!r} vs {f.actual!r})" for r in results for f in r.findings
    ]
    assert problems == []
    assert not [r for r in results if r.skipped]
    assert len(results) > 100
