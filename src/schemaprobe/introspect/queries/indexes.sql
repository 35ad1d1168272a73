-- Indexes as raw catalog columns (key attnums, options, operator classes, collations as
-- the vectors' text, which doubles as a cache key in Python); the definition is rebuilt
-- in Python, only expressions and predicates are rendered. "share_from"/"share_to" split the
-- tables between two connections (each backend then builds relation cache entries for
-- only its half, which pg_get_expr with a table context needs).
-- Primary key and exclusion indexes always back a constraint; only plain unique ones
-- need a look into pg_constraint (by table, through its index).
-- Whether an expression key shows a COLLATE clause depends on the expression's own
-- collation, which only the server knows: the rare indexes with an expression key and a
-- non-default collation come with their pg_get_indexdef text to look it up in.
-- "nulls_not_distinct": indnullsnotdistinct (PostgreSQL 15+).
-- "scans": index scans since statistics were last reset (what pg_stat_all_indexes.idx_scan
-- reads, without the view's joins; 0 when nothing was counted).
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
    CASE
        WHEN i.indisprimary OR i.indisexclusion THEN true
        WHEN i.indisunique THEN EXISTS (
            SELECT FROM pg_constraint k
            WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid AND k.contype = 'u'
        )
        ELSE false
    END AS backs_constraint,
    pg_stat_get_numscans(i.indexrelid) AS scans
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_description d
    ON d.classoid = 'pg_class'::regclass AND d.objoid = i.indexrelid AND d.objsubid = 0
WHERE ic.relnamespace = ANY(%(schemas)s)
  AND mod(i.indrelid::int8, 10) BETWEEN %(share_from)s::int8 AND %(share_to)s::int8
