SELECT
    e.extname,
    e.extversion,
    n.nspname,
    e.extrelocatable,
    d.description
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_description d
    ON d.classoid = 'pg_extension'::regclass AND d.objoid = e.oid AND d.objsubid = 0
