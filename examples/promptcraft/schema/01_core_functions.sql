-- PromptCraft Forge, "Schema File Organization": 01_core_functions.sql,
-- "Core database functions and utilities".
--
-- The document names these functions (sections "Migration Standards", "Regular
-- Maintenance Tasks", "Health Checks") but gives none of their bodies; the bodies below
-- are this example's design, kept small. All are plpgsql, so the tables they read need
-- not exist yet when this file runs (schema files load in name order, like psql -f).

-- "Create triggers ... EXECUTE FUNCTION update_updated_at_column()"
CREATE OR REPLACE FUNCTION public.update_updated_at_column()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at = timezone('utc'::text, now());
    RETURN NEW;
END;
$$;

-- "Cleanup Operations / Old Records: Automatic cleanup of old logs and history":
-- prompt history older than each user's max_history_days (when auto_cleanup is on) and
-- API usage logs older than 90 days (design choice: the document gives no period).
CREATE OR REPLACE FUNCTION public.daily_maintenance()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM public.prompt_history h
     USING public.user_preferences p
     WHERE p.user_id = h.user_id
       AND p.auto_cleanup
       AND h.created_at < now() - make_interval(days => p.max_history_days);
    DELETE FROM public.api_usage_logs WHERE created_at < now() - interval '90 days';
    PERFORM public.analyze_all_tables();
END;
$$;

-- "SELECT public.analyze_all_tables();": ANALYZE may run inside a function.
CREATE OR REPLACE FUNCTION public.analyze_all_tables()
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ANALYZE %I.%I', t.schemaname, t.tablename);
    END LOOP;
END;
$$;

-- "SELECT public.vacuum_all_tables();": VACUUM cannot run inside a function (it refuses
-- any transaction block), so this cannot vacuum as the document implies. Design: it
-- returns the VACUUM statements for the client to run (psql: SELECT ... \gexec).
CREATE OR REPLACE FUNCTION public.vacuum_all_tables()
RETURNS SETOF text
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY
        SELECT format('VACUUM (ANALYZE) %I.%I', schemaname, tablename)
          FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename;
END;
$$;

-- "SELECT * FROM public.get_database_stats();": one row per table.
CREATE OR REPLACE FUNCTION public.get_database_stats()
RETURNS TABLE (table_name text, row_estimate bigint, total_bytes bigint, dead_rows bigint)
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY
        SELECT s.relname::text, s.n_live_tup, pg_total_relation_size(s.relid), s.n_dead_tup
          FROM pg_stat_user_tables s
         WHERE s.schemaname = 'public'
         ORDER BY s.relname;
END;
$$;

-- "SELECT public.health_check();"
CREATE OR REPLACE FUNCTION public.health_check()
RETURNS jsonb
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN jsonb_build_object(
        'status', 'ok',
        'checked_at', now(),
        'database_bytes', pg_database_size(current_database()),
        'connections', (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())
    );
END;
$$;

-- "SELECT public.integrity_check();": foreign keys not yet validated.
CREATE OR REPLACE FUNCTION public.integrity_check()
RETURNS jsonb
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN jsonb_build_object(
        'unvalidated_constraints',
        (SELECT coalesce(jsonb_agg(conname ORDER BY conname), '[]'::jsonb)
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = 'public' AND NOT c.convalidated)
    );
END;
$$;

-- "SELECT public.security_audit();": public tables without row level security.
CREATE OR REPLACE FUNCTION public.security_audit()
RETURNS jsonb
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN jsonb_build_object(
        'tables_without_rls',
        (SELECT coalesce(jsonb_agg(c.relname ORDER BY c.relname), '[]'::jsonb)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity)
    );
END;
$$;
