SELECT
    p.polrelid,
    p.polname,
    p.polcmd,
    p.polpermissive,
    p.polroles::text,
    pg_get_expr(p.polqual, p.polrelid) AS qual,
    pg_get_expr(p.polwithcheck, p.polrelid) AS withcheck,
    d.description
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
LEFT JOIN pg_description d
    ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid AND d.objsubid = 0
WHERE c.relnamespace = ANY(%(schemas)s)
  AND mod(p.polrelid::int8, 10) BETWEEN %(share_from)s::int8 AND %(share_to)s::int8
