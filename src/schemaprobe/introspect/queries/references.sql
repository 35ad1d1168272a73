-- Relations outside the selection that selected ones are tied to by inheritance (parents,
-- and partitions placed in other schemas): their names and column names, so they can be
-- named without reading their schemas. Foreign key targets are looked up by targets.sql.
WITH refs AS (
    SELECT h.inhparent AS oid
    FROM pg_inherits h JOIN pg_class k ON k.oid = h.inhrelid
    WHERE k.relnamespace = ANY(%(schemas)s)
    UNION
    SELECT h.inhrelid
    FROM pg_inherits h JOIN pg_class k ON k.oid = h.inhparent
    WHERE k.relnamespace = ANY(%(schemas)s)
)
SELECT
    c.oid,
    n.nspname,
    c.relname,
    c.relispartition,
    ARRAY(
        SELECT h.inhparent FROM pg_inherits h WHERE h.inhrelid = c.oid ORDER BY h.inhseqno
    ) AS parents,
    ARRAY(
        SELECT a.attnum FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
    ) AS attnums,
    ARRAY(
        SELECT a.attname FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
    ) AS attnames
FROM refs
JOIN pg_class c ON c.oid = refs.oid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT (c.relnamespace = ANY(%(schemas)s))
   OR c.oid IN (
      SELECT e.objid FROM pg_depend e
      WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
        AND e.classid = 'pg_class'::regclass
  )
