"""The shared engine: a workspace in a PostgreSQL database through psycopg 3.

`PgStore` answers the same calls as the SQLite store (db.store): `?`/`:name` placeholders,
`lastrowid` after an INSERT, `atomic()` with savepoints, rows as dicts from `query`. Writers
take one transaction-scoped advisory lock (`claim_writer`), so use-cases run one at a time as
they do on SQLite; text saves share it with each other (each locks its own section's row) and
queue only to append to the audit chain (`claim_chain`), so the chain never forks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg.types.numeric import Int8Dumper

from db import sql as sqltext
from db.address import ServerAddress
from db.dialects import PostgresDialect
from db.errors import (
    DiskFull,
    NotAWorkspace,
    PasswordRefused,
    ReadOnlyWorkspace,
    StoreError,
    WorkspaceMissing,
)

# pg_advisory_xact_lock key of the one-writer-at-a-time lock ("CNEW").
WRITER_LOCK = 0x434E4557
# The audit chain's lock ("CNEA"), for writers that share the writers' lock.
CHAIN_LOCK = 0x434E4541
LOCK_TIMEOUT = "20s"
# A client that hangs mid-transaction (a debugger, a frozen laptop) releases the writer lock.
IDLE_IN_TRANSACTION_TIMEOUT = "2min"
CONNECT_TIMEOUT = 10
CHANGES_CHANNEL = "cne_changes"


class _IntFromBool(Int8Dumper):
    """SQLite stores True as 1; the schema's flags are integers on both engines."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _TextFromDate(Dumper):
    """Dates go in as the ISO text SQLite's adapters write (the schema keeps dates as text)."""

    oid = 25  # text

    def dump(self, obj: Any) -> bytes:
        if isinstance(obj, dt.datetime):
            return obj.isoformat(" ").encode()
        return obj.isoformat().encode()


class _NumberFromNumeric(Loader):
    """sum()/avg() of integers come back as numeric: give Python what SQLite gives."""

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        if value == value.to_integral_value():
            return int(value)
        return float(value)


def _configure_adapters(conn: psycopg.Connection) -> None:
    # Every Python int is a bigint, as every SQLite integer is 64-bit: a parameter's type
    # must not depend on its value (`SELECT ? UNION ALL SELECT id …` would mix int2 and int8).
    conn.adapters.register_dumper(int, Int8Dumper)
    conn.adapters.register_dumper(bool, _IntFromBool)
    conn.adapters.register_dumper(dt.date, _TextFromDate)
    conn.adapters.register_dumper(dt.datetime, _TextFromDate)
    conn.adapters.register_loader("numeric", _NumberFromNumeric)


class PgCursor:
    """What `execute` returns: tuples, `lastrowid` of the row an INSERT added, `rowcount`."""

    def __init__(self, cursor: psycopg.Cursor, returning_id: bool):
        self._cursor = cursor
        self.lastrowid: int | None = None
        self.rowcount = cursor.rowcount
        self.description = cursor.description
        self._rows: list | None = None
        if returning_id:
            rows = cursor.fetchall()
            self.lastrowid = rows[-1][0] if rows else None
            self._rows = []
            self.description = None

    def fetchone(self) -> Any:
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class _ConnectionView:
    """`store.conn` for code written against sqlite3 (`in_transaction`, `execute`)."""

    def __init__(self, store: PgStore):
        self._store = store

    @property
    def in_transaction(self) -> bool:
        return self._store.in_transaction

    def execute(self, sql: str, parameters: Any = None) -> PgCursor:
        return self._store.execute(sql, parameters)

    def executemany(self, sql: str, rows: Any) -> PgCursor:
        return self._store.executemany(sql, rows)


