"""The server's canonical text for a spec's spelling of a type, expression or function.

The catalog model holds what PostgreSQL renders (``format_type``, ``pg_get_expr``,
``pg_get_triggerdef``), read with ``search_path = pg_catalog``. A spec may spell the same
thing any way a person would, so when the two texts differ the comparison asks
:class:`ServerCanonicalizer` to compile the spec's text into a scratch object and render
it back exactly as introspection renders the live one. What still differs goes to
:func:`equivalent` (sqlglot, :mod:`._sqlnorm`).

How a call runs (:meth:`ServerCanonicalizer._exchange`): a ``DO`` block does all the
work, fed through a transaction-local setting and answering through another. One
pipeline, so one network round trip whatever the number of questions: ``BEGIN``, then per
:data:`CHUNK` questions the request, the ``DO`` and the answer, then ``ROLLBACK`` (five
statements up to 500 questions; in a transaction of the caller, a savepoint instead).
Never harm the target:

- Each question's scratch objects live in a PL/pgSQL block that always ends by raising,
  so they, the settings and any locks they took are undone at once (the rendered text
  survives in a variable); each table's scratch copy likewise. The transaction is then
  rolled back as a whole too. One bad expression costs only its own answer.
- Scratch tables are ``TEMP`` tables with the live table's **name** (so a column of the
  table inside a policy's subquery renders as ``tasks.org_id`` as it does live) and its
  columns, built from ``pg_attribute`` and ``format_type``. Not ``CREATE TABLE ... (LIKE
  live)``: that takes ACCESS SHARE on the live table until the end of the transaction
  (and needs SELECT on it). Reading ``pg_attribute`` takes no lock at all, so a
  migration holding ACCESS EXCLUSIVE on the live table does not block canonicalisation.
  Expressions are compiled with the spec's search path followed by ``pg_temp``, so a
  scratch table never shadows a live one; the only locks on live objects are the ACCESS
  SHARE locks that parse analysis takes on tables a policy's subquery names, held until
  the sub-block's rollback (and bounded by the session's ``lock_timeout``).
- A read-only session (``transaction_read_only``, e.g. audit mode or a standby) gets no
  DDL: expression questions are answered ``read-only session: compared with sqlglot
  only``, types through ``to_regtype`` (typmods through ``to_regtypemod`` on PostgreSQL
  17+, else the built-in aliases of :func:`normalize_type`); functions never need DDL.
- Spec text is SQL by design and goes into the DDL as SQL, but only inside parentheses it
  cannot leave (:func:`expression_problem`); types must look like type names
  (:func:`type_problem`). Identifiers are quoted by ``format('%I')`` on the server; Python
  sends the request as one JSON parameter.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from schemaprobe.compare import _canonical_sql as scratch
from schemaprobe.compare._sqlnorm import (
    equivalent,
    expression_problem,
    normalize_type,
    type_problem,
)
from schemaprobe.introspect._names import QualifiedName, quote_ident
from schemaprobe.introspect._text import split_top_level, trigger_when

__all__ = [
    "CanonicalError",
    "Canonicalizer",
    "ExpressionKind",
    "ExpressionRequest",
    "ServerCanonicalizer",
    "equivalent",
    "normalize_type",
]

ExpressionKind = Literal[
    "check",
    "default",
    "generated",
    "index_expression",
    "index_predicate",
    "policy_using",
    "policy_with_check",
    "trigger_when",
]


@dataclass(frozen=True, slots=True)
class ExpressionRequest:
    """One spec expression to canonicalise in the context of the live ``table``.

    ``context`` is, for ``trigger_when``, the trigger's kind (``BEFORE UPDATE FOR EACH
    ROW``: OLD/NEW must be valid); for ``index_*``, the access method (``gin``); for
    ``default``/``generated``, the column's name, whose type decides the casts the server
    adds (without it the expression keeps its own type: ``'a'::text``, not
    ``'a'::character varying``).
    """

    kind: ExpressionKind
    table: QualifiedName
    text: str
    context: str = ""


@dataclass(frozen=True, slots=True)
class CanonicalError:
    """Why the server gave no canonical text, e.g. ``column "retry_cnt" does not exist``."""

    message: str


class Canonicalizer(Protocol):
    """The comparison engine's only way to run SQL: a few bulk questions per check."""

    def types(self, texts: Collection[str]) -> Mapping[str, str | CanonicalError]: ...

    def expressions(
        self, requests: Collection[ExpressionRequest]
    ) -> Mapping[ExpressionRequest, str | CanonicalError]: ...

    def functions(
        self, signatures: Collection[str]
    ) -> Mapping[str, tuple[QualifiedName, str] | CanonicalError]: ...


