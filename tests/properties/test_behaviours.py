"""Keys, references, ON DELETE actions, defaults and updated_at triggers as properties:
the issue's planted changes (CASCADE changed to SET NULL, UNIQUE dropped) and their
neighbours each fail with a runnable counterexample; equivalent spellings pass."""

from __future__ import annotations

from pathlib import Path

from schemaprobe.properties.oracle import PropertyOutcome
from schemaprobe.provision.session import connect
from tests.properties.helpers import failed, run_spec

SPEC = """
version: 1
tables:
  accounts:
    columns:
      id: {type: bigint, identity: always}
      name: {type: text, nullable: false}
      email: {type: text, unique: true}
      updated_at: {type: timestamptz, nullable: false, default: now()}
    triggers:
      accounts_touch: {timing: before, events: [update], level: row}
  jobs:
    columns:
      id: {type: bigint, identity: always}
      account_id: {type: bigint, nullable: false, references: accounts(id), on_delete: cascade}
      owner_id: {type: bigint, references: accounts(id), on_delete: set null}
      reviewer_id: {type: bigint, references: accounts(id), on_delete: restrict}
      status: {type: text, nullable: false, default: "'queued'"}
      token: {type: uuid, default: gen_random_uuid()}
      slot: integer
      lane: integer
    unique:
      - [account_id, slot]
      - {columns: [lane], nulls_not_distinct: true}
"""

GOOD = {
    "email": "UNIQUE",
    "account": "REFERENCES accounts (id) ON DELETE CASCADE",
    "owner": "REFERENCES accounts (id) ON DELETE SET NULL",
    "reviewer": "REFERENCES accounts (id) ON DELETE RESTRICT",
    "status": "DEFAULT 'queued'",
    "token": "DEFAULT gen_random_uuid()",
    "slot": "UNIQUE (account_id, slot)",
    "lane": "UNIQUE NULLS NOT DISTINCT (lane)",
    "trigger": "CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts"
    " FOR EACH ROW EXECUTE FUNCTION touch();",
}


def ddl(**changes: str) -> str:
    parts = {**GOOD, **changes}
    return f"""
DROP TABLE IF EXISTS jobs, accounts;
DROP FUNCTION IF EXISTS touch();
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  email text {parts["email"]},
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql
  AS $$BEGIN NEW.updated_at = clock_timestamp(); RETURN NEW; END$$;
{parts["trigger"]}
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id bigint NOT NULL {parts["account"]},
  owner_id bigint {parts["owner"]},
  reviewer_id bigint {parts["reviewer"]},
  status text NOT NULL {parts["status"]},
  token uuid {parts["token"]},
  slot integer,
  lane integer,
  {parts["slot"]},
  {parts["lane"]}
);"""


ITEMS = {
    "public.accounts::nullable_property[name]",
    "public.accounts::nullable_property[updated_at]",
    "public.accounts::unique_property[email]",
    "public.accounts::default_property[updated_at]",
    "public.accounts::updated_at_property[accounts_touch]",
    "public.jobs::nullable_property[account_id]",
    "public.jobs::nullable_property[status]",
    "public.jobs::unique_property[account_id, slot]",
    "public.jobs::unique_property[lane]",
    "public.jobs::foreign_key_property[account_id]",
    "public.jobs::foreign_key_property[owner_id]",
    "public.jobs::foreign_key_property[reviewer_id]",
    "public.jobs::on_delete_property[account_id]",
    "public.jobs::on_delete_property[owner_id]",
    "public.jobs::on_delete_property[reviewer_id]",
    "public.jobs::default_property[status]",
    "public.jobs::default_property[token]",
}


def _run(dsn: str, tmp_path: Path, only: str | None = None, **changes: str) -> PropertyOutcome:
    outcomes = run_spec(dsn, ddl(**changes), SPEC, tmp_path, examples=40, only=only)
    assert only is not None
    return failed(outcomes[only])


def test_the_conforming_schema_passes_every_behaviour(scratch_dsn: str, tmp_path: Path) -> None:
    outcomes = run_spec(scratch_dsn, ddl(), SPEC, tmp_path, examples=40)
    assert set(outcomes) == ITEMS
    for name, outcome in outcomes.items():
        assert isinstance(outcome, PropertyOutcome) and outcome.passed, (name, outcome)
    keyed = [o for n, o in outcomes.items() if "unique_" in n or "foreign_key_" in n]
    assert all(isinstance(o, PropertyOutcome) and o.examples >= 40 for o in keyed)


def test_equivalent_spellings_pass(scratch_dsn: str, tmp_path: Path) -> None:
    """A unique index (keys in another order) instead of a constraint, NO ACTION for
    RESTRICT, a default written with a cast: the same behaviour."""
    changed = ddl(
        slot="CHECK (true)",
        reviewer="REFERENCES accounts (id) ON DELETE NO ACTION",
        status="DEFAULT 'queued'::text",
    )
    changed += " CREATE UNIQUE INDEX jobs_slot ON jobs (slot, account_id);"
    outcomes = run_spec(scratch_dsn, changed, SPEC, tmp_path, examples=40)
    assert all(isinstance(o, PropertyOutcome) and o.passed for o in outcomes.values()), outcomes


