"""``schemaprobe diff``: what differs, written for a person reading a pull request.

The reference is either spec files or a second database (``--from-dsn``/``--from-sql``,
snapshotted in memory), so the same command answers "does production match the spec?"
and "how does staging differ from production?". Exit codes as ``check``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from schemaprobe.errors import UsageError
from schemaprobe.provision.target import TargetOptions

__all__ = ["add_diff_arguments", "run_diff"]


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "specs",
        metavar="SPEC",
        nargs="*",
        type=Path,
        help="spec files or folders: what the database should be",
    )
    reference = parser.add_argument_group("or a reference database instead of SPEC")
    reference.add_argument(
        "--from-dsn", metavar="DSN", help="compare against this database's snapshot"
    )
    reference.add_argument(
        "--from-sql",
        metavar="FILE",
        nargs="+",
        action="extend",
        type=Path,
        default=[],
        help="compare against a fresh database loaded from these files",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write the report here instead of stdout"
    )


def run_diff(args: argparse.Namespace, options: TargetOptions) -> int:
    from schemaprobe.commands._run import check_database, snapshot_as_spec
    from schemaprobe.commands.check import write_output
    from schemaprobe.report.diff import render_diff
    from schemaprobe.report.render import exit_code
    from schemaprobe.spec.load import load_specs

    sources = sum(bool(x) for x in (args.specs, args.from_dsn, args.from_sql))
    if sources != 1:
        raise UsageError("give the reference as SPEC... or --from-dsn DSN or --from-sql FILE...")
    if args.specs:
        specs = load_specs(args.specs)
        reference = ", ".join(str(p) for p in args.specs)
    else:
        from_options = TargetOptions(
            dsn=args.from_dsn,
            sql=tuple(args.from_sql),
            profile=args.profile,
            provider=None if args.from_dsn else args.provider,
            pg_bin=args.pg_bin,
            docker_image=args.docker_image,
        )
        from_options.validate()
        reference = "--from-dsn" if args.from_dsn else "--from-sql"
        specs = snapshot_as_spec(
            from_options, reference, schemas=args.schema, exclude_schemas=args.exclude_schema
        )
    results = check_database(
        specs, options, schemas=args.schema, exclude_schemas=args.exclude_schema, rules=False
    )
    write_output(render_diff(results, reference=reference), args.output)
    return exit_code(results)
