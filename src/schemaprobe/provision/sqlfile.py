"""Loading SQL files the way ``psql -f`` does, with errors that point at ``file:line``.

Files are split into statements (quotes, comments, dollar quotes and ``BEGIN ATOMIC``
bodies respected) and run one by one in autocommit, exactly like psql: a file may hold
its own ``BEGIN``/``COMMIT`` or ``CREATE INDEX CONCURRENTLY``. Knowing where each
statement starts turns the server's error position into a line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from schemaprobe.errors import SqlFileError, UsageError

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*)?\$")
_NATURAL = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a file, with the 1-based line and 0-based offset where it starts."""

    text: str
    line: int
    offset: int


def split_statements(text: str) -> Iterator[Statement]:
    """Split SQL text into statements as psql does; comments-only chunks are dropped."""
    i, n, start = 0, len(text), 0
    atomic_depth = 0  # > 0 inside a BEGIN ATOMIC ... END routine body
    meaningful = False  # the current chunk holds more than comments and blanks
    head: list[str] = []  # the statement's first words: is it CREATE FUNCTION/PROCEDURE?
    previous = ""
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == "/" and text.startswith("/*", i):
            i = _skip_block_comment(text, i)
            continue
        if ch == "\\" and not meaningful:
            raise _MetaCommand(_line_of(text, i))
        if not ch.isspace():
            meaningful = True
        if ch in "'\"":
            i = _skip_quoted(text, i, ch, escapes=ch == "'" and _is_escape_string(text, i))
            continue
        if ch == "$":
            match = _DOLLAR_TAG.match(text, i)
            if match and not (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
                close = text.find(match[0], match.end())
                i = n if close < 0 else close + len(match[0])
                continue
        if ch.isalpha() or ch == "_":
            word_match = _WORD.match(text, i)
            word = word_match[0].lower() if word_match else ch
            if len(head) < 5:
                head.append(word)
            atomic_depth = _track_atomic(head, previous, word, atomic_depth)
            previous = word
            i += len(word)
            continue
        if ch == ";" and atomic_depth == 0:
            if meaningful:
                yield _statement(text, start, i + 1)
            start, meaningful, head, previous = i + 1, False, [], ""
        i += 1
    if meaningful and text[start:].strip():
        yield _statement(text, start, n)


class _MetaCommand(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _track_atomic(head: list[str], previous: str, word: str, depth: int) -> int:
    if depth == 0:
        routine = head[:1] == ["create"] and ("function" in head or "procedure" in head)
        return 1 if routine and word == "atomic" and previous == "begin" else 0
    if word in ("begin", "case"):
        return depth + 1
    if word == "end":
        return depth - 1
    return depth


def _skip_block_comment(text: str, i: int) -> int:
    depth, i = 1, i + 2
    while i < len(text) and depth:
        if text.startswith("/*", i):
            depth, i = depth + 1, i + 2
        elif text.startswith("*/", i):
            depth, i = depth - 1, i + 2
        else:
            i += 1
    return i


def _is_escape_string(text: str, i: int) -> bool:
    return (
        i > 0
        and text[i - 1] in "eE"
        and (i < 2 or not (text[i - 2].isalnum() or text[i - 2] == "_"))
    )


def _skip_quoted(text: str, i: int, quote: str, *, escapes: bool) -> int:
    i += 1
    while i < len(text):
        ch = text[i]
        if escapes and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if text.startswith(quote, i + 1):
                i += 2
                continue
            return i + 1
        i += 1
    return i


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _statement(text: str, start: int, end: int) -> Statement:
    body = text[start:end]
    lead = len(body) - len(body.lstrip())
    # Skip leading comment lines too, so the line points at the statement's first word.
    while True:
        rest = body[lead:]
        if rest.startswith("--"):
            nl = rest.find("\n")
            lead += len(rest) if nl < 0 else nl + 1
        elif rest.startswith("/*"):
            lead += _skip_block_comment(rest, 0)
        else:
            break
        lead += len(body[lead:]) - len(body[lead:].lstrip())
    return Statement(text=body[lead:], line=_line_of(text, start + lead), offset=start + lead)


def migration_files(folder: Path) -> list[Path]:
    """The ``*.sql`` files of a migrations folder in natural name order (2_x before 10_x)."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a directory")
    files = [path for path in folder.iterdir() if path.suffix == ".sql" and path.is_file()]
    if not files:
        raise UsageError(f"{folder}: no .sql files in the migrations folder")
    return sorted(
        files, key=lambda p: [int(t) if t.isdigit() else t for t in _NATURAL.split(p.name)]
    )


def expand_sql_paths(paths: Iterable[Path]) -> list[Path]:
    """Files stay in the order given; a folder becomes its migrations in name order."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(migration_files(path))
        elif path.is_file():
            expanded.append(path)
        else:
            raise UsageError(f"{path}: no such SQL file or folder")
    return expanded


def apply_sql_files(conn: psycopg.Connection[tuple[object, ...]], paths: Sequence[Path]) -> int:
    """Run every statement of every file in order; return how many ran.

    ``conn`` must be in autocommit mode (as psql is). The first failing statement stops
    the load with a :class:`SqlFileError` naming the file, the line and the server message.
    """
    count = 0
    for path in expand_sql_paths(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read: {exc}") from None
        try:
            statements = list(split_statements(text))
        except _MetaCommand as meta:
            raise SqlFileError(
                str(path), meta.line, "psql meta-commands (\\...) are not supported; use plain SQL"
            ) from None
        for statement in statements:
            _execute(conn, path, text, statement)
            count += 1
    return count


def _execute(
    conn: psycopg.Connection[tuple[object, ...]], path: Path, text: str, statement: Statement
) -> None:
    try:
        # The text comes from the user's own SQL file: it is the statement to run.
        conn.execute(sql.SQL(statement.text))
    except psycopg.Error as exc:
        diag = exc.diag
        line = statement.line
        position = diag.statement_position
        if position and position.isdigit():
            line = _line_of(text, statement.offset + int(position) - 1)
        message = diag.message_primary or str(exc).strip().splitlines()[0]
        if diag.context and "line" in diag.context and "function" in diag.context:
            message += f" ({diag.context.strip().splitlines()[0]})"
        raise SqlFileError(str(path), line, message) from None
