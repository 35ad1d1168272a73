"""Connection strings: parsing, redaction, and deriving a DSN for another database.

Passwords must never reach output, so everything that prints a DSN goes through
:func:`redact`. Both URI (``postgresql://...``) and key/value (``host=... dbname=...``)
forms are accepted, as libpq does.
"""

from __future__ import annotations

import re

from psycopg import conninfo

from schemaprobe.errors import UsageError

_REDACTED = "********"
# user:password@ in a URI, and password=... in key/value form (quoted or not).
_URI_PASSWORD = re.compile(r"(?P<head>[a-z]+://[^:/@\s]*:)(?P<secret>[^@\s]*)(?P<tail>@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|\S+)", re.I)


def redact(text: str) -> str:
    """Hide every password in ``text``, which may be a DSN or a message that embeds one.

    Example::

        >>> redact("postgresql://app:s3cret@db:5432/prod")
        'postgresql://app:********@db:5432/prod'
    """
    text = _URI_PASSWORD.sub(lambda m: m["head"] + _REDACTED + m["tail"], text)
    return _KV_PASSWORD.sub(lambda m: m["head"] + _REDACTED, text)


def parse(dsn: str) -> dict[str, str]:
    """Split a DSN into libpq keywords; a malformed one is a :class:`UsageError`."""
    try:
        return {k: str(v) for k, v in conninfo.conninfo_to_dict(dsn).items() if v is not None}
    except Exception as exc:  # psycopg raises ProgrammingError with the DSN inside
        raise UsageError(f"invalid DSN {redact(dsn)!r}: {redact(str(exc)).strip()}") from None


def with_database(dsn: str, dbname: str) -> str:
    """Return ``dsn`` pointing at ``dbname`` instead, every other setting kept."""
    params = parse(dsn)
    params["dbname"] = dbname
    return conninfo.make_conninfo("", **params)


def database_of(dsn: str) -> str:
    """The database a DSN names (libpq's default is the user name, then ``postgres``)."""
    params = parse(dsn)
    return params.get("dbname") or params.get("user") or "postgres"
