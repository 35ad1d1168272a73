"""A schema with every object kind the spec format covers, and awkward names.

``{reader}``, ``{owner}`` and ``{member}`` are filled with per-test role names (roles
are cluster-wide, so each test makes its own). Names include quotes, spaces, capitals,
unicode and words YAML 1.1 reads as something else (``on``, ``null``, ``yes``, ``1.0``).
"""

from __future__ import annotations

COMMENT = "key: value # not a YAML comment\nsecond line: 'quoted' \"double\""

RICH_SQL = '''
CREATE EXTENSION citext;
CREATE EXTENSION btree_gist;
CREATE EXTENSION file_fdw;
CREATE SCHEMA "App Ü" AUTHORIZATION {owner};
CREATE SCHEMA yes;
COMMENT ON SCHEMA "App Ü" IS {comment};
GRANT USAGE ON SCHEMA "App Ü" TO {reader};
GRANT USAGE, CREATE ON SCHEMA yes TO PUBLIC;

CREATE TABLE "App Ü"."Heroes ""x""" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "on" text COLLATE "C" NOT NULL DEFAULT 'yes',
    "null" integer,
    yes boolean DEFAULT true,
    "Name" citext,
    "1.0" numeric(12,2) CONSTRAINT "1.0 positive" CHECK ("1.0" >= 0),
    tags text[] DEFAULT '{{}}',
    doubled numeric GENERATED ALWAYS AS ("1.0" * 2) STORED,
    "#hash: colon" text,
    ñame text,
    CONSTRAINT "null unique" UNIQUE NULLS NOT DISTINCT ("null")
);
ALTER TABLE "App Ü"."Heroes ""x""" OWNER TO {owner};
COMMENT ON TABLE "App Ü"."Heroes ""x""" IS {comment};
COMMENT ON COLUMN "App Ü"."Heroes ""x""".tags IS {comment};
CREATE INDEX "Weird ""Idx""" ON "App Ü"."Heroes ""x""" ("on", "null");
CREATE INDEX heroes_tags ON "App Ü"."Heroes ""x""" USING gin (tags);

CREATE TABLE parent (
    id integer PRIMARY KEY,
    code text CONSTRAINT parent_code_key UNIQUE DEFERRABLE INITIALLY DEFERRED,
    body text
);
CREATE INDEX parent_desc ON parent (code DESC NULLS LAST, id NULLS FIRST);
CREATE INDEX parent_desc_default ON parent (code DESC);
CREATE INDEX parent_lower ON parent (lower(code) DESC);
CREATE INDEX parent_pattern ON parent (code text_pattern_ops);
CREATE INDEX parent_collate ON parent (code COLLATE "C");
CREATE INDEX parent_sum ON parent ((id + 1));
CREATE UNIQUE INDEX parent_partial ON parent (id) INCLUDE (code) WHERE id > 0;
CREATE UNIQUE INDEX parent_nnd ON parent (body) NULLS NOT DISTINCT;
CREATE INDEX parent_hash ON parent USING hash (code);
ALTER TABLE parent ENABLE ROW LEVEL SECURITY;
ALTER TABLE parent FORCE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own heroes" ON parent FOR SELECT TO {reader}, PUBLIC
    USING (id > 0);
CREATE POLICY "on" ON parent AS RESTRICTIVE FOR ALL USING (true) WITH CHECK (code <> 'x');
CREATE POLICY ins ON parent FOR INSERT TO {reader} WITH CHECK (true);
GRANT SELECT, INSERT ON parent TO {reader};
GRANT UPDATE (code) ON parent TO {reader};
GRANT SELECT ON parent TO PUBLIC;

CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER "Audit: on" AFTER INSERT OR UPDATE OF code, body ON parent
    FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION trg('a b', 'on', '');
CREATE TRIGGER stmt BEFORE TRUNCATE ON parent FOR EACH STATEMENT EXECUTE FUNCTION trg();
ALTER TABLE parent DISABLE TRIGGER stmt;
CREATE TRIGGER always_t BEFORE DELETE ON parent FOR EACH ROW EXECUTE FUNCTION trg();
ALTER TABLE parent ENABLE ALWAYS TRIGGER always_t;

CREATE TABLE child (
    id integer PRIMARY KEY,
    parent_id integer CONSTRAINT child_parent REFERENCES parent (id) MATCH FULL
        ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    hero_id bigint REFERENCES "App Ü"."Heroes ""x""" (id),
    room integer,
    during tsrange,
    CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)
);

CREATE TABLE events (id integer, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE "2024-01-01" PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE yes."on" (n integer);

CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE far (a integer) SERVER files OPTIONS (filename '/dev/null');

CREATE VIEW "My View" WITH (security_barrier) AS
    SELECT id, code AS "on" FROM parent WHERE id > 0 WITH LOCAL CHECK OPTION;
COMMENT ON VIEW "My View" IS {comment};
CREATE VIEW invoker WITH (security_invoker) AS SELECT 1 AS one;
CREATE MATERIALIZED VIEW mv AS SELECT count(*) AS n FROM parent;
GRANT SELECT ON "My View" TO {reader};

CREATE FUNCTION "Add It"(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE AS 'SELECT a + b';
COMMENT ON FUNCTION "Add It"(integer, integer) IS {comment};
CREATE FUNCTION sec() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
    AS $$BEGIN END$$;
CREATE FUNCTION sec2() RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp
    PARALLEL RESTRICTED AS $$BEGIN END$$;
REVOKE ALL ON FUNCTION sec() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sec() TO {reader};
CREATE PROCEDURE proc(x integer) LANGUAGE sql AS $$ SELECT 1 $$;
CREATE AGGREGATE myagg(integer) (sfunc = int4pl, stype = integer);
CREATE FUNCTION rows_of() RETURNS TABLE(id integer, "on" text) LANGUAGE sql STABLE
    AS $$SELECT 1, 'a'$$;
CREATE FUNCTION over(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION over(x text) RETURNS text LANGUAGE sql AS 'SELECT x';
'''

#: PostgreSQL 18: virtual generated columns.
RICH_SQL_18 = """
ALTER TABLE parent ADD COLUMN twice integer GENERATED ALWAYS AS (id * 2) VIRTUAL;
"""
