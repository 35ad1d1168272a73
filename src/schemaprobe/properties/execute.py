"""Inserting a :class:`~schemaprobe.properties.rows.RowSet`: parents first, keys passed on.

Shared by the oracle and by hand-written tests (``schemaprobe_rows`` fixture): each row
goes in as one ``jsonb`` parameter (see :mod:`._sql`); statements are cached per column
set, so psycopg prepares the ones an example loop repeats.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import psycopg

from schemaprobe.introspect.model import QualifiedName
from schemaprobe.properties import _sql
from schemaprobe.properties.rows import RowInsert, RowSet
from schemaprobe.properties.types import Value

__all__ = ["Inserter", "insert_rowset"]


class Inserter:
    """Inserts rows on ``conn``, remembering the statement for each shape of row."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        # rendered once: a Composed is rendered again (identifiers escaped through libpq)
        # on every execute, which cost more than the round trip
        self._statements: dict[
            tuple[QualifiedName, tuple[str, ...], tuple[str, ...], bool], bytes
        ] = {}

    def insert(self, insert: RowInsert, values: Mapping[str, Value]) -> dict[str, Value]:
        """Insert ``values`` into ``insert.table``; the ``returning`` columns, as text."""
        columns = tuple(values)
        key = (insert.table, columns, insert.returning, insert.overriding)
        statement = self._statements.get(key)
        if statement is None:
            composed = _sql.insert(
                insert.table, columns, insert.returning, overriding=insert.overriding
            )
            statement = composed.as_bytes(self.conn)
            self._statements[key] = statement
        params = (json.dumps(values),) if columns else None
        cursor = self.conn.execute(statement, params)
        if not insert.returning:
            return {}
        row = cursor.fetchone()
        return dict(zip(insert.returning, row or (), strict=False))

    def parents(
        self, rowset: RowSet, returned: list[dict[str, Value]], payloads: list[dict[str, Value]]
    ) -> dict[str, Value]:
        """Insert every row but the last; the last row's values with its keys filled in."""
        for insert in rowset.inserts[:-1]:
            values = RowSet.linked(insert, returned)
            payloads.append(values)
            returned.append(self.insert(insert, values))
        values = RowSet.linked(rowset.row, returned)
        payloads.append(values)
        return values


def insert_rowset(conn: psycopg.Connection[Any], rowset: RowSet) -> dict[str, Value]:
    """Insert the whole row set on ``conn`` (in its transaction); the last row's values.

    Example::

        with conn.transaction():
            values = insert_rowset(conn, rowset)
    """
    inserter = Inserter(conn)
    values = inserter.parents(rowset, [], [])
    inserter.insert(rowset.row, values)
    return values
