"""The text report: location first, title, aligned have/want lines, pytest's summary."""

from __future__ import annotations

from schemaprobe.report.text import format_finding, format_item_failure, render_text
from tests.report.samples import (
    CHECK_DIFFERS,
    FAILING_RUN,
    INVENTORY,
    MISSING_INDEX,
    PASSED,
    STALE,
    WAIVED,
    finding,
    item,
)


def test_passing_run_is_the_summary_line() -> None:
    assert render_text(PASSED) == "2 passed in spec check\n"
    assert render_text(PASSED, scope="lint") == "2 passed in lint\n"


def test_item_failure_aligned_fields() -> None:
    assert format_item_failure(MISSING_INDEX) == (
        "specs/app.yaml:12: public.stories::index[stories_user_id_idx]\n"
        "\n"
        "Missing index\n"
        "\n"
        "  object:   index on public.stories (user_id, created_at DESC)\n"
        "  path:     missing\n"
        "  expected: (user_id, created_at DESC)\n"
        "  spec:     specs/app.yaml:14:9"
    )


def test_multiline_values_are_indented_to_the_value_column() -> None:
    assert format_item_failure(CHECK_DIFFERS).splitlines()[4:] == [
        "  object:   check public.items.price_positive",
        "  path:     definition",
        "  expected: CHECK (price > 0",
        "                   AND discount <= 100%)",
        "  actual:   CHECK (price >= 0), note: a, b",
        "            <&>",
        "  spec:     specs/app.yaml:21:9",
    ]


def test_missing_and_unexpected_become_lists() -> None:
    assert format_item_failure(INVENTORY) == (
        "specs/app.yaml:30: public.items::columns\n"
        "\n"
        "Missing column / Unexpected column\n"
        "\n"
        "  missing:    column public.items.a (text), column public.items.b\n"
        "  unexpected: column public.items.c (integer)"
    )


def test_a_single_missing_object_keeps_its_detail() -> None:
    one = item("t", 3, finding("t", "column public.t.a", "missing", "Missing column", "text", None))
    assert format_item_failure(one).splitlines()[2:] == [
        "Missing column",
        "",
        "  object:   column public.t.a",
        "  path:     missing",
        "  expected: text",
    ]


def test_stale_waiver_points_at_the_item_and_its_reason() -> None:
    assert format_item_failure(STALE) == (
        "specs/app.yaml:50: public.fixed::rls\n"
        "\n"
        "Waiver no longer needed\n"
        "\n"
        "  object:   public.fixed::rls\n"
        "  path:     waiver\n"
        "  expected: fails (waived: old: bug, 100%, fixed)\n"
        "  actual:   passes\n"
        "  spec:     specs/app.yaml:50:5"
    )


def test_waived_item_says_so() -> None:
    assert format_item_failure(WAIVED).splitlines()[:2] == [
        "specs/app.yaml:40: public.legacy::rls",
        "waived: legacy import job, see #42",
    ]


def test_format_finding_with_rule_and_no_location() -> None:
    rule = finding("r", "table public.t", "rls", "RLS off", "on", "off", rule="rls-enabled")
    assert format_finding(rule) == (
        "RLS off\n\n  object:   table public.t\n  path:     rls\n"
        "  expected: on\n  actual:   off\n  rule:     rls-enabled"
    )


def test_failing_run() -> None:
    text = render_text(FAILING_RUN)
    assert text.endswith(
        "\n\nWaived:\n"
        "  specs/app.yaml:40: public.legacy::rls\n"
        "    waived: legacy import job, see #42\n"
        "    RLS disabled (table public.legacy)\n"
        "\n"
        "Skipped:\n"
        "  1 item: table public.gone is missing\n"
        "\n"
        "5 failed (6 findings, 1 stale waiver), 2 passed, 1 waived, 1 skipped in spec check\n"
    )
    headers = [line for line in text.splitlines() if line.startswith("FAILED ")]
    assert headers == [
        "FAILED specs/app.yaml:12: public.stories::index[stories_user_id_idx]",
        "FAILED specs/app.yaml:20: public.items::check[price_positive]",
        "FAILED specs/app.yaml:30: public.items::columns",
        "FAILED specs/app.yaml:50: public.fixed::rls",
        "FAILED rule[rls-enabled]",
    ]
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert render_text(FAILING_RUN) == text


def test_color_only_when_asked() -> None:
    text = render_text(FAILING_RUN, color=True)
    assert "\x1b[31m\x1b[1mFAILED\x1b[0m specs/app.yaml:12" in text
    assert text.endswith("in spec check\x1b[0m\n")
    assert render_text(PASSED, color=True) == "\x1b[32m\x1b[1m2 passed in spec check\x1b[0m\n"
