"""Validation of merged spec data: pydantic's errors turned into located spec problems.

Why it exists: pydantic reports ``tables.t.indexes.0.columns.1.function-after[_one_of(),
IndexKeySpec].colum: Extra inputs are not permitted``. A spec author needs
``specs/app.yaml:14:9: tables.t.indexes[0].columns[1]: unknown key 'colum' (did you mean
'column'?)``: the YAML path (union branch names dropped, shorthands folded back to what
was written), the file position, and a message in Hypothesis' ``name=value`` grammar with
a did-you-mean from ``difflib`` (cutoff 0.6), one problem per mistake.
"""

from __future__ import annotations

import re
import types
from difflib import get_close_matches
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from schemaprobe._location import Location
from schemaprobe.errors import SpecProblem
from schemaprobe.spec._yaml import Locations, YamlPath, dotted
from schemaprobe.spec.model import (
    NON_BLANK,
    Bounds,
    CheckSpec,
    ColumnSpec,
    PrimaryKeySpec,
    RlsSpec,
    SpecDocument,
    UniqueSpec,
)

__all__ = ["validate"]

#: pydantic type errors -> what was expected, in words.
_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
}
#: Models that also take a shorthand: what the shorthand is.
_SHORTHANDS = {
    ColumnSpec.__name__: "a type name",
    RlsSpec.__name__: "true, false",
    PrimaryKeySpec.__name__: "a column, a list of columns",
    UniqueSpec.__name__: "a column, a list of columns",
    CheckSpec.__name__: "an expression",
    Bounds.__name__: "a count",
}
_COMPARISONS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_SCALAR_TAGS = frozenset({"str", "int", "bool", "float", "none", "dict", "list"})
_ALTERNATIVES = re.compile(r"^(?:\(\?i\))?\^\(([^()]*)\)\$$")


def validate(
    data: Any, locations: Locations, file: str
) -> tuple[SpecDocument | None, list[SpecProblem]]:
    """The validated document, or ``None`` and one problem per mistake (in file order)."""
    try:
        return SpecDocument.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    entries = [(err, *_yaml_path(err["loc"], data, err["type"])) for err in errors]
    keep = _union_choice(entries)
    problems = []
    for i, (err, path, _, _) in enumerate(entries):
        if i in keep:
            where = _locate(locations, path) or Location(file, 1, 1)
            key = dotted(path[:-1] if err["type"] == "missing" else path)
            problems.append(SpecProblem(where, key, keep[i] or _message(err, path)))
    return None, sorted(problems, key=lambda p: (p.location, p.key))


def _locate(locations: Locations, path: YamlPath) -> Location | None:
    for n in range(len(path), -1, -1):
        found = locations.find(path[:n])
        if found is not None:
            return found
    return None


def _is_tag(part: str | int) -> bool:
    """A union branch name in a pydantic loc (``str``, ``IndexKeySpec``, ``list[...]``)."""
    return isinstance(part, str) and (part in _SCALAR_TAGS or "[" in part or part[:1].isupper())


def _yaml_path(
    loc: tuple[str | int, ...], data: Any, kind: str
) -> tuple[YamlPath, int | None, bool]:
    """pydantic loc -> (YAML path, where a union branch was entered, loc ends at it).

    Follows the data: a loc part that is not a key or index there is a union branch name
    or a shorthand's field (``primary_key: [1]`` errs at ``primary_key.columns.0``), and
    is dropped; only a missing key is kept as the last part.
    """
    node: Any = data
    path: list[str | int] = []
    branch: int | None = None
    at_tag_end = False
    for i, part in enumerate(loc):
        if _has(node, part):
            node = node[part]
        elif kind != "missing" or i != len(loc) - 1:
            if branch is None and _is_tag(part):
                branch, at_tag_end = len(path), i == len(loc) - 1
            continue
        path.append(part)
    return tuple(path), branch, at_tag_end


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and type(part) is int and 0 <= part < len(node)


