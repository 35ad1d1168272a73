"""``schemaprobe lint (--dsn DSN | --sql FILE...)``: the built-in rules, no spec needed.

One catalog read (read-only session), every selected rule over it, one report. Exit 0
without findings, 1 with findings, 2 for usage or connection errors (``check``'s codes).
Which schemas were treated as exposed goes to stderr, so ``--format json`` stays clean.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from schemaprobe.errors import EXIT_OK
from schemaprobe.provision.target import TargetOptions

if TYPE_CHECKING:
    from schemaprobe.findings import ItemResult
    from schemaprobe.rules import Selection

__all__ = ["add_lint_arguments", "lint_database", "list_rules", "run_lint"]

LINT_SCOPE = "lint"


def add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    from schemaprobe.report.render import FORMATS

    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write the report here instead of stdout"
    )
    rules = parser.add_argument_group("rules")
    rules.add_argument(
        "--rule",
        metavar="ID",
        action="append",
        default=[],
        help="run only this rule (repeatable; default: every built-in rule)",
    )
    rules.add_argument(
        "--skip-rule", metavar="ID", action="append", default=[], help="do not run this rule"
    )
    rules.add_argument(
        "--exposed-schema",
        metavar="SCHEMA",
        action="append",
        default=None,
        help="a schema the API serves (repeatable; default: the schemas anon or "
        "authenticated were granted USAGE on, printed on stderr)",
    )
    rules.add_argument(
        "--list-rules", action="store_true", help="print the rule catalogue and exit"
    )
    baseline = rules.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        help="accepted findings: report (and fail on) only findings not listed there",
    )
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        type=Path,
        help="write every current finding to FILE as accepted (exit 0 once written)",
    )


def lint_database(
    options: TargetOptions,
    selection: Selection,
    *,
    schemas: list[str] | None = None,
    exclude_schemas: list[str] | None = None,
) -> tuple[list[ItemResult], str]:
    """Read the catalog once (read-only) and evaluate the rules: (results, exposure note)."""
    from schemaprobe._gc import gc_paused
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import SessionSettings, connect
    from schemaprobe.provision.target import open_target
    from schemaprobe.rules import evaluate

    with (
        gc_paused(),
        open_target(options) as target,
        connect(target.dsn, SessionSettings(read_only=True)) as conn,
    ):
        catalog = read_catalog(
            conn,
            include_schemas=schemas or None,
            exclude_schemas=exclude_schemas or [],
            profile=options.profile,
            parallel_dsn=target.dsn,
        )
    context = selection.context(catalog)
    return evaluate(catalog, selection, context=context), context.note


def list_rules() -> str:
    """The catalogue, one rule a line: id, severity, category, title."""
    from schemaprobe.rules import BUILTIN_RULES

    width = max(len(rule.id) for rule in BUILTIN_RULES)
    return "".join(
        f"{rule.id:<{width}}  {rule.severity:<7}  {rule.category:<11}  {rule.title}\n"
        for rule in BUILTIN_RULES
    )


def _baseline(args: argparse.Namespace, results: list[ItemResult]) -> list[ItemResult]:
    """Write the baseline, or drop the findings it accepts (saying how many, on stderr)."""
    from schemaprobe.commands.check import write_output
    from schemaprobe.rules.baseline import apply_baseline, read_baseline, render_baseline

    if args.write_baseline is not None:
        write_output(render_baseline(results), args.write_baseline)
        count = sum(len(r.findings) for r in results)
        print(
            f"schemaprobe: wrote {count} finding(s) to baseline {args.write_baseline}",
            file=sys.stderr,
        )
        return results
    if args.baseline is None:
        return results
    kept, applied = apply_baseline(results, read_baseline(args.baseline))
    print(f"schemaprobe: {applied.note(args.baseline)}", file=sys.stderr)
    return kept


def run_lint(args: argparse.Namespace, options: TargetOptions) -> int:
    from schemaprobe.commands.check import write_output
    from schemaprobe.report.render import exit_code, render
    from schemaprobe.rules import Selection

    selection = Selection(
        only=tuple(args.rule),
        skip=tuple(args.skip_rule),
        exposed_schemas=tuple(args.exposed_schema) if args.exposed_schema is not None else None,
        profile=options.profile,
    )
    selection.rules()  # unknown ids are usage errors before any server starts
    if args.baseline is not None:
        from schemaprobe.rules.baseline import read_baseline

        read_baseline(args.baseline)  # so is an unreadable baseline
    results, note = lint_database(
        options, selection, schemas=args.schema, exclude_schemas=args.exclude_schema
    )
    print(f"schemaprobe: {note}", file=sys.stderr)
    results = _baseline(args, results)
    color = args.output is None and args.format == "text" and sys.stdout.isatty()
    write_output(render(results, args.format, color=color, scope=LINT_SCOPE), args.output)
    if args.write_baseline is not None:
        return EXIT_OK  # the findings were just accepted
    return exit_code(results)
