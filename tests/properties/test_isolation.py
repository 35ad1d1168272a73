"""RLS isolation as a property: every principal sees and changes exactly what the tenancy
model allows. The issue's planted defects each fail with a shrunk world; the correct
schemas pass; a test that could not fail (an acting role RLS does not bind) fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaprobe.errors import SpecError
from schemaprobe.introspect import read_catalog
from schemaprobe.properties.oracle import PropertyOutcome
from schemaprobe.properties.plan import plan_properties
from schemaprobe.properties.runner import Skipped, run_plans
from schemaprobe.provision.session import connect
from schemaprobe.provision.supabase import has_auth_schema, install_supabase_compat
from schemaprobe.spec.load import load_specs

# the example project's schema (tests/examples/isolation_project), shared with the plugin tests
NOTES = (Path(__file__).parents[1] / "examples" / "isolation_project" / "schema.sql").read_text()

NOTES_SPEC = """
version: 1
tenancy:
  owner: user_id
  public: is_public
tables:
  notes:
    columns:
      user_id: uuid
      is_public: boolean
"""

COMMANDS = ("select", "insert", "update", "delete")


def _items(table: str) -> list[str]:
    return [f"{table}::rls_property[{c}]" for c in COMMANDS]


def run_isolation(
    dsn: str, ddl: str, spec: str, tmp_path: Path, *, worlds: int = 25
) -> dict[str, PropertyOutcome | Skipped]:
    with connect(dsn, autocommit=True) as conn:
        if not has_auth_schema(conn):
            install_supabase_compat(conn)
        conn.execute(ddl)  # type: ignore[call-overload]
    path = tmp_path / "spec.yaml"
    path.write_text(spec)
    plans = [p for p in plan_properties(load_specs([path])) if p.kind == "rls"]
    with connect(dsn) as conn:
        catalog = read_catalog(conn, profile="supabase")
    return {p.name: o for p, o in run_plans(dsn, catalog, plans, worlds=worlds)}


def _passed(outcomes: dict[str, PropertyOutcome | Skipped]) -> list[str]:
    return [n for n, o in outcomes.items() if isinstance(o, PropertyOutcome) and o.passed]


def _breach(outcome: PropertyOutcome | Skipped) -> dict[str, str]:
    """The failure's context lines by label (``actor``, ``world``...) plus spec/database."""
    assert isinstance(outcome, PropertyOutcome), outcome
    found = outcome.counterexample
    assert found is not None, outcome.error
    lines: dict[str, str] = {}
    for line in found.context:
        label, _sep, text = line.partition(":")
        if label.strip():
            lines[label.strip()] = text.strip()
    lines["expected"] = found.expected or ""
    lines["actual"] = found.actual or ""
    lines["script"] = found.reproduce()
    return lines


def test_the_conforming_table_passes_every_command(scratch_dsn: str, tmp_path: Path) -> None:
    outcomes = run_isolation(scratch_dsn, NOTES, NOTES_SPEC, tmp_path)
    assert sorted(outcomes) == sorted(_items("public.notes"))
    assert _passed(outcomes) == _items("public.notes")
    for outcome in outcomes.values():
        assert isinstance(outcome, PropertyOutcome)
        assert outcome.examples >= 20  # worlds were really tried


