"""The SQL of :class:`~schemaprobe.compare.canonical.ServerCanonicalizer`: one DO block.

Kept apart from the Python because it is long and is one piece: the request arrives in
the transaction-local setting ``schemaprobe.request`` (JSON: ``mode``, ``search_path``,
``items``) and the answer leaves in ``schemaprobe.answer`` (``{"read_only": bool,
"items": [[id, value, error], ...]}``). Everything variable reaches the server as data;
identifiers are quoted by ``format('%I')`` there, and spec text (checked by
``expression_problem``/``type_problem`` first) is placed with ``%s`` inside parentheses.
"""

from __future__ import annotations

from psycopg import sql

__all__ = [
    "ANSWER",
    "BEGIN",
    "BEGIN_READ_ONLY",
    "DO",
    "RELEASE",
    "REQUEST",
    "ROLLBACK",
    "ROLLBACK_TO",
    "SAVEPOINT",
]

BEGIN = sql.SQL("BEGIN")
BEGIN_READ_ONLY = sql.SQL("BEGIN READ ONLY")
ROLLBACK = sql.SQL("ROLLBACK")
SAVEPOINT = sql.SQL("SAVEPOINT schemaprobe_canonical")
ROLLBACK_TO = sql.SQL("ROLLBACK TO SAVEPOINT schemaprobe_canonical")
RELEASE = sql.SQL("RELEASE SAVEPOINT schemaprobe_canonical")
# Transaction-local: the request, and rendering settings as introspection uses them
# (read.py); standard_conforming_strings is what expression_problem() scans for.
REQUEST = sql.SQL(
    "SELECT pg_catalog.set_config('schemaprobe.request', %(request)s, true),"
    " pg_catalog.set_config('schemaprobe.answer', '', true),"
    " pg_catalog.set_config('search_path', 'pg_catalog', true),"
    " pg_catalog.set_config('DateStyle', 'ISO', true),"
    " pg_catalog.set_config('IntervalStyle', 'postgres', true),"
    " pg_catalog.set_config('extra_float_digits', '3', true),"
    " pg_catalog.set_config('quote_all_identifiers', 'off', true),"
    " pg_catalog.set_config('standard_conforming_strings', 'on', true)"
)
ANSWER = sql.SQL("SELECT pg_catalog.current_setting('schemaprobe.answer')")

