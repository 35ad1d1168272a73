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

from schemaprobe.commands._rule_args import (
    add_rule_arguments,
    apply_baseline_args,
    check_baseline_args,
)
from schemaprobe.errors import EXIT_OK
from schemaprobe.provision.target import TargetOptions

if TYPE_CHECKING:
    from schemaprobe.findings import ItemResult
    from schemaprobe.rules import Rule, Selection

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
        "--list-rules", action="store_true", help="print the rule catalogue and exit"
    )
    rules.add_argument(
        "--audit",
        action="store_true",
        help="the database is a deployed one: also run the audit-only rules (unused-index), "
        "which read its usage statistics",
    )
    add_rule_arguments(rules)


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
    """The catalogue (built-in and installed rules), one rule a line: id, severity,
    category, title, and whether lint runs it by default."""
    from schemaprobe.rules.installed import available_rules

    rules = available_rules()
    width = max(len(rule.id) for rule in rules)
    return "".join(
        f"{rule.id:<{width}}  {rule.severity:<7}  {rule.category:<11}  {rule.title}{_when(rule)}\n"
        for rule in rules
    )


def _when(rule: Rule) -> str:
    if rule.audit:
        return "  (audit only: --audit)"
    if not rule.default:
        return "  (when named: a spec's rules: or --rule)"
    return ""


def run_lint(args: argparse.Namespace, options: TargetOptions) -> int:
    from schemaprobe.commands.check import write_output
    from schemaprobe.report.render import exit_code, render
    from schemaprobe.rules import Selection

    selection = Selection(
        only=tuple(args.rule),
        skip=tuple(args.skip_rule),
        exposed_schemas=tuple(args.exposed_schema) if args.exposed_schema is not None else None,
        profile=options.profile,
        audit=args.audit,
    )
    selection.rules()  # unknown ids are usage errors before any server starts
    check_baseline_args(args)
    results, note = lint_database(
        options, selection, schemas=args.schema, exclude_schemas=args.exclude_schema
    )
    print(f"schemaprobe: {note}", file=sys.stderr)
    results = apply_baseline_args(args, results)
    color = args.output is None and args.format == "text" and sys.stdout.isatty()
    write_output(render(results, args.format, color=color, scope=LINT_SCOPE), args.output)
    if args.write_baseline is not None:
        return EXIT_OK  # the findings were just accepted
    return exit_code(results)
