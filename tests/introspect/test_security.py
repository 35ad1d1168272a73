"""Roles, memberships, grants, row-level security and policies."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from schemaprobe.introspect._acl import parse_aclitem, split_array
from schemaprobe.introspect.model import Membership, Policy, Privilege
from tests.introspect.helpers import Db, qn

TABLE_PRIVILEGES = ("DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE")


def _owner_table_privileges(db: Db, owner: str) -> tuple[Privilege, ...]:
    names = TABLE_PRIVILEGES + (("MAINTAIN",) if db.major >= 17 else ())
    return tuple(sorted(Privilege(owner, p, False, owner) for p in names))


def test_roles_and_memberships(db: Db) -> None:
    roles = db.roles
    base = roles.make("Ünïcødé 表 base", "NOLOGIN NOINHERIT")
    admin = roles.make("admin", "LOGIN SUPERUSER BYPASSRLS CREATEROLE CREATEDB CONNECTION LIMIT 3")
    member = roles.make('member "q"', "LOGIN")
    with psycopg.connect(roles.server_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                sql.Identifier(base), sql.Identifier(member)
            )
        )
        conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(admin), sql.Identifier(member))
        )
        conn.execute(sql.SQL("COMMENT ON ROLE {} IS 'the base'").format(sql.Identifier(base)))
    catalog = db.read()
    got = catalog.roles[base]
    assert (got.login, got.superuser, got.inherit, got.memberships, got.comment) == (
        False,
        False,
        False,
        (),
        "the base",
    )
    got = catalog.roles[admin]
    assert (
        got.login,
        got.superuser,
        got.bypassrls,
        got.createrole,
        got.createdb,
        got.inherit,
        got.replication,
        got.connection_limit,
    ) == (True, True, True, True, True, True, False, 3)
    got = catalog.roles[member]
    option = True if db.major >= 16 else None  # INHERIT and SET options exist since 16
    assert got.memberships == tuple(
        sorted([Membership(base, True, option, option), Membership(admin, False, option, option)])
    )
    assert got.member_of == tuple(sorted([base, admin]))
    assert not any(name.startswith("pg_") for name in catalog.roles)


@pytest.mark.pg(">= 16")
def test_membership_options(db: Db) -> None:
    group = db.roles.make("group")
    user = db.roles.make("user")
    with psycopg.connect(db.roles.server_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("GRANT {} TO {} WITH INHERIT FALSE, SET FALSE").format(
                sql.Identifier(group), sql.Identifier(user)
            )
        )
    assert db.read().roles[user].memberships == (Membership(group, False, False, False),)


def test_table_column_schema_sequence_and_function_privileges(db: Db) -> None:
    reader = db.roles.make("reader")
    writer = db.roles.make("Writer Role")
    db.run(
        """
        CREATE SCHEMA app;
        CREATE TABLE app.t (id serial, secret text, note text);
        CREATE TABLE app.untouched (id int);
        CREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
        CREATE FUNCTION app.g() RETURNS int LANGUAGE sql AS 'SELECT 1';
        GRANT USAGE ON SCHEMA app TO {};
        GRANT SELECT ON app.t TO {};
        GRANT SELECT, INSERT ON app.t TO {} WITH GRANT OPTION;
        GRANT UPDATE (note), SELECT (id, note) ON app.t TO PUBLIC;
        GRANT USAGE ON SEQUENCE app.t_id_seq TO {};
        REVOKE EXECUTE ON FUNCTION app.f(int) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION app.f(int) TO {};
        """,
        reader,
        reader,
        writer,
        writer,
        reader,
    )
    catalog = db.read(include_schemas=["app"])
    owner = "postgres"
    table = catalog.tables[qn("app", "t")]
    assert table.owner == owner
    assert table.privileges == tuple(
        sorted(
            (
                *_owner_table_privileges(db, owner),
                Privilege(reader, "SELECT", False, owner),
                Privilege(writer, "INSERT", True, owner),
                Privilege(writer, "SELECT", True, owner),
            )
        )
    )
    # NULL ACL: the owner's default privileges, nobody else's.
    untouched = catalog.tables[qn("app", "untouched")]
    assert untouched.privileges == _owner_table_privileges(db, owner)
    columns = {c.name: c.privileges for c in table.columns}
    assert columns == {
        "id": (Privilege("PUBLIC", "SELECT", False, owner),),
        "secret": (),
        "note": (
            Privilege("PUBLIC", "SELECT", False, owner),
            Privilege("PUBLIC", "UPDATE", False, owner),
        ),
    }
    assert catalog.schemas["app"].privileges == (
        Privilege(owner, "CREATE", False, owner),
        Privilege(owner, "USAGE", False, owner),
        Privilege(reader, "USAGE", False, owner),
    )
    sequence = catalog.sequences[qn("app", "t_id_seq")]
    assert Privilege(writer, "USAGE", False, owner) in sequence.privileges
    f = catalog.function(qn("app", "f"), "a integer")
    g = catalog.function(qn("app", "g"))
    assert f is not None and g is not None
    assert f.privileges == (
        Privilege(owner, "EXECUTE", False, owner),
        Privilege(reader, "EXECUTE", False, owner),
    )
    assert g.privileges == (
        Privilege("PUBLIC", "EXECUTE", False, owner),
        Privilege(owner, "EXECUTE", False, owner),
    )


def test_acl_parser_agrees_with_aclexplode(db: Db) -> None:
    """Our text parser against the server's own ``aclexplode`` for awkward role names."""
    names = [
        db.roles.make('we"ird = name/x'),
        db.roles.make("Ünïcødé 表"),
        db.roles.make("plain"),
        db.roles.make("with,comma {brace}"),
    ]
    db.run("CREATE TABLE t (id int)")
    for i, name in enumerate(names):
        if i % 2:
            db.run("GRANT SELECT, UPDATE ON t TO {} WITH GRANT OPTION", name)
        else:
            db.run("GRANT ALL ON t TO {}", name)
    with psycopg.connect(db.dsn) as conn:
        acl_text = conn.execute("SELECT relacl::text FROM pg_class WHERE relname = 't'").fetchone()
        exploded = conn.execute(
            """
            SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type,
                   a.is_grantable, r.rolname
            FROM pg_class c, aclexplode(c.relacl) a
            JOIN pg_roles r ON r.oid = a.grantor
            LEFT JOIN pg_roles g ON g.oid = a.grantee
            WHERE c.relname = 't'
            """
        ).fetchall()
    assert acl_text is not None
    ours = sorted(p for item in split_array(acl_text[0]) for p in parse_aclitem(item))
    assert ours == sorted(Privilege(*row) for row in exploded)
    all_privileges = 8 if db.major >= 17 else 7  # MAINTAIN since 17
    # owner and two roles with ALL, two roles with SELECT and UPDATE (grantable)
    assert len(ours) == 3 * all_privileges + 2 * 2
    assert sum(p.grantable for p in ours) == 4


