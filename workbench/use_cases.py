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
    """Run a use-case in one transaction (nested ones join the caller's as a savepoint)."""

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
            with ws.db.atomic():
                if outermost:
                    ws.db.claim_writer()  # one writer at a time, as SQLite has by itself
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
