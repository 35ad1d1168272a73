"""Plain ItemResult data for the report tests: one of each outcome, awkward values included."""

from __future__ import annotations

from schemaprobe._location import Location
from schemaprobe.findings import Finding, FindingKind, ItemResult

SPEC = "specs/app.yaml"


def finding(
    item: str,
    obj: str,
    path: str,
    message: str,
    expected: str | None,
    actual: str | None,
    spec: Location | None = None,
    *,
    kind: FindingKind = "structure",
    rule: str | None = None,
    waived: str | None = None,
) -> Finding:
    return Finding(
        f"{SPEC}::{item}", kind, obj, path, message, expected, actual, spec, rule, waived
    )


def item(
    name: str,
    line: int | None,
    *findings: Finding,
    file: str = SPEC,
    waiver: str | None = None,
    skipped: str | None = None,
) -> ItemResult:
    return ItemResult(
        id=f"{file}::{name}",
        name=name,
        kind="structure",
        marker="schemaprobe_structure",
        location=Location(file, line, 5) if line is not None else None,
        findings=findings,
        waiver=waiver,
        skipped=skipped,
    )


INDEX = "public.stories::index[stories_user_id_idx]"
CHECK = "public.items::check[price_positive]"
COLUMNS = "public.items::columns"

MISSING_INDEX = item(
    INDEX,
    12,
    finding(
        INDEX,
        "index on public.stories (user_id, created_at DESC)",
        "missing",
        "Missing index",
        "(user_id, created_at DESC)",
        None,
        Location(SPEC, 14, 9),
    ),
)
# multi-line expected text and every character GitHub and XML care about
CHECK_DIFFERS = item(
    CHECK,
    20,
    finding(
        CHECK,
        "check public.items.price_positive",
        "definition",
        "Check differs",
        "CHECK (price > 0\n       AND discount <= 100%)",
        "CHECK (price >= 0), note: a, b\r\n<&>",
        Location(SPEC, 21, 9),
    ),
)
INVENTORY = item(
    COLUMNS,
    30,
    finding(COLUMNS, "column public.items.a", "missing", "Missing column", "text", None),
    finding(COLUMNS, "column public.items.b", "missing", "Missing column", "present", None),
    finding(COLUMNS, "column public.items.c", "unexpected", "Unexpected column", None, "integer"),
)
WAIVED = item(
    "public.legacy::rls",
    40,
    finding("public.legacy::rls", "table public.legacy", "rls", "RLS disabled", "on", "off"),
    waiver="legacy import job, see #42",
)
STALE = item("public.fixed::rls", 50, waiver="old: bug, 100%, fixed")
SKIPPED = item("public.gone::column[a]", 60, skipped="table public.gone is missing")
RULE = ItemResult(
    id="lint::rule[rls-enabled]",
    name="rule[rls-enabled]",
    kind="rule",
    marker="schemaprobe_rule",
    location=None,
    findings=(
        Finding(
            "lint::rule[rls-enabled]",
            "rule",
            "table public.t",
            "rls",
            "Row-level security disabled",
            "enabled",
            "disabled",
            rule="rls-enabled",
        ),
    ),
)
PASSED = (item("public.stories::column[id]", 5), item("public.ok", 1, file="specs/other.yaml"))

FAILING_RUN = (*PASSED, MISSING_INDEX, CHECK_DIFFERS, INVENTORY, WAIVED, STALE, SKIPPED, RULE)
