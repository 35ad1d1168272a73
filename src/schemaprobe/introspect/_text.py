"""Small parsers for text the server renders: expression lists, options, trigger WHENs.

Why in Python: rebuilding a definition from raw catalog columns is cheap here and
expensive on the server (``pg_get_indexdef`` and friends re-read the catalogs per call).
"""

from __future__ import annotations

__all__ = ["index_elements", "option_value", "parse_bool", "split_top_level", "trigger_when"]

_OPEN = {"(": ")", "[": "]"}


def split_top_level(text: str) -> list[str]:
    """Split ``pg_get_expr`` output of an expression list at its top-level commas.

    Example::

        >>> split_top_level("lower(a), (b || ', '::text), COALESCE(c, 0)")
        ['lower(a)', "(b || ', '::text)", 'COALESCE(c, 0)']
    """
    parts: list[str] = []
    depth = 0
    start = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ("'", '"'):
            i = _skip_quoted(text, i)
            continue
        if ch in _OPEN:
            depth += 1
        elif ch in (")", "]"):
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return parts


def _skip_quoted(text: str, i: int) -> int:
    """Index just past the quoted literal or identifier starting at ``i`` (doubled quotes)."""
    quote = text[i]
    j = i + 1
    n = len(text)
    while j < n:
        if text[j] == quote:
            if j + 1 < n and text[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def _balanced(text: str, start: int) -> int:
    """Index of the parenthesis closing the one at ``start``."""
    depth = 0
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch in ("'", '"'):
            i = _skip_quoted(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced parentheses in {text!r}")


def trigger_when(definition: str) -> str | None:
    """The WHEN condition cut out of ``pg_get_triggerdef`` output (without ``WHEN (...)``).

    A WHEN clause refers to OLD and NEW, which ``pg_get_expr`` cannot render, so the
    (rare) triggers with one are rendered whole by the server and cut here. The clause
    follows ``FOR EACH ROW``/``STATEMENT``; identifiers before it are skipped as quoted
    tokens so a trigger or table named "x WHEN (" cannot confuse the cut.
    """
    i, n = 0, len(definition)
    marker = " FOR EACH "
    while i < n:
        ch = definition[i]
        if ch in ("'", '"'):
            i = _skip_quoted(definition, i)
            continue
        if definition.startswith(marker, i):
            break
        i += 1
    rest_at = definition.find(" WHEN (", i)
    if i >= n or rest_at < 0:
        return None
    open_at = rest_at + len(" WHEN ")
    close_at = _balanced(definition, open_at)
    return definition[open_at + 1 : close_at]


def index_elements(definition: str) -> list[str]:
    """The key and INCLUDE-less elements of ``pg_get_indexdef`` output, as written there.

    Example::

        >>> index_elements('CREATE INDEX "a (" ON public.t USING btree (lower(b) COLLATE "C")')
        ['lower(b) COLLATE "C"']
    """
    i, n = 0, len(definition)
    while i < n:
        ch = definition[i]
        if ch in ("'", '"'):
            i = _skip_quoted(definition, i)
            continue
        if definition.startswith(" USING ", i):
            break
        i += 1
    open_at = definition.find("(", i)
    if i >= n or open_at < 0:
        return []
    close_at = _balanced(definition, open_at)
    return split_top_level(definition[open_at + 1 : close_at])


def option_value(options: list[str] | tuple[str, ...] | None, name: str) -> str | None:
    """The value of ``name=value`` in a ``reloptions`` array."""
    prefix = name + "="
    for option in options or ():
        if option.startswith(prefix):
            return option[len(prefix) :]
    return None


_TRUE = ("t", "tr", "tru", "true", "y", "ye", "yes", "on", "1")
_FALSE = ("f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0")


def parse_bool(value: str | None) -> bool:
    """PostgreSQL's boolean input (``parse_bool``): reloptions keep what the user wrote."""
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")
