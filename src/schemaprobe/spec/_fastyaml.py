"""A fast reader for the YAML that ``schemaprobe snapshot`` writes; anything else gives up.

Why it exists: a 10,000-table snapshot is 24 MB and 900,000 lines. Through libyaml's
event API (:mod:`schemaprobe.spec._yaml`) it takes over four seconds to load, most of it
creating one Python event object per libyaml event; this reader walks the lines once and
takes well under one. It reads exactly the layout :mod:`schemaprobe.report.yaml_text`
writes:

- block mappings indented by two spaces: ``key: scalar``, ``key: [a, b]``, ``key: {}``,
  ``key: []``, ``key:`` with a nested block (or nothing: null), ``? key`` + ``: value``;
- block sequences at two more spaces than their key: ``- scalar``, ``- key: value`` (a
  mapping), ``- - x`` (a list), ``- [a, b]``;
- scalars on one line: plain ones by the emitter's rules (text, ``null``, ``true``,
  ``false``, decimal integers), ``'single'`` and JSON-style ``"double"`` quoted ones;
  mapping keys are the text as written, like the full loader's.

Everything else (comments, anchors, tags, flow mappings, block or multi-line scalars,
tabs, other indentation, document markers, duplicate keys, a plain scalar the emitter
would have quoted...) raises :class:`GiveUp` and the caller uses the full loader, so this
reader never gives a different result or a different error: it only ever answers for text
whose meaning it is sure of. It records no marks by default; :class:`LazyMarks` reads the
text again, recording, the first time a location is asked for: a conformant check never
asks, and the path tuples and positions of a million keys double the read (1.1 s instead
of 0.55 s for 10,000 tables), so reading twice only costs whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from schemaprobe.spec._fastscalar import GiveUp, Scalars, clean

__all__ = ["FastMark", "GiveUp", "LazyMarks", "load"]

Path = tuple[str | int, ...]
Position = tuple[int, int]  # 0-based line and column: a mark, before it is asked for


class FastMark(NamedTuple):
    """Where a key or item starts: 0-based line and column (in characters), as libyaml's."""

    line: int
    column: int


#: Deepest block column: 64 levels (each opens 2 columns on), the full loader's limit is 100.
_MAX_COLUMN = 128
_MAX_LINES = 200_000  # distinct lines remembered (a snapshot repeats most of its lines)
_MISS: Any = object()


def load(source: bytes, *, record: bool = False) -> tuple[Any, dict[Path, Position]]:
    """The data of ``source`` and, with ``record``, where each key and item starts (0-based
    line and column, as libyaml's marks); :class:`GiveUp` if unsure."""
    if not clean(source):
        raise GiveUp
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        raise GiveUp from None
    return _Reader(record).document(text.split("\n"))


class LazyMarks(Mapping[Path, FastMark]):
    """The marks of a file read by :func:`load`, recorded on first use by reading it again."""

    __slots__ = ("_marks", "_source")

    def __init__(self, source: bytes) -> None:
        self._source: bytes | None = source
        self._marks: dict[Path, Position] | None = None

    def _load(self) -> dict[Path, Position]:
        if self._marks is None:
            # here, not at the top: _yaml imports this module (and the collector's passes
            # over a million new marks would double the time)
            from schemaprobe.spec._yaml import paused_gc

            assert self._source is not None
            with paused_gc():
                self._marks = load(self._source, record=True)[1]
            self._source = None
        return self._marks

    def get(self, path: Path, default: Any = None) -> Any:
        found = self._load().get(path)
        return default if found is None else FastMark(*found)

    def __getitem__(self, path: Path) -> FastMark:
        return FastMark(*self._load()[path])

    def __contains__(self, path: object) -> bool:
        return path in self._load()

    def __iter__(self) -> Iterator[Path]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