#: Questions per DO statement: at a few milliseconds each (a scratch table per live
#: table, a subtransaction per question), one statement stays far below any sensible
#: ``statement_timeout``.
CHUNK = 500

READ_ONLY = CanonicalError("read-only session: compared with sqlglot only")

_SERIAL = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}
_EVENT = r"(?:INSERT|UPDATE|DELETE|TRUNCATE)"
_TRIGGER_CONTEXT = re.compile(
    rf"^\s*(?P<timing>BEFORE|AFTER)\s+(?P<events>{_EVENT}(?:\s+OR\s+{_EVENT})*)"
    r"(?:\s+FOR\s+(?:EACH\s+)?(?P<level>ROW|STATEMENT))?\s*$",
    re.IGNORECASE,
)
_METHOD = re.compile(r"^[a-z_][a-z0-9_]*$")
_SETOF = re.compile(r"^\s*setof\s+", re.IGNORECASE)


class ServerCanonicalizer:
    """:class:`Canonicalizer` over a live connection (see the module docstring).

    ``search_path`` is the one the spec's names are written for (``auth.uid()`` works in
    any, ``uid()`` only if ``auth`` is on it). ``round_trips`` and ``statements`` count
    what the calls sent; neither depends on the number of questions.
    """

    def __init__(
        self, conn: psycopg.Connection[Any], *, search_path: Sequence[str] = ("public",)
    ) -> None:
        self._conn = conn
        schemas = [quote_ident(s) for s in search_path if s != "pg_temp"]
        # pg_temp last: a scratch table must not shadow the live table of the same name.
        self._search_path = ", ".join([*schemas, "pg_temp"])
        self.round_trips = 0
        self.statements = 0

    # -- the three questions ----------------------------------------------------------

    def types(self, texts: Collection[str]) -> Mapping[str, str | CanonicalError]:
        """``format_type`` of each spelling, as ``Column.type`` shows it (typmods kept)."""
        answers: dict[str, str | CanonicalError] = {}
        items: list[dict[str, Any]] = []
        asked: list[tuple[str, str, str]] = []  # (text, SETOF prefix, body)
        for text in dict.fromkeys(texts):
            body = _SETOF.sub("", text)
            prefix = "SETOF " if body != text else ""
            serial = _SERIAL.get(body.strip().lower())
            problem = type_problem(body)
            if serial is not None:
                answers[text] = prefix + serial
            elif problem is not None:
                answers[text] = CanonicalError(problem)
            else:
                items.append({"id": len(asked), "spec": body})
                asked.append((text, prefix, body))
        if not items:
            return answers
        reply = self._exchange("types", items)
        for i, (text, prefix, body) in enumerate(asked):
            found = reply.answer(i)
            if isinstance(found, str) and reply.read_only and reply.version < 170000:
                found = _without_typmod_support(body, found)
            answers[text] = prefix + found if isinstance(found, str) else found
        return answers

    def expressions(
        self, requests: Collection[ExpressionRequest]
    ) -> Mapping[ExpressionRequest, str | CanonicalError]:
        """Each expression compiled on a scratch copy of its table, rendered as live."""
        answers: dict[ExpressionRequest, str | CanonicalError] = {}
        items: list[dict[str, Any]] = []
        asked: list[ExpressionRequest] = []
        for request in sorted(dict.fromkeys(requests), key=_by_table):
            item = _expression_item(request, len(asked))
            if isinstance(item, CanonicalError):
                answers[request] = item
            else:
                items.append(item)
                asked.append(request)
        if not items:
            return answers
        reply = self._exchange("expressions", items)
        for i, request in enumerate(asked):
            answers[request] = READ_ONLY if reply.read_only else _rendered(request, reply.answer(i))
        return answers

    def functions(
        self, signatures: Collection[str]
    ) -> Mapping[str, tuple[QualifiedName, str] | CanonicalError]:
        """``to_regprocedure`` of each key → (name, identity arguments) as the model keys it."""
        asked = list(dict.fromkeys(signatures))
        if not asked:
            return {}
        items = [{"id": i, "spec": text} for i, text in enumerate(asked)]
        reply = self._exchange("functions", items)
        answers: dict[str, tuple[QualifiedName, str] | CanonicalError] = {}
        for i, text in enumerate(asked):
            found = reply.raw(i)
            if isinstance(found, list) and len(found) == 3:
                answers[text] = (QualifiedName(found[0], found[1]), found[2])
            else:
                answers[text] = found if isinstance(found, CanonicalError) else _NO_ANSWER
        return answers

    # -- the round trip ---------------------------------------------------------------

    def _exchange(self, mode: str, items: list[dict[str, Any]]) -> _Reply:
        """Send ``items`` through the DO block; a failed exchange answers every item.

        Items go in chunks of :data:`CHUNK`, one DO statement each (so each gets its own
        ``statement_timeout``), all in the same pipeline: still one round trip.
        """
        conn = self._conn
        status = conn.info.transaction_status
        if status == TransactionStatus.IDLE:
            # Never more writable than psycopg's own BEGIN would be.
            begin = scratch.BEGIN_READ_ONLY if conn.read_only else scratch.BEGIN
            before, after = [begin], [scratch.ROLLBACK]
        elif status == TransactionStatus.INTRANS:
            before, after = [scratch.SAVEPOINT], [scratch.ROLLBACK_TO, scratch.RELEASE]
        else:
            return _Reply.failed("the connection is busy or in a failed transaction")
        plan: list[tuple[sql.SQL, dict[str, str] | None]] = [(s, None) for s in before]
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            request = {"mode": mode, "search_path": self._search_path, "items": chunk}
            plan += [(scratch.REQUEST, {"request": json.dumps(request)})]
            plan += [(scratch.DO, None), (scratch.ANSWER, None)]
        plan += [(s, None) for s in after]
        pipelined = psycopg.Pipeline.is_supported()
        self.statements += len(plan)
        self.round_trips += 1 if pipelined else len(plan)
        # Our own BEGIN goes into the pipeline: psycopg's implicit one would be a round
        # trip of its own. autocommit is a client-side flag; it is put back at once.
        manual = status == TransactionStatus.IDLE and not conn.autocommit
        try:
            if manual:
                conn.autocommit = True
            with conn.pipeline() if pipelined else contextlib.nullcontext():
                cursors = [(s, _execute(conn, s, params)) for s, params in plan]
            rows = [cursor.fetchone() for s, cursor in cursors if s is scratch.ANSWER]
        except psycopg.Error as exc:
            self._recover(status)
            return _Reply.failed(f"the server could not canonicalise: {_first_line(exc)}")
        finally:
            if manual:
                with contextlib.suppress(psycopg.Error):
                    conn.autocommit = False
        payloads = [json.loads(row[0]) for row in rows if row and row[0]]
        return _Reply(payloads, conn.info.server_version)

    def _recover(self, status: TransactionStatus) -> None:
        conn = self._conn
        if conn.closed or conn.info.transaction_status == TransactionStatus.IDLE:
            return
        try:
            if status == TransactionStatus.IDLE:
                conn.rollback()
            elif conn.info.transaction_status == TransactionStatus.INERROR:
                _execute(conn, scratch.ROLLBACK_TO)
                _execute(conn, scratch.RELEASE)
        except psycopg.Error:
            pass


