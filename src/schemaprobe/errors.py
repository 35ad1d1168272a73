"""The exceptions schemaprobe raises on purpose, and the exit codes they map to.

Every error a user can cause (bad input, unreachable server, bad SQL file) is a
``SchemaprobeError``: the CLI prints its one-line ``str()`` and exits 2, the pytest
plugin shows it without a traceback. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemaprobe._location import Location

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "ConnectionFailed",
    "IntrospectionError",
    "ProvisionError",
    "SchemaprobeError",
    "ServerTooOld",
    "SpecError",
    "SpecProblem",
    "SqlFileError",
    "UsageError",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class SchemaprobeError(Exception):
    """Base of every error caused by input or environment rather than by a bug."""

    exit_code = EXIT_USAGE


class UsageError(SchemaprobeError):
    """Options or arguments that cannot work together, or a missing file."""


class ProvisionError(SchemaprobeError):
    """No database could be provided: server binaries, Docker or start-up failed."""


class ConnectionFailed(ProvisionError):
    """The server could not be reached or refused us; the message never holds a password."""


class ServerTooOld(ProvisionError):
    """The server's major version is below the oldest one schemaprobe reads (13)."""


class SqlFileError(ProvisionError):
    """An SQL file failed to load: carries ``file:line`` and the server's message."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.server_message = message
        super().__init__(f"{path}:{line}: {message}")


class IntrospectionError(SchemaprobeError):
    """The catalog could not be read (permissions, unexpected server behaviour)."""


@dataclass(frozen=True, slots=True)
class SpecProblem:
    """One thing wrong with a spec: where, which key (dotted path), and what."""

    location: Location | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class SpecError(SchemaprobeError):
    """A spec file cannot be read or is invalid; holds every problem found, not just one.

    ``str()`` is one line per problem (``specs/app.yaml:12:5: tables.heroes.colums:
    unknown key (did you mean 'columns'?)``), so the CLI can print it as it is.
    """

    def __init__(self, problems: list[SpecProblem] | tuple[SpecProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
