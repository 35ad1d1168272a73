"""The flow ``check`` and ``diff`` share: specs + target -> catalog -> item results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from schemaprobe._gc import gc_paused
from schemaprobe.errors import SchemaprobeError
from schemaprobe.findings import ItemResult
from schemaprobe.provision.target import TargetOptions
from schemaprobe.spec.load import LoadedSpec, SpecSet

__all__ = ["check_database", "snapshot_as_spec"]


def check_database(
    specs: SpecSet | Callable[[], SpecSet],
    options: TargetOptions,
    *,
    schemas: Sequence[str] = (),
    exclude_schemas: Sequence[str] = (),
) -> list[ItemResult]:
    """Provision/connect, read the catalog once, compare every spec with it.

    ``specs`` may be a function that loads them: it then runs in a thread while the
    database is provisioned and its catalog read, which mostly waits on the server (a
    10,000-table spec loads in the time the catalog read spends waiting). When both go
    wrong, the spec's error is the one reported: it is the user's to fix first.
    """
    from schemaprobe.compare.canonical import ServerCanonicalizer
    from schemaprobe.compare.engine import compare_specs
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import connect
    from schemaprobe.provision.target import open_target

    with (
        gc_paused(),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="schemaprobe-load") as pool,
    ):
        loading = pool.submit(specs) if callable(specs) else None
        try:
            with open_target(options) as target, connect(target.dsn) as conn:
                catalog = read_catalog(
                    conn,
                    include_schemas=list(schemas) or None,
                    exclude_schemas=list(exclude_schemas),
                    profile=options.profile,
                    parallel_dsn=target.dsn,
                )
                loaded = loading.result() if loading is not None else specs
                assert isinstance(loaded, SpecSet)
                default_schema = (
                    loaded.specs[0].document.default_schema if loaded.specs else "public"
                )
                canonicalizer = ServerCanonicalizer(conn, search_path=[default_schema])
                results = compare_specs(loaded, catalog, canonicalizer)
                conn.rollback()
        except SchemaprobeError:
            if loading is not None:
                loading.result()  # raises the spec's error, if it has one
            raise
    return results


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
