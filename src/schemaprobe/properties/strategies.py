"""Column strategies steered by CHECK expressions: edge values, and values a CHECK accepts.

Why edges: a CHECK that differs from the spec differs at its edges (``<= 5`` against
``<= 6``, one IN member more or less, ``'en'`` against ``'EN'``), where uniformly drawn
values almost never land. :func:`edge_values` turns the hints of
:mod:`schemaprobe.properties.expressions` into typed values around each constant;
:func:`steered` mixes them with the type's own values, and :func:`accepted` keeps to what
the CHECKs allow (for valid rows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from hypothesis import strategies as st

from schemaprobe.properties.expressions import (
    UNKNOWN,
    Analysis,
    Endless,
    Hint,
    analyse,
    evaluate,
)
from schemaprobe.properties.types import (
    INT_RANGES,
    PgType,
    TypeInfo,
    Value,
    parse_type,
    strategy_for,
)

__all__ = ["accepted", "edge_values", "python_value", "steered"]

_MAX_LENGTH = 10_000


def _number_edges(pg: PgType, b: Decimal) -> list[Value]:
    if pg.is_integer:
        low, high = INT_RANGES[pg.name]
        whole = {math.floor(b), math.ceil(b)}
        values = sorted({v + d for v in whole for d in (-1, 0, 1)})
        return [v for v in values if low <= v <= high]
    if pg.name == "numeric":
        scale = pg.args[1] if len(pg.args) > 1 else (0 if pg.args else 4)
        step = Decimal(1).scaleb(-scale)
        return [str(b - step), str(b), str(b + step), str(b - 1), str(b + 1)]
    if pg.name in ("real", "double precision"):
        f = float(b)
        return [math.nextafter(f, -math.inf), f, math.nextafter(f, math.inf), f - 1, f + 1]
    if pg.is_text:
        return [str(b)]
    return []


def _text_edges(pg: PgType, s: str) -> list[Value]:
    if pg.is_text:
        variants = [s, s.upper(), s.lower(), s.capitalize(), f"{s} ", f" {s}", s[:-1], f"{s}x"]
        return list(dict.fromkeys(variants))
    if pg.name == "date":
        try:
            day = date.fromisoformat(s)
        except ValueError:
            return [s]
        return [(day + timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
    if pg.name.startswith("timestamp"):
        try:
            moment = datetime.fromisoformat(s)
        except ValueError:
            return [s]
        tick = timedelta(microseconds=1)
        return [(moment + d * tick).isoformat() for d in (-1, 0, 1)]
    if pg.is_number:
        try:
            return _number_edges(pg, Decimal(s))
        except InvalidOperation:
            return []
    return [s]


def edge_values(pg: PgType, hints: Iterable[Hint]) -> list[Value]:
    """Typed values at and next to every constant the hints name, in a stable order.

    Example::

        edge_values(parse_type("integer"), [Hint("number", Decimal(5))]) == [4, 5, 6]
    """
    values: list[Value] = []
    for hint in hints:
        if hint.kind == "null":
            values.append(None)
        elif hint.kind == "length" and isinstance(hint.value, int) and pg.is_text:
            for n in (hint.value - 1, hint.value, hint.value + 1):
                if 0 <= n <= _MAX_LENGTH:
                    values.append("a" * n)
        elif hint.kind == "member":
            member = hint.value
            if isinstance(member, Decimal):
                values += _number_edges(pg, member)
            elif isinstance(member, str):
                values += _text_edges(pg, member) if pg.is_text or pg.is_number else [member]
        elif isinstance(hint.value, Decimal):
            values += _number_edges(pg, hint.value)
        elif isinstance(hint.value, str):
            values += _text_edges(pg, hint.value)
    return _unique(values)


def python_value(pg: PgType, value: Value) -> object:
    """``value`` as the local evaluator compares it; :data:`UNKNOWN` where it cannot."""
    if value is None:
        return None
    if pg.array:
        return UNKNOWN
    if pg.is_integer and isinstance(value, int):
        return value
    if pg.name == "numeric" and isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return UNKNOWN
        return UNKNOWN if not number.is_finite() else number
    if pg.name in ("real", "double precision"):
        return value if isinstance(value, float) and math.isfinite(value) else UNKNOWN
    if pg.name in ("text", "character varying") and isinstance(value, str):
        return value
    if pg.name == "boolean" and isinstance(value, bool):
        return value
    if isinstance(value, str) and (pg.name == "date" or pg.name.startswith("timestamp")):
        return _moment(pg, value)
    return UNKNOWN


def _moment(pg: PgType, text: str) -> object:
    """ISO text as ``date``/``datetime`` (the factory writes ISO); ``'infinity'`` and
    ``'-infinity'`` as :class:`Endless`, ordered as the server orders them."""
    if text in ("infinity", "-infinity"):
        return Endless(-1 if text.startswith("-") else 1)
    try:
        if pg.name == "date":
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return UNKNOWN
    aware = pg.name.endswith("with time zone")
    if aware != (moment.tzinfo is not None):
        return UNKNOWN
    return moment


def _column_accepts(pg: PgType, column: str, checks: Sequence[Analysis], value: Value) -> bool:
    row = {column: python_value(pg, value)}
    return all(evaluate(check, row) is not False for check in checks)


def accepted(
    pg: PgType, column: str, checks: Sequence[Analysis], info: TypeInfo | None = None
) -> st.SearchStrategy[Value] | None:
    """Non-NULL values of the column that every one-column CHECK in ``checks`` accepts, as far
    as the local evaluator can tell (the server still has the last word)."""
    base = _domain_values(pg, info)
    mine = [c for c in checks if c.columns == frozenset({column})]
    if not mine:
        return base
    hints = [h for c in mine for h in c.hints.get(column, ())]
    good = [v for v in edge_values(pg, hints) if v is not None]
    good = [v for v in good if _column_accepts(pg, column, mine, v)]
    if any(column in c.finite for c in mine):
        return st.sampled_from(good) if good else base
    if base is None:
        return st.sampled_from(good) if good else None
    filtered = base.filter(lambda v: _column_accepts(pg, column, mine, v))
    return st.one_of(st.sampled_from(good), filtered) if good else filtered


def _domain_values(pg: PgType, info: TypeInfo | None) -> st.SearchStrategy[Value] | None:
    """The type's values; for a domain with CHECKs, steered into them the same way (a
    domain's CHECK reads its value as ``VALUE``)."""
    base = strategy_for(pg, info)
    if info is None or not info.checks or pg.array:
        return base
    element = parse_type(info.base) if info.base else pg
    return accepted(element, "value", [analyse(c) for c in info.checks])


