"""Helpers for snapshot tests: comparing snapshots taken on a server shared with others."""

from __future__ import annotations

import re

_TOP_LEVEL = re.compile(r"^(?=\S)", re.MULTILINE)


def without_roles(text: str) -> str:
    """The snapshot's text without its ``roles:`` section.

    Roles are cluster-wide: other tests (xdist workers) create and drop theirs while this
    one runs, so only the rest of two snapshots can be expected to be byte-identical.
    """
    blocks = _TOP_LEVEL.split(text)
    return "".join(block for block in blocks if not block.startswith("roles:"))
