"""Schemas, extensions, views, sequences and functions."""

from __future__ import annotations

import pytest

from schemaprobe.introspect.model import Extension, Privilege, Schema, Sequence, SequenceOwner
from tests.introspect.helpers import Db, qn


def test_schemas_with_owner_and_comment(db: Db) -> None:
    owner = db.roles.make("Schema Owner")
    db.run(
        """
        CREATE SCHEMA "Ünïcødé 表" AUTHORIZATION {};
        COMMENT ON SCHEMA "Ünïcødé 表" IS 'unicode';
        CREATE TEMP TABLE scratch (id int);
        """,
        owner,
    )
    catalog = db.read()
    assert list(catalog.schemas) == ["public", "Ünïcødé 表"]  # by code point
    assert catalog.schemas["Ünïcødé 表"] == Schema(
        "Ünïcødé 表",
        owner,
        "unicode",
        (Privilege(owner, "CREATE", False, owner), Privilege(owner, "USAGE", False, owner)),
    )
    public = catalog.schemas["public"]
    assert public.comment == "standard public schema"


def test_extensions_are_listed_and_their_objects_left_out(db: Db) -> None:
    db.run(
        """
        CREATE SCHEMA ext;
        CREATE EXTENSION citext SCHEMA ext;
        CREATE EXTENSION pg_stat_statements;
        CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1';
        """
    )
    catalog = db.read()
    assert set(catalog.extensions) == {"citext", "pg_stat_statements", "plpgsql"}
    citext = catalog.extensions["citext"]
    assert (citext.schema, citext.relocatable, citext.version != "") == ("ext", True, True)
    assert catalog.extensions["plpgsql"] == Extension(
        "plpgsql", "1.0", "pg_catalog", False, "PL/pgSQL procedural language"
    )
    # citext's ~100 functions in ext, pg_stat_statements' views and functions in public:
    assert list(catalog.functions) == [qn("public", "mine")]
    assert catalog.views == {}
    assert "ext" in catalog.schemas


def test_views(db: Db) -> None:
    db.run(
        """
        CREATE TABLE t (id int, secret text);
        CREATE VIEW "Plain View" AS SELECT id FROM t WHERE id > 0;
        CREATE VIEW guarded WITH (security_barrier) AS SELECT id FROM t;
        CREATE VIEW checked AS SELECT id FROM t WHERE id < 10 WITH CASCADED CHECK OPTION;
        CREATE VIEW local_checked AS SELECT id FROM checked WITH LOCAL CHECK OPTION;
        CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM t WITH NO DATA;
        CREATE UNIQUE INDEX counts_n ON counts (n);
        COMMENT ON VIEW guarded IS 'no leaks';
        """
    )
    catalog = db.read()
    assert list(catalog.views) == [
        qn("public", "Plain View"),
        qn("public", "checked"),
        qn("public", "counts"),
        qn("public", "guarded"),
        qn("public", "local_checked"),
    ]
    plain = catalog.views[qn("public", "Plain View")]
    # pg_get_viewdef stopped qualifying columns of a single-table query in PostgreSQL 16.
    definition = (
        " SELECT id\n   FROM public.t\n  WHERE (id > 0);"
        if db.major >= 16
        else " SELECT t.id\n   FROM public.t\n  WHERE (t.id > 0);"
    )
    assert (plain.kind, plain.owner, plain.definition, [c.name for c in plain.columns]) == (
        "view",
        "postgres",
        definition,
        ["id"],
    )
    assert (plain.security_barrier, plain.security_invoker, plain.check_option) == (
        False,
        False,
        None,
    )
    guarded = catalog.views[qn("public", "guarded")]
    assert (guarded.security_barrier, guarded.options, guarded.comment) == (
        True,
        ("security_barrier=true",),
        "no leaks",
    )
    assert catalog.views[qn("public", "checked")].check_option == "CASCADED"
    assert catalog.views[qn("public", "local_checked")].check_option == "LOCAL"
    counts = catalog.views[qn("public", "counts")]
    assert (counts.kind, counts.populated, [i.name for i in counts.indexes]) == (
        "materialized view",
        False,
        ["counts_n"],
    )
    column = counts.column("n")
    assert column is not None and column.type == "bigint"


@pytest.mark.pg(">= 15")
def test_security_invoker_view(db: Db) -> None:
    db.run(
        """
        CREATE TABLE t (id int);
        CREATE VIEW v WITH (security_invoker = on) AS SELECT id FROM t;
        CREATE VIEW w WITH (security_invoker = false) AS SELECT id FROM t;
        """
    )
    catalog = db.read()
    assert catalog.views[qn("public", "v")].security_invoker is True
    assert catalog.views[qn("public", "w")].security_invoker is False


