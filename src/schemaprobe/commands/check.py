"""``schemaprobe check SPEC... (--dsn DSN | --sql FILE...)``: is the database what the specs say?

Exit 0 when every expectation holds (waived findings do not count; stale waivers do),
1 with findings, 2 when the specs, the options or the database are unusable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from schemaprobe.commands._rule_args import (
    add_rule_arguments,
    apply_baseline_args,
    check_baseline_args,
)
from schemaprobe.errors import UsageError
from schemaprobe.provision.target import TargetOptions

__all__ = ["add_check_arguments", "run_check", "write_output"]


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    from schemaprobe.report.render import FORMATS

    parser.add_argument(
        "specs",
        metavar="SPEC",
        nargs="+",
        type=Path,
        help="spec file or folder of specs (*.yaml, *.yml)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="report format (default: text)"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write the report here instead of stdout"
    )
    add_rule_arguments(parser.add_argument_group("rules (a spec's rules: section)"))


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write: {exc.strerror}") from None


def run_check(args: argparse.Namespace, options: TargetOptions) -> int:
    from schemaprobe.commands._run import check_database
    from schemaprobe.report.render import exit_code, render
    from schemaprobe.rules.configured import plan_spec_rules
    from schemaprobe.spec.load import load_specs

    specs = load_specs(args.specs)
    plan_spec_rules(specs)  # unknown rule ids are spec errors before any server starts
    check_baseline_args(args)
    notes: list[str] = []
    results = check_database(
        specs,
        options,
        schemas=args.schema,
        exclude_schemas=args.exclude_schema,
        exposed_schemas=args.exposed_schema,
        notes=notes,
    )
    for note in notes:
        print(f"schemaprobe: {note}", file=sys.stderr)
    results = apply_baseline_args(args, results)
    color = args.output is None and args.format == "text" and sys.stdout.isatty()
    write_output(render(results, args.format, color=color), args.output)
    if args.write_baseline is not None:
        # the rule findings were just accepted; structure still decides
        return exit_code([r for r in results if r.kind != "rule"])
    return exit_code(results)