class _Reader(Scalars):
    """One pass over the lines: the loop is :meth:`document`, the scalars are inherited."""

    def __init__(self, record: bool) -> None:
        super().__init__()
        self.record = record
        self.marks: dict[Path, Position] = {}
        self.lines: dict[str, tuple[int, str, Any]] = {}  # "  key: value" -> its parts

    def value(self, text: str, line: int, column: int, path: Path) -> Any:
        """What follows ``key: `` or ``- ``: a scalar, ``{}``, ``[]`` or ``[a, b]``."""
        if text[:1] == "[":
            if text == "[]":
                return []
            items, starts = self.flow(text)
            if self.record:
                marks = self.marks
                for i, start in enumerate(starts):
                    marks[path + (i,)] = (line, column + start)  # noqa: RUF005
            return list(items)
        if text == "{}":
            return {}
        return self.scalar(text, False)

    def document(self, lines: list[str]) -> tuple[Any, dict[Path, Position]]:  # noqa: PLR0915
        """The root mapping; one loop with its state in locals, as it runs per line.

        Nine lines in ten of a snapshot repeat one before (``        nullable: false``), so
        each distinct ``key: value``, ``key: [a, b]`` or ``key:`` line is read once, into
        :attr:`lines`; a repeat costs a dict lookup and a duplicate check, plus the checks
        of where it stands when it is not at the open mapping's column (the first line of
        a block, a line closing blocks). The rest go the long way, below. Recording marks,
        no line is remembered: every line goes the long way.
        """
        record, marks, values, keys = self.record, self.marks, self.values, self.keys
        value_of, entry, known = self.value, self.entry, self.lines
        seen = known.get
        root: dict[str, Any] = {}
        stack: list[tuple[Any, int, bool, Path]] = []
        cur: Any = root  # the innermost open mapping or list
        cur_ind = 0  # the column of its keys or dashes
        is_map = True
        path: Path = ()  # its path (kept up to date only when recording)
        want = -1  # cur_ind when a remembered "key: value" line may go straight in
        pending: Any = _MISS  # a "key:" waiting for its block: the key
        pending_path: Path = ()
        explicit: Any = _MISS  # a "? key" waiting for its ": value" line: the key
        started = False
        rest: str | None
        for number, line in enumerate(lines):
            hit = seen(line)
            if hit is not None:  # a line read before: (column, key, value or block)
                ind, key, found = hit
                if ind != want:  # not at the open mapping's column: set it right first
                    if explicit is not _MISS:
                        raise GiveUp
                    if pending is not _MISS:
                        if ind > cur_ind:  # a mapping is the pending key's value
                            if ind != cur_ind + 2 or ind > _MAX_COLUMN:
                                raise GiveUp
                            stack.append((cur, cur_ind, is_map, path))
                            cur[pending] = cur = {}
                            cur_ind, path = ind, pending_path
                        else:
                            cur[pending] = None
                        pending = _MISS
                    if ind != cur_ind:
                        if ind > cur_ind:
                            raise GiveUp
                        while ind < cur_ind:
                            cur, cur_ind, is_map, path = stack.pop()
                        if ind != cur_ind:
                            raise GiveUp
                    if not is_map:
                        raise GiveUp
                    want = cur_ind
                if key in cur:
                    raise GiveUp
                if record:
                    here = path + (key,)  # noqa: RUF005
                    marks[here] = (number, ind)
                if found.__class__ is tuple:  # (items, columns): a flow list; (): "key:"
                    if found:
                        cur[key] = list(found[0])
                        if record:
                            for i, column in enumerate(found[1]):
                                marks[here + (i,)] = (number, column)  # noqa: RUF005
                    else:
                        pending, pending_path, want = key, here, -1
                else:
                    cur[key] = found
                continue
            body = line.lstrip(" ")
            if not body:
                continue
            ind = len(line) - len(body)
            if not started:
                started = True
                if ind:
                    raise GiveUp
                marks[()] = (number, 0)
                if body == "{}":
                    if any(rest.strip(" ") for rest in lines[number + 1 :]):
                        raise GiveUp
                    return root, marks
            if explicit is not _MISS:  # the line after "? key": ":" at the same column
                if ind != cur_ind or body[0] != ":":
                    raise GiveUp
                key, explicit = explicit, _MISS
                if body == ":":
                    pending, pending_path = key, path + (key,)  # noqa: RUF005
                elif body.startswith(": "):
                    cur[key] = value_of(body[2:], number, ind + 2, path + (key,))  # noqa: RUF005
                else:
                    raise GiveUp
                want = -1 if pending is not _MISS else cur_ind
                continue
            if pending is not _MISS:  # the line after "key:": its block, or a sibling
                if ind > cur_ind:
                    if ind != cur_ind + 2 or ind > _MAX_COLUMN:
                        raise GiveUp
                    stack.append((cur, cur_ind, is_map, path))
                    is_map = not body.startswith("- ")
                    child: Any = {} if is_map else []
                    cur[pending] = cur = child
                    cur_ind, path = ind, pending_path
                else:
                    cur[pending] = None
                pending = _MISS
            if ind != cur_ind:
                if ind > cur_ind:
                    raise GiveUp
                while ind < cur_ind:
                    cur, cur_ind, is_map, path = stack.pop()
                if ind != cur_ind:
                    raise GiveUp
            column = ind
            while True:  # once for a mapping entry; once more per "- " before one
                if is_map:
                    if body.startswith("? "):
                        key = self.scalar_key(body[2:])
                        if key in cur:
                            raise GiveUp
                        if record:
                            marks[path + (key,)] = (number, column + 2)  # noqa: RUF005
                        explicit = key
                        break
                    key, sep, rest = body.partition(": ")
                    if not (sep and key in keys):
                        key, rest = entry(body)
                    if key in cur:
                        raise GiveUp
                    here = path + (key,) if record else ()  # noqa: RUF005
                    if record:
                        marks[here] = (number, column)
                    if rest is None:
                        pending, pending_path = key, here
                        block: Any = ()
                    else:
                        col = column + len(body) - len(rest)
                        found = values.get(rest, _MISS)
                        if found is _MISS:
                            found = value_of(rest, number, col, here)
                        cur[key] = block = found
                        if found.__class__ is list:  # remembered with where its items start
                            starts = self.flows[rest][1] if found else ()
                            block = (tuple(found), tuple(col + start for start in starts))
                        elif found.__class__ is dict:
                            block = _MISS
                    if column == ind and block is not _MISS and len(known) < _MAX_LINES:
                        known[line] = (ind, key, block)
                    break
                if not body.startswith("- "):
                    raise GiveUp
                body = body[2:]
                column += 2
                here = path + (len(cur),) if record else ()  # noqa: RUF005
                if body.startswith("- "):
                    child = []
                elif self.starts_entry(body):
                    child = {}
                else:
                    if record:
                        marks[here] = (number, column)
                    cur.append(value_of(body, number, column, here))
                    break
                if column > _MAX_COLUMN:
                    raise GiveUp
                if record:
                    marks[here] = (number, column)
                cur.append(child)
                stack.append((cur, cur_ind, is_map, path))
                cur, cur_ind, is_map, path = child, column, child.__class__ is dict, here
            ok = is_map and pending is _MISS and explicit is _MISS
            want = cur_ind if ok else -1
        if not started or explicit is not _MISS:
            raise GiveUp
        if pending is not _MISS:
            cur[pending] = None
        return root, marks
