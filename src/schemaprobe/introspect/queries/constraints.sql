-- PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK and EXCLUDE constraints of the selected
-- tables as raw catalog columns: key columns stay attnum arrays (sent as text, parsed once
-- per distinct value and named in Python); only CHECK expressions and EXCLUDE
-- definitions are rendered by the server.
-- "enforced": conenforced (PostgreSQL 18+); "delsetcols": confdelsetcols (15+);
-- "nulls_not_distinct": the backing index's indnullsnotdistinct (15+), UNIQUE only.
-- "share_from"/"share_to" split the tables between two connections, see indexes.sql.
SELECT
    c.conrelid,
    c.conname,
    c.contype,
    c.condeferrable,
    c.condeferred,
    c.convalidated,
    c.conkey::text,
    c.confrelid,
    c.confkey::text,
    c.confupdtype,
    c.confdeltype,
    c.confmatchtype,
    c.conindid,
    c.connoinherit,
    c.conislocal,
    CASE WHEN c.contype = 'c' THEN pg_get_expr(c.conbin, c.conrelid) END AS checkexpr,
    CASE WHEN c.contype = 'x' THEN pg_get_constraintdef(c.oid) END AS definition,
    d.description,
    {enforced} AS enforced,
    {delsetcols}::text AS delsetcols,
    {nulls_not_distinct} AS nulls_not_distinct
FROM pg_constraint c
JOIN pg_class r ON r.oid = c.conrelid
LEFT JOIN pg_description d
    ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid AND d.objsubid = 0
WHERE r.relnamespace = ANY(%(schemas)s)
  AND c.contype IN ('p', 'u', 'f', 'c', 'x')
  AND mod(c.conrelid::int8, 10) BETWEEN %(share_from)s::int8 AND %(share_to)s::int8
