"""Replaying the audit log against the state tables: every decision must follow from an entry."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict

from workbench.audit import comment_digest

MAX_FINDINGS = 20
TYPE_NAMES = {"C": "Critical", "S": "Substantive", "A": "Administrative"}
_ACTIONS = (
    "comment.%",
    "exchange.%",
    "position.record",
    "nonconcurrence.%",
    "review.waive",
    "document.publish",
    "publication.pdf",
)


# The entries that are few (one per import, publication, waiver...): always read into a Log.
FEW = (
    "exchange.%",
    "nonconcurrence.%",
    "review.waive",
    "document.publish",
    "publication.pdf",
)


class Log:
    """The entries replay reads (`actions`, LIKE patterns), parsed once, by entity."""

    def __init__(self, conn: sqlite3.Connection, actions: tuple[str, ...] = _ACTIONS):
        where = " OR ".join("action LIKE ?" for _ in actions)
        self.by_entity: dict[tuple[str, int], list[tuple[str, dict]]] = defaultdict(list)
        self.ranges: dict[int, list[tuple[int, int, dict]]] = defaultdict(list)
        self.nonconcurrence: Counter = Counter()
        self.publish: dict[int, dict] = {}
        self.pdfs: dict[int, dict] = {}
        for action, entity, entity_id, details in conn.execute(
            f"SELECT action, entity, entity_id, details FROM audit_log WHERE {where} ORDER BY id",
            actions,
        ):
            try:
                d = json.loads(details)
            except ValueError:
                continue  # the chain check names an altered entry
            if not isinstance(d, dict):
                continue
            if entity_id is not None:
                self.by_entity[(entity, entity_id)].append((action, d))
            items = d.get("item_numbers")
            # Imports number their comments in one range (a Word file's entry is the document's).
            doc = d.get("document_id", entity_id if entity == "document" else None)
            if isinstance(items, list) and len(items) == 2 and doc is not None:
                self.ranges[doc].append((items[0], items[1], d))
            if action.startswith("nonconcurrence."):
                kind = action.split(".", 1)[1]
                self.nonconcurrence[(entity_id, d.get("organization"), kind)] += 1
            elif action == "document.publish" and "publication_id" in d:
                self.publish[d["publication_id"]] = d
            elif action == "publication.pdf" and entity_id is not None:
                self.pdfs[entity_id] = d


def offline_scope(conn) -> int | None:
    """The document an offline copy holds, when this is one (None otherwise). A copy taken
    before copies had a log of their own (offline_log) carries the whole audit log but only
    that document's rows, so rows of other documents the log records are not missing from it.
    It is one only if its meta names a check-out of that document that its own log records
    taking offline."""
    try:
        token = conn.execute(
            "SELECT value FROM meta WHERE key IN ('offline_copy', 'offline_returned')"
        ).fetchone()
        if token is None:
            return None
        row = conn.execute("SELECT document_id FROM checkouts WHERE token = ?", [token[0]])
        found = row.fetchone()
    except Exception:  # a file from before check-outs (no table): not a copy
        return None
    if found is None:
        return None
    taken = conn.execute(
        "SELECT 1 FROM audit_log WHERE action = 'document.take_offline' AND entity = 'document' "
        "AND entity_id = ?",
        [found[0]],
    ).fetchone()
    return int(found[0]) if taken is not None else None


def _elsewhere(scope: int | None, d: dict) -> bool:
    """An entry about a document an offline copy does not hold."""
    return scope is not None and d.get("document_id") != scope


def _creation(log: Log, row) -> tuple[bool, str | None, str | None]:
    """(found, type recorded, text fingerprint recorded) from the entry that created a comment.

    Entries written before fingerprints were kept record no type or text: None, not a fault.
    """
    for action, d in log.by_entity.get(("comment", row["id"]), ()):
        if action == "comment.add":
            return True, d.get("type"), d.get("text_sha256")
    return in_ranges(log, row["document_id"], row["item_no"])


def explain_comments(
    conn, log: Log, out: list[str], only: set[int], missing: bool, scope: int | None = None
) -> None:
    """The findings for the comments `only` (and, if `missing`, comments the log has but the
    table lacks), entry by entry: the words every comment fault is reported in."""
    orgs = dict(conn.execute("SELECT id, code FROM organizations"))
    # Rows by column name from a sqlite3 connection or a shared store's (db.postgres) alike.
    cursor = conn.execute(
        "SELECT id, document_id, item_no, organization_id, type, critical_ground, section_id, "
        "quoted_passage, comment, rationale, proposed_wording, disposition FROM comments"
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    seen = set()
    for r in rows:
        seen.add(r["id"])
        if r["id"] not in only:
            continue
        name = f"Comment {r['item_no']} ({orgs.get(r['organization_id'], '?')}, document "
        name += f"{r['document_id']})"
        found, recorded, digest = _creation(log, r)
        if not found:
            out.append(f"{name} has no audit entry: it was added outside the app.")
            continue
        if recorded is not None and recorded != r["type"]:
            out.append(
                f"{name} is {TYPE_NAMES.get(r['type'], r['type'])}, but the audit log recorded "
                f"it as {TYPE_NAMES.get(recorded, recorded)}."
            )
        if isinstance(digest, str) and not comment_digest(r).startswith(digest):
            out.append(f"{name} was rewritten after it was recorded (its text differs).")
        expected = None
        for action, d in log.by_entity.get(("comment", r["id"]), ()):
            if action == "comment.adjudicate":
                expected = d.get("disposition")
            elif action == "comment.reopen":
                expected = None
        if expected != r["disposition"]:
            was = expected or "open"
            out.append(
                f"{name} has the disposition {r['disposition'] or 'open'}, but the audit log "
                f"says {was}."
            )
    if not missing:
        return
    for (entity, eid), entries in log.by_entity.items():
        added = [d for a, d in entries if a == "comment.add"]
        if entity == "comment" and eid not in seen and added and not _elsewhere(scope, added[0]):
            out.append(f"Comment {eid}, recorded in the audit log, is missing (it was deleted).")


def explain_positions(
    conn, log: Log, out: list[str], only: set[int], missing: bool, scope: int | None = None
) -> None:
    """The findings for the positions `only` (and those the log has but the table lacks)."""
    orgs = dict(conn.execute("SELECT id, code FROM organizations"))
    seen = set()
    for pid, doc, org, position, by_name in conn.execute(
        "SELECT id, document_id, organization_id, position, by_name FROM positions"
    ):
        seen.add(pid)
        if pid not in only:
            continue
        code = orgs.get(org, "?")
        entry = next(
            (d for a, d in log.by_entity.get(("position", pid), ()) if a == "position.record"),
            None,
        )
        name = f"{code}'s position {pid} on document {doc}"
        if entry is None:
            out.append(f"{name} has no audit entry: it was added outside the app.")
            continue
        if entry.get("position") != position:
            out.append(
                f"{name} reads {position}, but the audit log recorded {entry.get('position')}."
            )
        if entry.get("by_name") not in (None, by_name) or entry.get("organization") not in (
            None,
            code,
        ):
            out.append(f"{name} names someone other than the audit log records.")
    if missing:
        for (entity, eid), entries in log.by_entity.items():
            if entity == "position" and eid not in seen:
                recorded = [d for a, d in entries if a == "position.record"]
                if recorded and not _elsewhere(scope, recorded[0]):
                    out.append(f"Position {eid}, recorded in the audit log, is missing (deleted).")


def nonconcurrence(conn, log: Log, out: list[str], scope: int | None = None) -> None:
    orgs = dict(conn.execute("SELECT id, code FROM organizations"))
    rows = Counter(
        (doc, orgs.get(org, "?"), kind)
        for doc, org, kind in conn.execute(
            "SELECT document_id, organization_id, kind FROM nonconcurrence_events"
        )
    )
    for key in sorted(set(rows) | set(log.nonconcurrence), key=str):
        have, logged = rows.get(key, 0), log.nonconcurrence.get(key, 0)
        doc, code, kind = key
        if scope is not None and doc != scope and not have:
            continue  # another document's record: not in an offline copy
        if have > logged:
            out.append(
                f"{code}'s non-concurrence on document {doc} is marked {kind} without an "
                "audit entry."
            )
        elif have < logged:
            out.append(
                f"A record that {code}'s non-concurrence on document {doc} was {kind} is missing."
            )


def _waivers(conn, log: Log, out: list[str], scope: int | None = None) -> None:
    for wid, doc in conn.execute("SELECT id, document_id FROM waivers"):
        if not any(a == "review.waive" for a, _ in log.by_entity.get(("waiver", wid), ())):
            out.append(f"Waiver {wid} on document {doc} has no audit entry.")


def _publications(conn, log: Log, out: list[str], scope: int | None = None) -> None:
    seen = set()
    for pid, doc, version, by, snapshot in conn.execute(
        "SELECT id, document_id, version, published_by, snapshot FROM publications"
    ):
        seen.add(pid)
        entry = log.publish.get(pid)
        name = f"Version {version} of document {doc}"
        if entry is None:
            out.append(f"{name} is marked published, but no publication is in the audit log.")
            continue
        if entry.get("version") != version or entry.get("by_name") not in (None, by):
            out.append(f"{name}'s publication record differs from its audit entry.")
        digest = entry.get("snapshot_sha256")
        if digest and digest != hashlib.sha256(snapshot.encode("utf-8")).hexdigest():
            out.append(f"{name}'s published text was changed after publication.")
    for pid, entry in log.publish.items():
        if pid not in seen and not _elsewhere(scope, entry):
            out.append(
                f"Version {entry.get('version')} of document {entry.get('document_id', '?')} "
                "was published, but its publication record is missing."
            )
    for pid, variant, sha in conn.execute(
        "SELECT publication_id, variant, sha256 FROM publication_pdfs"
    ):
        entry = log.pdfs.get(pid)
        if entry is None or entry.get(f"sha256_{variant}") != sha:
            out.append(
                f"The fingerprint of publication {pid}'s {variant} PDF does not match the one "
                "recorded in the audit log."
            )


def in_ranges(log: Log, document_id: int, item_no: int) -> tuple[bool, str | None, str | None]:
    for first, last, d in log.ranges.get(document_id, ()):
        if isinstance(first, int) and isinstance(last, int) and first <= item_no <= last:
            n = item_no - first
            types, texts = d.get("types"), d.get("texts")
            recorded = types[n] if isinstance(types, str) and n < len(types) else None
            text = texts[n] if isinstance(texts, list) and n < len(texts) else None
            return True, recorded, text
    return False, None, None


def replay_faults(conn: sqlite3.Connection) -> list[str]:
    """Every state row that does not follow from the audit log, in plain words: each row
    explained from the whole log (portable SQL: a file's check runs replay_quick instead)."""
    few = Log(conn, FEW)
    out: list[str] = []
    log = Log(conn)
    scope = offline_scope(conn)
    every_comment = {r[0] for r in conn.execute("SELECT id FROM comments")}
    explain_comments(conn, log, out, every_comment, True, scope)
    if len(out) < MAX_FINDINGS:
        every_position = {r[0] for r in conn.execute("SELECT id FROM positions")}
        explain_positions(conn, log, out, every_position, True, scope)
        nonconcurrence(conn, few, out, scope)
    return finish(conn, few, out, scope)


def finish(conn, few: Log, out: list[str], scope: int | None = None) -> list[str]:
    """The waivers' and publications' findings after the comments' and positions' (`out`)."""
    for step in (_waivers, _publications):
        if len(out) >= MAX_FINDINGS:
            break
        step(conn, few, out, scope)
    return out[:MAX_FINDINGS]
