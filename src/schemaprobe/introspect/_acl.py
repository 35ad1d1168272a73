"""Privileges from ACL text, parsed in Python instead of ``aclexplode`` on the server.

Why: a Supabase-style database grants the same three roles on every table, so 10,000
tables carry 10,000 identical ACLs. ``aclexplode`` would send ~30 rows per table; the
text form (``relacl::text``) is one short string per table that parses once and is then
a dictionary hit. The format (``grantee=privileges/grantor``, ``*`` after a letter for
WITH GRANT OPTION, empty grantee for PUBLIC, names double-quoted like identifiers when
they are not plain alphanumerics) has been stable since PostgreSQL 8.

A ``NULL`` ACL means the object still has its default privileges; those are produced
the way ``acldefault()`` does, so callers never have to know about ``NULL``.
"""

from __future__ import annotations

from schemaprobe.introspect.model import PUBLIC, Privilege

__all__ = ["AclParser"]

_LETTERS = {
    "a": "INSERT",
    "r": "SELECT",
    "w": "UPDATE",
    "d": "DELETE",
    "D": "TRUNCATE",
    "x": "REFERENCES",
    "t": "TRIGGER",
    "X": "EXECUTE",
    "U": "USAGE",
    "C": "CREATE",
    "T": "TEMPORARY",
    "c": "CONNECT",
    "s": "SET",
    "A": "ALTER SYSTEM",
    "m": "MAINTAIN",
}

# acldefault(): what the owner (and PUBLIC, for functions) holds while the ACL is NULL.
_OWNER_DEFAULTS = {
    "table": "arwdDxt",
    "sequence": "rwU",
    "function": "X",
    "schema": "UC",
    "column": "",
}
_PUBLIC_DEFAULTS = {"function": "X"}


class AclParser:
    """Parses ACL texts of one server version, remembering every distinct input."""

    def __init__(self, server_version: int) -> None:
        self._cache: dict[tuple[str | None, str, str], tuple[Privilege, ...]] = {}
        # PostgreSQL 17 added MAINTAIN to the table privileges an owner holds by default.
        self._owner_defaults = dict(_OWNER_DEFAULTS)
        if server_version >= 170000:
            self._owner_defaults["table"] += "m"

    def privileges(self, acl: str | None, kind: str, owner: str) -> tuple[Privilege, ...]:
        """Privileges of ``acl`` (``relacl::text``); the defaults of ``kind`` when ``None``."""
        key = (acl, kind, owner if acl is None else "")
        found = self._cache.get(key)
        if found is None:
            found = self._parse(acl, kind, owner)
            self._cache[key] = found
        return found

    def _parse(self, acl: str | None, kind: str, owner: str) -> tuple[Privilege, ...]:
        if acl is None:
            owned = self._owner_defaults[kind]
            result = [Privilege(owner, _LETTERS[ch], False, owner) for ch in owned]
            public = _PUBLIC_DEFAULTS.get(kind, "")
            result.extend(Privilege(PUBLIC, _LETTERS[ch], False, owner) for ch in public)
            return tuple(sorted(result))
        result = []
        for item in split_array(acl):
            result.extend(parse_aclitem(item))
        return tuple(sorted(result))


def parse_aclitem(item: str) -> list[Privilege]:
    """``"My Role"=r*w/postgres`` → SELECT (grantable) and UPDATE for ``My Role``."""
    grantee, pos = _read_name(item, 0, "=")
    if pos >= len(item) or item[pos] != "=":
        raise ValueError(f"bad aclitem {item!r}")
    slash = item.index("/", pos + 1)
    letters = item[pos + 1 : slash]
    grantor, _ = _read_name(item, slash + 1, "")
    grantee = grantee or PUBLIC
    out: list[Privilege] = []
    i = 0
    while i < len(letters):
        name = _LETTERS.get(letters[i])
        if name is None:
            raise ValueError(f"unknown privilege {letters[i]!r} in aclitem {item!r}")
        grantable = i + 1 < len(letters) and letters[i + 1] == "*"
        out.append(Privilege(grantee, name, grantable, grantor))
        i += 2 if grantable else 1
    return out


def _read_name(text: str, pos: int, stop: str) -> tuple[str, int]:
    if pos < len(text) and text[pos] == '"':
        chars: list[str] = []
        i = pos + 1
        while True:
            j = text.index('"', i)
            chars.append(text[i:j])
            if j + 1 < len(text) and text[j + 1] == '"':
                chars.append('"')
                i = j + 2
                continue
            return "".join(chars), j + 1
    end = text.find(stop, pos) if stop else -1
    end = len(text) if end < 0 else end
    return text[pos:end], end


def split_array(text: str) -> list[str]:
    """Elements of a one-dimensional array literal such as ``{a,"b c","d\\"e"}``."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        raise ValueError(f"not an array literal: {text!r}")
    body = text[1:-1]
    if not body:
        return []
    if '"' not in body:
        return body.split(",")
    items: list[str] = []
    i, n = 0, len(body)
    while i < n:
        if body[i] == '"':
            chars: list[str] = []
            i += 1
            while body[i] != '"':
                if body[i] == "\\":
                    i += 1
                chars.append(body[i])
                i += 1
            items.append("".join(chars))
            i += 2  # closing quote and the comma
        else:
            j = body.find(",", i)
            j = n if j < 0 else j
            items.append(body[i:j])
            i = j + 1
    return items
