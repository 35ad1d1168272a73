"""Load a small schema into a scratch database and run rules over its catalog."""

from __future__ import annotations

from collections.abc import Sequence

from schemaprobe.findings import Finding
from schemaprobe.introspect import read_catalog
from schemaprobe.introspect.model import Catalog
from schemaprobe.provision.session import connect
from schemaprobe.provision.supabase import install_supabase_compat
from schemaprobe.rules import Selection, evaluate


def catalog_of(dsn: str, ddl: str, *, supabase: bool = True) -> Catalog:
    """``ddl`` applied (after the Supabase layer unless ``supabase=False``), then read."""
    with connect(dsn) as conn:
        if supabase:
            install_supabase_compat(conn)
        conn.execute(ddl)  # type: ignore[arg-type]
        conn.commit()
        return read_catalog(conn, profile="supabase" if supabase else None)


def findings(catalog: Catalog, rule: str, *, exposed: Sequence[str] | None = None) -> list[Finding]:
    """The findings of one rule (as ``lint --profile supabase`` would report them)."""
    selection = Selection(only=(rule,), exposed_schemas=exposed, profile="supabase")
    (result,) = evaluate(catalog, selection)
    return list(result.findings)


def objects(catalog: Catalog, rule: str, *, exposed: Sequence[str] | None = None) -> list[str]:
    return [f.object for f in findings(catalog, rule, exposed=exposed)]


def apply_fixes(dsn: str, fixes: Sequence[str | None]) -> None:
    """Run each fix SQL on the database (it must be valid as written)."""
    with connect(dsn) as conn:
        for fix in fixes:
            assert fix is not None
            conn.execute(fix)  # type: ignore[arg-type]
        conn.commit()


def reread(dsn: str, *, supabase: bool = True) -> Catalog:
    with connect(dsn) as conn:
        return read_catalog(conn, profile="supabase" if supabase else None)
