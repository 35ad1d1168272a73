"""The flow ``check`` and ``diff`` share: specs + target -> catalog -> item results."""

from __future__ import annotations

from collections.abc import Sequence

from schemaprobe._gc import gc_paused
from schemaprobe.findings import ItemResult
from schemaprobe.provision.target import TargetOptions
from schemaprobe.spec.load import LoadedSpec, SpecSet

__all__ = ["check_database", "snapshot_as_spec"]


def check_database(
    specs: SpecSet,
    options: TargetOptions,
    *,
    schemas: Sequence[str] = (),
    exclude_schemas: Sequence[str] = (),
    exposed_schemas: Sequence[str] | None = None,
    notes: list[str] | None = None,
    rules: bool = True,
) -> list[ItemResult]:
    """Provision/connect, read the catalog once, compare every spec with it and run the
    rules the specs switch on unless ``rules`` is false (``diff`` shows structure only);
    ``notes`` receives what the rules took as exposed.

    The specs are loaded before this is called, not in a thread beside the catalog read:
    both are CPU-bound Python, and sharing the interpreter lock made a 10,000-table
    check 1 s slower, not faster. (It also reports spec errors before any server starts.)
    """
    from schemaprobe.compare.engine import canonicalizer_for, compare_specs
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import connect
    from schemaprobe.provision.target import open_target
    from schemaprobe.rules.configured import evaluate_spec_rules

    with gc_paused(), open_target(options) as target, connect(target.dsn) as conn:
        catalog = read_catalog(
            conn,
            include_schemas=list(schemas) or None,
            exclude_schemas=list(exclude_schemas),
            profile=options.profile,
            parallel_dsn=target.dsn,
        )
        results = compare_specs(specs, catalog, canonicalizer_for(conn, specs))
        conn.rollback()
        if not rules:
            return results
        run = evaluate_spec_rules(
            specs, catalog, conn=conn, exposed_schemas=exposed_schemas, profile=options.profile
        )
    if notes is not None:
        notes.extend(run.notes)
    return results + run.results


def snapshot_as_spec(
    options: TargetOptions,
    label: str,
    *,
    schemas: Sequence[str] = (),
    exclude_schemas: Sequence[str] = (),
) -> SpecSet:
    """A database's snapshot as an in-memory spec (for ``diff --from-dsn``)."""
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import SessionSettings, connect
    from schemaprobe.provision.target import open_target
    from schemaprobe.spec.dump import catalog_to_spec
    from schemaprobe.spec.model import SpecDocument

    with (
        open_target(options) as target,
        connect(target.dsn, SessionSettings(read_only=True)) as conn,
    ):
        catalog = read_catalog(
            conn,
            include_schemas=list(schemas) or None,
            exclude_schemas=list(exclude_schemas),
            profile=options.profile,
            parallel_dsn=target.dsn,
        )
    document = SpecDocument.model_validate(catalog_to_spec(catalog))
    return SpecSet((LoadedSpec(label, document, {}, ""),))
