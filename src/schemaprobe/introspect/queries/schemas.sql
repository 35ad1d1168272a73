-- Every non-system schema; include/exclude patterns and profiles are applied in Python
-- (fnmatch semantics), the chosen oids are then passed to every other query.
SELECT
    n.oid,
    n.nspname,
    n.nspowner,
    n.nspacl::text,
    d.description,
    n.oid IN (
      SELECT e.objid FROM pg_depend e
      WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
        AND e.classid = 'pg_namespace'::regclass
  ) AS from_extension
FROM pg_namespace n
LEFT JOIN pg_description d
    ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname !~ '^pg_(toast_)?temp_'