def test_sequences(db: Db) -> None:
    db.run(
        """
        CREATE TABLE t (id serial, ident bigint GENERATED ALWAYS AS IDENTITY (START 100), n int);
        CREATE SEQUENCE "Count Down" AS smallint INCREMENT BY -2 MINVALUE -50 MAXVALUE 50
            START 40 CACHE 5 CYCLE;
        CREATE SEQUENCE owned OWNED BY t.n;
        COMMENT ON SEQUENCE owned IS 'for n';
        """
    )
    catalog = db.read()
    owner = "postgres"
    count_down = catalog.sequences[qn("public", "Count Down")]
    assert count_down == Sequence(
        qn("public", "Count Down"),
        owner,
        "smallint",
        40,
        -2,
        -50,
        50,
        5,
        True,
        None,
        count_down.privileges,
        None,
    )
    assert {p.privilege for p in count_down.privileges} == {"SELECT", "UPDATE", "USAGE"}
    serial = catalog.sequences[qn("public", "t_id_seq")]
    assert (serial.type, serial.start, serial.maximum, serial.owned_by) == (
        "integer",
        1,
        2147483647,
        SequenceOwner(qn("public", "t"), "id", False),
    )
    identity = catalog.sequences[qn("public", "t_ident_seq")]
    assert (identity.type, identity.start, identity.owned_by) == (
        "bigint",
        100,
        SequenceOwner(qn("public", "t"), "ident", True),
    )
    owned = catalog.sequences[qn("public", "owned")]
    assert owned.owned_by == SequenceOwner(qn("public", "t"), "n", False)
    assert owned.comment == "for n"
    id_column = catalog.tables[qn("public", "t")].column("id")
    assert id_column is not None
    assert id_column.default == "nextval('public.t_id_seq'::regclass)"


def test_functions(db: Db) -> None:
    owner = db.roles.make("Function Owner")
    db.run(
        """
        CREATE SCHEMA api;
        CREATE FUNCTION api."Add"(a integer, b integer DEFAULT 1) RETURNS integer
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'SELECT a + b';
        CREATE FUNCTION api."Add"(a text, VARIADIC rest text[]) RETURNS text
            LANGUAGE sql STABLE AS $$ SELECT a || array_to_string(rest, '') $$;
        CREATE FUNCTION api.rows_of(n int) RETURNS TABLE (i int, label text)
            LANGUAGE sql AS 'SELECT g, g::text FROM generate_series(1, n) g';
        CREATE FUNCTION api.whoami(OUT name text, INOUT n int) LANGUAGE sql
            AS 'SELECT current_user::text, n';
        CREATE FUNCTION api.secure() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = '' SET work_mem = '8MB' AS $$ BEGIN END $$;
        CREATE PROCEDURE api.tidy(keep interval) LANGUAGE plpgsql AS $$ BEGIN END $$;
        CREATE AGGREGATE api.total(int) (SFUNC = int4pl, STYPE = int);
        ALTER FUNCTION api.secure() OWNER TO {};
        COMMENT ON FUNCTION api.secure() IS 'runs as owner';
        """,
        owner,
    )
    catalog = db.read()
    adds = catalog.functions[qn("api", "Add")]
    assert [f.arguments for f in adds] == [
        "a integer, b integer",
        "a text, VARIADIC rest text[]",
    ]
    add = adds[0]
    assert (
        add.kind,
        add.returns,
        add.language,
        add.volatility,
        add.strict,
        add.parallel,
        add.leakproof,
        add.security_definer,
        add.source,
        add.signature,
    ) == (
        "function",
        "integer",
        "sql",
        "IMMUTABLE",
        True,
        "SAFE",
        True,
        False,
        "SELECT a + b",
        'api."Add"(a integer, b integer)',
    )
    assert (adds[1].volatility, adds[1].parallel, adds[1].strict) == ("STABLE", "UNSAFE", False)
    assert catalog.function(qn("api", "Add")) is None  # ambiguous without arguments
    rows_of = catalog.function(qn("api", "rows_of"))
    assert rows_of is not None
    assert rows_of.returns == "TABLE(i integer, label text)"
    whoami = catalog.function(qn("api", "whoami"))
    assert whoami is not None
    assert (whoami.arguments, whoami.returns) == ("OUT name text, INOUT n integer", "record")
    secure = catalog.function(qn("api", "secure"))
    assert secure is not None
    assert (
        secure.security_definer,
        secure.config,
        secure.owner,
        secure.comment,
        secure.returns,
        secure.language,
        secure.volatility,
    ) == (
        True,
        ('search_path=""', "work_mem=8MB"),
        owner,
        "runs as owner",
        "void",
        "plpgsql",
        "VOLATILE",
    )
    tidy = catalog.function(qn("api", "tidy"))
    assert tidy is not None
    assert (tidy.kind, tidy.returns, tidy.arguments) == ("procedure", None, "IN keep interval")
    total = catalog.function(qn("api", "total"))
    assert total is not None
    assert (total.kind, total.returns, total.arguments) == ("aggregate", "integer", "integer")


@pytest.mark.pg(">= 14")
def test_sql_standard_function_body(db: Db) -> None:
    db.run(
        """
        CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE
        BEGIN ATOMIC
            SELECT x * 2;
        END;
        """
    )
    function = db.read().function(qn("public", "twice"))
    assert function is not None
    assert function.source == "BEGIN ATOMIC\n SELECT (x * 2);\nEND"


def test_comments_everywhere(db: Db) -> None:
    db.run(
        """
        CREATE TABLE "T" (id int PRIMARY KEY, v int CONSTRAINT v_pos CHECK (v > 0));
        CREATE INDEX t_v ON "T" (v);
        COMMENT ON TABLE "T" IS 'table ''T''';
        COMMENT ON COLUMN "T".id IS 'the key';
        COMMENT ON CONSTRAINT v_pos ON "T" IS 'positive';
        COMMENT ON INDEX t_v IS 'by v';
        """
    )
    table = db.read().tables[qn("public", "T")]
    constraint, index, column = table.constraint("v_pos"), table.index("t_v"), table.column("id")
    assert constraint is not None and index is not None and column is not None
    assert (table.comment, column.comment, constraint.comment, index.comment) == (
        "table 'T'",
        "the key",
        "positive",
        "by v",
    )
