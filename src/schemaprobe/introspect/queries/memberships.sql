-- Direct role memberships. PostgreSQL 16 allows one grant per grantor and adds the
-- INHERIT and SET options: "options" is the version's column list, grants of the same
-- role to the same member are folded into one row.
SELECT
    m.member,
    m.roleid,
    {options}
FROM pg_auth_members m
GROUP BY m.member, m.roleid
