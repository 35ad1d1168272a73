"""Snapshot text is valid JSON, one object per line, and round-trips exactly."""

from __future__ import annotations

import json

from schemaprobe.report.snapshot import render_snapshot


def test_one_object_per_line_and_round_trip() -> None:
    data = {
        "server_version": 180006,
        "schemas": {"public": {"owner": "postgres"}, 'Ü "x"': {"owner": "a"}},
        "tables": {},
        "roles": {"r": {"login": True}},
    }
    text = "".join(render_snapshot(data))
    assert json.loads(text) == data
    assert text.splitlines() == [
        "{",
        ' "server_version": 180006,',
        ' "schemas": {',
        '  "public": {"owner": "postgres"},',
        '  "Ü \\"x\\"": {"owner": "a"}',
        " },",
        ' "tables": {},',
        ' "roles": {',
        '  "r": {"login": true}',
        " }",
        "}",
    ]
