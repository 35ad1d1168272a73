"""Indexes rebuilt from their key vectors, partitions and triggers."""

from __future__ import annotations

import psycopg
import pytest

from schemaprobe.introspect.model import Index, IndexColumn, Trigger
from tests.introspect.helpers import Db, qn


def _key(name: str, **kw: object) -> IndexColumn:
    values: dict[str, object] = {
        "expression": False,
        "opclass": None,
        "collation": None,
        "descending": False,
        "nulls_first": False,
    }
    values.update(kw)
    return IndexColumn(name, **values)  # type: ignore[arg-type]


def test_indexes(db: Db) -> None:
    db.run(
        """
        CREATE TABLE {} (
            id int PRIMARY KEY,
            "First Name" text,
            last varchar(20),
            code text COLLATE "C",
            doc jsonb,
            a int,
            b int,
            tags text[]
        );
        CREATE INDEX "by name" ON {} ("First Name" DESC NULLS LAST, last NULLS FIRST, id DESC);
        CREATE UNIQUE INDEX covering ON {} (a) INCLUDE (b, "First Name");
        CREATE INDEX exprs ON {} (lower("First Name"), (a + b), (coalesce(last, ', ')), id);
        CREATE INDEX partial ON {} (a) WHERE b > 0 AND last IS NOT NULL;
        CREATE INDEX patterns ON {} (last varchar_pattern_ops, code text_pattern_ops);
        CREATE INDEX collated ON {} (last COLLATE "C", code COLLATE "POSIX");
        CREATE INDEX docs ON {} USING gin (doc jsonb_path_ops);
        CREATE INDEX docs_default ON {} USING gin (doc, tags);
        CREATE INDEX hashed ON {} USING hash (last) WITH (fillfactor = 70);
        CREATE INDEX expr_collations ON {} (lower(code), (lower(last)) COLLATE "POSIX");
        COMMENT ON INDEX partial IS 'only the positive ones';
        """,
        *['Tbl "x"'] * 11,
    )
    table = db.read().tables[qn("public", 'Tbl "x"')]
    assert [i.name for i in table.indexes] == [
        'Tbl "x"_pkey',
        "by name",
        "collated",
        "covering",
        "docs",
        "docs_default",
        "expr_collations",
        "exprs",
        "hashed",
        "partial",
        "patterns",
    ]
    assert table.index('Tbl "x"_pkey') == Index(
        'Tbl "x"_pkey',
        "btree",
        (_key("id"),),
        (),
        True,
        False,
        True,
        'Tbl "x"_pkey',
        None,
        True,
        (),
        None,
    )
    by_name = table.index("by name")
    assert by_name is not None
    assert by_name.columns == (
        _key("First Name", descending=True),
        _key("last", nulls_first=True),
        _key("id", descending=True, nulls_first=True),
    )
    covering = table.index("covering")
    assert covering is not None
    assert (covering.unique, covering.columns, covering.include, covering.constraint) == (
        True,
        (_key("a"),),
        ("b", "First Name"),
        None,
    )
    exprs = table.index("exprs")
    assert exprs is not None
    assert exprs.columns == (
        _key('lower("First Name")', expression=True),
        _key("(a + b)", expression=True),
        _key("COALESCE(last, ', '::character varying)", expression=True),
        _key("id"),
    )
    partial = table.index("partial")
    assert partial is not None
    assert (partial.predicate, partial.comment) == (
        "((b > 0) AND (last IS NOT NULL))",
        "only the positive ones",
    )
    patterns = table.index("patterns")
    assert patterns is not None
    assert patterns.columns == (
        _key("last", opclass="varchar_pattern_ops"),
        _key("code", opclass="text_pattern_ops"),
    )
    collated = table.index("collated")
    assert collated is not None
    # "C" is code's own collation, so only last's and the POSIX one are shown.
    assert collated.columns == (_key("last", collation="C"), _key("code", collation="POSIX"))
    docs, docs_default = table.index("docs"), table.index("docs_default")
    assert docs is not None and docs_default is not None
    assert (docs.method, docs.columns) == ("gin", (_key("doc", opclass="jsonb_path_ops"),))
    assert docs_default.columns == (_key("doc"), _key("tags"))
    expr_collations = table.index("expr_collations")
    assert expr_collations is not None
    # lower(code) has code's collation "C": only an explicit, different one is shown.
    assert expr_collations.columns == (
        _key("lower(code)", expression=True),
        _key("lower((last)::text)", expression=True, collation="POSIX"),
    )
    hashed = table.index("hashed")
    assert hashed is not None
    assert (hashed.method, hashed.options) == ("hash", ("fillfactor=70",))


