"""An offline copy's audit log: its own chain, rooted in a signed statement of what was copied.

The copy does not carry the shared workspace's whole log (it would name every other document's
title, headings and reviewers). Its chain starts with a `document.offline_copy` entry (the
check-out's token, the shared log's head when the document went out, signed by the acting
person's key or the workspace's, and how many entries follow), then the shared log's entries
about this document, as they were (same time, actor, action, details), chained anew; entries
made offline follow. `check` verifies the copy as any workspace: the chain holds, and every
row of the document follows from its entries. Bring Back proves the quoted entries are the
shared log's own by comparing them with it, entry by entry.
"""

from __future__ import annotations

import json

from workbench import audit

ROOT_ACTION = "document.offline_copy"
_FIELDS = "id, at, actor, action, entity, entity_id, details, person_id, os_account"


def document_entries(ws, document_id: int, upto: int | None = None) -> list[dict]:
    """The log's entries about this document, in order (of the first `upto` entries)."""
    owners: dict[str, dict[int, int]] = {}

    def owner(entity: str, entity_id) -> int | None:
        table = audit._DOCUMENT_TABLES.get(entity)
        if table is None or entity_id is None:
            return None
        if entity not in owners:
            owners[entity] = {
                r["id"]: r["document_id"]
                for r in ws.db.query(f"SELECT id, document_id FROM {table}")
            }
        return owners[entity].get(entity_id)

    sql = f"SELECT {_FIELDS} FROM audit_log ORDER BY id"
    if upto is not None:
        sql += f" LIMIT {int(upto)}"
    out = []
    for r in ws.db.query(sql):
        try:
            details = json.loads(r["details"])
        except ValueError:
            details = {}
        doc = details.get("document_id") if isinstance(details, dict) else None
        if not isinstance(doc, int) or isinstance(doc, bool):
            doc = (
                r["entity_id"] if r["entity"] == "document" else owner(r["entity"], r["entity_id"])
            )
        if doc == document_id:
            out.append(dict(r))
    return out


def signed_statement(ws, document_id: int, token: str, base: audit.AuditHead) -> dict:
    """The shared log's head as the document goes out, signed (made before the copy: signing
    may create the workspace's key, which the copy then carries)."""
    from workbench.authority import signed_heads

    return signed_heads.sign_head(
        ws, "offline_copy", head=base, document_id=document_id, token=token
    )


def write_log(ws, target, document_id: int, token: str, base: audit.AuditHead, signed: dict) -> int:
    """Write the copy's chain into `target` (the copy's store, its audit log empty): the signed
    root, then this document's entries. Returns how many entries the copy's log holds."""
    quoted = document_entries(ws, document_id, base.entries)
    statement = {
        "document_id": document_id,
        "token": token,
        "base": base.as_dict(),
        "quoted": len(quoted),
        "signed_head": signed,
    }
    root = {
        "at": ws.now(),
        "actor": ws.actor,
        "action": ROOT_ACTION,
        "entity": "document",
        "entity_id": document_id,
        "details": json.dumps(
            statement, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
        ),
        "person_id": getattr(ws, "person_id", None),
        "os_account": getattr(ws, "os_account", None) or "",
    }
    prev = audit.GENESIS
    rows = []
    for n, e in enumerate([root, *quoted], start=1):
        digest = audit._entry_hash(
            prev, e["at"], e["actor"], e["action"], e["entity"], e["entity_id"], e["details"],
            e["person_id"], e["os_account"],
        )  # fmt: skip
        rows.append([n, e["at"], e["actor"], e["action"], e["entity"], e["entity_id"],
                     e["details"], prev, digest, e["person_id"], e["os_account"]])  # fmt: skip
        prev = digest
    target.executemany(
        "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details, prev_hash, "
        "hash, person_id, os_account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    target.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [prev],
    )
    return len(rows)


