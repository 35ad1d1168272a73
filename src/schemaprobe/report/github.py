"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

Printed by a workflow step, each line becomes an annotation on the spec line that made
the promise, in the pull request's diff: ``::error file=specs/app.yaml,line=12,col=5,
title=Missing index::...``. Failing findings and stale waivers are errors; waived findings
are notices (visible debt that does not fail). A finding with no spec location (a rule
over the catalog) is annotated without file and line, which GitHub shows on the run.

The runner parses these lines itself, so values are escaped exactly as the Actions
toolkit does (``escapeData``/``escapeProperty``): otherwise a ``,`` in an index's
column list would end the property early and a newline would cut the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemaprobe._location import Location
from schemaprobe.findings import Finding, ItemResult
from schemaprobe.report.render import outcome, reported_findings

__all__ = ["annotation", "escape_data", "escape_property", "render_github"]


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, ``\\r`` and ``\\n``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, finding: Finding, fallback: Location | None = None) -> str:
    """One workflow command line for ``finding`` (``command``: error, warning, notice).

    The location is the finding's own spec location, else ``fallback`` (its item's).
    """
    where = finding.spec or fallback
    properties: list[tuple[str, str]] = []
    if where is not None:
        properties += [("file", where.file), ("line", str(where.line)), ("col", str(where.column))]
    properties.append(("title", finding.message))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {props}::{escape_data(_message(finding))}"


def _message(finding: Finding) -> str:
    lines = [finding.object]
    for label, value in (
        ("expected", finding.expected),
        ("actual", finding.actual),
        ("rule", finding.rule),
        ("waived", finding.waived),
    ):
        if value is not None:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def render_github(results: Sequence[ItemResult]) -> str:
    """One annotation line per reported finding, in input order; empty when all pass."""
    lines: list[str] = []
    for result in results:
        state = outcome(result)
        if state not in ("failed", "stale", "waived"):
            continue
        command = "notice" if state == "waived" else "error"
        lines += [annotation(command, f, result.location) for f in reported_findings(result)]
    return "".join(f"{line}\n" for line in lines)
