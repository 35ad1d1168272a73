-- Functions, procedures, aggregates and window functions of the selected schemas,
-- minus extension members. "source": the body; PostgreSQL 14+ SQL-standard bodies
-- (BEGIN ATOMIC) live in prosqlbody, not prosrc.
SELECT
    n.nspname,
    p.proname,
    pg_get_function_identity_arguments(p.oid) AS arguments,
    p.prokind,
    CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
    p.prolang,
    p.provolatile,
    p.proisstrict,
    p.prosecdef,
    p.proleakproof,
    p.proparallel,
    p.proconfig,
    p.proowner,
    {source} AS source,
    p.proacl::text,
    d.description
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_description d
    ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE p.pronamespace = ANY(%(schemas)s)
  AND NOT p.oid IN (
      SELECT e.objid FROM pg_depend e
      WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
        AND e.classid = 'pg_proc'::regclass
  )
