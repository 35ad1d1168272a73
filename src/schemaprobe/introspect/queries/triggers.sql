-- User triggers of the selected tables and views (internal FK/constraint triggers are
-- skipped; before PostgreSQL 15 triggers cloned onto partitions were marked internal,
-- so those are kept by their parent link). tgtype is decoded in Python; only triggers
-- with a WHEN condition need pg_get_triggerdef, whose WHEN clause is cut out in Python.
SELECT
    t.tgrelid,
    t.tgname,
    t.tgtype,
    t.tgenabled,
    t.tgattr::int2[],
    fn.nspname,
    p.proname,
    t.tgargs,
    CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid) END AS def,
    t.tgconstraint <> 0,
    t.tgdeferrable,
    t.tginitdeferred,
    t.tgoldtable,
    t.tgnewtable,
    t.tgparentid <> 0,
    d.description
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = p.pronamespace
LEFT JOIN pg_description d
    ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY(%(schemas)s)
  AND (NOT t.tgisinternal OR (t.tgparentid <> 0 AND t.tgconstraint = 0))
