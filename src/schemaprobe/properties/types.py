"""Hypothesis strategies for the values of PostgreSQL types, as the catalog names them.

Why values are JSON: every probe sends a whole row as **one** ``jsonb`` parameter and lets
the server turn it into the table's row type (``jsonb_populate_record(NULL::t, $1)``).
The server then converts each value with the column's own input function, so every type
the table uses (enums, domains, ``inet``, ``citext``, arrays of them) gets the exact
conversion an ``INSERT`` would apply, and no type name is ever spliced into SQL text. A
value is therefore what the column's input function reads: a JSON number for integers and
floats, a string for everything else (``'NaN'``, ``'infinity'``, ``'\\xdead'``,
``'1 day 02:00'``), a JSON array for arrays, any JSON for ``json``/``jsonb``.

:func:`parse_type` reads ``format_type`` text (``character varying(20)``, ``numeric(12,2)``,
``timestamp with time zone``, ``text[]``); :func:`strategy_for` gives the values of such a
type within PostgreSQL's ranges. ``format_type`` qualifies every type outside
``pg_catalog`` (the catalog is read with an empty ``search_path``), so an extension's type
is ``public.citext`` or ``extensions.citext`` wherever the extension was installed: the
extension types this module knows (:data:`EXTENSION_TYPES`) are recognised by name in any
schema. Types this module does not know (enums, domains, composite and other extension
types) come back from :func:`strategy_for` as ``None``: see :class:`TypeInfo`, which the
caller fills from the server for exactly those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st

__all__ = [
    "EXTENSION_TYPES",
    "INT_RANGES",
    "PgType",
    "TypeInfo",
    "Value",
    "parse_type",
    "strategy_for",
]

#: A value as it goes into the row's JSON payload.
Value = Any

INT_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}

_ALIASES = {
    "int2": "smallint",
    "int4": "integer",
    "int": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
    "decimal": "numeric",
}

#: Extension types known by name, whatever schema the extension was installed in.
EXTENSION_TYPES = frozenset({"citext"})

# an unquoted or quoted schema name, a dot, one of EXTENSION_TYPES
_QUALIFIED = re.compile(r'^(?:[^".]+|"(?:[^"]|"")+")\.(?P<name>[a-z_][a-z0-9_]*)$')

_TYPE = re.compile(
    r"^(?P<name>.*?)(?:\((?P<args>[^()]*)\))?(?P<rest>(?: with(?:out)? time zone)?)$"
)


@dataclass(frozen=True, slots=True)
class PgType:
    """A parsed ``format_type`` text: base name, type modifiers, array dimensions."""

    name: str
    args: tuple[int, ...] = ()
    array: int = 0

    @property
    def element(self) -> PgType:
        """The type of one array element (itself when not an array)."""
        return PgType(self.name, self.args, 0)

    @property
    def is_text(self) -> bool:
        return self.name in ("text", "character varying", "character", "citext", "name")

    @property
    def is_number(self) -> bool:
        return self.name in (*INT_RANGES, "numeric", "real", "double precision")

    @property
    def is_integer(self) -> bool:
        return self.name in INT_RANGES


def parse_type(text: str) -> PgType:
    """``character varying(20)[]`` -> ``PgType('character varying', (20,), 1)``.

    Example::

        parse_type("numeric(12,2)") == PgType("numeric", (12, 2), 0)
        parse_type("extensions.citext[]") == PgType("citext", (), 1)
    """
    body = text.strip()
    array = 0
    while body.endswith("[]"):
        body, array = body[:-2].rstrip(), array + 1
    match = _TYPE.match(body)
    name, args, rest = (match["name"], match["args"], match["rest"]) if match else (body, None, "")
    name = (name.strip() + rest).strip()
    if name.startswith("pg_catalog."):
        name = name.removeprefix("pg_catalog.")
    qualified = _QUALIFIED.match(name)
    if qualified and qualified["name"] in EXTENSION_TYPES:
        name = qualified["name"]
    name = _ALIASES.get(name.lower(), name) if '"' not in name else name
    numbers = tuple(int(a) for a in args.split(",") if a.strip().isdigit()) if args else ()
    return PgType(name, numbers, array)


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What the server says of a type this module does not know by name.

    ``labels`` are an enum's labels in order; ``base`` is a domain's base type
    (``format_type`` text) and ``checks`` its CHECK expressions (over ``VALUE``). Filled
    by :func:`schemaprobe.properties.typeinfo.lookup_types`.
    """

    labels: tuple[str, ...] = ()
    base: str | None = None
    checks: tuple[str, ...] = ()


# -- strategies ---------------------------------------------------------------------------

# PostgreSQL text cannot hold NUL; jsonb strings cannot hold U+0000 either. Surrogates do
# not encode to UTF-8.
_CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
_TEXT = st.text(_CHARS, max_size=20)
_UTC_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_SPECIAL_FLOATS = ("NaN", "Infinity", "-Infinity")