def _union_choice(entries: list[tuple[Any, YamlPath, int | None, bool]]) -> dict[int, str]:
    """Which errors to report: index -> message override ('' for the usual message).

    pydantic reports a value that fits no branch of a union once per branch. When some
    branch got further than a type mismatch (``{colum: a}`` is a mapping: the mapping
    branch's unknown key is the news), report only those; when every branch failed on
    type alone, report one "expected text or a mapping; got 5".
    """
    keep = {i: "" for i in range(len(entries))}
    groups: dict[YamlPath, list[int]] = {}
    for i, (_, path, branch, _) in enumerate(entries):
        if branch is not None:
            groups.setdefault(path[:branch], []).append(i)
    for members in groups.values():
        shallow = [i for i in members if entries[i][3] and _expected(entries[i][0])]
        if len(members) < 2 or not shallow:
            continue
        for i in shallow:
            del keep[i]
        if len(shallow) == len(members):
            words = dict.fromkeys(_expected(entries[i][0]) for i in shallow)
            err = entries[shallow[0]][0]
            keep[shallow[0]] = f"expected {' or '.join(words)}; got {_show(err['input'])}"
    return keep


def _expected(err: Any) -> str:
    kind = err["type"]
    if kind in ("model_type", "model_attributes_type"):
        shorthand = _SHORTHANDS.get((err.get("ctx") or {}).get("class_name", ""))
        if shorthand:
            return f"{shorthand} or a mapping"
    return _EXPECTED.get(kind, "")


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(value: Any, options: list[str]) -> str:
    if not isinstance(value, str):
        return ""
    match = get_close_matches(value.lower(), options, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _message(err: Any, path: YamlPath) -> str:
    kind, value, ctx = err["type"], err["input"], err.get("ctx") or {}
    got = _show(value)
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else ""
        valid = _valid_keys(err["loc"][:-1])
        match = get_close_matches(name, valid, n=1, cutoff=0.6)
        if match:
            return f"unknown key {name!r} (did you mean {match[0]!r}?)"
        listed = ", ".join(repr(k) for k in valid)
        return f"unknown key {name!r}" + (f"; valid keys: {listed}" if valid else "")
    if kind == "missing":
        if path == ("version",):
            return (
                "missing key 'version': a spec starts with 'version: 1' (a file without "
                "it is a fragment, to be listed in some spec's include:)"
            )
        return f"missing required key {path[-1]!r}"
    if kind == "literal_error":
        options = re.findall(r"'(?:[^'\\]|\\.)*'|[\w.-]+", str(ctx.get("expected", "")))
        options = [o for o in options if o != "or"]
        if path == ("version",):
            return f"version={got} is not supported; expected version={' or '.join(options)}"
        bare = [o.strip("'") for o in options]
        return f"expected one of {', '.join(options)}; got {got}{_did_you_mean(value, bare)}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == NON_BLANK:
            return f"expected non-blank text; got {got}"
        alternatives = _ALTERNATIVES.match(pattern)
        if alternatives:
            bare = alternatives.group(1).split("|")
            listed = ", ".join(repr(o) for o in bare)
            return f"expected one of {listed}; got {got}{_did_you_mean(value, bare)}"
        return f"expected text matching {pattern!r}; got {got}"
    if kind in ("value_error", "assertion_error"):
        return str(err["msg"]).split(", ", 1)[-1]
    expected = _expected(err)
    if expected:
        hint = ""
        if kind == "string_type" and isinstance(value, bool):
            hint = " (YAML reads a bare yes, no, on, off, true or false as a boolean: quote it)"
        return f"expected {expected}; got {got}{hint}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"expected at least {n} item{'s' if n != 1 else ''}; got none"
    if kind == "string_too_short":
        return f"expected non-empty text; got {got}"
    for bound, sign in _COMPARISONS.items():
        if bound in ctx:
            return f"expected a number {sign} {ctx[bound]}; got {got}"
    return f"{err['msg']}; got {got}"


def _members(tp: Any) -> list[Any]:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        return [m for arg in get_args(tp) if arg is not type(None) for m in _members(arg)]
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _branch(member: Any, tag: str) -> bool:
    if _is_model(member):
        return re.search(rf"\b{member.__name__}\b", tag) is not None
    origin = get_origin(member) or member
    return tag.startswith(getattr(origin, "__name__", "?"))


def _valid_keys(loc: tuple[str | int, ...]) -> list[str]:
    """The keys of the model a pydantic loc points into (aliases: ``schema``)."""
    tp: Any = SpecDocument
    for part in loc:
        members = _members(tp)
        if len(members) > 1:
            chosen = [m for m in members if isinstance(part, str) and _branch(m, part)]
            if len(chosen) != 1:
                return []
            tp = chosen[0]
            continue
        tp = members[0]
        if _is_model(tp):
            fields = tp.model_fields
            field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
            if field is None:
                return []
            tp = field.annotation
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        else:
            return []
    model = next((m for m in _members(tp) if _is_model(m)), None)
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]