# The work. Static SQL runs with search_path = pg_catalog only; the spec's path is set
# just around each EXECUTE of spec text. Every item's block ends with RAISE 'SPRB0' so its
# scratch objects vanish at once (keeping only the rendered text in a variable), and so
# does every table's block ('SPRB1'): same-named tables of different schemas take turns.
DO = sql.SQL("""DO $schemaprobe$
DECLARE
  request jsonb := pg_catalog.current_setting('schemaprobe.request')::jsonb;
  spec_path text := request ->> 'search_path';
  read_only boolean := pg_catalog.current_setting('transaction_read_only') = 'on';
  answers jsonb[] := '{}';
  tbl record;
  r record;
  v_live oid;
  v_scratch oid;
  v_columns text;
  v_failure text;
  v_ddl text;
  v_ddls text[];
  v_render text;
  v_target text;
  v_type text;
  v_value text;
  v_result jsonb;
  v_oid oid;
  v_typmod integer;
  v_first text;
  v_method text;
  v_done boolean;
BEGIN
  IF request ->> 'mode' IN ('types', 'functions') THEN
    FOR r IN SELECT * FROM pg_catalog.jsonb_to_recordset(request -> 'items')
             AS x(id integer, spec text) LOOP
      v_result := NULL;
      BEGIN
        IF request ->> 'mode' = 'functions' THEN
          PERFORM pg_catalog.set_config('search_path', spec_path, true);
          v_oid := pg_catalog.to_regprocedure(r.spec);
          PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
          IF v_oid IS NULL THEN
            RAISE EXCEPTION 'function % does not exist', r.spec;
          END IF;
          SELECT pg_catalog.jsonb_build_array(n.nspname, p.proname,
                   pg_catalog.pg_get_function_identity_arguments(p.oid))
            INTO v_result
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
           WHERE p.oid = v_oid;
        ELSE
          -- A scratch column keeps the type modifier; a read-only session, or a pseudo-type
          -- no column can have (trigger, void), asks to_regtype (+ to_regtypemod on 17+).
          v_oid := NULL;
          v_typmod := NULL;
          IF NOT read_only THEN
            v_ddl := pg_catalog.format('CREATE TEMP TABLE "schemaprobe type" (t %s)', r.spec);
            BEGIN
              PERFORM pg_catalog.set_config('search_path', spec_path, true);
              EXECUTE v_ddl;
              PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
              SELECT a.atttypid, a.atttypmod INTO v_oid, v_typmod
                FROM pg_catalog.pg_attribute a
               WHERE a.attrelid = 'pg_temp."schemaprobe type"'::pg_catalog.regclass
                 AND a.attnum = 1;
            EXCEPTION WHEN invalid_table_definition THEN
              v_oid := NULL;
            END;
          END IF;
          IF v_oid IS NULL THEN
            PERFORM pg_catalog.set_config('search_path', spec_path, true);
            v_oid := pg_catalog.to_regtype(r.spec);
            IF pg_catalog.current_setting('server_version_num')::integer >= 170000 THEN
              EXECUTE 'SELECT pg_catalog.to_regtypemod($1)' INTO v_typmod USING r.spec;
            END IF;
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
          END IF;
          IF v_oid IS NULL THEN
            RAISE EXCEPTION 'type "%" does not exist', r.spec;
          END IF;
          v_result := pg_catalog.to_jsonb(pg_catalog.format_type(v_oid, v_typmod));
        END IF;
        RAISE SQLSTATE 'SPRB0';
      EXCEPTION
        WHEN SQLSTATE 'SPRB0' THEN
          answers := pg_catalog.array_append(answers,
            pg_catalog.jsonb_build_array(r.id, v_result, NULL::text));
        WHEN OTHERS THEN
          answers := pg_catalog.array_append(answers,
            pg_catalog.jsonb_build_array(r.id, NULL::text, SQLERRM));
      END;
    END LOOP;
  ELSIF read_only THEN
    NULL;  -- expressions: no DDL in a read-only session
  ELSE
    FOR tbl IN SELECT e ->> 'schema' AS schema, e ->> 'name' AS name,
                      pg_catalog.jsonb_agg(e) AS items
               FROM pg_catalog.jsonb_array_elements(request -> 'items') AS e
               GROUP BY 1, 2
    LOOP
      BEGIN
        v_failure := NULL;
        BEGIN
          SELECT c.oid INTO v_live
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = tbl.schema AND c.relname = tbl.name;
          IF v_live IS NULL THEN
            RAISE EXCEPTION 'relation %.% does not exist',
              pg_catalog.quote_ident(tbl.schema), pg_catalog.quote_ident(tbl.name);
          END IF;
          SELECT pg_catalog.string_agg(pg_catalog.format('%I %s%s', a.attname,
                   pg_catalog.format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attcollation <> t.typcollation
                        THEN ' COLLATE ' || pg_catalog.quote_ident(cn.nspname) || '.'
                             || pg_catalog.quote_ident(co.collname)
                        ELSE '' END), ', ' ORDER BY a.attnum)
            INTO v_columns
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
           WHERE a.attrelid = v_live AND a.attnum > 0 AND NOT a.attisdropped;
          EXECUTE pg_catalog.format('CREATE TEMP TABLE %I (%s)', tbl.name,
                                    COALESCE(v_columns, ''));
          SELECT c.oid INTO v_scratch FROM pg_catalog.pg_class c
           WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname = tbl.name;
        EXCEPTION WHEN OTHERS THEN
          v_failure := SQLERRM;
        END;
        FOR r IN SELECT * FROM pg_catalog.jsonb_to_recordset(tbl.items)
                 AS x(id integer, kind text, spec text, context text, timing text, level text)
        LOOP
          IF v_failure IS NOT NULL THEN
            answers := pg_catalog.array_append(answers,
              pg_catalog.jsonb_build_array(r.id, NULL::text, v_failure));
            CONTINUE;
          END IF;
          v_value := NULL;
          BEGIN
            v_target := 'schemaprobe scratch';
            IF r.kind = 'check' THEN
              v_ddls := ARRAY[pg_catalog.format('ALTER TABLE pg_temp.%I ADD CONSTRAINT %I'
                ' CHECK (%s) NOT VALID', tbl.name, v_target, r.spec)];
              v_render := 'SELECT pg_catalog.pg_get_expr(k.conbin, k.conrelid)'
                ' FROM pg_catalog.pg_constraint k WHERE k.conrelid = $1 AND k.conname = $2';
            ELSIF r.kind IN ('default', 'generated') THEN
              IF r.context <> '' THEN
                SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO v_type
                  FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = v_scratch AND a.attname = r.context AND a.attnum > 0;
                IF v_type IS NULL THEN
                  RAISE EXCEPTION 'column "%" does not exist', r.context;
                END IF;
              ELSE  -- no column named: the expression's own type, as a view column has it
                v_ddl := pg_catalog.format('CREATE TEMP VIEW %I AS SELECT (%s) AS v'
                  ' FROM pg_temp.%I', v_target, r.spec, tbl.name);
                PERFORM pg_catalog.set_config('search_path', spec_path, true);
                EXECUTE v_ddl;
                PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
                SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) INTO v_type
                  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                 WHERE c.relnamespace = pg_catalog.pg_my_temp_schema()
                   AND c.relname = v_target AND a.attnum = 1;
              END IF;
              IF r.kind = 'generated' THEN
                v_ddls := ARRAY[pg_catalog.format('ALTER TABLE pg_temp.%I ADD COLUMN %I %s'
                  ' GENERATED ALWAYS AS (%s) STORED', tbl.name, v_target, v_type, r.spec)];
              ELSE
                IF r.context <> '' THEN
                  v_target := r.context;
                ELSE
                  EXECUTE pg_catalog.format('ALTER TABLE pg_temp.%I ADD COLUMN %I %s',
                    tbl.name, v_target, v_type);
                END IF;
                v_ddls := ARRAY[pg_catalog.format('ALTER TABLE pg_temp.%I ALTER COLUMN %I'
                  ' SET DEFAULT (%s)', tbl.name, v_target, r.spec)];
              END IF;
              v_render := 'SELECT pg_catalog.pg_get_expr(d.adbin,'
                ' CASE WHEN a.attgenerated = '''' THEN 0 ELSE d.adrelid END)'
                ' FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a'
                ' ON a.attrelid = d.adrelid AND a.attnum = d.adnum'
                ' WHERE d.adrelid = $1 AND a.attname = $2';
            ELSIF r.kind = 'index_expression' THEN
              v_ddls := '{}';
              FOREACH v_method IN ARRAY ARRAY[r.context, 'btree', 'gist', 'gin', 'hash', 'brin']
              LOOP
                v_ddls := pg_catalog.array_append(v_ddls, pg_catalog.format(
                  'CREATE INDEX %I ON pg_temp.%I USING %I ((%s))',
                  v_target, tbl.name, v_method, r.spec));
              END LOOP;
              v_render := 'SELECT COALESCE(pg_catalog.pg_get_expr(i.indexprs, i.indrelid),'
                ' (SELECT a.attname::text FROM pg_catalog.pg_attribute a'
                '  WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0]))'
                ' FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid'
                ' WHERE i.indrelid = $1 AND c.relname = $2';
            ELSIF r.kind = 'index_predicate' THEN
              v_ddls := ARRAY[pg_catalog.format('CREATE INDEX %I ON pg_temp.%I ((1))'
                ' WHERE (%s)', v_target, tbl.name, r.spec)];
              v_render := 'SELECT pg_catalog.pg_get_expr(i.indpred, i.indrelid)'
                ' FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid'
                ' WHERE i.indrelid = $1 AND c.relname = $2';
            ELSIF r.kind IN ('policy_using', 'policy_with_check') THEN
              v_ddls := ARRAY[pg_catalog.format(CASE r.kind
                WHEN 'policy_using' THEN 'CREATE POLICY %I ON pg_temp.%I USING (%s)'
                ELSE 'CREATE POLICY %I ON pg_temp.%I WITH CHECK (%s)' END,
                v_target, tbl.name, r.spec)];
              v_render := 'SELECT pg_catalog.pg_get_expr(CASE WHEN $3 = ''policy_using'''
                ' THEN p.polqual ELSE p.polwithcheck END, p.polrelid)'
                ' FROM pg_catalog.pg_policy p WHERE p.polrelid = $1 AND p.polname = $2';
            ELSIF r.kind = 'trigger_when'
                  AND r.timing ~ ('^(BEFORE|AFTER) (INSERT|UPDATE|DELETE|TRUNCATE)'
                                  '( OR (INSERT|UPDATE|DELETE|TRUNCATE))*$')
                  AND r.level IN ('ROW', 'STATEMENT') THEN
              v_ddls := ARRAY[pg_catalog.format('CREATE TRIGGER %I %s ON pg_temp.%I'
                ' FOR EACH %s WHEN (%s)'
                ' EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()',
                v_target, r.timing, tbl.name, r.level, r.spec)];
              v_render := 'SELECT pg_catalog.pg_get_triggerdef(t.oid)'
                ' FROM pg_catalog.pg_trigger t WHERE t.tgrelid = $1 AND t.tgname = $2';
            ELSE
              RAISE EXCEPTION 'cannot canonicalise a % expression', r.kind;
            END IF;
            -- Compile with the spec's search path; the first DDL that works wins (an
            -- index key may need another access method for a default operator class).
            v_done := false;
            v_first := NULL;
            FOREACH v_ddl IN ARRAY v_ddls LOOP
              BEGIN
                PERFORM pg_catalog.set_config('search_path', spec_path, true);
                EXECUTE v_ddl;
                PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
                v_done := true;
              EXCEPTION WHEN undefined_object OR feature_not_supported OR wrong_object_type THEN
                v_first := COALESCE(v_first, SQLERRM);
              END;
              EXIT WHEN v_done;
            END LOOP;
            IF NOT v_done THEN
              RAISE EXCEPTION '%', v_first;
            END IF;
            EXECUTE v_render INTO v_value USING v_scratch, v_target, r.kind;
            RAISE SQLSTATE 'SPRB0';
          EXCEPTION
            WHEN SQLSTATE 'SPRB0' THEN
              answers := pg_catalog.array_append(answers,
                pg_catalog.jsonb_build_array(r.id, v_value, NULL::text));
            WHEN OTHERS THEN
              answers := pg_catalog.array_append(answers,
                pg_catalog.jsonb_build_array(r.id, NULL::text, SQLERRM));
          END;
        END LOOP;
        RAISE SQLSTATE 'SPRB1';
      EXCEPTION WHEN SQLSTATE 'SPRB1' THEN
        NULL;
      END;
    END LOOP;
  END IF;
  PERFORM pg_catalog.set_config('schemaprobe.answer', pg_catalog.jsonb_build_object(
    'read_only', read_only, 'items', pg_catalog.to_jsonb(answers))::text, true);
END
$schemaprobe$""")
