"""Options of the rule items: which rules run as pytest items, which schemas are exposed.

Light on purpose (imported by the entry module in every pytest run): pytest only. Rule
items are opt-in: an existing ``pytest --schemaprobe`` suite gains no items it did not ask
for, and a database checked only for its spec is not failed by conventions it never chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

RULE_OPTION = "--schemaprobe-rule"
EXPOSED_OPTION = "--schemaprobe-exposed-schema"
BASELINE_OPTION = "--schemaprobe-baseline"
ALL_RULES = "all"

__all__ = [
    "ALL_RULES",
    "BASELINE_OPTION",
    "EXPOSED_OPTION",
    "RULE_OPTION",
    "RuleSettings",
    "add_rule_options",
]


def add_rule_options(parser: pytest.Parser) -> None:
    """``--schemaprobe-rule ID``/``all`` and ``--schemaprobe-exposed-schema S``, with ini twins."""
    group = parser.getgroup("schemaprobe")
    group.addoption(
        RULE_OPTION,
        metavar="ID",
        dest="schemaprobe_rule",
        action="append",
        default=None,
        help=f"Run this built-in rule as a pytest item (repeatable; '{ALL_RULES}' for every "
        "rule). Default: no rule items",
    )
    group.addoption(
        EXPOSED_OPTION,
        metavar="SCHEMA",
        dest="schemaprobe_exposed_schema",
        action="append",
        default=None,
        help="A schema the API serves, for the rules (repeatable). Default: the schemas anon "
        "or authenticated were granted USAGE on",
    )
    group.addoption(
        BASELINE_OPTION,
        metavar="FILE",
        dest="schemaprobe_baseline",
        default=None,
        help="Accepted rule findings (schemaprobe lint/check --write-baseline FILE): rule "
        "items fail only on findings not listed there",
    )
    parser.addini(
        "schemaprobe_baseline",
        "Baseline file of accepted rule findings, relative to the rootdir.",
        default="",
    )
    parser.addini(
        "schemaprobe_rules",
        f"Built-in rules run as items, one id a line ('{ALL_RULES}': every rule).",
        type="linelist",
        default=[],
    )
    parser.addini(
        "schemaprobe_exposed_schemas",
        "Schemas the API serves, for the rules (default: derived from USAGE grants).",
        type="linelist",
        default=[],
    )


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Rule ids to run (empty: none; ``("all",)``: every built-in) and exposed schemas."""

    rules: tuple[str, ...]
    exposed_schemas: tuple[str, ...] | None
    baseline: Path | None = None

    @classmethod
    def resolve(cls, config: pytest.Config) -> RuleSettings:
        """Command line over ini, as for every schemaprobe setting (an ini path is
        relative to the rootdir, a command-line one to the working directory)."""
        rules = config.getoption("schemaprobe_rule") or config.getini("schemaprobe_rules")
        exposed = config.getoption("schemaprobe_exposed_schema") or config.getini(
            "schemaprobe_exposed_schemas"
        )
        cli_baseline = config.getoption("schemaprobe_baseline")
        ini_baseline = str(config.getini("schemaprobe_baseline") or "")
        baseline = (
            Path(cli_baseline)
            if cli_baseline
            else (config.rootpath / ini_baseline if ini_baseline else None)
        )
        return cls(tuple(str(r) for r in rules), tuple(exposed) if exposed else None, baseline)

    @property
    def only(self) -> tuple[str, ...]:
        """The ids for :class:`schemaprobe.rules.Selection` (``()`` means every rule)."""
        return () if ALL_RULES in self.rules else self.rules