class PgStore:
    """An open connection to a shared workspace, for one thread (like a SQLite connection)."""

    dialect = PostgresDialect()
    engine = "postgresql"

    def __init__(self, conn: psycopg.Connection, address: ServerAddress):
        self.raw = conn
        self.address = address
        self.conn = _ConnectionView(self)
        self._id_tables: frozenset[str] | None = None
        self._claimed: str | None = None  # the writers' lock this transaction holds
        self._at_commit: list[tuple[str, Any]] = []  # (statement, parameters) to run at COMMIT
        self._claim_at_begin: str | None = None  # the lock the next BEGIN claims with it

    # -- statements --------------------------------------------------------------------------
    def execute(self, sql: str, parameters: Any = None) -> PgCursor:
        text, style = sqltext.to_psycopg(sql)
        table = sqltext.inserted_table(sql)
        returning = table is not None and table in self._tables_with_id()
        if returning:
            text += " RETURNING id"
        cursor = self.raw.cursor()
        cursor.execute(text, _params(parameters, style))
        if sqltext.first_keyword(sql) in ("CREATE", "ALTER", "DROP"):
            self._id_tables = None
        return PgCursor(cursor, returning)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> PgCursor:
        text, style = sqltext.to_psycopg(sql)
        cursor = self.raw.cursor()
        batch = [_params(r, style) for r in rows]
        if batch:
            cursor.executemany(text, batch)
        result = PgCursor(cursor, False)
        result.rowcount = cursor.rowcount if batch else 0
        return result

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        text, style = sqltext.to_psycopg(sql)
        cursor = self.raw.cursor(row_factory=dict_row)
        cursor.execute(text, _params(params, style))
        return iter(cursor.fetchall() if cursor.description else [])

    def _tables_with_id(self) -> frozenset[str]:
        if self._id_tables is None:
            rows = self.raw.execute(
                "SELECT table_name FROM information_schema.columns "
                "WHERE column_name = 'id' AND table_schema = current_schema()"
            ).fetchall()
            self._id_tables = frozenset(r[0] for r in rows)
        return self._id_tables

    # -- transactions ------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @contextlib.contextmanager
    def atomic(self) -> Iterator[PgStore]:
        """One transaction; nested blocks are savepoints (as sqlite-utils' atomic())."""
        if self.in_transaction:
            with self.raw.transaction():
                yield self
            return
        # The Transaction itself: conn.transaction() begun in a pipeline keeps its whole block
        # in pipeline mode.
        transaction = psycopg.Transaction(self.raw)
        claim, self._claim_at_begin = self._claim_at_begin, None
        if claim is None:
            transaction.__enter__()
        else:
            self._begin_claiming(transaction, claim)
        try:
            try:
                yield self
            except BaseException as exc:
                if not transaction.__exit__(type(exc), exc, exc.__traceback__):
                    raise
            else:
                self._commit(transaction)
        finally:
            self._claimed = None
            self._at_commit = []

    def _begin_claiming(self, transaction: psycopg.Transaction, claim: str) -> None:
        """BEGIN and the writers' lock in one round trip."""
        function = "pg_advisory_xact_lock_shared" if claim == "shared" else "pg_advisory_xact_lock"
        try:
            with self.raw.pipeline():
                transaction.__enter__()
                self.raw.execute(f"SELECT {function}(%s)", [WRITER_LOCK])
        except BaseException as exc:
            with contextlib.suppress(psycopg.Error):
                transaction.__exit__(type(exc), exc, exc.__traceback__)
            self._roll_back_what_is_left()
            raise
        self._claimed = claim

    def _roll_back_what_is_left(self) -> None:
        """After a failed pipeline: end whatever the Transaction could not, so the connection
        is idle for the next use-case (errors here would hide the one being raised)."""
        if self.raw.info.transaction_status != TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                self.raw.execute("ROLLBACK")

    def claim_at_begin(self, *, shared: bool = False) -> None:
        """Claim the writers' lock (`claim_writer`) with the next atomic()'s BEGIN, in its round
        trip; call just before it, outside a transaction."""
        if not self.in_transaction:
            self._claim_at_begin = "shared" if shared else "exclusive"

    def _commit(self, transaction: psycopg.Transaction) -> None:
        """COMMIT, after the statements kept for it (`at_commit`) in the same round trip."""
        if not self._at_commit:
            transaction.__exit__(None, None, None)
            return
        committing = False
        try:
            with self.raw.pipeline():
                cursor = self.raw.cursor()
                for text, params in self._at_commit:
                    cursor.execute(text, params)
                committing = True
                transaction.__exit__(None, None, None)  # COMMIT, queued behind them
        except BaseException as exc:
            # A statement failed (the server skipped the rest and the COMMIT): roll back.
            if not committing:
                with contextlib.suppress(psycopg.Error):
                    transaction.__exit__(type(exc), exc, exc.__traceback__)
            self._roll_back_what_is_left()
            raise

    @property
    def shares_writer_lock(self) -> bool:
        """Whether this transaction shares the writers' lock (a text save: `claim_writer`)."""
        return self._claimed == "shared" and self.in_transaction

    def at_commit(self, sql: str, parameters: Any = None) -> None:
        """Run a statement just before this transaction commits, in one round trip with the
        COMMIT, when it shares the writers' lock: for the rows every writer changes (the audit
        chain, a document's `updated_at`), whose locks are then held only while the server
        runs them and commits, never while a client is scheduled. At once otherwise."""
        if not self.shares_writer_lock:
            self.execute(sql, parameters)
            return
        text, style = sqltext.to_psycopg(sql)
        self._at_commit.append((text, _params(parameters, style)))

    def claim_writer(self, *, shared: bool = False, joining: bool = False) -> None:
        """Wait for the writers' lock, held until this transaction ends (see module doc).

        `shared`: beside other shared holders (text saves), never beside the one writer that
        holds it to itself. `joining`: a use-case nested in a transaction begun elsewhere keeps
        the lock that holds, and takes it to itself where it holds none (undo's steps).
        """
        self._claim_at_begin = None
        if not self.in_transaction or self._claimed == "exclusive":
            return
        if self._claimed == "shared":
            if shared:
                return
            # Taking it to itself now would wait for the other text saves while this one holds
            # the chain's lock they wait for: a deadlock.
            raise RuntimeError("a use-case that needs the workspace to itself ran in a text save")
        if joining:
            shared = False
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        self.raw.execute(f"SELECT {function}(%s)", [WRITER_LOCK])
        self._claimed = "shared" if shared else "exclusive"

    def claim_chain(self) -> None:
        """Wait for the audit chain's lock before reading its head to append an entry, unless
        this transaction holds the writers' lock to itself. Held until the transaction ends;
        a text save takes it at commit (`at_commit`), with the entry it appends. Taken again by
        each entry, as a savepoint's rollback lets it go."""
        if self._claimed == "exclusive" or not self.in_transaction:
            return
        self.at_commit("SELECT pg_advisory_xact_lock(?)", [CHAIN_LOCK])

    def change_stamp(self) -> str:
        """Moves whenever any transaction commits: the set of transactions now running."""
        row = self.raw.execute("SELECT pg_current_snapshot()::text").fetchone()
        return row[0] if row else ""

    external_stamp = change_stamp

    # -- facts -------------------------------------------------------------------------------
    def table_names(self) -> list[str]:
        rows = self.raw.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def columns(self, table: str) -> list[str]:
        rows = self.raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]

    def references(self, table: str) -> list[tuple[str, str]]:
        """(column, referenced table) of each single-column foreign key on `table`."""
        rows = self.raw.execute(
            "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND c.conrelid = to_regclass(%s) "
            "AND array_length(c.conkey, 1) = 1",
            [table],
        ).fetchall()
        return [(r[0], r[1].split(".")[-1].strip('"')) for r in rows]

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[PgStore]:
        """A read-only transaction seeing one committed state throughout (REPEATABLE READ)."""
        if self.in_transaction:
            yield self
            return
        self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield self
        finally:
            self.raw.execute("ROLLBACK")

    def unstorable(self, exc: BaseException) -> str | None:
        """PostgreSQL's text holds no NUL character (SQLite's does): say so, save nothing."""
        if isinstance(exc, psycopg.DataError) and "NUL" in str(exc):
            return (
                "The text holds a NUL character (U+0000), which a shared workspace cannot "
                "store; delete it and the change will save."
            )
        return None

    def translate_error(self, exc: BaseException, where: str) -> StoreError | None:
        return translate_error(exc, self.address)

    def reopen(self) -> PgStore:
        """Another connection to the same workspace (for another thread)."""
        return connect(self.address)

    def close(self) -> None:
        self.raw.close()


