"""Spec files as pytest collectors, expectations as pytest items.

Node ids follow the spec: ``specs/app.yaml::public.stories::index[stories_user_idx]``
(file, then a collector per table, then the item), so ``pytest <node id>`` and ``-k``
select single expectations. Items are planned from the specs alone; the database is
first touched when an item runs, and one comparison answers every item of the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from schemaprobe.errors import SchemaprobeError, SpecError

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr
    from _pytest.nodes import Node

    from schemaprobe.findings import ItemResult
    from schemaprobe.plugin.state import RunState
    from schemaprobe.properties.plan import PropertyPlan
    from schemaprobe.spec.load import LoadedSpec

__all__ = ["MARKERS", "SpecFile", "SpecItem", "TableGroup"]

MARKERS = {
    "schemaprobe_structure": "structural expectation of a schemaprobe spec",
    "schemaprobe_property": "property test of a schemaprobe spec (constraint behaviour)",
    "schemaprobe_rls": "RLS isolation property of a schemaprobe spec (tenancy model)",
}


class Mismatch(Exception):
    """Raised by a failing spec item; rendered by :meth:`SpecItem.repr_failure`."""

    def __init__(self, result: ItemResult) -> None:
        super().__init__(result.id)
        self.result = result


def _state(node: Node) -> RunState:
    from schemaprobe.plugin import STATE_KEY

    state: RunState = node.config.stash[STATE_KEY]
    return state


class SpecFile(pytest.File):
    """One spec file; its items come from :func:`schemaprobe.compare.engine.plan`."""

    def collect(self) -> Iterable[pytest.Item | pytest.Collector]:
        from schemaprobe.compare.engine import plan

        state = _state(self)
        try:
            specs = state.specs()
            # the rules: sections are checked when planned (unknown ids, regexes)
            rule_plans = state.rule_plans()
        except SpecError as exc:
            mine = [p for p in exc.problems if p.location and self._is_mine(p.location.file)]
            raise self.CollectError("\n".join(str(p) for p in (mine or exc.problems))) from None
        except SchemaprobeError as exc:
            raise self.CollectError(f"schemaprobe: {exc}") from None
        if specs is None:
            return
        loaded = next((s for s in specs.specs if self._is_mine(s.path)), None)
        if loaded is None:  # a fragment another spec includes: nothing of its own
            return
        groups: dict[str, list[ItemResult | PropertyPlan]] = {}
        planned: list[ItemResult | PropertyPlan] = [
            *plan(specs),
            *state.property_plans(),
            *rule_plans,
        ]
        for result in planned:
            if result.id.startswith(f"{loaded.path}::"):
                head, sep, _tail = result.name.partition("::")
                groups.setdefault(head if sep else "", []).append(result)
        for head, results in groups.items():
            if head:
                yield TableGroup.from_parent(self, name=head, results=results, spec=loaded)
            else:
                for result in results:
                    yield _item(self, result.name, result)

    def _is_mine(self, display: str) -> bool:
        return Path(display).resolve() == self.path.resolve()


class TableGroup(pytest.Collector):
    """The expectations of one table (or other object with parts) in one spec file."""

    def __init__(
        self, *, results: list[ItemResult | PropertyPlan], spec: LoadedSpec, **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._results = results
        self._spec = spec

    def collect(self) -> Iterator[pytest.Item]:
        for result in self._results:
            _head, _sep, tail = result.name.partition("::")
            yield _item(self, tail, result)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        first = self._results[0].location if self._results else None
        return self.path, (first.line - 1) if first else None, self.name


def _item(parent: pytest.Collector, name: str, result: ItemResult | PropertyPlan) -> pytest.Item:
    """A structural item, or a property item (:mod:`schemaprobe.plugin.property_items`)."""
    from schemaprobe.findings import ItemResult

    if isinstance(result, ItemResult):
        return SpecItem.from_parent(parent, name=name, result=result)
    from schemaprobe.plugin.property_items import PropertyItem

    return PropertyItem.from_parent(parent, name=name, plan=result)


class SpecItem(pytest.Item):
    """One expectation. Fails with a have/want diff per mismatch; never a traceback."""

    def __init__(self, *, result: ItemResult, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.planned = result
        self.add_marker(result.marker)
        if result.waiver is not None:
            self.add_marker(pytest.mark.xfail(reason=result.waiver, strict=True, raises=Mismatch))

    def runtest(self) -> None:
        result = _state(self).result(self.planned.id)
        if result.skipped:
            pytest.skip(result.skipped)
        if result.findings:
            raise Mismatch(result)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: object = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, Mismatch):
            from schemaprobe.report.text import format_item_failure

            return format_item_failure(excinfo.value.result)
        if isinstance(excinfo.value, SchemaprobeError):
            return f"schemaprobe: {excinfo.value}"
        return super().repr_failure(excinfo)  # a bug: keep its traceback

    def reportinfo(self) -> tuple[Path, int | None, str]:
        location = self.planned.location
        return self.path, (location.line - 1) if location else None, self.planned.id