def test_invalid_index(db: Db) -> None:
    db.run("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1)")
    with pytest.raises(psycopg.errors.UniqueViolation):
        db.run("CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a)")
    index = db.read().tables[qn("public", "t")].index("t_a")
    assert index is not None
    assert (index.valid, index.unique) == (False, True)


def test_opclass_of_an_extension_type(db: Db) -> None:
    db.run(
        """
        CREATE EXTENSION citext;
        CREATE EXTENSION pg_trgm;
        CREATE TABLE t (name citext, title text);
        CREATE INDEX t_name ON t (name);
        CREATE INDEX t_name_text ON t (name text_ops);
        CREATE INDEX t_trgm ON t USING gin (title gin_trgm_ops);
        """
    )
    table = db.read().tables[qn("public", "t")]
    indexes = {i.name: i.columns[0].opclass for i in table.indexes}
    # text_ops is a default opclass, but not citext's: pg_get_indexdef prints it too.
    assert indexes == {
        "t_name": None,
        "t_name_text": "text_ops",
        "t_trgm": "public.gin_trgm_ops",
    }


@pytest.mark.pg(">= 15")
def test_unique_index_nulls_not_distinct(db: Db) -> None:
    db.run("CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT")
    index = db.read().tables[qn("public", "t")].index("t_a")
    assert index is not None
    assert (index.unique, index.nulls_not_distinct, index.constraint) == (True, True, None)


def test_partitions_inheritance_and_persistence(db: Db) -> None:
    db.run(
        """
        CREATE SCHEMA archive;
        CREATE TABLE events (id int, at date, kind text) PARTITION BY RANGE (at);
        CREATE TABLE events_2024 PARTITION OF events
            FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE archive.events_old PARTITION OF events
            FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
        CREATE TABLE events_rest PARTITION OF events DEFAULT PARTITION BY LIST (kind);
        CREATE TABLE "events rest a" PARTITION OF events_rest FOR VALUES IN ('a', 'b');
        CREATE TABLE base (id int);
        CREATE TABLE derived (extra text) INHERITS (base);
        CREATE UNLOGGED TABLE scratch (id int);
        """
    )
    catalog = db.read(include_schemas=["public"])
    events = catalog.tables[qn("public", "events")]
    assert (events.kind, events.partition_key) == ("partitioned table", "RANGE (at)")
    assert events.partitions == (
        qn("archive", "events_old"),
        qn("public", "events_2024"),
        qn("public", "events_rest"),
    )
    p2024 = catalog.tables[qn("public", "events_2024")]
    assert (p2024.kind, p2024.partition_of, p2024.partition_bound, p2024.inherits) == (
        "table",
        qn("public", "events"),
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        (),
    )
    rest = catalog.tables[qn("public", "events_rest")]
    assert (rest.partition_key, rest.partition_bound, rest.partitions) == (
        "LIST (kind)",
        "DEFAULT",
        (qn("public", "events rest a"),),
    )
    leaf = catalog.tables[qn("public", "events rest a")]
    assert leaf.partition_bound == "FOR VALUES IN ('a', 'b')"
    assert qn("archive", "events_old") not in catalog.tables
    derived = catalog.tables[qn("public", "derived")]
    assert (derived.inherits, derived.partition_of) == ((qn("public", "base"),), None)
    assert catalog.tables[qn("public", "scratch")].persistence == "unlogged"
    assert events.persistence == "permanent"


def _trigger(name: str, function: str, **kw: object) -> Trigger:
    values: dict[str, object] = {
        "timing": "BEFORE",
        "events": ("INSERT",),
        "update_columns": (),
        "level": "ROW",
        "function": qn("public", function),
        "arguments": (),
        "when": None,
        "enabled": "O",
        "constraint": False,
        "deferrable": False,
        "initially_deferred": False,
        "old_table": None,
        "new_table": None,
        "inherited": False,
        "comment": None,
    }
    values.update(kw)
    return Trigger(name, **values)  # type: ignore[arg-type]