PLANTED = [
    pytest.param(
        "ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;",
        "",
        COMMANDS,
        "user 1 (role authenticated)",
        "sees row 1 (user 1's), row 2 (user 2's)",
        id="rls-disabled",
    ),
    pytest.param(
        "USING ((select auth.uid()) = user_id OR is_public);",
        "USING (true);",
        ("select",),
        "user 1 (role authenticated)",
        "sees row 1 (user 1's), row 2 (user 2's)",
        id="using-true",
    ),
    pytest.param(
        'WITH CHECK ((select auth.uid()) = user_id);\nCREATE POLICY "Users can delete',
        'WITH CHECK (true);\nCREATE POLICY "Users can delete',
        ("update",),
        "user 1 (role authenticated)",
        # PostgreSQL checks the new row against the SELECT policy too (the UPDATE names
        # its row): only a public row can be handed over here, and the world shows it
        "hands row 1 (user 1's, public) to user 2",
        id="with-check-allows-transfer",
    ),
    pytest.param(
        "FOR SELECT\n  TO authenticated",
        "FOR SELECT\n  TO anon, authenticated",
        ("select",),
        "anon (role anon)",
        "sees row 2 (user 2's, public)",
        id="policy-to-anon-too",
    ),
    pytest.param(
        'CREATE POLICY "Users can delete own notes"',
        'CREATE POLICY "Everyone signed in reads" ON public.notes FOR SELECT TO authenticated'
        ' USING (true);\nCREATE POLICY "Users can delete own notes"',
        ("select",),
        "user 1 (role authenticated)",
        "sees row 1 (user 1's), row 2 (user 2's)",
        id="second-permissive-policy",
    ),
    pytest.param(
        "FOR UPDATE\n  TO authenticated USING ((select auth.uid()) = user_id)",
        "FOR UPDATE\n  TO authenticated USING (true)",
        ("update",),
        "user 1 (role authenticated)",
        "changes row 1 (user 1's), row 2 (user 2's)",
        id="blind-update-using-true",
    ),
    pytest.param(
        "FOR DELETE\n  TO authenticated USING ((select auth.uid()) = user_id)",
        "FOR DELETE\n  TO authenticated USING (true)",
        ("delete",),
        "user 1 (role authenticated)",
        "deletes row 1 (user 1's), row 2 (user 2's)",
        id="delete-using-true",
    ),
    pytest.param(
        "FOR INSERT\n  TO authenticated WITH CHECK ((select auth.uid()) = user_id)",
        "FOR INSERT\n  TO authenticated WITH CHECK (true)",
        ("insert",),
        "user 1 (role authenticated)",
        "accepts a row of user 2's",
        id="insert-with-check-true",
    ),
]


@pytest.mark.parametrize(("old", "new", "failing", "actor", "actual"), PLANTED)
def test_planted_defects_fail_with_the_smallest_world(
    scratch_dsn: str,
    tmp_path: Path,
    old: str,
    new: str,
    failing: tuple[str, ...],
    actor: str,
    actual: str,
) -> None:
    assert old in NOTES
    outcomes = run_isolation(scratch_dsn, NOTES.replace(old, new), NOTES_SPEC, tmp_path)
    failed = sorted(n for n in outcomes if n not in _passed(outcomes))
    assert failed == sorted(f"public.notes::rls_property[{c}]" for c in failing)
    breach = _breach(outcomes[f"public.notes::rls_property[{failing[0]}]"])
    assert breach["actor"] == actor
    assert breach["actual"] == actual
    assert breach["principals"].startswith("user 1 = 00000000-0000-4000-8000-000000000001")
    assert "SET LOCAL ROLE" in breach["script"] and breach["script"].startswith("BEGIN;")


def test_an_or_leak_through_an_undeclared_column_is_found_by_drawn_rows(
    scratch_dsn: str, tmp_path: Path
) -> None:
    """The spec declares no public rows: ``OR is_public`` in the SELECT policy is a leak,
    seen only when a world's row happens to be public, which Hypothesis draws and
    shrinks to one such row."""
    spec = NOTES_SPEC.replace("  public: is_public\n", "")
    outcomes = run_isolation(scratch_dsn, NOTES, spec, tmp_path)
    assert _passed(outcomes) == [
        "public.notes::rls_property[insert]",
        "public.notes::rls_property[update]",
        "public.notes::rls_property[delete]",
    ]
    breach = _breach(outcomes["public.notes::rls_property[select]"])
    assert breach["world"].startswith("row 1 (user 1's; is_public = True), key ")
    assert breach["actor"] == "user 2 (role authenticated)"
    assert breach["actual"] == "sees row 1 (user 1's; is_public = True)"


def test_the_reproduction_script_shows_the_leak_in_psql(scratch_dsn: str, tmp_path: Path) -> None:
    """Run as written (minus its ROLLBACK, to read the last result) on a database with the
    schema: the acting user sees the other user's row."""
    planted = NOTES.replace("USING ((select auth.uid()) = user_id OR is_public);", "USING (true);")
    outcomes = run_isolation(scratch_dsn, planted, NOTES_SPEC, tmp_path)
    breach = _breach(outcomes["public.notes::rls_property[select]"])
    _run_script(scratch_dsn, breach["script"], leaked=2)  # both users' rows


