"""A JSON Schema validator for the keywords pydantic emits, so tests need no new dependency.

It refuses keywords it does not know: a new kind of schema shows up as a test failure
rather than as silently unchecked.
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "default", "examples"})
KEYWORDS = frozenset(
    {
        "$ref",
        "anyOf",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "minItems",
        "minLength",
        "minimum",
        "pattern",
    }
)
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(instance: Any, schema: dict[str, Any], root: dict[str, Any] | None = None) -> list[str]:
    """Every way ``instance`` fails ``schema`` ('' path: the document itself)."""
    root = schema if root is None else root
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise AssertionError(f"keywords this subset does not check: {sorted(unknown)}")
    found: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        found += errors(instance, root["$defs"][name], root)
    if "anyOf" in schema and all(errors(instance, s, root) for s in schema["anyOf"]):
        found.append(f"{instance!r} matches no anyOf branch")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](instance) for t in types):
            return [*found, f"{instance!r} is not of type {types}"]
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{instance!r} not in {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        found.append(f"{instance!r} is not {schema['const']!r}")
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        found += [f"missing {k!r}" for k in schema.get("required", []) if k not in instance]
        for key, value in instance.items():
            if key in properties:
                found += [f"{key}.{e}" for e in errors(value, properties[key], root)]
            elif schema.get("additionalProperties") is False:
                found.append(f"unknown key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                extra = schema["additionalProperties"]
                found += [f"{key}.{e}" for e in errors(value, extra, root)]
    if isinstance(instance, list):
        if len(instance) < schema.get("minItems", 0):
            found.append(f"fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(instance):
                found += [f"[{i}].{e}" for e in errors(item, schema["items"], root)]
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            found.append(f"{instance!r} is too short")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            found.append(f"{instance!r} does not match {schema['pattern']!r}")
    is_number = isinstance(instance, (int, float)) and not isinstance(instance, bool)
    if is_number and "minimum" in schema and instance < schema["minimum"]:
        found.append(f"{instance!r} < {schema['minimum']}")
    return found