def test_row_level_security_and_policies(db: Db) -> None:
    staff = db.roles.make("staff member")
    auditor = db.roles.make("Auditor")
    db.run(
        """
        CREATE TABLE docs (id int, owner_id int, team text, secret boolean);
        CREATE TABLE teams (name text, member int);
        CREATE TABLE open_table (id int);
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        ALTER TABLE docs FORCE ROW LEVEL SECURITY;
        ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
        CREATE POLICY "Users can view own docs" ON docs FOR SELECT
            USING (owner_id = current_setting('app.user')::int);
        CREATE POLICY "team ""members"" edit" ON docs FOR UPDATE TO {}, {}
            USING (team IN (SELECT name FROM teams WHERE member = owner_id))
            WITH CHECK (NOT secret);
        CREATE POLICY no_secrets ON docs AS RESTRICTIVE FOR ALL TO PUBLIC USING (NOT secret);
        CREATE POLICY ins ON docs FOR INSERT WITH CHECK (owner_id > 0);
        CREATE POLICY del ON docs FOR DELETE USING (true);
        COMMENT ON POLICY del ON docs IS 'anyone';
        """,
        staff,
        auditor,
    )
    catalog = db.read()
    docs = catalog.tables[qn("public", "docs")]
    assert (docs.rls_enabled, docs.rls_forced) == (True, True)
    teams = catalog.tables[qn("public", "teams")]
    assert (teams.rls_enabled, teams.rls_forced, teams.policies) == (True, False, ())
    open_table = catalog.tables[qn("public", "open_table")]
    assert (open_table.rls_enabled, open_table.rls_forced) == (False, False)
    assert docs.policies == (
        Policy(
            "Users can view own docs",
            "SELECT",
            True,
            ("PUBLIC",),
            "(owner_id = (current_setting('app.user'::text))::integer)",
            None,
            None,
        ),
        Policy("del", "DELETE", True, ("PUBLIC",), "true", None, "anyone"),
        Policy("ins", "INSERT", True, ("PUBLIC",), None, "(owner_id > 0)", None),
        Policy("no_secrets", "ALL", False, ("PUBLIC",), "(NOT secret)", None, None),
        Policy(
            'team "members" edit',
            "UPDATE",
            True,
            tuple(sorted([staff, auditor])),
            # Rendered with search_path = pg_catalog: other schemas are always qualified.
            "(team IN ( SELECT teams.name\n   FROM public.teams\n"
            "  WHERE (teams.member = docs.owner_id)))",
            "(NOT secret)",
            None,
        ),
    )
