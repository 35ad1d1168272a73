"""GitHub workflow commands: one line per finding, escaped as the Actions toolkit does."""

from __future__ import annotations

from schemaprobe.report.github import annotation, escape_data, escape_property, render_github
from tests.report.samples import CHECK_DIFFERS, FAILING_RUN, PASSED, finding


def test_escaping() -> None:
    assert escape_data("100%\r\na: b, c") == "100%25%0D%0Aa: b, c"
    assert escape_property("100%\r\na: b, c") == "100%25%0D%0Aa%3A b%2C c"
    # % first, so the escapes it adds are not escaped again
    assert escape_data("%0A") == "%250A"


def test_passing_run_prints_nothing() -> None:
    assert render_github(PASSED) == ""


def test_every_annotation_is_one_line() -> None:
    lines = render_github(FAILING_RUN).splitlines()
    assert len(lines) == 8
    assert all(line.startswith(("::error ", "::notice ")) for line in lines)
    assert "\r" not in render_github(FAILING_RUN)


def test_finding_with_multiline_and_special_values() -> None:
    (line,) = render_github((CHECK_DIFFERS,)).splitlines()
    assert line == (
        "::error file=specs/app.yaml,line=21,col=9,title=Check differs::"
        "check public.items.price_positive"
        "%0Aexpected: CHECK (price > 0%0A       AND discount <= 100%25)"
        "%0Aactual: CHECK (price >= 0), note: a, b%0D%0A<&>"
    )


def test_kinds_of_annotation() -> None:
    lines = render_github(FAILING_RUN).splitlines()
    assert lines[0] == (
        "::error file=specs/app.yaml,line=14,col=9,title=Missing index::"
        "index on public.stories (user_id, created_at DESC)"
        "%0Aexpected: (user_id, created_at DESC)"
    )
    # no spec location of its own: the item's
    assert lines[2].startswith("::error file=specs/app.yaml,line=30,col=5,title=Missing column::")
    assert lines[5] == (
        "::notice file=specs/app.yaml,line=40,col=5,title=RLS disabled::"
        "table public.legacy%0Aexpected: on%0Aactual: off%0Awaived: legacy import job, see #42"
    )
    assert lines[6] == (
        "::error file=specs/app.yaml,line=50,col=5,title=Waiver no longer needed::"
        "public.fixed::rls%0Aexpected: fails (waived: old: bug, 100%25, fixed)%0Aactual: passes"
    )
    # a rule finding has no location at all: no file, line or col properties
    assert lines[7] == (
        "::error title=Row-level security disabled::"
        "table public.t%0Aexpected: enabled%0Aactual: disabled%0Arule: rls-enabled"
    )


def test_title_property_is_escaped() -> None:
    line = annotation("error", finding("x", "o", "p", "Odd: title, 5%\n", None, None))
    assert line == "::error title=Odd%3A title%2C 5%25%0A::o"
