"""Shared fixtures: one real PostgreSQL server per test session (per xdist worker).

The server is the embedded one unless ``SCHEMAPROBE_TEST_DSN`` names an existing
server (CI runs the suite once each way). Tests that need a database get a scratch
database of their own, dropped afterwards.
"""

from __future__ import annotations

pytest_plugins = ["tests.fixtures.db"]

# pytester's in-process runs forget modules first imported inside them. libyaml's C
# parser cannot be re-initialised and keeps creating events of the *first* import's
# classes, so a re-imported ``yaml`` would no longer recognise them. Importing the spec
# loader here keeps one ``yaml`` for the whole session.
import schemaprobe.spec.load  # noqa: E402, F401
