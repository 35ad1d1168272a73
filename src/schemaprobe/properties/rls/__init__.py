"""RLS isolation as a property: every principal sees and changes exactly the rows the
spec's tenancy model allows (:func:`~schemaprobe.properties.rls.run.run_isolation`)."""

from __future__ import annotations

from schemaprobe.properties.rls.model import TenancyModel, resolve_tenancy
from schemaprobe.properties.rls.run import DEFAULT_WORLDS, run_isolation

__all__ = ["DEFAULT_WORLDS", "TenancyModel", "resolve_tenancy", "run_isolation"]
