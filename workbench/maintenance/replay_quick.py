"""Replay's quick pass on a workspace file: SQLite pulls each row's entries and fields, and only
the rows that disagree are explained from the whole log (replay.py, in the findings' words)."""

from __future__ import annotations

import hashlib
import sqlite3

from workbench.maintenance.replay import (
    FEW,
    MAX_FINDINGS,
    Log,
    explain_comments,
    explain_positions,
    finish,
    in_ranges,
    nonconcurrence,
    offline_scope,
)

# Each comment beside the first entry that added it and the last that ruled on it, with the
# fields replay compares pulled out by SQLite (JSON parsed in C, a malformed entry flagged, not
# raised) and its content as the bytes audit.comment_digest hashes: the common case, a comment
# that agrees with its entries, costs a row and a SHA-256. Anything else is explained by
# explain_comments from the whole log, in the words the findings always had.
_COMMENTS_AND_ENTRIES = """
SELECT c.id, c.document_id, c.item_no, c.type, c.disposition,
       CASE WHEN typeof(c.type) != 'blob' AND typeof(c.critical_ground) != 'blob'
             AND typeof(c.section_id) != 'blob' AND typeof(c.quoted_passage) != 'blob'
             AND typeof(c.comment) != 'blob' AND typeof(c.rationale) != 'blob'
             AND typeof(c.proposed_wording) != 'blob'
            THEN CAST(json_array(c.type, c.critical_ground, c.section_id, c.quoted_passage,
                                 c.comment, c.rationale, c.proposed_wording) AS BLOB) END,
       a.id,
       CASE WHEN json_valid(a.details) THEN json_type(a.details) = 'object' END,
       CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.type') END,
       CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.text_sha256') END,
       r.action,
       CASE WHEN json_valid(r.details) THEN json_type(r.details) = 'object' END,
       CASE WHEN json_valid(r.details) THEN json_extract(r.details, '$.disposition') END
FROM comments c
LEFT JOIN audit_log a ON a.id = (
    SELECT min(id) FROM audit_log
    WHERE entity = 'comment' AND entity_id = c.id AND action = 'comment.add')
LEFT JOIN audit_log r ON r.id = (
    SELECT max(id) FROM audit_log
    WHERE entity = 'comment' AND entity_id = c.id
      AND action IN ('comment.adjudicate', 'comment.reopen'))
ORDER BY c.id
"""

_POSITIONS_AND_ENTRIES = """
SELECT p.id, p.position, p.by_name, o.code,
       CASE WHEN json_valid(a.details) THEN json_type(a.details) = 'object' END,
       CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.position') END,
       CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.by_name') END,
       CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.organization') END
FROM positions p
LEFT JOIN organizations o ON o.id = p.organization_id
LEFT JOIN audit_log a ON a.id = (
    SELECT min(id) FROM audit_log
    WHERE entity = 'position' AND entity_id = p.id AND action = 'position.record')
ORDER BY p.id
"""

# A row the log records that the table no longer has (the explaining pass names it).
_DELETED = """
SELECT 1 FROM audit_log
WHERE entity = ? AND action = ? AND entity_id IS NOT NULL
  AND entity_id NOT IN (SELECT id FROM {table})
LIMIT 1
"""


def _deleted(conn, entity: str, action: str, table: str) -> bool:
    return conn.execute(_DELETED.format(table=table), [entity, action]).fetchone() is not None


def _comments_to_explain(conn, few: Log) -> set[int]:
    """The comments that do not plainly agree with their entries (most often none)."""
    sha256 = hashlib.sha256
    out = set()
    for (
        cid,
        doc,
        item_no,
        ctype,
        disposition,
        content,
        added_id,
        added_ok,
        recorded,
        digest,
        ruling,
        ruling_ok,
        ruled,
    ) in conn.execute(_COMMENTS_AND_ENTRIES):
        if added_id is None:  # numbered by an import's range, or no entry at all
            found, recorded, digest = in_ranges(few, doc, item_no)
            if not found:
                out.add(cid)
                continue
        elif not added_ok:
            out.add(cid)
            continue
        if recorded is not None and recorded != ctype:
            out.add(cid)
        elif isinstance(digest, str) and (
            content is None or not sha256(content).hexdigest().startswith(digest)
        ):
            out.add(cid)
        elif ruling is not None and not ruling_ok:
            out.add(cid)
        elif (ruled if ruling == "comment.adjudicate" else None) != disposition:
            out.add(cid)
    return out


def _positions_to_explain(conn) -> set[int]:
    out = set()
    for pid, position, by_name, code, ok, recorded, rec_by, rec_org in conn.execute(
        _POSITIONS_AND_ENTRIES
    ):
        if (
            not ok
            or recorded != position
            or rec_by not in (None, by_name)
            or rec_org not in (None, code or "?")
        ):
            out.add(pid)
    return out


class _WholeLog:
    """The whole log's entries for replay, read only when some row must be explained."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._log: Log | None = None

    def get(self) -> Log:
        if self._log is None:
            self._log = Log(self.conn)
        return self._log


def _comments(conn, few: Log, whole: _WholeLog, out: list[str], scope: int | None) -> None:
    try:
        only = _comments_to_explain(conn, few)
    except sqlite3.OperationalError:  # a value SQLite's JSON refuses: explain every comment
        only = {r[0] for r in conn.execute("SELECT id FROM comments")}
    missing = _deleted(conn, "comment", "comment.add", "comments")
    if only or missing:
        explain_comments(conn, whole.get(), out, only, missing, scope)


def _positions(conn, few: Log, whole: _WholeLog, out: list[str], scope: int | None) -> None:
    try:
        only = _positions_to_explain(conn)
    except sqlite3.OperationalError:
        only = {r[0] for r in conn.execute("SELECT id FROM positions")}
    missing = _deleted(conn, "position", "position.record", "positions")
    if only or missing:
        explain_positions(conn, whole.get(), out, only, missing, scope)
    nonconcurrence(conn, few, out, scope)


def replay_faults(conn: sqlite3.Connection) -> list[str]:
    """replay.replay_faults's findings, several times faster on a large log (the common row,
    one that agrees with its entries, costs a row and a SHA-256)."""
    few = Log(conn, FEW)
    whole = _WholeLog(conn)
    out: list[str] = []
    scope = offline_scope(conn)  # an offline copy: only its document's rows are here
    _comments(conn, few, whole, out, scope)
    if len(out) < MAX_FINDINGS:
        _positions(conn, few, whole, out, scope)
    return finish(conn, few, out, scope)
