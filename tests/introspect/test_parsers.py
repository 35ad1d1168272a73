"""The small text parsers, on inputs the server really produces (and awkward ones)."""

from __future__ import annotations

import pytest

from schemaprobe.introspect import QualifiedName, quote_ident
from schemaprobe.introspect._acl import AclParser, parse_aclitem, split_array
from schemaprobe.introspect._text import (
    index_elements,
    option_value,
    parse_bool,
    split_top_level,
    trigger_when,
)
from schemaprobe.introspect.model import Privilege


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("users", "users"),
        ("_private2", "_private2"),
        ("Users", '"Users"'),
        ("with space", '"with space"'),
        ('a"b', '"a""b"'),
        ("Ünïcødé 表", '"Ünïcødé 表"'),
        ("select", '"select"'),
        ("user", '"user"'),
        ("json", '"json"'),
        ("name", "name"),  # an unreserved keyword needs no quotes
        ("2fast", '"2fast"'),
        ("dollar$", '"dollar$"'),
        ("", '""'),
    ],
)
def test_quote_ident(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted


def test_qualified_name() -> None:
    name = QualifiedName("Ünïcødé 表", 'My "T"')
    assert str(name) == '"Ünïcødé 表"."My ""T"""'
    assert QualifiedName.parse(str(name)) == name
    assert QualifiedName.parse("App.Users") == QualifiedName("app", "users")
    assert QualifiedName.parse("users") == QualifiedName("public", "users")
    assert QualifiedName.parse('"a.b"."c"') == QualifiedName("a.b", "c")
    assert sorted([QualifiedName("b", "a"), QualifiedName("a", "z")]) == [
        QualifiedName("a", "z"),
        QualifiedName("b", "a"),
    ]
    for bad in ("a.b.c", '"open', "a..b", ""):
        with pytest.raises(ValueError, match=r"name|identifier"):
            QualifiedName.parse(bad)


def test_aclitems() -> None:
    assert parse_aclitem("=r/postgres") == [Privilege("PUBLIC", "SELECT", False, "postgres")]
    assert parse_aclitem('"we""ird = x/y"=r*w/"Own er"') == [
        Privilege('we"ird = x/y', "SELECT", True, "Own er"),
        Privilege('we"ird = x/y', "UPDATE", False, "Own er"),
    ]
    assert [p.privilege for p in parse_aclitem("a=arwdDxtm/b")] == [
        "INSERT",
        "SELECT",
        "UPDATE",
        "DELETE",
        "TRUNCATE",
        "REFERENCES",
        "TRIGGER",
        "MAINTAIN",
    ]
    assert [p.privilege for p in parse_aclitem("a=XUCTc/b")] == [
        "EXECUTE",
        "USAGE",
        "CREATE",
        "TEMPORARY",
        "CONNECT",
    ]
    with pytest.raises(ValueError, match="unknown privilege"):
        parse_aclitem("a=Q/b")


def test_array_literals() -> None:
    assert split_array("{}") == []
    assert split_array("{a=r/b,=X/b}") == ["a=r/b", "=X/b"]
    assert split_array('{"\\"x y\\"=r/b","c,d=w/b",e=r/b}') == ['"x y"=r/b', "c,d=w/b", "e=r/b"]


def test_default_privileges_follow_the_server_version() -> None:
    old, new = AclParser(160000), AclParser(170000)
    assert len(old.privileges(None, "table", "o")) == 7
    assert len(new.privileges(None, "table", "o")) == 8
    assert new.privileges(None, "function", "o") == (
        Privilege("PUBLIC", "EXECUTE", False, "o"),
        Privilege("o", "EXECUTE", False, "o"),
    )
    assert new.privileges(None, "column", "o") == ()
    # Parsed once: the same tuple comes back for the same text.
    acl = "{o=arwdDxt/o,anon=r/o}"
    assert new.privileges(acl, "table", "o") is new.privileges(acl, "table", "o")


def test_split_top_level() -> None:
    assert split_top_level("a") == ["a"]
    assert split_top_level("f(a, b), (c || ', '::text), \"x,y\", ARRAY[1, 2]") == [
        "f(a, b)",
        "(c || ', '::text)",
        '"x,y"',
        "ARRAY[1, 2]",
    ]
    assert split_top_level("'it''s, here', b") == ["'it''s, here'", "b"]


def test_trigger_when() -> None:
    definition = (
        'CREATE TRIGGER "x WHEN (" BEFORE UPDATE ON public."FOR EACH t" FOR EACH ROW '
        "WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION f('WHEN (')"
    )
    assert trigger_when(definition) == "(old.* IS DISTINCT FROM new.*)"
    assert (
        trigger_when("CREATE TRIGGER t AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION f()")
        is None
    )


def test_index_elements() -> None:
    definition = (
        'CREATE INDEX "USING (" ON public."t USING x" USING btree '
        "(lower(a) COLLATE \"C\" DESC, ((a || ', '::text))) INCLUDE (b) WHERE (a > '('::text)"
    )
    assert index_elements(definition) == ['lower(a) COLLATE "C" DESC', "((a || ', '::text))"]


def test_options_and_booleans() -> None:
    options = ["security_barrier=true", "check_option=local", "fillfactor=70"]
    assert option_value(options, "check_option") == "local"
    assert option_value(options, "security_invoker") is None
    assert option_value(None, "x") is None
    assert [parse_bool(v) for v in ("on", "TRUE", "1", "yes", "of", "f", "0", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="not a boolean"):
        parse_bool("o")
