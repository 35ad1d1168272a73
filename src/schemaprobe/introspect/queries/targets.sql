-- Names and column names of the tables foreign keys point at ("oids": the distinct
-- confrelid of one constraints result). Asked for right after the constraints, with the
-- few distinct targets, instead of scanning pg_constraint once more for them; the rows
-- have the shape of references.sql.
SELECT
    c.oid,
    n.nspname,
    c.relname,
    c.relispartition,
    ARRAY[]::oid[] AS parents,
    ARRAY(
        SELECT a.attnum FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
    ) AS attnums,
    ARRAY(
        SELECT a.attname FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
    ) AS attnames
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = ANY(%(oids)s::oid[])
