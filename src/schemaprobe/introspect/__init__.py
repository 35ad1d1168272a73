"""Introspection: the live catalog → an immutable :class:`Catalog`, in bulk queries.

Knows nothing of specs. ``read_catalog`` is the entry point; the model classes live in
:mod:`schemaprobe.introspect.model` and JSON output in :mod:`schemaprobe.introspect.serialize`.
"""

from __future__ import annotations

from schemaprobe.introspect._filter import SUPABASE_SCHEMAS, SYSTEM_SCHEMAS
from schemaprobe.introspect._names import QualifiedName, quote_ident
from schemaprobe.introspect.model import Catalog
from schemaprobe.introspect.read import read_catalog

__all__ = [
    "SUPABASE_SCHEMAS",
    "SYSTEM_SCHEMAS",
    "Catalog",
    "QualifiedName",
    "quote_ident",
    "read_catalog",
]
