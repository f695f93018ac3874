"""What the core asks of a workspace's store, whichever engine holds it (SQLite or PostgreSQL).

The core writes plain SQL with `?` or `:name` placeholders through `execute`/`query`; the few
constructs the engines spell differently come from the store's `dialect` (full-text search,
JSON fields). See DEVELOPERS.md, "SQL that runs on both engines".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from db.errors import StoreError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class Cursor(Protocol):
    """The result of `execute`: rows as tuples, the new row's id after an INSERT."""

    lastrowid: int | None
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Store(Protocol):
    """An open connection to a workspace, for one thread (db.sqlite_store, db.postgres).

    `dialect` (db.dialects) gives the fragments the engines spell differently; `engine` is
    "sqlite" or "postgresql".
    """

    engine: str

    @property
    def dialect(self) -> Any: ...

    def execute(self, sql: str, parameters: Any = None) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> Any: ...

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]: ...

    def atomic(self) -> AbstractContextManager[Any]: ...

    @property
    def in_transaction(self) -> bool: ...

    def claim_writer(self, *, shared: bool = False, joining: bool = False) -> None: ...

    def claim_at_begin(self, *, shared: bool = False) -> None: ...

    def claim_chain(self) -> None: ...

    @property
    def shares_writer_lock(self) -> bool: ...

    def at_commit(self, sql: str, parameters: Any = None) -> None: ...

    def change_stamp(self) -> Any: ...

    def external_stamp(self) -> Any: ...

    def table_names(self) -> list[str]: ...

    def unstorable(self, exc: BaseException) -> str | None: ...

    def translate_error(self, exc: BaseException, where: Any) -> StoreError | None: ...

    def close(self) -> None: ...
