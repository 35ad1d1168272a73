"""``schemaprobe check SPEC... (--dsn DSN | --sql FILE...)``: is the database what the specs say?

Exit 0 when every expectation holds (waived findings do not count; stale waivers do),
1 with findings, 2 when the specs, the options or the database are unusable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    from schemaprobe.spec.load import load_specs

    results = check_database(
        load_specs(args.specs),
        options,
        schemas=args.schema,
        exclude_schemas=args.exclude_schema,
    )
    color = args.output is None and args.format == "text" and sys.stdout.isatty()
    write_output(render(results, args.format, color=color), args.output)
    return exit_code(results)