def root_statement(copy) -> dict | None:
    """The copy's root statement (None for a copy carrying the whole log, as before)."""
    row = next(copy.query(f"SELECT {_FIELDS} FROM audit_log ORDER BY id LIMIT 1"), None)
    if row is None or row["action"] != ROOT_ACTION:
        return None
    try:
        statement = json.loads(row["details"])
    except ValueError:
        return {}
    return statement if isinstance(statement, dict) else {}


def continuation_problem(ws, copy, document_id: int, token: str, base) -> str | None:
    """Why the copy's log is not the one this check-out wrote (None when it is): its root
    names this check-out and the log's head then, and the entries it quotes are the shared
    log's entries about the document, unchanged."""
    statement = root_statement(copy)
    if statement is None:
        # A copy carrying the whole log: it must continue the log exactly as it stood.
        if audit.entry_hash_at(_Reader(copy), base.entries) != base.hash:
            return "its audit log does not continue the log it was taken from"
        return None
    if statement.get("token") != token or audit.AuditHead.parse(statement.get("base")) != base:
        return "its audit log does not continue the log it was taken from"
    quoted = statement.get("quoted")
    if not isinstance(quoted, int) or isinstance(quoted, bool) or quoted < 0:
        return "its audit log does not continue the log it was taken from"
    keys = ("at", "actor", "action", "entity", "entity_id", "details", "person_id", "os_account")
    theirs = list(
        copy.query(f"SELECT {_FIELDS} FROM audit_log ORDER BY id LIMIT ? OFFSET 1", [quoted])
    )
    ours = document_entries(ws, document_id, base.entries)
    if len(theirs) != len(ours) or any(
        tuple(t[k] for k in keys) != tuple(o[k] for k in keys)
        for t, o in zip(theirs, ours, strict=False)
    ):
        return "its audit log does not continue the log it was taken from"
    return None


def offline_entry_problem(copy, document_id: int, base) -> str | None:
    """Why an entry the copy's log holds after it went out could not have been made in it
    (None when each could): the copy's guard's own rule (audit.offline_edit_refused), so a
    waiver, publication or lease break written into the copy's log, or a change to another
    document, refuses the copy rather than being passed over."""
    for r in copy.query(
        f"SELECT {_FIELDS} FROM audit_log ORDER BY id LIMIT -1 OFFSET ?",
        [entries_before_offline(copy, base)],
    ):
        try:
            details = json.loads(r["details"])
        except ValueError:
            details = None
        if not isinstance(details, dict) or audit.offline_edit_refused(
            _Reader(copy), r["action"], r["entity"], r["entity_id"], details, document_id
        ):
            return f"its audit log records {r['action']}, which cannot be made offline"
    return None


def text_problem(ws, copy, document_id: int, base) -> str | None:
    """Why a section's text in the copy is not the text its log accounts for (None when each
    is): the hash of its last offline `section.edit`, or, unedited offline, its text here
    (only edit_section changes a section's text, and records both hashes)."""
    edited: dict[int, str | None] = {}
    for r in copy.query(
        "SELECT entity_id, details FROM (SELECT id, action, entity_id, details FROM audit_log "
        "ORDER BY id LIMIT -1 OFFSET ?) WHERE action = 'section.edit' ORDER BY id",
        [entries_before_offline(copy, base)],
    ):
        try:
            details = json.loads(r["details"])
        except ValueError:
            continue  # refused as an entry the copy could not have made
        if isinstance(details, dict):
            edited[r["entity_id"]] = details.get("new_hash")
    sql = "SELECT id, heading, content_hash FROM sections WHERE document_id = ?"
    here = {r["id"]: r["content_hash"] for r in ws.db.query(sql, [document_id])}
    for r in copy.query(sql, [document_id]):
        expected = edited.get(r["id"], here.get(r["id"]))
        if expected is not None and r["content_hash"] != expected:
            return f"section “{r['heading'] or r['id']}” holds text its audit log does not record"
    return None


def entries_before_offline(copy, base) -> int:
    """How many of the copy's entries it was taken with (those after are offline work)."""
    statement = root_statement(copy)
    if statement is None:
        return base.entries
    return 1 + int(statement.get("quoted") or 0)


class _Reader:
    def __init__(self, store):
        self.db = store
