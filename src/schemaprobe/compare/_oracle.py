"""Equality by meaning: decides whether a spec's spelling and the server's text agree.

Comparison runs in two passes so that the server is asked once, in bulk. In the first
pass the oracle answers what it can decide locally (identical text, known type aliases)
and *records* everything else; :meth:`Oracle.resolve` then sends every recorded question
to the :class:`Canonicalizer` in three calls whatever their number, and the second pass
answers from those results. When the first pass recorded nothing (the usual case for a
spec written by ``snapshot``) its answers are final and no second pass runs.

After the server's canonical text, sqlglot normalisation (:func:`equivalent`) gets the
last word, so a rewrite the server does not fold (``BETWEEN`` against two comparisons)
still matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from schemaprobe.compare.canonical import (
    CanonicalError,
    Canonicalizer,
    ExpressionKind,
    ExpressionRequest,
    equivalent,
    normalize_type,
)
from schemaprobe.introspect.model import QualifiedName

__all__ = ["SERIAL_TYPES", "Oracle", "Verdict"]

#: serial pseudo-types: the column's real type, plus a ``nextval`` default.
SERIAL_TYPES = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether two spellings agree, and why not when the spec's text could not compile."""

    same: bool
    note: str | None = None

    def __bool__(self) -> bool:
        return self.same


_SAME = Verdict(True)
_DIFFERENT = Verdict(False)


class Oracle:
    """Answers "same meaning?" questions; see the module docstring for the two passes."""

    def __init__(self) -> None:
        self.recording = True
        self._types: set[str] = set()
        self._expressions: set[ExpressionRequest] = set()
        self._functions: set[str] = set()
        self._type_answers: Mapping[str, str | CanonicalError] = {}
        self._expression_answers: Mapping[ExpressionRequest, str | CanonicalError] = {}
        self._function_answers: Mapping[str, tuple[QualifiedName, str] | CanonicalError] = {}
        self._equivalent_cache: dict[tuple[str, str, str], bool] = {}

    @property
    def has_questions(self) -> bool:
        return bool(self._types or self._expressions or self._functions)

    def resolve(self, canonicalizer: Canonicalizer | None) -> None:
        """Ask the server everything recorded, then switch to answering."""
        if canonicalizer is not None:
            if self._types:
                self._type_answers = canonicalizer.types(sorted(self._types))
            if self._expressions:
                self._expression_answers = canonicalizer.expressions(self._expressions)
            if self._functions:
                self._function_answers = canonicalizer.functions(sorted(self._functions))
        self.recording = False

    # -- types ---------------------------------------------------------------------------

    def canonical_type(self, spec_type: str) -> str:
        """The server's name for ``spec_type`` when known, else the best local guess."""
        base = SERIAL_TYPES.get(spec_type.strip().lower())
        if base is not None:
            return base
        answer = self._type_answers.get(spec_type)
        if isinstance(answer, str):
            return answer
        if self.recording:
            self._types.add(spec_type)
        return normalize_type(spec_type)

    def same_type(self, spec_type: str, live_type: str) -> Verdict:
        if spec_type == live_type:
            return _SAME
        base = SERIAL_TYPES.get(spec_type.strip().lower())
        if base is not None:
            return Verdict(base == live_type)
        if normalize_type(spec_type) == live_type:
            return _SAME
        return Verdict(self.canonical_type(spec_type) == live_type)

    # -- expressions ---------------------------------------------------------------------

    def same_expression(
        self,
        kind: ExpressionKind,
        table: QualifiedName,
        spec_text: str,
        live_text: str | None,
        context: str = "",
    ) -> Verdict:
        """Whether the spec's expression means the live one (``None``: the live has none)."""
        if live_text is None:
            return _DIFFERENT
        if spec_text == live_text or _strip_parens(spec_text) == _strip_parens(live_text):
            return _SAME
        request = ExpressionRequest(kind, table, spec_text, context)
        answer = self._expression_answers.get(request)
        if answer is None and self.recording:
            self._expressions.add(request)
        if isinstance(answer, str):
            if answer == live_text:
                return _SAME
            return Verdict(self._equivalent(kind, answer, live_text))
        note = f"the server could not compile it: {answer.message}" if answer else None
        same = self._equivalent(kind, spec_text, live_text)
        return Verdict(same, None if same else note)

    def _equivalent(self, kind: str, a: str, b: str) -> bool:
        key = (kind, a, b)
        cached = self._equivalent_cache.get(key)
        if cached is None:
            cached = self._equivalent_cache[key] = equivalent(kind, a, b)  # type: ignore[arg-type]
        return cached

    # -- functions -----------------------------------------------------------------------

    def function(self, key: str) -> tuple[QualifiedName, str] | None:
        """The (name, identity arguments) the server resolves a spec's function key to."""
        answer = self._function_answers.get(key)
        if answer is None and self.recording:
            self._functions.add(key)
        return answer if isinstance(answer, tuple) else None


def _strip_parens(text: str) -> str:
    """``(a > 0)`` -> ``a > 0`` when the outer parentheses enclose everything."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced_inside(text):
        text = text[1:-1].strip()
    return text


def _balanced_inside(text: str) -> bool:
    depth = 0
    in_quote = ""
    for i, char in enumerate(text):
        if in_quote:
            if char == in_quote:
                in_quote = ""
            continue
        if char in "'\"":
            in_quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0
