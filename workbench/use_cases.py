"""The use-case decorator: one user action, one transaction, storage failures in plain words.

It lives apart from the Workspace class so that modules the workspace itself needs (the
directory it seeds) can define use-cases without importing the workspace back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from db import connection
from workbench.text_input import UnstorableText, describe

P = ParamSpec("P")
R = TypeVar("R")


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a use-case in one transaction (nested ones join the caller's as a savepoint).

    On a shared workspace it has the writers' lock to itself: use-cases run one at a time,
    as they do on a file."""
    return _transactional(fn, concurrent=False)


def concurrent_use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """A use-case that, run on its own on a shared workspace, shares the writers' lock with
    others of its kind (ten analysts saving ten sections at once do not queue for each other's
    whole transactions): it must lock the rows it reads to decide (`dialect.for_update`),
    write only rows no other concurrent use-case writes before appending to the audit chain
    (`audit.record` takes the chain's own lock), and nothing the dashboard's triggers watch.
    Nested in a transaction that holds no lock yet (undo's), or on a file, it is an ordinary
    use-case."""
    return _transactional(fn, concurrent=True)


def _transactional(fn: Callable[P, R], *, concurrent: bool) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(ws, *args, **kwargs):
        reason = getattr(ws, "read_only_reason", None)
        if reason is not None:
            raise connection.ReadOnlyWorkspace(
                f"{ws.path.name} is open read-only ({reason}); the change was not saved."
            )
        outermost = not ws.db.in_transaction
        pending = getattr(ws, "_after_commit", None)
        undo = getattr(ws, "_on_rollback", None)
        try:
            if outermost:
                ws.db.claim_at_begin(shared=concurrent)  # one round trip with the BEGIN
            else:
                # Joining a transaction begun elsewhere (a use-case's, undo's, a preview's):
                # claim the lock in it, not in this use-case's savepoint, whose rollback would
                # let the lock go.
                ws.db.claim_writer(shared=concurrent, joining=True)
            with ws.db.atomic():
                if outermost:
                    # One writer at a time, as SQLite has by itself (text saves side by side).
                    ws.db.claim_writer(shared=concurrent)
                result = fn(ws, *args, **kwargs)
        except BaseException as exc:
            if outermost and pending:
                pending.clear()  # nothing committed, so nothing follows
            if outermost and undo:
                ws._run_on_rollback()  # what it wrote outside the store goes with it
            if isinstance(exc, UnicodeEncodeError):
                # Text no file can store (a lone surrogate from a paste, a JSON escape or a
                # mis-decoded argument) reaches the store or the audit log's hash; the
                # transaction is rolled back and the caller keeps the text to correct.
                raise UnstorableText(describe(exc)) from None
            refused = ws.db.unstorable(exc)  # text this engine cannot hold (a NUL on PostgreSQL)
            if refused:
                raise UnstorableText(refused) from None
            # Storage failures (full disk, damage, read-only media, a lost server) become one
            # clear message; the transaction has been rolled back, so nothing half-done was kept.
            translated = ws.db.translate_error(exc, ws.path)
            if translated is None:
                raise
            raise translated from exc
        if outermost and undo:
            undo.clear()  # committed: what it wrote outside the store stays
        if outermost and pending:
            ws._run_after_commit()
        return result

    wrapper.is_use_case = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
