-- Columns of the selected tables and views. Plain defaults cannot refer to columns,
-- so they are rendered without a relation context (pg_get_expr(adbin, 0)), which spares
-- the server a per-table catalog lookup; generated columns need the table's context.
SELECT
    a.attrelid,
    a.attnum,
    a.attname,
    format_type(a.atttypid, a.atttypmod),
    a.atttypid,
    a.attnotnull,
    CASE
        WHEN ad.adbin IS NULL THEN NULL
        WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0)
        ELSE pg_get_expr(ad.adbin, ad.adrelid)
    END AS expr,
    a.attidentity,
    a.attgenerated,
    a.attcollation,
    a.attacl::text,
    d.description
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
    ON d.classoid = 'pg_class'::regclass AND d.objoid = a.attrelid AND d.objsubid = a.attnum
WHERE c.relnamespace = ANY(%(schemas)s)
  AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND a.attnum > 0
  AND NOT a.attisdropped
