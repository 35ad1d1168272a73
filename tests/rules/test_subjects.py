"""Every finding names its subject: the schema-qualified table, view, function or extension
it is about, which is what a spec's selectors (``schemas``, ``tables``) match."""

from __future__ import annotations

from dataclasses import replace

from schemaprobe.introspect.model import Catalog, QualifiedName
from schemaprobe.rules import BUILTIN_RULES, context_for
from schemaprobe.rules._model import Violation
from tests.rules._lint import catalog_of

# One schema, app (exposed), where every built-in rule finds something; the extension
# goes to public. Nothing in app is named like anything in the Supabase layer's schemas.
SCHEMA = """
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO anon, authenticated;
CREATE TABLE app.open (id int PRIMARY KEY, at timestamp, updated_at timestamptz);
GRANT SELECT, INSERT ON app.open TO anon;
CREATE TABLE app.nokey (x int);
CREATE TABLE app.ignored (id int PRIMARY KEY);
CREATE POLICY p ON app.ignored USING (true);
CREATE TABLE app.locked (id int PRIMARY KEY);
ALTER TABLE app.locked ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.locked OWNER TO authenticated;
CREATE TABLE app.notes (
    id int PRIMARY KEY, user_id uuid REFERENCES auth.users (id), a int, b int
);
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY w ON app.notes FOR INSERT TO authenticated WITH CHECK (true);
CREATE POLICY u ON app.notes FOR UPDATE TO authenticated
    USING (user_id = auth.uid()) WITH CHECK (true);
CREATE POLICY r1 ON app.notes FOR SELECT USING (user_id = auth.uid());
CREATE POLICY r2 ON app.notes FOR SELECT TO authenticated
    USING ((select auth.jwt() -> 'user_metadata' ->> 'team') = 'a');
CREATE INDEX notes_a ON app.notes (a);
CREATE INDEX notes_a2 ON app.notes (a);
CREATE INDEX notes_ab ON app.notes (a, b);
GRANT SELECT ON app.notes TO anon;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'select 1';
CREATE VIEW app.v AS SELECT id FROM app.notes;
GRANT SELECT ON app.v TO anon;
CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.open;
GRANT SELECT ON app.mv TO anon;
CREATE VIEW app.members AS SELECT id FROM auth.users;
GRANT SELECT ON app.members TO anon;
CREATE EXTENSION file_fdw SCHEMA public;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE app.far (a integer) SERVER files OPTIONS (filename '/dev/null');
GRANT SELECT ON app.far TO anon;
"""

# Rules about roles (objects outside any schema): their findings have no subject.
ROLE_RULES = frozenset({"api-role-reaches-privileged-role"})
# Not in the default selection, but they read schema objects (with audit=True).
AUDIT_RULES = frozenset({"unused-index"})


def _violations(catalog: Catalog) -> dict[str, list[Violation]]:
    context = replace(context_for(catalog, ["app"], "supabase"), audit=True)
    return {rule.id: list(rule.check(catalog, context)) for rule in BUILTIN_RULES}


def _expected_schema(catalog: Catalog, violation: Violation) -> str:
    """The schema the object's own name says it is in."""
    if violation.object.startswith("extension "):
        return catalog.extensions[violation.object.removeprefix("extension ")].schema
    assert violation.subject is not None
    assert str(violation.subject) in violation.object, violation
    return violation.subject.schema


def test_every_finding_of_every_rule_has_a_subject_in_its_objects_schema(
    scratch_dsn: str,
) -> None:
    catalog = catalog_of(scratch_dsn, SCHEMA)
    found = _violations(catalog)
    # the schema really does trigger every rule of the default selection (and the
    # audit-only ones) that reads schema objects, each of them on something in app
    wanted = {r.id for r in BUILTIN_RULES if r.default or r.id in AUDIT_RULES} - ROLE_RULES
    in_app = {
        rule_id
        for rule_id, violations in found.items()
        if any(v.subject is not None and v.subject.schema == "app" for v in violations)
    }
    assert wanted - in_app == {"extension-in-public"}
    assert found["extension-in-public"]
    for rule_id, violations in found.items():
        for violation in violations:
            if rule_id in ROLE_RULES:
                assert violation.subject is None, violation
                continue
            subject = violation.subject
            assert isinstance(subject, QualifiedName), (rule_id, violation)
            assert subject.schema == _expected_schema(catalog, violation), (rule_id, violation)
            if rule_id == "extension-in-public":
                assert subject == QualifiedName("public", "file_fdw")
            else:  # the table, view or function is really there, under that name
                assert (
                    subject in catalog.tables
                    or subject in catalog.views
                    or subject in catalog.functions
                ), (rule_id, violation)