def _params(params: Any, style: str | None) -> Any:
    if params is None:
        return None
    if style == "named":
        return dict(params)
    if style == "positional":
        return list(params)
    return None


def connect(address: ServerAddress, *, password: str | None = None) -> PgStore:
    """A connection to the workspace's database, or a StoreError saying why not."""
    try:
        conn = psycopg.connect(
            address.conninfo(),
            password=password or address.password,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="CNE Workbench",
        )
    except psycopg.OperationalError as exc:
        raise _connect_error(exc, address) from None
    _configure_adapters(conn)
    conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    conn.execute(f"SET idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_TIMEOUT}'")
    if address.schema != "public":
        conn.execute(f"SET search_path = {address.schema}, public")
    return PgStore(conn, address)


def _connect_error(exc: psycopg.OperationalError, address: ServerAddress) -> StoreError:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer"
    lowered = str(exc).lower()
    if "does not exist" in lowered and "database" in lowered:
        return WorkspaceMissing(
            f"The database {address.dbname!r} does not exist on the server "
            f"({address.name}). Ask the database administrator to create it."
        )
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return PasswordRefused(
            f"The server refused the password for {address.user or 'this account'} "
            f"({address.name})."
        )
    return StoreError(f"Cannot reach the shared workspace {address.name}: {text}.")


