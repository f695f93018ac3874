"""Where a workspace lives: a `.cnew` file, or a PostgreSQL database named by a URL."""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

SCHEMES = ("postgresql://", "postgres://")
_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def is_server(location: object) -> bool:
    """True for a `postgresql://…` location (a ServerAddress or its text)."""
    if isinstance(location, ServerAddress):
        return True
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


class ServerAddress:
    """A shared workspace: `postgresql://[user@]host[:port]/database[?schema=name&…]`.

    It stands where a file workspace has its Path (`ws.path`): `name` and `stem` for messages
    and titles, `str()` the URL without any password. `schema` (our own query parameter, not
    libpq's) puts the workspace in one schema of the database; the default is `public`.
    A password in the URL is kept apart (`password`) and never shown.
    """

    def __init__(self, url: str):
        url = url.strip()
        if not is_server(url):
            raise ValueError(f"not a postgresql:// address: {url!r}")
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        schema = "public"
        kept = []
        for key, value in query:
            if key == "schema":
                schema = value.lower()
            else:
                kept.append((key, value))
        if not _SCHEMA.fullmatch(schema):
            raise ValueError(f"{schema!r} is not a schema name (letters, digits, _)")
        self.schema = schema
        self.password = urllib.parse.unquote(parts.password) if parts.password else None
        self.user = urllib.parse.unquote(parts.username) if parts.username else None
        host = parts.hostname or ""
        netloc = host if not parts.port else f"{host}:{parts.port}"
        if "[" in parts.netloc:  # an IPv6 literal keeps its brackets
            netloc = parts.netloc.rsplit("@", 1)[-1]
        if self.user:
            netloc = urllib.parse.quote(self.user, safe="") + "@" + netloc
        self.host = dict(kept).get("host") or host or ""
        self.port = parts.port
        self.dbname = urllib.parse.unquote(parts.path.lstrip("/")) or ""
        self._query = kept
        visible = kept + ([("schema", schema)] if schema != "public" else [])
        self.url = urllib.parse.urlunsplit(
            ("postgresql", netloc, parts.path, urllib.parse.urlencode(visible), "")
        )

    def conninfo(self) -> str:
        """The URL libpq understands: without our `schema` parameter or the password."""
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path, urllib.parse.urlencode(self._query), "")
        )

    def with_schema(self, schema: str) -> ServerAddress:
        parts = urllib.parse.urlsplit(self.url)
        query = [(k, v) for k, v in self._query] + [("schema", schema)]
        other = ServerAddress(
            urllib.parse.urlunsplit(
                (parts.scheme, parts.netloc, parts.path, urllib.parse.urlencode(query), "")
            )
        )
        other.password = self.password
        return other

    @property
    def name(self) -> str:
        where = self.host if self.host and not self.host.startswith("/") else "this computer"
        base = self.dbname or self.user or "postgres"
        if self.schema != "public":
            base += f".{self.schema}"
        return f"{base} on {where}"

    @property
    def stem(self) -> str:
        return self.dbname or "workspace"

    @property
    def suffix(self) -> str:
        return ""

    @property
    def parent(self) -> Path:
        # File dialogs offered "beside the workspace" start in the home folder instead.
        return Path.home()

    def resolve(self) -> ServerAddress:
        return self

    def exists(self) -> bool:
        return True

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"ServerAddress({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerAddress) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def locate(location: str | os.PathLike | ServerAddress) -> Path | ServerAddress:
    """A Path for a file workspace, a ServerAddress for `postgresql://…`."""
    if isinstance(location, ServerAddress):
        return location
    if isinstance(location, str) and is_server(location):
        return ServerAddress(location)
    return Path(location)
