"""Rows a world inserted, as ``INSERT ... VALUES`` statements anyone can run in psql."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg

from schemaprobe.properties import _sql
from schemaprobe.properties.rls.world import Inserted
from schemaprobe.properties.rows import RowFactory

__all__ = ["render_inserts"]


def render_inserts(
    conn: psycopg.Connection[Any], factory: RowFactory, inserted: Sequence[Inserted]
) -> list[str]:
    """Each row with every value as its type's text (the server renders them)."""
    statements: list[str] = []
    for row in inserted:
        columns = list(row.payload)
        texts: Sequence[str | None] = ()
        if columns:
            found = conn.execute(_sql.texts(row.table, columns), (json.dumps(row.payload),))
            texts = found.fetchone() or ()
        pairs = list(zip(columns, texts, strict=False))
        statement = _sql.render_insert(row.table, pairs, overriding=row.overriding)
        statements.append(statement.as_string(conn))
    return statements