def _text(pg: PgType) -> st.SearchStrategy[Value]:
    size = pg.args[0] if pg.args and pg.name in ("character varying", "character") else 20
    return st.text(_CHARS, max_size=min(size, 20))


def _numeric(pg: PgType) -> st.SearchStrategy[Value]:
    # whole numbers scaled down: as varied as st.decimals() for this purpose, several
    # times cheaper to draw (numeric columns are in most rows)
    if len(pg.args) >= 1:
        precision = pg.args[0]
        scale = pg.args[1] if len(pg.args) > 1 else 0
        limit = 10**precision - 1
        return st.integers(-limit, limit).map(lambda i: str(Decimal(i).scaleb(-scale)))
    plain = st.integers(-(10**12), 10**12).map(lambda i: str(Decimal(i).scaleb(-4)))
    return st.one_of(plain, st.just("NaN"))


def _float(pg: PgType) -> st.SearchStrategy[Value]:
    width: Literal[32, 64] = 32 if pg.name == "real" else 64
    finite = st.floats(allow_nan=False, allow_infinity=False, width=width)
    return st.one_of(finite, st.sampled_from(_SPECIAL_FLOATS))


def _dates() -> st.SearchStrategy[Value]:
    return st.one_of(st.dates().map(date.isoformat), st.sampled_from(("infinity", "-infinity")))


def _timestamps(tz: bool) -> st.SearchStrategy[Value]:
    if tz:
        moments = st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=_UTC_OFFSETS
        )
    else:
        moments = st.datetimes()
    return st.one_of(moments.map(datetime.isoformat), st.sampled_from(("infinity", "-infinity")))


def _times(tz: bool) -> st.SearchStrategy[Value]:
    if tz:
        return st.times(timezones=_UTC_OFFSETS).map(time.isoformat)
    return st.one_of(st.times().map(time.isoformat), st.just("24:00:00"))


def _intervals() -> st.SearchStrategy[Value]:
    parts = st.tuples(
        st.integers(-12_000, 12_000), st.integers(-100_000, 100_000), st.integers(-(10**12), 10**12)
    )
    return parts.map(lambda p: f"{p[0]} mons {p[1]} days {p[2]} microseconds")


def _json() -> st.SearchStrategy[Value]:
    scalars = st.one_of(
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        _TEXT,
    )
    inner = st.one_of(st.none(), scalars)
    # one level of nesting: documents of every JSON kind, without st.recursive's cost. A
    # top-level JSON null cannot be sent: jsonb_populate_record reads it as SQL NULL.
    return st.one_of(
        scalars, st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)
    )


def _scalar(pg: PgType) -> st.SearchStrategy[Value] | None:
    name = pg.name
    if name in INT_RANGES:
        low, high = INT_RANGES[name]
        return st.integers(low, high)
    found: st.SearchStrategy[Value] | None
    if pg.is_text:
        found = _text(pg)
    elif name == "numeric":
        found = _numeric(pg)
    elif name in ("real", "double precision"):
        found = _float(pg)
    elif name == "boolean":
        found = st.booleans()
    elif name == "uuid":
        found = st.uuids().map(str)
    elif name == "date":
        found = _dates()
    elif name.startswith("timestamp"):
        found = _timestamps(name.endswith("with time zone"))
    elif name.startswith("time"):
        found = _times(name.endswith("with time zone"))
    elif name == "interval":
        found = _intervals()
    elif name in ("json", "jsonb"):
        found = _json()
    elif name == "bytea":
        found = st.binary(max_size=16).map(lambda b: "\\x" + b.hex())
    elif name == "inet":
        found = st.ip_addresses().map(str)
    elif name == "cidr":
        found = st.ip_addresses().map(lambda a: f"{a}/{a.max_prefixlen}")
    else:
        found = None
    return found


def strategy_for(pg: PgType | str, info: TypeInfo | None = None) -> st.SearchStrategy[Value] | None:
    """Values of ``pg`` (never SQL NULL; callers add ``None`` where the column allows it).

    Arrays are one-dimensional lists of up to four elements, elements possibly NULL.
    ``info`` is what the server said of a type not known by name: an enum's labels, a
    domain's base type. ``None`` when nothing is known: the caller leaves such a column to
    its default or NULL.
    """
    if isinstance(pg, str):
        pg = parse_type(pg)
    element: st.SearchStrategy[Value] | None
    if info is not None and info.labels:
        element = st.sampled_from(info.labels)
    elif info is not None and info.base is not None:
        element = strategy_for(info.base)
    else:
        element = _scalar(pg.element)
    if element is None or pg.array == 0:
        return element
    return st.lists(st.one_of(st.none(), element), max_size=4)