_NO_ANSWER = CanonicalError("the server gave no answer")


class _Reply:
    """The DO blocks' answers, each ``{"read_only": bool, "items": [[id, value, error]]}``."""

    def __init__(
        self, payloads: list[dict[str, Any]], version: int, failure: str | None = None
    ) -> None:
        self.read_only = any(payload.get("read_only") for payload in payloads)
        self.version = version
        self.failure = failure
        self.items = {
            item[0]: (item[1], item[2]) for payload in payloads for item in payload["items"]
        }

    @classmethod
    def failed(cls, message: str) -> _Reply:
        return cls([], 0, message)

    def raw(self, i: int) -> object:
        if self.failure is not None:
            return CanonicalError(self.failure)
        value, error = self.items.get(i, (None, None))
        if error is not None:
            return CanonicalError(str(error))
        return _NO_ANSWER if value is None else value

    def answer(self, i: int) -> str | CanonicalError:
        found = self.raw(i)
        return found if isinstance(found, (str, CanonicalError)) else _NO_ANSWER


def _execute(
    conn: psycopg.Connection[Any], statement: sql.SQL, params: dict[str, Any] | None = None
) -> psycopg.Cursor[tuple[Any, ...]]:
    # Never prepared: a server-side prepared statement would outlive the rollback.
    return conn.cursor(row_factory=tuple_row).execute(statement, params, prepare=False)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _without_typmod_support(body: str, found: str) -> str | CanonicalError:
    """Read-only before PostgreSQL 17: the server named the base type, not its modifier.

    Built-in modifiers are spelled out locally (:func:`normalize_type`), including the
    implicit ``(1)`` of a bare ``char`` or ``bit``; a user type's modifier is not guessed.
    """
    local = normalize_type(body)
    if "(" in body:
        if "." in found or '"' in found:
            return CanonicalError(
                f"read-only session: the type modifier of {body!r} needs PostgreSQL 17"
            )
        return local
    return local if local.replace("(1)", "", 1) == found else found


