"""The JSON Schema of spec files, for editors (completion, unknown keys flagged as typed).

Why it exists: YAML language servers and IDEs validate a file against a JSON Schema named
in a ``# yaml-language-server: $schema=...`` comment. The schema is generated from
:class:`SpecDocument` so it cannot drift, and committed as
``specs/schemaprobe.schema.json`` (a test fails when it is stale; regenerate with
``schemaprobe schema -o specs/schemaprobe.schema.json``).

pydantic describes what a model *stores*; a spec may also be written in the shorter forms
the model's ``mode="before"`` validators accept (``title: text``, ``rls: true``,
``legacy:`` with nothing, ``command: SELECT``). :data:`_WIDENED` adds those forms, so the
schema accepts every spec the loader accepts; a test checks that each such validator is
listed here. Patterns with ``(?i)`` are rewritten, as JSON Schema's ECMA-262 regular
expressions have no inline flags.
"""

from __future__ import annotations

import json
import re
from typing import Any

from schemaprobe.spec.model import SpecDocument

__all__ = ["JSON_SCHEMA_DIALECT", "render_json_schema", "spec_json_schema"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DESCRIPTION = (
    "A schemaprobe spec: what a PostgreSQL database must be (schemas, tables, columns, "
    "constraints, indexes, policies, grants, functions). Only what is written is checked. "
    "Fragments listed under include: are partial documents merged into the spec."
)
_COLUMNS = {"type": "string"}
#: Model -> the extra JSON types its before-validators accept. Keywords beside ``type``
#: constrain only instances of their own type (``minLength`` strings, ``items`` arrays).
_WIDENED: dict[str, dict[str, Any]] = {
    "ColumnSpec": {"type": ["string"]},
    "RlsSpec": {"type": ["boolean"]},
    "PrimaryKeySpec": {"type": ["string", "array"], "items": _COLUMNS, "minItems": 1},
    "UniqueSpec": {"type": ["string", "array"], "items": _COLUMNS, "minItems": 1},
    "CheckSpec": {"type": ["string"], "minLength": 1},
    "Bounds": {"type": ["integer"], "minimum": 0},
    "ColumnTemplate": {"type": ["string"]},
    **{
        name: {"type": ["string", "boolean"]}
        for name in (
            "RuleSpec",
            "UserDataRuleSpec",
            "RequiredColumnsRuleSpec",
            "PrimaryKeyRuleSpec",
            "ForeignKeyRuleSpec",
            "NamingRuleSpec",
        )
    },
}
#: (model, field) whose enum values are also accepted in upper case (lowered on load).
_ANY_CASE = {
    ("PolicySpec", "command"),
    ("FunctionSpec", "volatility"),
    ("FunctionSpec", "parallel"),
}
#: Every before-validator of the model and what stands for it here (checked by a test).
_COVERED = {
    "_empty_is_declared": "every model but the document also takes null",
    "_type_shorthand": "ColumnSpec, ColumnTemplate in _WIDENED",
    "_rule_shorthand": "RuleSpec and its subclasses in _WIDENED (severity or enabled)",
    "_columns_shorthand": "PrimaryKeySpec, UniqueSpec in _WIDENED",
    "_expression_shorthand": "CheckSpec in _WIDENED",
    "_bool_shorthand": "RlsSpec in _WIDENED",
    "_bare_count": "Bounds in _WIDENED",
    "_lower_command": "PolicySpec.command in _ANY_CASE",
    "_lower": "FunctionSpec.volatility/parallel in _ANY_CASE; language is free text",
    "_lower_events": "TriggerSpec.events in _widen_events",
}


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a spec file, as a dict."""
    schema = SpecDocument.model_json_schema(by_alias=True, mode="validation")
    for name, definition in schema.get("$defs", {}).items():
        extra = _WIDENED.get(name, {})
        definition["type"] = ["object", "null", *extra.get("type", [])]
        definition.update({k: v for k, v in extra.items() if k != "type"})
        for field, prop in definition.get("properties", {}).items():
            if (name, field) in _ANY_CASE:
                _any_case(prop)
    _widen_events(schema["$defs"]["TriggerSpec"]["properties"]["events"])
    _rewrite_patterns(schema)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **schema,
        "title": "schemaprobe spec",
        "description": _DESCRIPTION,
    }


def render_json_schema() -> str:
    """:func:`spec_json_schema` as text: sorted keys, 2-space indent, final newline."""
    return json.dumps(spec_json_schema(), indent=2, sort_keys=True) + "\n"


def _any_case(node: Any) -> None:
    if isinstance(node, dict):
        if "enum" in node:
            values = node["enum"]
            node["enum"] = [*values, *(v.upper() for v in values if v.upper() != v)]
        for value in node.values():
            _any_case(value)
    elif isinstance(node, list):
        for value in node:
            _any_case(value)


def _widen_events(prop: dict[str, Any]) -> None:
    """``events: insert or update`` (a string, split on ``or`` and commas) or any case."""
    _any_case(prop)
    branches = prop.get("anyOf", [])
    branches.insert(0, {"type": "string", "description": "e.g. 'insert or update'"})


def _rewrite_patterns(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                node[key] = _ecma(value)
            else:
                _rewrite_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _rewrite_patterns(value)


def _ecma(pattern: str) -> str:
    """``(?i)^[a-z]+$`` -> ``^[a-zA-Z]+$``: case-insensitivity without the inline flag."""
    if not pattern.startswith("(?i)"):
        return pattern
    out: list[str] = []
    chars = iter(pattern[4:])
    for ch in chars:
        if ch == "\\":
            out.append(ch + next(chars, ""))
        elif ch == "[":
            body = ""
            for inner in chars:
                if inner == "]":
                    break
                body += inner
            negated, body = ("^", body[1:]) if body.startswith("^") else ("", body)
            letters = re.findall(r"[A-Za-z]-[A-Za-z]|[A-Za-z]", re.sub(r"\\.", "", body))
            other = "".join(letters).swapcase()
            if body.endswith("-") and not body.endswith("\\-"):  # a literal '-' stays one
                body = body[:-1] + "\\-"
            out.append(f"[{negated}{body}{other}]")
        elif ch.isalpha():
            out.append(f"[{ch.lower()}{ch.upper()}]")
        else:
            out.append(ch)
    return "".join(out)