def test_triggers(db: Db) -> None:
    db.run(
        """
        CREATE FUNCTION "touch it"() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RETURN NEW; END $$;
        CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RETURN NULL; END $$;
        CREATE TABLE parent (id int PRIMARY KEY);
        CREATE TABLE t (
            id int PRIMARY KEY, "Status" text, n int, parent_id int REFERENCES parent
        );
        CREATE TRIGGER "Touch ""it"" WHEN (" BEFORE INSERT OR UPDATE OF "Status", n ON t
            FOR EACH ROW WHEN (NEW."Status" IS DISTINCT FROM 'x WHEN (y)' AND NEW.n > 0)
            EXECUTE FUNCTION "touch it"('arg one', 'it''s', '');
        CREATE TRIGGER audit_delete AFTER DELETE ON t REFERENCING OLD TABLE AS gone
            FOR EACH STATEMENT EXECUTE FUNCTION audit();
        CREATE TRIGGER audit_truncate AFTER TRUNCATE ON t
            FOR EACH STATEMENT EXECUTE FUNCTION audit();
        CREATE CONSTRAINT TRIGGER audit_late AFTER UPDATE ON t
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit();
        CREATE TRIGGER off AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();
        CREATE TRIGGER replica AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();
        CREATE TRIGGER always AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();
        ALTER TABLE t DISABLE TRIGGER off;
        ALTER TABLE t ENABLE REPLICA TRIGGER replica;
        ALTER TABLE t ENABLE ALWAYS TRIGGER always;
        COMMENT ON TRIGGER audit_delete ON t IS 'who deleted';
        CREATE VIEW v AS SELECT id FROM t;
        CREATE TRIGGER instead INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION audit();
        """
    )
    catalog = db.read()
    table = catalog.tables[qn("public", "t")]
    # The foreign key's internal triggers are not listed.
    assert [t.name for t in table.triggers] == [
        'Touch "it" WHEN (',
        "always",
        "audit_delete",
        "audit_late",
        "audit_truncate",
        "off",
        "replica",
    ]
    assert table.trigger('Touch "it" WHEN (') == _trigger(
        'Touch "it" WHEN (',
        "touch it",
        events=("INSERT", "UPDATE"),
        update_columns=("Status", "n"),
        arguments=("arg one", "it's", ""),
        when="""((new."Status" IS DISTINCT FROM 'x WHEN (y)'::text) AND (new.n > 0))""",
    )
    assert table.trigger("audit_delete") == _trigger(
        "audit_delete",
        "audit",
        timing="AFTER",
        events=("DELETE",),
        level="STATEMENT",
        old_table="gone",
        comment="who deleted",
    )
    assert table.trigger("audit_truncate") == _trigger(
        "audit_truncate",
        "audit",
        timing="AFTER",
        events=("TRUNCATE",),
        level="STATEMENT",
    )
    assert table.trigger("audit_late") == _trigger(
        "audit_late",
        "audit",
        timing="AFTER",
        events=("UPDATE",),
        constraint=True,
        deferrable=True,
        initially_deferred=True,
    )
    assert {t.name: t.enabled for t in table.triggers if t.function.name == "audit"} == {
        "always": "A",
        "audit_delete": "O",
        "audit_late": "O",
        "audit_truncate": "O",
        "off": "D",
        "replica": "R",
    }
    view = catalog.views[qn("public", "v")]
    assert view.triggers == (_trigger("instead", "audit", timing="INSTEAD OF"),)


def test_triggers_cloned_onto_partitions(db: Db) -> None:
    db.run(
        """
        CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RETURN NULL; END $$;
        CREATE TABLE m (id int) PARTITION BY RANGE (id);
        CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
        CREATE TRIGGER m_audit AFTER INSERT ON m FOR EACH ROW EXECUTE FUNCTION audit();
        """
    )
    catalog = db.read()
    parent = catalog.tables[qn("public", "m")].triggers
    child = catalog.tables[qn("public", "m1")].triggers
    assert [(t.name, t.inherited) for t in parent] == [("m_audit", False)]
    assert [(t.name, t.inherited) for t in child] == [("m_audit", True)]
