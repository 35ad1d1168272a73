"""Indexes nobody scans, from usage statistics: audit mode only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from psycopg import sql

from schemaprobe.introspect.model import Catalog
from schemaprobe.rules import context_for
from schemaprobe.rules.registry import rule_by_id
from tests.introspect.test_index_usage import scan_through
from tests.rules._lint import apply_fixes, catalog_of, findings, reread

RULE = "unused-index"

SCHEMA = """
CREATE TABLE public.events (id int PRIMARY KEY, kind int, at int, code text UNIQUE);
CREATE INDEX events_kind ON public.events (kind);
CREATE INDEX "Events At" ON public.events (at);
CREATE UNIQUE INDEX events_code_lower ON public.events (lower(code));
INSERT INTO public.events SELECT n, n % 50, n, 'c' || n FROM generate_series(1, 2000) n;
ANALYZE public.events;
CREATE MATERIALIZED VIEW public.kinds AS SELECT DISTINCT kind FROM public.events;
CREATE INDEX kinds_kind ON public.kinds (kind);
CREATE TABLE public.log (at int) PARTITION BY RANGE (at);
CREATE TABLE public.log_1 PARTITION OF public.log FOR VALUES FROM (0) TO (100);
CREATE INDEX log_at ON public.log (at);
"""


def _unused(catalog: Catalog, *, audit: bool) -> list[str]:
    context = replace(context_for(catalog), audit=audit)
    return sorted(v.object for v in rule_by_id(RULE).check(catalog, context))


@pytest.mark.pg(">= 15")
def test_only_indexes_never_scanned_are_reported_and_only_in_audit_mode(scratch_dsn: str) -> None:
    catalog_of(scratch_dsn, SCHEMA, supabase=False)
    scan_through(
        scratch_dsn, "events_kind", sql.SQL("SELECT count(*) FROM public.events WHERE kind = 3")
    )
    catalog = reread(scratch_dsn, supabase=False)
    # scanned, unique (constraint-backed or not), or on a partitioned table: not reported
    assert _unused(catalog, audit=True) == [
        'index public."Events At" on public.events',
        "index public.kinds_kind on public.kinds",
    ]
    # not in audit mode (a database just built has scanned nothing): no finding at all
    assert _unused(catalog, audit=False) == []
    assert findings(catalog, RULE) == []
    context = replace(context_for(catalog), audit=True)
    fixes = [v.fix for v in rule_by_id(RULE).check(catalog, context)]
    assert sorted(fixes) == [  # type: ignore[type-var]
        'DROP INDEX "public"."Events At";',
        'DROP INDEX "public"."kinds_kind";',
    ]
    apply_fixes(scratch_dsn, fixes)
    assert _unused(reread(scratch_dsn, supabase=False), audit=True) == []


def test_unused_index_is_not_in_the_default_selection() -> None:
    rule = rule_by_id(RULE)
    assert (rule.default, rule.severity, rule.category) == (False, "info", "performance")
