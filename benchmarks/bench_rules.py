"""Every built-in rule over the 10,000-table synthetic schema, after the catalog read.

Issue #5's target: all rules over 10,000 tables evaluate in under 2 s, reusing the one
catalog read (rules run no SQL of their own). The schema is Supabase-like (see
``synthetic.py``): every table has RLS and four ``auth.uid() = user_id`` policies, so
``auth-function-per-row`` reports 40,000 findings and the measured time includes making,
sorting and keying them, not just scanning a clean catalog. The catalog is read once;
the rules are then evaluated once (the run ``lint`` makes, filling the per-name and
per-expression caches) and ``--repeat`` times more: the first run and the median are
both gated.

"All rules" means all of them: the rules run the way a spec runs them (its ``rules:``
section, :func:`evaluate_spec_rules`), naming every rule of the catalogue, the convention
templates with the settings the synthetic schema follows (so they judge every table,
column, key, index, policy and trigger name, and find nothing) and the audit-only
``unused-index`` in audit mode (a fresh database: 30,000 findings), with a selector and a
waiver, so the figure includes what a spec adds to a lint run.

Usage::

    python benchmarks/bench_rules.py                 # embedded server
    python benchmarks/bench_rules.py --dsn postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_catalog import BenchDatabases, run_guarded, server_for
from schemaprobe.provision.dsn import redact
from synthetic import build_synthetic

TARGET_SECONDS = 2.0


SPEC = """\
version: 1
rules:
  all: {}
  unused-index: {}
  required-columns:
    columns:
      user_id: {type: uuid, nullable: false}
      updated_at: {type: timestamptz, default: now(), nullable: false}
  primary-key-convention: {columns: [id], type: uuid, default: gen_random_uuid()}
  foreign-key-convention:
    foreign_keys: [{column: user_id, references: auth.users(id), on_delete: cascade}]
  naming-convention:
    table_names: "[a-z][a-z0-9_]*"
    columns: "[a-z][a-z0-9_]*"
    indexes: "{table}_[a-z0-9_]+"
    primary_keys: "{table}_pkey"
    policies: "Users can [a-z ]+"
    triggers: "[a-z0-9_]+"
  one-policy-per-command: {}
  user-data-crud-policies: {}
  table-without-primary-key:
    exclude_tables: ["/.*_archive$/"]
    waivers: {"table public.t_legacy": "kept for the import job"}
"""


@dataclass
class Figures:
    read: float = 0.0
    imports: float = 0.0
    first: float = 0.0
    runs: list[float] = field(default_factory=list)
    lint_runs: list[float] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    rules: int = 0
    lint_rules: int = 0


def measure(dsn: str, repeat: int, spec_dir: Path) -> Figures:
    """Every rule through a spec, and lint's default selection beside it in the same
    run (interleaved, so a busy machine slows both alike: the ratio is the stable part)."""
    from schemaprobe.findings import ItemResult
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import connect
    from schemaprobe.rules import Selection, evaluate
    from schemaprobe.rules.configured import evaluate_spec_rules
    from schemaprobe.spec.load import load_specs

    spec = spec_dir / "all-rules.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    specs = load_specs([spec])
    figures = Figures()
    with connect(dsn) as conn:
        started = time.perf_counter()
        catalog = read_catalog(conn, profile="supabase", parallel_dsn=dsn)
        figures.read = time.perf_counter() - started
    started = time.perf_counter()
    import sqlglot.dialects.postgres  # noqa: F401  (what the expression rules parse with)

    figures.imports = time.perf_counter() - started
    # what `schemaprobe lint` does once: the first run fills the per-name and
    # per-expression caches, so it is gated too, not only the warm median
    started = time.perf_counter()
    evaluate_spec_rules(specs, catalog, profile="supabase", audit=True)
    figures.first = time.perf_counter() - started
    results: list[ItemResult] = []
    linted: list[ItemResult] = []
    for _ in range(repeat):
        # the previous run's 110,000 findings are freed here, not inside the next timing
        results = linted = []
        started = time.perf_counter()
        results = evaluate_spec_rules(specs, catalog, profile="supabase", audit=True).results
        figures.runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        linted = evaluate(catalog, Selection(profile="supabase"))
        figures.lint_runs.append(time.perf_counter() - started)
    figures.counts = Counter({r.name: len(r.findings) for r in results if r.findings})
    figures.rules = len({r.name.partition("[")[0] for r in results})
    figures.lint_rules = len(linted)
    return figures


def run(args: argparse.Namespace) -> int:
    with server_for(args.dsn, args.pg_bin) as server:
        print(
            f"server: PostgreSQL {server.major_version} ({server.kind}, {redact(server.dsn)})",
            flush=True,
        )
        databases = BenchDatabases(server.dsn)
        try:
            databases.sweep_stale()
            dsn = databases.create()
            build_synthetic(dsn, args.tables, batch_size=250)
            with tempfile.TemporaryDirectory() as spec_dir:
                figures = measure(dsn, args.repeat, Path(spec_dir))
        finally:
            databases.close()
    median = statistics.median(figures.runs)
    lint = statistics.median(figures.lint_runs)
    print(f"catalog read of {args.tables} tables: {figures.read:.2f} s (once)")
    print(f"importing sqlglot (once per process, not gated): {figures.imports:.2f} s")
    print(f"first all-rules run (fills the caches; gated): {figures.first:.2f} s")
    print("all-rules runs: " + ", ".join(f"{r:.2f} s" for r in figures.runs))
    for name, n in sorted(figures.counts.items()):
        print(f"  {name}: {n} findings")
    print(
        f"lint's default selection ({figures.lint_rules} rules) in the same run: {lint:.2f} s "
        f"median; all rules take {median / lint:.2f}x that"
    )
    ok = median < TARGET_SECONDS and figures.first < TARGET_SECONDS
    print(
        f"all {figures.rules} rules over {args.tables} tables: first run {figures.first:.2f} s, "
        f"{median:.2f} s median of {args.repeat} more (target < {TARGET_SECONDS} s for both) "
        f"{'met' if ok else 'MISSED'}"
    )
    return 0 if ok or args.no_gate else 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="built-in rules over the synthetic schema")
    parser.add_argument("--dsn", help="server (default: $SCHEMAPROBE_TEST_DSN, else embedded)")
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg-bin", type=Path)
    parser.add_argument("--no-gate", action="store_true", help="print only; always exit 0")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run_guarded(run, parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