def _by_table(request: ExpressionRequest) -> tuple[str, str]:
    return (request.table.schema, request.table.name)


def _expression_item(request: ExpressionRequest, i: int) -> dict[str, Any] | CanonicalError:
    """The JSON item for one request, or why it cannot be asked."""
    problem = expression_problem(request.text)
    if problem is not None or not request.text.strip():
        return CanonicalError(problem or "empty expression")
    item: dict[str, Any] = {
        "id": i,
        "schema": request.table.schema,
        "name": request.table.name,
        "kind": request.kind,
        "spec": request.text,
        "context": request.context,
    }
    if request.kind == "trigger_when":
        match = _TRIGGER_CONTEXT.match(request.context or "AFTER UPDATE FOR EACH ROW")
        if match is None:
            return CanonicalError(f"unsupported trigger for a WHEN condition: {request.context}")
        item["timing"] = " ".join(
            [match["timing"].upper(), *(e.upper() for e in match["events"].split())]
        )
        item["level"] = (match["level"] or "ROW").upper()
    elif request.kind.startswith("index_"):
        method = (request.context or "btree").strip().lower()
        if not _METHOD.match(method):
            return CanonicalError(f"not an access method: {request.context!r}")
        item["context"] = method
    return item


def _rendered(request: ExpressionRequest, found: str | CanonicalError) -> str | CanonicalError:
    """Cut what introspection keeps out of what the scratch object rendered."""
    if isinstance(found, CanonicalError):
        return found
    if request.kind == "trigger_when":
        when = trigger_when(found)
        return CanonicalError("the server rendered no WHEN clause") if when is None else when
    if request.kind == "index_expression":
        parts = split_top_level(found)
        return parts[0] if len(parts) == 1 else CanonicalError("more than one index key")
    return found
