"""schemaprobe: turn a PostgreSQL database's promises into a test suite."""

from __future__ import annotations

__version__ = "0.1.0"
