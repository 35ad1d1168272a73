"""Shared by the property tests: load SQL into a scratch database, plan a spec, run it."""

from __future__ import annotations

from pathlib import Path

from schemaprobe.introspect import read_catalog
from schemaprobe.properties.oracle import PropertyOutcome
from schemaprobe.properties.plan import plan_properties
from schemaprobe.properties.runner import Skipped, run_plans
from schemaprobe.provision.session import connect
from schemaprobe.spec.load import load_specs


def load(dsn: str, ddl: str) -> None:
    with connect(dsn, autocommit=True) as conn:
        conn.execute(ddl)  # type: ignore[call-overload]


def run_spec(
    dsn: str,
    ddl: str,
    spec: str,
    tmp_path: Path,
    *,
    examples: int = 100,
    only: str | None = None,
    seed: int | str | None = None,
) -> dict[str, PropertyOutcome | Skipped]:
    """Property outcomes by item name (``public.t::check_property[...]``); ``only``: just
    that item; ``seed``: what ``--hypothesis-seed`` would be."""
    load(dsn, ddl)
    path = tmp_path / "spec.yaml"
    path.write_text(spec)
    plans = [p for p in plan_properties(load_specs([path])) if only in (None, p.name)]
    with connect(dsn) as conn:
        catalog = read_catalog(conn)
    outcomes = run_plans(dsn, catalog, plans, examples=examples, seed=seed)
    return {p.name: o for p, o in outcomes}


def failed(outcome: PropertyOutcome | Skipped) -> PropertyOutcome:
    assert isinstance(outcome, PropertyOutcome), outcome
    assert outcome.counterexample is not None, outcome
    return outcome
