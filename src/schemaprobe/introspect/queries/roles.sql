-- All roles of the cluster (pg_roles, readable without superuser). Predefined pg_*
-- roles are read too, so owners and memberships can always be named; the model drops them.
SELECT
    r.oid,
    r.rolname,
    r.rolcanlogin,
    r.rolsuper,
    r.rolbypassrls,
    r.rolcreaterole,
    r.rolcreatedb,
    r.rolinherit,
    r.rolreplication,
    r.rolconnlimit,
    d.description
FROM pg_roles r
LEFT JOIN pg_shdescription d ON d.classoid = 'pg_authid'::regclass AND d.objoid = r.oid
