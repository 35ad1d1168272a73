"""Fixtures for introspection tests: a scratch database plus cluster roles made for it.

Roles are cluster-wide, so each test gets role names of its own (a random suffix) and
they are dropped after the test's database is gone (``db`` depends on ``roles`` first,
so pytest sets roles up before the database and tears them down after it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.introspect.helpers import Db, Roles


@pytest.fixture
def roles(server_dsn: str) -> Iterator[Roles]:
    made = Roles(server_dsn)
    yield made
    made.drop_all()


@pytest.fixture
def db(roles: Roles, scratch_dsn: str) -> Db:
    """A fresh database (dropped after the test, before the test's roles)."""
    return Db(scratch_dsn, roles)
