"""Leaf conversions of the snapshot: index keys, foreign key targets, grants."""

from __future__ import annotations

import pytest

from schemaprobe.introspect.model import ForeignKey, IndexColumn, Privilege, QualifiedName
from schemaprobe.spec._dump_parts import grants_spec, index_key, reference
from schemaprobe.spec.model import IndexSpec


def key(
    name: str,
    *,
    expression: bool = False,
    opclass: str | None = None,
    collation: str | None = None,
    descending: bool = False,
    nulls_first: bool = False,
) -> IndexColumn:
    return IndexColumn(name, expression, opclass, collation, descending, nulls_first)


@pytest.mark.parametrize(
    ("column", "written"),
    [
        (key("email"), "email"),
        (key("User Name"), '"User Name"'),
        (key("on"), '"on"'),
        (key('a"b'), '"a""b"'),
        (key("created_at", descending=True, nulls_first=True), "created_at DESC"),
        (key("created_at", descending=True), "created_at DESC NULLS LAST"),
        (key("created_at", nulls_first=True), "created_at NULLS FIRST"),
        (key("lower(email)", expression=True), "lower(email)"),
        (key("(a + b)", expression=True, descending=True, nulls_first=True), "(a + b) DESC"),
    ],
)
def test_keys_without_opclass_or_collation_are_strings(column: IndexColumn, written: str) -> None:
    assert index_key(column) == written


@pytest.mark.parametrize(
    ("column", "written"),
    [
        (key("title", opclass="gin_trgm_ops"), {"column": "title", "opclass": "gin_trgm_ops"}),
        (key("User Name", collation="C"), {"column": "User Name", "collation": "C"}),
        (
            key("code", opclass="text_pattern_ops", descending=True),
            {"column": "code", "order": "desc", "nulls": "last", "opclass": "text_pattern_ops"},
        ),
        (
            key("lower(x)", expression=True, collation="C", nulls_first=True),
            {"expression": "lower(x)", "nulls": "first", "collation": "C"},
        ),
        # Expressions a reader would take for a column (with an opclass) or an ordering.
        (key("NOT flag", expression=True), {"expression": "NOT flag"}),
        (key("x IS NULL DESC", expression=True), {"expression": "x IS NULL DESC"}),
        (key("a nulls first", expression=True), {"expression": "a nulls first"}),
    ],
)
def test_other_keys_are_mappings(column: IndexColumn, written: object) -> None:
    assert index_key(column) == written


def test_keys_validate_as_index_specs() -> None:
    keys = [index_key(key("a", opclass="x_ops")), index_key(key("b", descending=True))]
    spec = IndexSpec.model_validate({"columns": keys})
    assert spec.columns[1] == "b DESC NULLS LAST"


def fk(table: QualifiedName, *columns: str) -> ForeignKey:
    return ForeignKey(table, columns, "NO ACTION", "CASCADE", "SIMPLE")


def test_reference_names_the_target_as_sql_does() -> None:
    assert reference(fk(QualifiedName("auth", "users"), "id")) == "auth.users(id)"
    assert reference(fk(QualifiedName("App", "My T"), "a", "B c")) == '"App"."My T"(a, B c)'
    # Column names that would not survive the split: the target table alone.
    assert reference(fk(QualifiedName("public", "t"), "a,b")) == "public.t"
    assert reference(fk(QualifiedName("public", "t"), "f(x)")) == "public.t"
    # A table name with parentheses cannot be written at all.
    assert reference(fk(QualifiedName("public", "t(1)"), "id")) is None


def test_grants_leave_out_the_owner_and_name_public() -> None:
    privileges = (
        Privilege("owner", "SELECT", False, "owner"),
        Privilege("PUBLIC", "SELECT", False, "owner"),
        Privilege("reader", "UPDATE", True, "owner"),
        Privilege("reader", "SELECT", False, "owner"),
        Privilege("reader", "SELECT", False, "other"),  # same privilege, second grantor
    )
    assert grants_spec(privileges, "owner") == {
        "public": ["SELECT"],
        "reader": ["SELECT", "UPDATE"],
    }
    assert grants_spec(privileges, None)["owner"] == ["SELECT"]
