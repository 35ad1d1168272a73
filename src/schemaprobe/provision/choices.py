"""The valid providers and profiles, in a module that imports nothing.

The pytest plugin's entry module validates these at start-up in every pytest run; it
must not pull in psycopg to do so, so the names live here rather than in ``target``.
"""

from __future__ import annotations

from typing import Literal

Provider = Literal["embedded", "dsn", "docker"]
PROVIDERS: tuple[Provider, ...] = ("embedded", "dsn", "docker")
PROFILES = ("supabase",)
DEFAULT_DOCKER_IMAGE = "postgres:18-alpine"
