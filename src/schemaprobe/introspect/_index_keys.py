"""Index keys decoded from ``pg_index`` vectors, once per distinct index layout.

``indkey``, ``indoption``, ``indclass`` and ``indcollation`` arrive as the text of their
vectors; tables built from one template have identical vectors, so the decoding (and,
per table shape, the naming) is done once and shared.
"""

from __future__ import annotations

from typing import Any

from schemaprobe.introspect._lookups import Lookups
from schemaprobe.introspect._text import index_elements, split_top_level
from schemaprobe.introspect.model import IndexColumn

__all__ = ["IndexTemplate"]


class IndexTemplate:
    """The decoded key vectors of an index, independent of its table's column names."""

    __slots__ = ("am", "attnums", "include", "key_attnums", "keys")

    keys: list[tuple[int, str | None, int, int, bool, bool]]

    def __init__(self, key: tuple[Any, ...]) -> None:
        am, nkeyatts, indkey, indoption, indclass, indcollation, exprs, definition = key
        attnums = [int(a) for a in indkey.split()]
        options = [int(o) for o in indoption.split()]
        opclasses = [int(o) for o in indclass.split()]
        collations = [int(c) for c in indcollation.split()]
        expressions = iter(split_top_level(exprs) if exprs else ())
        elements = index_elements(definition) if definition else None
        self.am = am
        self.attnums = attnums
        self.key_attnums = [a for a in attnums[:nkeyatts] if a]
        self.include = attnums[nkeyatts:]
        # (attnum, expression text, opclass, collation, descending, nulls first)
        self.keys = []
        for k in range(nkeyatts):
            expression = None if attnums[k] else next(expressions, "?")
            collation = collations[k]
            if expression is not None:
                shown = (
                    elements is not None
                    and k < len(elements)
                    and _collate_follows(elements[k], expression)
                )
                collation = collation if shown else 0
            self.keys.append(
                (
                    attnums[k],
                    expression,
                    opclasses[k],
                    collation,
                    bool(options[k] & 1),
                    bool(options[k] & 2),
                )
            )

    def resolve(
        self,
        names: dict[int, str],
        types: dict[int, tuple[int, int]],
        lookups: Lookups,
    ) -> tuple[tuple[IndexColumn, ...], tuple[str, ...]]:
        keys = []
        for attnum, expression, opclass, collation, descending, nulls_first in self.keys:
            if attnum:
                key_type, column_collation = types.get(attnum, (None, 0))
                keys.append(
                    IndexColumn(
                        names.get(attnum) or f"<column {attnum}>",
                        False,
                        lookups.opclass_shown(opclass, self.am, key_type),
                        None
                        if not collation or collation == column_collation
                        else lookups.collation_name(collation),
                        descending,
                        nulls_first,
                    )
                )
            else:
                keys.append(
                    IndexColumn(
                        expression or "?",
                        True,
                        lookups.opclass_shown(opclass, self.am, None),
                        lookups.collation_name(collation) if collation else None,
                        descending,
                        nulls_first,
                    )
                )
        include = tuple(names.get(a) or f"<column {a}>" for a in self.include)
        return tuple(keys), include


def _collate_follows(element: str, expression: str) -> bool:
    """Whether ``pg_get_indexdef`` wrote a COLLATE clause after this expression key."""
    for shape in (expression, f"({expression})"):
        if element.startswith(shape):
            return element[len(shape) :].startswith(" COLLATE ")
    return False
