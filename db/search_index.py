"""Keeping the full-text search index current: the one place that writes the FTS5 tables.

Every connection runs with `PRAGMA trusted_schema=OFF`, so a file's schema can run nothing
beyond SQLite's innocuous functions, and SQLite then refuses FTS5 writes from triggers ("unsafe
use of virtual table", and json_extract is not innocuous either). The schema's triggers
therefore only queue what changed (the table `search_queue`, m011: the row, and the indexed
text it had or has; a new publication), and `apply_queue` replays that queue into the FTS5
tables (and a publication's searchable sections) at the top level.
`WorkspaceDatabase.atomic()` calls it just before each outermost COMMIT, so a write and its
index change commit together. A queue left by a writer that bypassed this (another program
editing the file) is applied by the next commit here, and `check` applies it on its private
copy before comparing index and text.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Generator, Sequence
from typing import Any

import sqlite_utils

# The FTS5 tables and their indexed columns, in the order m011's triggers fill c1..c4.
INDEXES: dict[str, tuple[str, ...]] = {
    "documents_fts": ("title",),
    "sections_fts": ("heading", "body"),
    "comments_fts": ("comment", "rationale", "proposed_wording", "quoted_passage"),
    "studies_fts": ("title", "abstract", "office", "contact"),
    "published_fts": ("heading", "body"),
}
QUEUE = "search_queue"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _statement(fts: str) -> str:
    columns = INDEXES[fts]
    names = ", ".join(columns)
    slots = ", ".join(f"c{i + 1}" for i in range(len(columns)))
    # A NULL in the command column is an ordinary insert; 'delete' removes the old text's
    # tokens (an external-content index needs the exact text it indexed). Queue order is kept.
    return (
        f"INSERT INTO {fts} ({fts}, rowid, {names}) "
        f"SELECT CASE op WHEN 'delete' THEN 'delete' END, row_id, {slots} "
        f"FROM {QUEUE} WHERE target = ? ORDER BY id"
    )


# A new publication's sections, from its snapshot, as m005 backfilled them: searchable rows.
_PUBLISHED_SECTIONS = f"""
INSERT INTO published_sections
    (publication_id, document_id, version, section_id, number, heading, body)
SELECT p.id, p.document_id, p.version, json_extract(j.value, '$.section_id'),
       coalesce(json_extract(j.value, '$.number'), ''),
       coalesce(json_extract(j.value, '$.heading'), ''),
       coalesce(json_extract(j.value, '$.body'), '')
FROM publications AS p,
     json_each(CASE WHEN json_valid(p.snapshot) THEN p.snapshot ELSE '{{}}' END,
               '$.sections') AS j
WHERE p.id IN (SELECT row_id FROM {QUEUE} WHERE target = 'published_sections')
ORDER BY p.id, j.key
"""


def apply_queue(conn: sqlite3.Connection) -> int:
    """Replay the queued index changes into the FTS5 tables and empty the queue.

    Call inside a transaction (the one that queued them). Returns how many were applied;
    0 without a queue (a file not yet upgraded to m011).
    """
    try:
        pending = conn.execute(f"SELECT count(*) FROM {QUEUE}").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0
        raise
    if not pending:
        return 0
    present = {t for (t,) in conn.execute(f"SELECT DISTINCT target FROM {QUEUE}")}
    if "published_sections" in present:
        # Its rows queue their own index changes (published_fts), applied just below.
        conn.execute(_PUBLISHED_SECTIONS)
        present.add("published_fts")
    for fts in INDEXES:
        if fts in present:
            conn.execute(_statement(fts), [fts])
    conn.execute(f"DELETE FROM {QUEUE}")
    return pending


class WorkspaceDatabase(sqlite_utils.Database):
    """A workspace connection whose transactions commit the search index with the text."""

    @contextlib.contextmanager
    def atomic(self) -> Generator[sqlite_utils.Database, None, None]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        with super().atomic():
            yield self
            apply_queue(self.conn)

    def execute(
        self, sql: str, parameters: Sequence | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        # A write outside atomic() commits on its own (sqlite-utils): apply what it queued.
        was_in_transaction = self.conn.in_transaction
        cursor = super().execute(sql, parameters)
        if (
            not was_in_transaction
            and not self.conn.in_transaction
            and sql.lstrip()[:7].upper().startswith(_WRITES)
        ):
            with self.atomic():
                pass
        return cursor