def translate_error(exc: BaseException, address: ServerAddress) -> StoreError | None:
    """A user-facing StoreError for a server or connection failure; None for a bug."""
    if not isinstance(exc, psycopg.Error):
        return None
    where = address.name
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return ReadOnlyWorkspace(
            f"Your database account may not make this change in {where}; it was not saved. "
            "Ask the database administrator for the analyst or director role."
        )
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return ReadOnlyWorkspace(f"{where} is read-only on the server; the change was not saved.")
    if isinstance(exc, pg_errors.DiskFull | pg_errors.OutOfMemory):
        return DiskFull(
            f"The server holding {where} is out of space, so the last change was not saved. "
            "Nothing already saved was lost."
        )
    if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
        return StoreError(
            f"{where} is busy with someone else's change; yours was not saved. Try again."
        )
    if isinstance(exc, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        return StoreError(
            f"Someone else changed the same thing in {where} at the same moment; your change "
            "was not saved. Try again."
        )
    if isinstance(exc, pg_errors.UndefinedTable):
        return NotAWorkspace(f"{where} is not a CNE Workbench workspace ({exc}).")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreError(
            f"The connection to {where} was lost, so the last change was not saved. "
            "Check the network, then try again."
        )
    return None


class ChangeListener:
    """What other clients committed, as the server announces it (LISTEN cne_changes).

    A connection of its own, for one thread: `wait(timeout)` returns the announcements that
    arrived (each: id, at, actor, action, entity, entity_id, pid), [] when none did.
    """

    def __init__(self, address: ServerAddress):
        self.address = address
        self._store = connect(address)
        row = self._store.raw.execute("SELECT current_schema()").fetchone()
        self.schema = row[0] if row else "public"
        self._store.raw.execute(f"LISTEN {CHANGES_CHANNEL}")

    def wait(self, timeout: float) -> list[dict[str, Any]]:
        import json

        out = []
        conn = self._store.raw
        # The first announcement as soon as it comes, then whatever arrived with it.
        for batch_timeout, most in ((timeout, 1), (0.05, 200)):
            for note in conn.notifies(timeout=batch_timeout, stop_after=most):
                try:
                    payload = json.loads(note.payload)
                except ValueError:
                    continue
                if isinstance(payload, dict) and payload.get("schema") == self.schema:
                    out.append(payload)
            if not out:
                break
        return out

    def close(self) -> None:
        self._store.close()
