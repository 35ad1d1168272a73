"""Test helpers: a scratch database plus cluster roles made for one test."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from schemaprobe.introspect import Catalog, QualifiedName, read_catalog


class Roles:
    """Creates roles with a per-test suffix and drops them at the end."""

    def __init__(self, server_dsn: str) -> None:
        self.server_dsn = server_dsn
        self.suffix = uuid.uuid4().hex[:6]
        self.created: list[str] = []

    def make(self, base: str, options: str = "NOLOGIN") -> str:
        plain = " " not in base and base.isascii()
        name = f"{base}_{self.suffix}" if plain else f"{base} {self.suffix}"
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(name))  # type: ignore[operator]
            )
        self.created.append(name)
        return name

    def drop_all(self) -> None:
        with psycopg.connect(self.server_dsn, autocommit=True) as conn:
            for name in reversed(self.created):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


@dataclass
class Db:
    """A scratch database: run SQL in it, read its catalog."""

    dsn: str
    roles: Roles
    version: int = field(init=False)

    def __post_init__(self) -> None:
        with psycopg.connect(self.dsn) as conn:
            self.version = conn.info.server_version

    @property
    def major(self) -> int:
        return self.version // 10000

    def run(self, text: str, *args: Any) -> None:
        """Run ``text`` (several statements allowed) with ``{}`` filled by identifiers."""
        query = sql.SQL(text).format(*(sql.Identifier(a) for a in args))  # type: ignore[arg-type]
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(query)

    def read(self, *, parallel: bool = True, **options: Any) -> Catalog:
        with psycopg.connect(self.dsn) as conn:
            return read_catalog(conn, parallel_dsn=self.dsn if parallel else None, **options)


def qn(schema: str, name: str) -> QualifiedName:
    return QualifiedName(schema, name)
