"""Snapshot text: one line per object, so diffs of two snapshots read object by object.

``json.dumps(indent=...)`` would use the standard library's pure-Python encoder (about
4x slower, and a large transient peak at 10,000 tables). Here every object (a schema, a
table with everything in it) is encoded by the C encoder on its own and the outer layout
is written by hand. The result is still valid JSON, and so valid YAML too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def render_snapshot(data: Mapping[str, Any]) -> Iterator[str]:
    """Yield the text of ``data`` in chunks: top-level sections, one object per line."""
    yield "{\n"
    last_key = len(data) - 1
    for i, (key, value) in enumerate(data.items()):
        tail = "\n" if i == last_key else ",\n"
        if isinstance(value, Mapping) and value:
            yield f" {_encode(key)}: {{\n"
            last_item = len(value) - 1
            for j, (name, item) in enumerate(value.items()):
                yield f"  {_encode(name)}: {_encode(item)}{'' if j == last_item else ','}\n"
            yield f" }}{tail}"
        else:
            yield f" {_encode(key)}: {_encode(value)}{tail}"
    yield "}\n"
