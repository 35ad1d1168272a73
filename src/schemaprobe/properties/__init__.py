"""Property tests of constraints: the live database accepts exactly the rows the spec allows.

Layers, each usable alone:

- :mod:`.types`: Hypothesis strategies for PostgreSQL types (values as the row's JSON);
- :mod:`.expressions` and :mod:`.strategies`: CHECK expressions read with sqlglot, steering
  values to their edges;
- :mod:`.rows`: the row factory (valid rows with their parents, in foreign-key order);
- :mod:`.oracle`: one CHECK / NOT NULL property run against the server's verdicts;
- :mod:`.plan` and :mod:`.runner`: spec items planned without a database, run per item in a
  transaction that is always rolled back.

Imports Hypothesis: the pytest plugin reaches this package only when an item runs.
"""

from __future__ import annotations

from schemaprobe.properties.execute import insert_rowset
from schemaprobe.properties.oracle import Counterexample, Property, PropertyOutcome, run_property
from schemaprobe.properties.rows import Link, RowFactory, RowFactoryError, RowInsert, RowSet
from schemaprobe.properties.types import PgType, TypeInfo, parse_type, strategy_for

__all__ = [
    "Counterexample",
    "Link",
    "PgType",
    "Property",
    "PropertyOutcome",
    "RowFactory",
    "RowFactoryError",
    "RowInsert",
    "RowSet",
    "TypeInfo",
    "insert_rowset",
    "parse_type",
    "run_property",
    "strategy_for",
]
