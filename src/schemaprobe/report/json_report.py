"""``--format json``: the findings as DESIGN.md promises them, for scripts and dashboards.

The output is a list of :meth:`Finding.to_json` objects and nothing else, so a consumer
can rely on the documented keys (``id kind object path message expected actual spec
rule waived``). Waived findings are included with ``waived`` holding the reason, so a
dashboard can track debt; a stale waiver appears as a failing "Waiver no longer needed"
finding, since the run fails because of it. Passed and skipped items leave no trace.

Named ``json_report`` rather than ``json`` so that ``from schemaprobe.report import
json`` can never shadow the standard library in the importing module.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from schemaprobe.findings import ItemResult
from schemaprobe.report.render import reported_findings

__all__ = ["findings_json", "render_json"]


def findings_json(results: Sequence[ItemResult]) -> list[dict[str, object]]:
    """The JSON-ready findings of ``results``, in input order."""
    return [finding.to_json() for result in results for finding in reported_findings(result)]


def render_json(results: Sequence[ItemResult]) -> str:
    """The findings as a JSON document: indent 2, non-ASCII kept, trailing newline."""
    return json.dumps(findings_json(results), indent=2, ensure_ascii=False) + "\n"