def test_cascade_changed_to_set_null(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::on_delete_property[owner_id]"
    changed = GOOD["owner"].replace("SET NULL", "CASCADE")
    found = _run(scratch_dsn, tmp_path, item, owner=changed).counterexample
    assert found is not None
    assert found.expected == "deleting the parent row sets owner_id to NULL"
    assert found.actual == "deleting the parent row deletes the child row"
    item = "public.jobs::on_delete_property[account_id]"
    changed = GOOD["account"].replace("CASCADE", "SET NULL")
    found = _run(scratch_dsn, tmp_path, item, account=changed).counterexample
    assert found is not None
    assert found.expected == "deleting the parent row deletes the child row"
    assert found.actual == "deleting the parent row fails"  # SET NULL on a NOT NULL column
    assert found.refusal is not None and found.refusal.startswith("23502")
    assert found.statements[-1].startswith('DELETE FROM "public"."accounts" WHERE "id" = ')
    with connect(scratch_dsn) as conn:  # the reproduction runs as printed
        for line in found.reproduce().splitlines()[:-2]:
            conn.execute(line)  # type: ignore[call-overload]


def test_restrict_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::on_delete_property[reviewer_id]"
    changed = GOOD["reviewer"].replace("RESTRICT", "SET NULL")
    found = _run(scratch_dsn, tmp_path, item, reviewer=changed).counterexample
    assert found is not None
    assert (found.expected, found.actual) == (
        "deleting the parent row refuses the delete",
        "deleting the parent row sets reviewer_id to NULL",
    )


def test_unique_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.accounts::unique_property[email]"
    found = _run(scratch_dsn, tmp_path, item, email="").counterexample
    assert found is not None
    assert (found.spec_accepts, found.database_accepts) == (False, True)
    assert len(found.statements) == 2  # the row, and its duplicate
    assert found.statements[0].split("VALUES")[1][4:] == found.statements[1].split("VALUES")[1][4:]
    item = "public.jobs::unique_property[account_id, slot]"
    found = _run(scratch_dsn, tmp_path, item, slot="CHECK (true)").counterexample
    assert found is not None
    assert dict(found.values)["slot"] is not None


def test_nulls_distinct_where_the_spec_says_not_distinct(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::unique_property[lane]"
    found = _run(scratch_dsn, tmp_path, item, lane="UNIQUE (lane)").counterexample
    assert found is not None
    assert found.values == (("lane", None),)
    assert (found.spec_accepts, found.database_accepts) == (False, True)


def test_foreign_key_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::foreign_key_property[reviewer_id]"
    found = _run(scratch_dsn, tmp_path, item, reviewer="").counterexample
    assert found is not None
    assert (found.spec_accepts, found.database_accepts) == (False, True)


def test_on_delete_of_a_dropped_foreign_key_says_so(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::on_delete_property[reviewer_id]"
    outcomes = run_spec(scratch_dsn, ddl(reviewer=""), SPEC, tmp_path, only=item)
    outcome = outcomes[item]
    assert isinstance(outcome, PropertyOutcome) and not outcome.passed
    assert outcome.error is not None
    assert "the database has no foreign key over (reviewer_id)" in outcome.error


def test_default_changed_or_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.jobs::default_property[status]"
    found = _run(scratch_dsn, tmp_path, item, status="DEFAULT 'done'").counterexample
    assert found is not None
    assert found.actual == "status = 'done'"
    item = "public.jobs::default_property[token]"
    found = _run(scratch_dsn, tmp_path, item, token="").counterexample
    assert found is not None
    assert found.actual == "token = NULL"


def test_updated_at_trigger_dropped(scratch_dsn: str, tmp_path: Path) -> None:
    item = "public.accounts::updated_at_property[accounts_touch]"
    found = _run(scratch_dsn, tmp_path, item, trigger="").counterexample
    assert found is not None
    assert found.statements[-1].startswith('UPDATE "public"."accounts" SET "updated_at"')
    assert found.actual is not None and found.actual.endswith("after the UPDATE")


TEAM = "public.members::on_delete_property[team_id]"
TEAM_DEFAULT = "public.members::default_property[team_id]"


def _teams_spec(action: str, default: str | None = None) -> str:
    stated = f", default: {default!r}" if default is not None else ""
    return f"""
version: 1
tables:
  teams:
    columns:
      id: {{type: bigint, identity: always}}
      name: {{type: text, nullable: false}}
  members:
    columns:
      id: {{type: bigint, identity: always}}
      team_id: {{type: bigint, references: teams(id), on_delete: {action}{stated}}}
"""


def _teams(action: str, default: str = "", extra: str = "") -> str:
    """Teams 0 (the members' default in most cases below) and 2 exist beside the
    background's own team, so that SET DEFAULT has a parent to point to."""
    return f"""
DROP TABLE IF EXISTS members, teams;
DROP FUNCTION IF EXISTS to_archive();
CREATE TABLE teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
INSERT INTO teams (id, name) OVERRIDING SYSTEM VALUE VALUES (0, 'unassigned'), (2, 'archive');
CREATE TABLE members (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id bigint {default} REFERENCES teams (id) ON DELETE {action}
);
{extra}"""


def test_cascade_changed_to_set_null_reproduces(scratch_dsn: str, tmp_path: Path) -> None:
    """The whole script, DELETE and SELECT included, run where the schema is: the child
    row is still there with its key NULL, as the report says."""
    outcomes = run_spec(
        scratch_dsn, _teams("SET NULL"), _teams_spec("cascade"), tmp_path, only=TEAM
    )
    found = failed(outcomes[TEAM]).counterexample
    assert found is not None
    assert found.expected == "deleting the parent row deletes the child row"
    assert found.actual == "deleting the parent row sets team_id to NULL"
    script = found.reproduce().splitlines()
    team, member, delete, select = script[1:-1]
    assert team.startswith('INSERT INTO "public"."teams"')
    assert member.startswith('INSERT INTO "public"."members"')
    assert delete.startswith('DELETE FROM "public"."teams" WHERE "id" = ')
    assert select.startswith('SELECT "team_id"::text FROM "public"."members" WHERE "id" = ')
    with connect(scratch_dsn) as conn:
        for line in script[:-2]:
            conn.execute(line)  # type: ignore[call-overload]
        assert conn.execute(select).fetchall() == [(None,)]  # type: ignore[call-overload]
        conn.execute(script[-1])  # type: ignore[call-overload]


def test_set_default_conforms(scratch_dsn: str, tmp_path: Path) -> None:
    """The child's key set to the column's default, compared with that default on the
    server; without a default, SET DEFAULT sets NULL, which is then what the spec means."""
    spec = _teams_spec("set default")
    for default in ("DEFAULT 0", "DEFAULT (1 - 1)", ""):
        outcome = run_spec(scratch_dsn, _teams("SET DEFAULT", default), spec, tmp_path)[TEAM]
        assert isinstance(outcome, PropertyOutcome) and outcome.passed, (default, outcome)
        assert outcome.examples == 1, default


def test_set_default_changed(scratch_dsn: str, tmp_path: Path) -> None:
    spec = _teams_spec("set default")
    expected = "deleting the parent row sets team_id to their default"
    for action, actual in (
        ("SET NULL", "sets team_id to NULL"),
        ("CASCADE", "deletes the child row"),
    ):
        outcomes = run_spec(scratch_dsn, _teams(action, "DEFAULT 0"), spec, tmp_path, only=TEAM)
        found = failed(outcomes[TEAM]).counterexample
        assert found is not None
        assert (found.expected, found.actual) == (expected, f"deleting the parent row {actual}")


def test_moved_to_another_parent_is_not_set_default(scratch_dsn: str, tmp_path: Path) -> None:
    """A trigger that moves the children to team 2 before the delete: the key changed,
    but not to the column's default (0). It used to count as SET DEFAULT."""
    trigger = """
CREATE FUNCTION to_archive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE members SET team_id = 2 WHERE team_id = OLD.id; RETURN OLD; END$$;
CREATE TRIGGER to_archive BEFORE DELETE ON teams FOR EACH ROW EXECUTE FUNCTION to_archive();
"""
    changed = _teams("NO ACTION", "DEFAULT 0", trigger)
    outcomes = run_spec(scratch_dsn, changed, _teams_spec("set default"), tmp_path, only=TEAM)
    found = failed(outcomes[TEAM]).counterexample
    assert found is not None
    assert found.expected == "deleting the parent row sets team_id to their default"
    assert found.actual == "deleting the parent row sets team_id to '2', not their default"
    with connect(scratch_dsn) as conn:  # the script shows the child on team 2
        script = found.reproduce().splitlines()
        for line in script[:-2]:
            conn.execute(line)  # type: ignore[call-overload]
        assert conn.execute(script[-2]).fetchall() == [("2",)]  # type: ignore[call-overload]


def test_set_default_to_another_default_than_the_spec_states(
    scratch_dsn: str, tmp_path: Path
) -> None:
    """The spec says the default is 0, the database's is 2: deleting the parent does set
    the database's default (the ON DELETE item holds), and the default item says which
    value that is."""
    changed = _teams("SET DEFAULT", "DEFAULT 2")
    outcomes = run_spec(scratch_dsn, changed, _teams_spec("set default", "0"), tmp_path)
    on_delete = outcomes[TEAM]
    assert isinstance(on_delete, PropertyOutcome) and on_delete.passed, on_delete
    found = failed(outcomes[TEAM_DEFAULT]).counterexample
    assert found is not None
    assert found.actual == "team_id = '2'"
    assert found.expected is not None and found.expected.startswith("team_id = '0'")
