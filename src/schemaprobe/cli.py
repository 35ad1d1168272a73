"""The ``schemaprobe`` command: a thin shell over provisioning, introspection, rules and reports.

Exit codes: 0 success, 1 findings, 2 usage, connection, SQL or spec errors (one line on
stderr, never a traceback), 130 when interrupted (after cleaning up).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from schemaprobe import __version__
from schemaprobe.errors import EXIT_OK, EXIT_USAGE, SchemaprobeError, UsageError
from schemaprobe.provision.dsn import redact
from schemaprobe.provision.target import DEFAULT_DOCKER_IMAGE, PROFILES, PROVIDERS, TargetOptions

DSN_ENV = "SCHEMAPROBE_DSN"
SNAPSHOT_FORMATS = ("spec", "catalog-json")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, and never echoes a DSN's password."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {redact(message)}\n")


def _add_target_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("database (one of --dsn or --sql)")
    where.add_argument("--dsn", metavar="DSN", help=f"existing database to read (env {DSN_ENV})")
    where.add_argument(
        "--sql",
        metavar="FILE",
        nargs="+",
        action="extend",
        type=Path,
        default=[],
        help="SQL files or migration folders, loaded in the order given into a fresh database",
    )
    where.add_argument(
        "--profile", choices=PROFILES, help="compatibility layer loaded before the SQL"
    )
    where.add_argument(
        "--provider", choices=PROVIDERS, help="server for --sql (default: embedded, or --dsn's)"
    )
    where.add_argument(
        "--pg-bin",
        metavar="DIR",
        type=Path,
        help="PostgreSQL bin directory for the embedded server",
    )
    where.add_argument(
        "--docker-image",
        metavar="IMAGE",
        default=DEFAULT_DOCKER_IMAGE,
        help="image for --provider docker",
    )
    where.add_argument(
        "--schema",
        metavar="PATTERN",
        action="append",
        default=[],
        help="read only matching schemas (glob; repeatable)",
    )
    where.add_argument(
        "--exclude-schema",
        metavar="PATTERN",
        action="append",
        default=[],
        help="skip matching schemas (glob; repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="schemaprobe", description="Test a PostgreSQL database against its promises."
    )
    parser.add_argument("--version", action="version", version=f"schemaprobe {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    snapshot = commands.add_parser(
        "snapshot",
        help="write a complete, deterministic spec of a database",
        description="Read the live catalog and write it as a spec (YAML) that the same "
        "database passes with no findings.",
    )
    _add_target_options(snapshot)
    snapshot.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write here instead of stdout"
    )
    snapshot.add_argument(
        "--format",
        choices=SNAPSHOT_FORMATS,
        default="spec",
        help="spec: a spec file (default); catalog-json: the raw catalog model as JSON",
    )
    _add_schema_command(commands)
    _add_check_commands(commands)
    return parser


def _add_check_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    from schemaprobe.commands.check import add_check_arguments
    from schemaprobe.commands.diff import add_diff_arguments
    from schemaprobe.commands.lint import add_lint_arguments

    check = commands.add_parser(
        "check",
        help="check a database against specs (exit 0 conformant, 1 findings, 2 errors)",
        description="Compare a database with spec files; every expectation is reported.",
    )
    add_check_arguments(check)
    _add_target_options(check)
    lint = commands.add_parser(
        "lint",
        help="run the built-in rules over a database (exit 0 clean, 1 findings, 2 errors)",
        description="Security, performance and convention rules over one catalog read; "
        "no spec needed. Each finding names the object, says why, and gives the fix as SQL.",
    )
    add_lint_arguments(lint)
    _add_target_options(lint)
    diff = commands.add_parser(
        "diff",
        help="show how a database differs from specs or from another database",
        description="Differences only, grouped by object: - expected, + actual.",
    )
    add_diff_arguments(diff)
    _add_target_options(diff)


def _add_schema_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of spec files (for editors)",
        description="Print the JSON Schema (draft 2020-12) that spec files follow.",
    )
    schema.add_argument(
        "-o", "--output", metavar="FILE", type=Path, help="write here instead of stdout"
    )


def _schema(args: argparse.Namespace) -> int:
    from schemaprobe.spec.jsonschema import render_json_schema

    text = render_json_schema()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write: {exc.strerror}") from None
    return EXIT_OK


def _target_options(args: argparse.Namespace, env_dsn: str | None) -> TargetOptions:
    dsn = args.dsn or (env_dsn if not args.sql else None)
    if not dsn and not args.sql:
        raise UsageError(f"give --dsn DSN (or set {DSN_ENV}) or --sql FILE...")
    options = TargetOptions(
        dsn=dsn,
        sql=tuple(args.sql),
        profile=args.profile,
        provider=args.provider,
        pg_bin=args.pg_bin,
        docker_image=args.docker_image,
    )
    options.validate()
    return options


def _snapshot(args: argparse.Namespace, env_dsn: str | None) -> int:
    options = _target_options(args, env_dsn)
    from schemaprobe.introspect import read_catalog
    from schemaprobe.provision.session import SessionSettings, connect
    from schemaprobe.provision.target import open_target

    read_only = SessionSettings(read_only=True)
    with open_target(options) as target, connect(target.dsn, read_only) as conn:
        catalog = read_catalog(
            conn,
            include_schemas=args.schema or None,
            exclude_schemas=args.exclude_schema,
            profile=args.profile,
            parallel_dsn=target.dsn,
        )
    chunks: Iterable[str]
    if args.format == "catalog-json":
        from schemaprobe.introspect.serialize import catalog_to_dict
        from schemaprobe.report.snapshot import render_snapshot

        chunks = render_snapshot(catalog_to_dict(catalog))
    else:
        from schemaprobe.report.yaml_text import render_yaml
        from schemaprobe.spec.dump import catalog_to_spec

        chunks = render_yaml(catalog_to_spec(catalog))
    if args.output is None:
        sys.stdout.writelines(chunks)
    else:
        try:
            with args.output.open("w", encoding="utf-8") as out:
                out.writelines(chunks)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror}") from None
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    started = time.monotonic()
    try:
        if args.command == "snapshot":
            return _snapshot(args, os.environ.get(DSN_ENV))
        if args.command == "schema":
            return _schema(args)
        if args.command == "check":
            from schemaprobe.commands.check import run_check

            return run_check(args, _target_options(args, os.environ.get(DSN_ENV)))
        if args.command == "lint":
            from schemaprobe.commands.lint import list_rules, run_lint

            if args.list_rules:
                sys.stdout.write(list_rules())
                return EXIT_OK
            return run_lint(args, _target_options(args, os.environ.get(DSN_ENV)))
        if args.command == "diff":
            from schemaprobe.commands.diff import run_diff

            return run_diff(args, _target_options(args, os.environ.get(DSN_ENV)))
        raise UsageError(f"unknown command {args.command!r}")  # argparse prevents this
    except SchemaprobeError as exc:
        print(f"schemaprobe: error: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"schemaprobe: interrupted after {time.monotonic() - started:.1f} s", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry: :func:`main`, then exit without tearing the heap down.

    Everything that must be undone (servers, scratch databases) is undone inside
    ``main``; what is left is memory. Freeing a 10,000-table spec and catalog object by
    object at interpreter exit takes ~0.3 s that nobody waits for on purpose.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # a reader that went away (``| head``): nothing left to tell it
        with contextlib.suppress(OSError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