AI = """
CREATE TABLE public.ai_clones (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users(id),
  name text NOT NULL DEFAULT 'clone'
);
CREATE TABLE public.ai_tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  clone_id bigint NOT NULL REFERENCES public.ai_clones(id) ON DELETE CASCADE,
  prompt text NOT NULL DEFAULT ''
);
ALTER TABLE public.ai_clones ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ai_tasks ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.ai_clones, public.ai_tasks TO authenticated;
CREATE POLICY "Own clones" ON public.ai_clones FOR ALL TO authenticated
  USING (user_id = (select auth.uid())) WITH CHECK (user_id = (select auth.uid()));
CREATE FUNCTION public.my_clone(clone bigint) RETURNS boolean LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (SELECT 1 FROM public.ai_clones c
                       WHERE c.id = clone AND c.user_id = (select auth.uid())) $$;
CREATE POLICY "Tasks of own clones" ON public.ai_tasks FOR ALL TO authenticated
  USING (public.my_clone(clone_id)) WITH CHECK (public.my_clone(clone_id));
"""

AI_SPEC = """
version: 1
tables:
  ai_tasks:
    tenancy: {owner: clone_id -> ai_clones.user_id}
"""


def test_ownership_through_a_foreign_key(scratch_dsn: str, tmp_path: Path) -> None:
    """AetherCrown's ai_tasks: a task is its clone's user's (clone_id -> ai_clones.user_id)."""
    outcomes = run_isolation(scratch_dsn, AI, AI_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.ai_tasks")


def test_ownership_through_a_foreign_key_catches_a_leaking_policy(
    scratch_dsn: str, tmp_path: Path
) -> None:
    leaky = AI.replace(
        'CREATE POLICY "Tasks of own clones" ON public.ai_tasks FOR ALL',
        'CREATE POLICY "All tasks readable" ON public.ai_tasks FOR SELECT TO authenticated'
        ' USING (true);\nCREATE POLICY "Tasks of own clones" ON public.ai_tasks FOR ALL',
    )
    outcomes = run_isolation(scratch_dsn, leaky, AI_SPEC, tmp_path)
    assert _passed(outcomes) == [f"public.ai_tasks::rls_property[{c}]" for c in COMMANDS[1:]]
    breach = _breach(outcomes["public.ai_tasks::rls_property[select]"])
    assert breach["actual"] == "sees row 1 (user 1's), row 2 (user 2's)"
    # the clones the path passes through are in the script, one per principal, with
    # the keys the server generated written out: the script runs as printed
    assert breach["script"].count('INSERT INTO "public"."ai_clones"') >= 2
    _run_script(scratch_dsn, breach["script"], leaked=2)


def _run_script(dsn: str, script: str, *, leaked: int) -> None:
    """Run a failure's script (minus its ROLLBACK, to read the last result) on a database
    with the schema: the last statement returns ``leaked`` rows, as the report says."""
    with connect(dsn) as conn:
        cursor = conn.execute(script.removesuffix("ROLLBACK;").encode())
        while cursor.nextset():
            pass
        rows = cursor.fetchall()
        conn.rollback()
    assert len(rows) == leaked


def test_a_role_rls_does_not_bind_fails_the_guard(scratch_dsn: str, tmp_path: Path) -> None:
    """Acting as the table's owner (RLS not forced) or a superuser: every row is seen
    whatever the policies say, so the item fails instead of passing."""
    owned = NOTES + "ALTER TABLE public.notes OWNER TO authenticated;"
    outcomes = run_isolation(scratch_dsn, owned, NOTES_SPEC, tmp_path, worlds=3)
    for name in _items("public.notes"):
        outcome = outcomes[name]
        assert isinstance(outcome, PropertyOutcome) and outcome.error is not None
        assert outcome.error.startswith('guard: the acting role "authenticated" owns public.notes')
        assert "could not fail" in outcome.error
    spec = NOTES_SPEC + "    tenancy: {act_as: {user_role: postgres}}\n"
    again = "DROP TABLE public.notes;" + NOTES
    outcomes = run_isolation(scratch_dsn, again, spec, tmp_path, worlds=3)
    outcome = outcomes["public.notes::rls_property[select]"]
    assert isinstance(outcome, PropertyOutcome)
    assert outcome.error == (
        'guard: the acting role "postgres" is a superuser: row level security never applies '
        "to it, so this test could not fail"
    )


def test_forced_rls_binds_the_owner_too(scratch_dsn: str, tmp_path: Path) -> None:
    owned = NOTES + (
        "ALTER TABLE public.notes OWNER TO authenticated;"
        "ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;"
    )
    outcomes = run_isolation(scratch_dsn, owned, NOTES_SPEC, tmp_path, worlds=5)
    assert _passed(outcomes) == _items("public.notes")


PLAIN = """
CREATE TABLE public.docs (
  id integer PRIMARY KEY,
  owner_id integer NOT NULL,
  title text NOT NULL DEFAULT ''
);
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.docs TO authenticated;
CREATE POLICY "own docs" ON public.docs TO authenticated
  USING (owner_id = current_setting('app.user_id')::integer)
  WITH CHECK (owner_id = current_setting('app.user_id')::integer);
"""

PLAIN_SPEC = """
version: 1
tables:
  docs:
    tenancy:
      owner: owner_id
      act_as:
        user_role: authenticated
        anon_role: null
        claims: false
        setup: "SELECT set_config('app.user_id', {principal}, true)"
"""


def test_plain_postgresql_acting_through_a_setting(scratch_dsn: str, tmp_path: Path) -> None:
    """No JWT: the application sets ``app.user_id``; the principal's id goes in as a literal."""
    outcomes = run_isolation(scratch_dsn, PLAIN, PLAIN_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.docs")
    leaky = "DROP TABLE public.docs;" + PLAIN.replace(
        "USING (owner_id = current_setting('app.user_id')::integer)\n",
        "USING (owner_id = current_setting('app.user_id')::integer OR title = '')\n",
    )
    outcomes = run_isolation(scratch_dsn, leaky, PLAIN_SPEC, tmp_path)
    breach = _breach(outcomes["public.docs::rls_property[select]"])
    assert breach["actual"] == "sees row 1 (user 1's), row 2 (user 2's)"
    assert "set_config('app.user_id', '910001', true)" in breach["script"]


def test_a_table_without_a_key_is_undecided(scratch_dsn: str, tmp_path: Path) -> None:
    ddl = NOTES.replace("id uuid PRIMARY KEY DEFAULT", "id uuid DEFAULT")
    outcomes = run_isolation(scratch_dsn, ddl, NOTES_SPEC, tmp_path, worlds=3)
    outcome = outcomes["public.notes::rls_property[select]"]
    assert isinstance(outcome, PropertyOutcome) and not outcome.passed
    assert outcome.error == (
        "undecided: public.notes has no primary key or NOT NULL unique key to tell its rows apart"
    )


def test_a_profile_per_user_gets_one_row_per_owner(scratch_dsn: str, tmp_path: Path) -> None:
    """Where the owner column is the key (profiles.id = auth.users.id), worlds give each
    principal one row at most, and the rows still prove the policies."""
    ddl = """
    CREATE TABLE public.profiles (
      id uuid PRIMARY KEY REFERENCES auth.users(id),
      display_name text NOT NULL DEFAULT ''
    );
    ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
    GRANT SELECT, INSERT, UPDATE, DELETE ON public.profiles TO authenticated;
    CREATE POLICY "own profile" ON public.profiles TO authenticated
      USING (id = (select auth.uid())) WITH CHECK (id = (select auth.uid()));
    """
    spec = "version: 1\ntables:\n  profiles:\n    tenancy: {owner: id}\n"
    outcomes = run_isolation(scratch_dsn, ddl, spec, tmp_path)
    assert _passed(outcomes) == _items("public.profiles")


def test_a_bad_owner_path_is_a_spec_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("version: 1\ntables:\n  t:\n    tenancy: {owner: clone_id -> ai_clones}\n")
    with pytest.raises(SpecError) as excinfo:
        load_specs([path])
    text = str(excinfo.value)
    assert "spec.yaml:4" in text
    assert "after -> comes table.column" in text


DOORS = {
    "definer-view": (
        "CREATE VIEW public.feed AS SELECT id, user_id, body FROM public.notes;"
        "GRANT SELECT ON public.feed TO authenticated;",
        "view public.feed",
    ),
    "definer-function": (
        "CREATE FUNCTION public.all_notes() RETURNS SETOF public.notes LANGUAGE sql STABLE"
        " SECURITY DEFINER SET search_path = public AS $$ SELECT * FROM public.notes $$;",
        "function public.all_notes()",
    ),
}


@pytest.mark.parametrize("door", sorted(DOORS))
def test_side_doors_are_probed_as_each_actor(scratch_dsn: str, tmp_path: Path, door: str) -> None:
    """A view without security_invoker and a SECURITY DEFINER function read the table as
    their owner: each hands a user the other user's row, and the SELECT item says so."""
    ddl, what = DOORS[door]
    outcomes = run_isolation(scratch_dsn, NOTES + ddl, NOTES_SPEC, tmp_path)
    assert _passed(outcomes) == [f"public.notes::rls_property[{c}]" for c in COMMANDS[1:]]
    breach = _breach(outcomes["public.notes::rls_property[select]"])
    assert breach["actual"] == f"sees row 1 (user 1's), row 2 (user 2's) through {what}"
    assert breach["expected"] == f"sees at most row 1 (user 1's) through {what}"


def test_safe_side_doors_pass_and_unprobed_ones_are_noted(scratch_dsn: str, tmp_path: Path) -> None:
    """A security_invoker view (PG 15+), a definer function filtering by auth.uid() and
    one taking a uuid (called with each owner's id: no note has such an id) pass; a
    definer function whose argument takes no owner's id is noted as not probed, not
    passed over silently."""
    ddl = (
        "CREATE VIEW public.mine WITH (security_invoker = true) AS SELECT id, user_id FROM"
        " public.notes; GRANT SELECT ON public.mine TO authenticated;"
        "CREATE FUNCTION public.my_notes() RETURNS SETOF public.notes LANGUAGE sql STABLE"
        " SECURITY DEFINER SET search_path = public"
        " AS $$ SELECT * FROM public.notes WHERE user_id = auth.uid() $$;"
        "CREATE FUNCTION public.note(wanted uuid) RETURNS SETOF public.notes LANGUAGE sql"
        " STABLE SECURITY DEFINER SET search_path = public"
        " AS $$ SELECT * FROM public.notes WHERE id = wanted $$;"
        "CREATE FUNCTION public.latest(n integer) RETURNS SETOF public.notes LANGUAGE sql"
        " STABLE SECURITY DEFINER SET search_path = public"
        " AS $$ SELECT * FROM public.notes LIMIT n $$;"
    )
    outcomes = run_isolation(scratch_dsn, NOTES + ddl, NOTES_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.notes")
    select = outcomes["public.notes::rls_property[select]"]
    assert isinstance(select, PropertyOutcome)
    assert select.notes == (
        "function public.latest(n integer): not probed, none of its arguments takes an owner's id",
    )


def test_a_policy_reading_data_the_model_does_not_describe_is_undecided(
    scratch_dsn: str, tmp_path: Path
) -> None:
    """``OR public.is_admin()`` reads an admins table no world fills: every probe passes,
    and the items say undecided instead of passed. A function of the owner path's own
    tables (ai_tasks' my_clone) is decided, see test_ownership_through_a_foreign_key."""
    ddl = NOTES + (
        "CREATE TABLE public.admins (user_id uuid PRIMARY KEY);"
        "CREATE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql STABLE"
        " AS $$ SELECT EXISTS (SELECT 1 FROM public.admins WHERE user_id = auth.uid()) $$;"
        'CREATE POLICY "Admins read all" ON public.notes FOR SELECT TO authenticated'
        " USING (public.is_admin());"
    )
    outcomes = run_isolation(scratch_dsn, ddl, NOTES_SPEC, tmp_path, worlds=5)
    select = outcomes["public.notes::rls_property[select]"]
    assert isinstance(select, PropertyOutcome) and select.counterexample is None
    assert select.error == (
        'undecided: policy "Admins read all" calls public.is_admin(), which reads '
        "public.admins, which the tenancy model does not describe"
    )
    assert _passed(outcomes) == [f"public.notes::rls_property[{c}]" for c in ("insert",)]


TEAMS = """
CREATE TABLE public.teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL DEFAULT ''
);
CREATE TABLE public.team_members (
  team_id uuid NOT NULL REFERENCES public.teams(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);
CREATE TABLE public.projects (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES public.teams(id),
  name text NOT NULL DEFAULT ''
);
ALTER TABLE public.projects ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.projects TO authenticated;
GRANT SELECT ON public.team_members TO authenticated;
CREATE POLICY "Members work on their teams' projects" ON public.projects TO authenticated
  USING (EXISTS (SELECT 1 FROM public.team_members m
                 WHERE m.team_id = projects.team_id AND m.user_id = (select auth.uid())))
  WITH CHECK (EXISTS (SELECT 1 FROM public.team_members m
                      WHERE m.team_id = projects.team_id AND m.user_id = (select auth.uid())));
"""

TEAMS_SPEC = """
version: 1
tables:
  projects:
    tenancy:
      owner: team_id
      membership: {table: team_members, group: team_id, member: user_id}
"""


def test_team_tenancy_through_a_membership_table(scratch_dsn: str, tmp_path: Path) -> None:
    """A project is its team's; a user may touch the projects of the teams it is in."""
    outcomes = run_isolation(scratch_dsn, TEAMS, TEAMS_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.projects")


def test_team_tenancy_catches_a_policy_that_forgets_who_is_asking(
    scratch_dsn: str, tmp_path: Path
) -> None:
    """``m.user_id = auth.uid()`` left out: every team with a member is everyone's."""
    leaky = TEAMS.replace(
        "  USING (EXISTS (SELECT 1 FROM public.team_members m\n"
        "                 WHERE m.team_id = projects.team_id AND m.user_id = (select auth.uid())))",
        "  USING (EXISTS (SELECT 1 FROM public.team_members m WHERE m.team_id = projects.team_id))",
    )
    assert leaky != TEAMS
    outcomes = run_isolation(scratch_dsn, leaky, TEAMS_SPEC, tmp_path)
    breach = _breach(outcomes["public.projects::rls_property[select]"])
    assert breach["members"] == "user 1 in group 1; user 2 in group 2"
    assert breach["actual"] == "sees row 1 (group 1's), row 2 (group 2's)"
    assert breach["expected"] == "sees row 1 (group 1's)"


ROLES = """
CREATE TABLE public.ledgers (
  id integer PRIMARY KEY,
  owner text NOT NULL DEFAULT current_user,
  body text NOT NULL DEFAULT ''
);
ALTER TABLE public.ledgers ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.ledgers TO authenticated;
CREATE POLICY "own ledgers" ON public.ledgers TO authenticated
  USING (owner = current_user) WITH CHECK (owner = current_user);
"""

ROLES_SPEC = """
version: 1
tables:
  ledgers:
    tenancy:
      owner: owner
      act_as: {anon_role: null, claims: false, role_per_principal: true}
"""


def test_a_database_role_per_principal(scratch_dsn: str, tmp_path: Path) -> None:
    """Policies on current_user: each principal is a role of its own, created for the item
    (a member of authenticated) and gone with its rollback."""
    outcomes = run_isolation(scratch_dsn, ROLES, ROLES_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.ledgers")
    leaky = "DROP TABLE public.ledgers;" + ROLES.replace(
        "USING (owner = current_user)", "USING (owner = current_user OR body = '')"
    )
    outcomes = run_isolation(scratch_dsn, leaky, ROLES_SPEC, tmp_path)
    breach = _breach(outcomes["public.ledgers::rls_property[select]"])
    assert breach["actual"] == "sees row 1 (user 1's), row 2 (user 2's)"
    assert breach["actor"].startswith("user 1 (role schemaprobe_")
    assert 'SET LOCAL ROLE "schemaprobe_' in breach["script"]
    assert 'IN ROLE "authenticated";' in breach["script"]  # the script creates them too
    with connect(scratch_dsn) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'schemaprobe\\_%\\_user\\_%'"
        ).fetchone()
    assert left == (0,)


RPC = {
    "leaks": (
        "CREATE FUNCTION public.notes_of(p_user uuid) RETURNS SETOF public.notes LANGUAGE sql"
        " STABLE SECURITY DEFINER SET search_path = public"
        " AS $$ SELECT * FROM public.notes WHERE user_id = p_user $$;",
        "sees row 2 (user 2's) through function public.notes_of(p_user uuid)",
    ),
    "volatile, named in the spec": (
        "CREATE FUNCTION public.touch_and_list(p_user uuid, p_limit integer)"
        " RETURNS SETOF public.notes LANGUAGE plpgsql SECURITY DEFINER SET search_path = public"
        " AS $$ BEGIN RETURN QUERY SELECT * FROM public.notes WHERE user_id = p_user; END $$;",
        "sees row 2 (user 2's) through function"
        " public.touch_and_list(p_user uuid, p_limit integer)",
    ),
}


@pytest.mark.parametrize("case", sorted(RPC))
def test_an_rpc_taking_an_owner_id_is_asked_for_everyone_s_rows(
    scratch_dsn: str, tmp_path: Path, case: str
) -> None:
    """get_notes(p_user uuid) trusting its argument: user 1 asks for user 2's rows."""
    ddl, actual = RPC[case]
    spec = NOTES_SPEC + "    tenancy: {functions: [public.touch_and_list]}\n"
    outcomes = run_isolation(scratch_dsn, NOTES + ddl, spec, tmp_path)
    breach = _breach(outcomes["public.notes::rls_property[select]"])
    assert breach["actual"] == actual
    assert breach["statement"].startswith(
        'SELECT pg_catalog.concat_ws(pg_catalog.chr(31), "id"::text) FROM "public".'
    )


def test_an_rpc_that_checks_who_asks_passes(scratch_dsn: str, tmp_path: Path) -> None:
    ddl = (
        "CREATE FUNCTION public.notes_of(p_user uuid) RETURNS SETOF public.notes LANGUAGE sql"
        " STABLE SECURITY DEFINER SET search_path = public"
        " AS $$ SELECT * FROM public.notes WHERE user_id = p_user AND p_user = auth.uid() $$;"
        "CREATE FUNCTION public.busy(p_user uuid) RETURNS SETOF public.notes LANGUAGE plpgsql"
        " SECURITY DEFINER SET search_path = public"
        " AS $$ BEGIN RETURN QUERY SELECT * FROM public.notes; END $$;"
    )
    outcomes = run_isolation(scratch_dsn, NOTES + ddl, NOTES_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.notes")
    select = outcomes["public.notes::rls_property[select]"]
    assert isinstance(select, PropertyOutcome)
    assert select.notes == (
        "function public.busy(p_user uuid): not probed, it is VOLATILE and may write"
        " (name it in tenancy.functions to probe it)",
    )


def test_a_column_level_update_grant_is_probed_through_its_column(
    scratch_dsn: str, tmp_path: Path
) -> None:
    """Users may update only ``body``: UPDATE probes write that column (a constant, so
    only the UPDATE policies judge it). USING (true) with an owner-only WITH CHECK is no
    breach here (a row keeps its owner, and the check refuses other owners' rows: the
    blind UPDATE is refused as a whole, so the rows are tried one by one); USING (true)
    and WITH CHECK (true) lets anyone rewrite anyone's notes."""
    granted = NOTES.replace(
        "GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO anon, authenticated;",
        "GRANT SELECT, INSERT, DELETE ON public.notes TO anon, authenticated;"
        # the Supabase profile's default privileges grant every table to the API roles
        "REVOKE UPDATE ON public.notes FROM anon, authenticated;"
        "GRANT UPDATE (body) ON public.notes TO authenticated;",
    )
    assert granted != NOTES
    outcomes = run_isolation(scratch_dsn, granted, NOTES_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.notes")
    using_only = "DROP TABLE public.notes;" + granted.replace(
        "FOR UPDATE\n  TO authenticated USING ((select auth.uid()) = user_id)",
        "FOR UPDATE\n  TO authenticated USING (true)",
    )
    outcomes = run_isolation(scratch_dsn, using_only, NOTES_SPEC, tmp_path)
    assert _passed(outcomes) == _items("public.notes")
    leaky = using_only.replace(
        'WITH CHECK ((select auth.uid()) = user_id);\nCREATE POLICY "Users can delete',
        'WITH CHECK (true);\nCREATE POLICY "Users can delete',
    )
    assert leaky != using_only
    outcomes = run_isolation(scratch_dsn, leaky, NOTES_SPEC, tmp_path)
    breach = _breach(outcomes["public.notes::rls_property[update]"])
    assert breach["actual"] == "changes row 1 (user 1's), row 2 (user 2's)"
    assert breach["statement"] == 'UPDATE "public"."notes" SET "body" = DEFAULT'
