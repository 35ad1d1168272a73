"""Shared fixtures: one real PostgreSQL server per test session (per xdist worker).

The server is the embedded one unless ``SCHEMAPROBE_TEST_DSN`` names an existing
server (CI runs the suite once each way). Tests that need a database get a scratch
database of their own, dropped afterwards.
"""

from __future__ import annotations

pytest_plugins = ["tests.fixtures.db"]
