-- Tables, partitioned and foreign tables, views, materialized views and sequences of
-- the selected schemas, minus extension members (found through the index on the
-- referenced side of pg_depend: scanning all of pg_depend costs more than this query).
-- Only partition keys/bounds and view definitions need server-side rendering, and only
-- for the rows that have them.
SELECT
    c.oid,
    n.nspname,
    c.relname,
    c.relkind,
    c.relowner,
    c.relpersistence,
    c.relrowsecurity,
    c.relforcerowsecurity,
    c.relispartition,
    c.relispopulated,
    c.reloptions,
    c.relacl::text,
    d.description,
    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
    CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partbound,
    i.parents,
    CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS viewdef
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
    ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
LEFT JOIN (
    SELECT inhrelid, array_agg(inhparent ORDER BY inhseqno) AS parents
    FROM pg_inherits
    GROUP BY inhrelid
) i ON i.inhrelid = c.oid
WHERE c.relnamespace = ANY(%(schemas)s)
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
  AND NOT c.oid IN (
      SELECT e.objid FROM pg_depend e
      WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
        AND e.classid = 'pg_class'::regclass
  )
