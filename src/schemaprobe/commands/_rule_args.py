"""Options ``check`` and ``lint`` share because both run rules: exposed schemas and
baselines (``--baseline`` drops accepted findings, ``--write-baseline`` accepts them all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemaprobe.findings import ItemResult

__all__ = ["add_rule_arguments", "apply_baseline_args", "check_baseline_args"]


def add_rule_arguments(group: argparse._ArgumentGroup) -> None:
    """``--exposed-schema``, ``--baseline FILE`` and ``--write-baseline FILE``."""
    group.add_argument(
        "--exposed-schema",
        metavar="SCHEMA",
        action="append",
        default=None,
        help="a schema the API serves (repeatable; default: the schemas a spec declares "
        "exposed, else those anon or authenticated were granted USAGE on, printed on stderr)",
    )
    baseline = group.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline",
        metavar="FILE",
        type=Path,
        help="accepted rule findings: report (and fail on) only findings not listed there",
    )
    baseline.add_argument(
        "--write-baseline",
        metavar="FILE",
        type=Path,
        help="write every current rule finding to FILE as accepted (exit 0 once written)",
    )


def check_baseline_args(args: argparse.Namespace) -> None:
    """An unreadable baseline is a usage error before any server starts."""
    if args.baseline is not None:
        from schemaprobe.rules.baseline import read_baseline

        read_baseline(args.baseline)


def apply_baseline_args(args: argparse.Namespace, results: list[ItemResult]) -> list[ItemResult]:
    """Write the baseline of ``results``' rule findings, or drop the findings it accepts
    (saying how many, on stderr)."""
    from schemaprobe.commands.check import write_output
    from schemaprobe.rules.baseline import apply_baseline, read_baseline, render_baseline

    if args.write_baseline is not None:
        # findings a spec already waives stay the spec's: a baseline entry for them too
        # would leave the waiver with nothing to expect, and it would fail as stale
        rules = [r for r in results if r.kind == "rule" and r.waiver is None]
        write_output(render_baseline(rules), args.write_baseline)
        count = sum(len(r.findings) for r in rules)
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
