-- Indexes as raw catalog columns (key attnums, options, operator classes, collations as
-- the vectors' text, which doubles as a cache key in Python); the definition is rebuilt
-- in Python, only expressions and predicates are rendered. "share_from"/"share_to" split the
-- tables between two connections (each backend then builds relation cache entries for
-- only its half, which pg_get_expr with a table context needs).
-- Whether an expression key shows a COLLATE clause depends on the expression's own
-- collation, which only the server knows: the rare indexes with an expression key and a
-- non-default collation come with their pg_get_indexdef text to look it up in.
-- "nulls_not_distinct": indnullsnotdistinct (PostgreSQL 15+).
SELECT
    i.indrelid,
    ic.relname,
    ic.relam,
    i.indisunique,
    i.indisprimary,
    i.indisvalid,
    i.indnkeyatts,
    i.indkey::text,
    i.indoption::text,
    i.indclass::text,
    i.indcollation::text,
    pg_get_expr(i.indexprs, i.indrelid) AS exprs,
    pg_get_expr(i.indpred, i.indrelid) AS pred,
    CASE
        WHEN i.indexprs IS NOT NULL AND NOT (i.indcollation::oid[] <@ ARRAY[0, 100]::oid[])
        THEN pg_get_indexdef(i.indexrelid)
    END AS def,
    ic.reloptions,
    d.description,
    {nulls_not_distinct} AS nulls_not_distinct,
    i.indexrelid IN (
        SELECT k.conindid FROM pg_constraint k WHERE k.contype IN ('p', 'u', 'x')
    ) AS backs_constraint
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_description d
    ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE ic.relnamespace = ANY(%(schemas)s)
  AND mod(i.indrelid::int8, 10) BETWEEN %(share_from)s::int8 AND %(share_to)s::int8
