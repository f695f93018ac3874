"""Opening and creating shared workspaces on a PostgreSQL server: identity, version, upgrade."""

from __future__ import annotations

from db import migrations, pg_migrations, pg_roles
from db.address import ServerAddress
from db.errors import MigrationFailed, NewerWorkspace, NotAWorkspace, ReadOnlyWorkspace
from db.postgres import PgStore, connect


def open_workspace_db(
    address: ServerAddress, *, read_only: bool = False, password: str | None = None
) -> tuple[PgStore, str | None]:
    """Connect and check the database holds a workspace this version understands.

    Returns the store and why it is read-only for this account (None when it may write).
    An older schema is upgraded in one transaction when this account owns it.
    """
    store = connect(address, password=password)
    try:
        applied = pg_migrations.applied(store)
        if not applied:
            raise NotAWorkspace(
                f"{address.name} holds no CNE Workbench workspace yet. Copy one into it with "
                f"`workbench copy FILE.cnew {address}`, or start an empty one with "
                f"`workbench new {address}`."
            )
        known = migrations.names()
        if [n for n in applied if n not in known]:
            raise NewerWorkspace(
                f"{address.name} was set up by a newer CNE Workbench (schema version "
                f"{len(applied)}); this version understands schema version {len(known)}. "
                "Update CNE Workbench to open it."
            )
        role = pg_roles.role_of(store)
        reason = "it was opened read-only" if read_only else None
        if reason is None and role == "viewer":
            reason = "your database account may only read it (viewer role)"
        if len(applied) < len(known):
            if reason is not None or role is not None:
                raise ReadOnlyWorkspace(
                    f"{address.name} was set up by an older CNE Workbench and must be upgraded "
                    "by the account that owns it before it can be opened."
                )
            try:
                pg_migrations.migrate(store)
            except Exception as exc:
                raise MigrationFailed(
                    f"{address.name} could not be upgraded from schema version {len(applied)} "
                    f"to {len(known)} ({exc}); nothing was changed."
                ) from exc
        if reason is not None:
            store.execute("SET default_transaction_read_only = on")
        return store, reason
    except BaseException:
        store.close()
        raise


def connect_empty(address: ServerAddress, *, password: str | None = None) -> PgStore:
    """A connection to a database (or schema) with nothing in it yet, or an error saying why not."""
    store = connect(address, password=password)
    try:
        if address.schema != "public":
            store.execute(f"CREATE SCHEMA IF NOT EXISTS {address.schema}")
        if pg_migrations.applied(store):
            raise FileExistsError(f"{address.name} already holds a workspace.")
        foreign = [t for t in store.table_names() if t != pg_migrations.MIGRATIONS_TABLE]
        if foreign:
            raise NotAWorkspace(
                f"{address.name} already has tables of another program ({', '.join(foreign[:3])}"
                f"{'…' if len(foreign) > 3 else ''}); use an empty database or schema."
            )
    except BaseException:
        store.close()
        raise
    return store


def create_workspace_db(address: ServerAddress, *, password: str | None = None) -> PgStore:
    """Set up an empty workspace at the current schema version in an empty database."""
    store = connect_empty(address, password=password)
    try:
        pg_migrations.migrate(store)
    except BaseException:
        store.close()
        raise
    return store


def schema_version(store: PgStore) -> int:
    return len(pg_migrations.applied(store))


def settle(store: PgStore) -> None:
    """Planner statistics and search indexes brought up to date after a bulk load (a copy).

    Until autovacuum comes by, the planner guesses at every table's size and each GIN index
    holds the loaded rows in its pending list, read through on every search (a freshly
    copied 10,000-section workspace searched ~4× slower). VACUUM runs outside a transaction.
    """
    import psycopg

    tables = ", ".join('"' + t.replace('"', '""') + '"' for t in store.table_names())
    if not tables or store.in_transaction:
        return
    try:
        store.execute(f"VACUUM (ANALYZE) {tables}")
    except psycopg.Error:
        pass  # the copy is whole without it: autovacuum does the same later
