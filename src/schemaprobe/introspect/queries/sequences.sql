-- Sequence parameters and the column each one is OWNED BY ('a') or backs as an
-- identity ('i'). Names, owners and grants come with the relations query.
SELECT
    s.seqrelid,
    format_type(s.seqtypid, NULL),
    s.seqstart,
    s.seqincrement,
    s.seqmin,
    s.seqmax,
    s.seqcache,
    s.seqcycle,
    tn.nspname,
    tc.relname,
    a.attname,
    dep.deptype = 'i'
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
LEFT JOIN pg_depend dep
    ON dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid
   AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0
   AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class tc ON tc.oid = dep.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
WHERE c.relnamespace = ANY(%(schemas)s)
