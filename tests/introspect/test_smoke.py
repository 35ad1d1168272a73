from __future__ import annotations

from tests.introspect.helpers import Db, qn


def test_empty_database(db: Db) -> None:
    catalog = db.read()
    assert list(catalog.schemas) == ["public"]
    assert catalog.tables == {}
    db.run("CREATE TABLE t (id int PRIMARY KEY)")
    catalog = db.read()
    assert list(catalog.tables) == [qn("public", "t")]