def steered(
    pg: PgType,
    column: str,
    checks: Sequence[Analysis],
    info: TypeInfo | None = None,
    *,
    nullable: bool = True,
) -> st.SearchStrategy[Value]:
    """Any value of the column, most of the time at a CHECK edge.

    Exact constants and bounds weigh twice as much as near-miss spellings, which weigh as
    much as the type's own values: a deployed IN list with one member more is found in a
    few dozen examples, not a few hundred. NULL (where ``nullable``) weighs least.
    """
    core: list[Value] = []
    near: list[Value] = []
    for hint in (h for c in checks for h in c.hints.get(column, ())):
        values = edge_values(pg, [hint])
        if hint.kind in ("member", "text") and pg.is_text:
            core += values[:1]
            near += values[1:]
        else:
            core += values
    if any(column in pair for c in checks for pair in c.pairs) and pg.is_number:
        core += _number_edges(pg, Decimal(0))
    parts: list[st.SearchStrategy[Value]] = []
    if core:
        core_values = st.sampled_from(_unique(core))
        parts += [core_values, core_values]
    if near:
        parts.append(st.sampled_from(_unique(near)))
    base = strategy_for(pg, info)
    if base is not None:
        parts.append(base)
    if nullable or not parts:
        parts.append(st.none())
    return st.one_of(*parts)


def _unique(values: Iterable[Value]) -> list[Value]:
    found: dict[str, Value] = {}
    for value in values:
        found.setdefault(repr(value), value)
    return list(found.values())
