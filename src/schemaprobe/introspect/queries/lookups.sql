-- Small name tables resolved in Python instead of joined into the big queries:
-- operator classes (to tell default from explicit ones), collations, access methods,
-- languages, and the types whose base type or collation matters.
SELECT 'opclass', c.oid, n.nspname, c.opcname, c.opcmethod, c.opcintype, c.opcdefault
FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace
UNION ALL
SELECT 'collation', c.oid, n.nspname, c.collname, 0, 0, false
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
UNION ALL
SELECT 'type', t.oid, '', '', t.typbasetype, t.typcollation, false
FROM pg_type t
WHERE t.typtype = 'd' OR t.typcollation <> 0
UNION ALL
SELECT 'am', a.oid, '', a.amname, 0, 0, false FROM pg_am a
UNION ALL
SELECT 'language', l.oid, '', l.lanname, 0, 0, false FROM pg_language l
