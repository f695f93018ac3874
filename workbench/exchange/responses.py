"""Importing a reviewer's answer (response file or CRM workbook): authenticate, check, merge."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench import audit
from workbench.coordination import requests as rq
from workbench.coordination.comments import next_item_no
from workbench.coordination.positions import POSITIONS, record_position
from workbench.errors import NotFound
from workbench.exchange import provenance
from workbench.exchange.formats import (
    MAX_RESPONSE_BYTES,
    RESPONSE_FORMAT,
    ExchangeError,
    check_envelope,
    check_response_body,
    digest,
    parse_json,
    read_limited,
)
from workbench.exchange.provenance import UNAUTHENTICATED
from workbench.numbering import reference
from workbench.sections import section_numbers
from workbench.workspace import use_case

WHAT = "review response"
_FINGERPRINT = (
    "section_id",
    "type",
    "quoted_passage",
    "location_detail",
    "comment",
    "rationale",
    "critical_ground",
    "proposed_wording",
)


@dataclass(frozen=True)
class ImportResult:
    request_id: int
    document_id: int
    organization: str
    reviewer_name: str
    position: str
    source: str
    import_id: int | None
    already_imported: bool = False
    added: int = 0
    kept: int = 0
    superseded: int = 0
    withdrawn: int = 0
    changed_since: tuple[str, ...] = ()  # references of sections changed since they were sent
    comment_ids: tuple[int, ...] = field(default=(), repr=False)
    authentication: str = ""  # "signed by NAME", or provenance.UNAUTHENTICATED

    def summary(self) -> str:
        who = f"{self.organization} ({self.reviewer_name})"
        if self.already_imported:
            return f"This response from {who} was already imported; nothing changed."
        parts = [f"Imported {who}'s response to request {self.request_id}: "]
        parts.append(f"{POSITIONS[self.position]}, {self.added} new comment(s)")
        if self.kept:
            parts.append(f", {self.kept} unchanged")
        if self.superseded or self.withdrawn:
            parts.append(
                f"; it supersedes the earlier response ({self.superseded} comment(s) revised, "
                f"{self.withdrawn} dropped)"
            )
        text = "".join(parts) + "."
        if self.authentication == UNAUTHENTICATED:
            text += (
                " Unauthenticated reviewer: the response is not signed with the reviewer's "
                "key, so it is their word only, not proof of who sent it."
            )
        elif self.authentication:
            text += f" The response is {self.authentication}."
        if self.changed_since:
            text += (
                " Flagged: comments on "
                + ", ".join(self.changed_since)
                + ", which changed after the request was sent."
            )
        return text


@dataclass(frozen=True)
class Incoming:
    """A response read from a file, before it touches the workspace."""

    source: str  # "response" | "workbook"
    raw_body: dict
    signature: dict | None  # the reviewer's signature over the body, when they have a key
    file_name: str


def read_incoming(data: bytes, file_name: str = "") -> Incoming:
    """Parse a response file or a filled CRM workbook; every fault is an ExchangeError."""
    if data[:4] == b"PK\x03\x04":
        from workbench.exchange.workbook import read_filled_workbook

        return Incoming("workbook", read_filled_workbook(data), None, file_name)
    value = parse_json(data, WHAT)
    check_envelope(value, RESPONSE_FORMAT, WHAT)
    body = value.get("body")
    signature = value.get("signature")
    if not isinstance(body, dict):
        raise ExchangeError("The review response is malformed: it has no content.")
    if signature is not None and not isinstance(signature, dict):
        raise ExchangeError("This response's signature is damaged; nothing was imported.")
    return Incoming("response", body, signature, file_name)


def _request_for(ws, body: dict) -> rq.ReviewRequest:
    wid, rid = body.get("workspace_id"), body.get("request_id")
    if not isinstance(wid, str) or not isinstance(rid, int) or isinstance(rid, bool):
        raise ExchangeError("The review response is malformed: it names no request.")
    if wid != ws.workspace_id:
        raise ExchangeError(
            "This response answers a request from another workspace; import it there."
        )
    try:
        req = rq.request(ws, rid)
    except NotFound:
        raise ExchangeError(
            f"This response answers review request {rid}, which this workspace does not have."
        ) from None
    if body.get("document_id") != req.document_id:
        raise ExchangeError(
            f"This response names another document than review request {rid}; it was altered."
        )
    if req.stored_status == "withdrawn":
        raise ExchangeError(
            f"Review request {rid} to {req.organization} was withdrawn; its response is not "
            "accepted."
        )
    return req


def _latest_import(ws, request_id: int) -> dict | None:
    return next(
        ws.db.query(
            "SELECT * FROM exchange_imports WHERE request_id = ? "
            "AND superseded_by_import_id IS NULL ORDER BY id DESC LIMIT 1",
            [request_id],
        ),
        None,
    )


def _response_day(created_at: str, fallback: dt.date) -> tuple[str, str | None]:
    try:
        at = dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return fallback.isoformat(), None
    return at.date().isoformat(), created_at


@use_case
def import_response(ws, path: str | os.PathLike) -> ImportResult:
    """Merge one reviewer's answer in one transaction, or refuse it and write nothing."""
    p = Path(path)
    data = read_limited(p, MAX_RESPONSE_BYTES, WHAT)
    return import_incoming(ws, read_incoming(data, p.name))


@use_case
def import_incoming(ws, incoming: Incoming) -> ImportResult:
    req = _request_for(ws, incoming.raw_body)
    body = check_response_body(incoming.raw_body, WHAT)
    numbers = section_numbers(ws, req.document_id)
    provenance.check_packet(ws, req, body, numbers)
    authentication = provenance.authenticate(ws, req, incoming.raw_body, incoming.signature)
    pinned = {s.section_id: s for s in req.sections}
    for n, c in enumerate(body["comments"], 1):
        # None: about the document as a whole, which every request covers.
        if c["section_id"] is not None and c["section_id"] not in pinned:
            raise ExchangeError(
                f"Comment {n} is on a section that was not sent for review in request {req.id}."
            )
    fingerprint = digest(body)
    already = next(
        ws.db.query(
            "SELECT id FROM exchange_imports WHERE request_id = ? AND digest = ?",
            [req.id, fingerprint],
        ),
        None,
    )
    if already:
        return ImportResult(
            req.id,
            req.document_id,
            req.organization,
            body["reviewer_name"],
            body["position"],
            incoming.source,
            already["id"],
            already_imported=True,
        )
    previous = _latest_import(ws, req.id)
    sequence = body["sequence"]
    if incoming.source == "workbook":
        sequence = (previous["sequence"] + 1) if previous else 1
    elif previous and sequence <= previous["sequence"]:
        raise ExchangeError(
            f"A newer response from {req.organization} to request {req.id} was already imported; "
            "this one is older and was not imported."
        )
    provenance.check_content(ws, req, body, previous, incoming.source)
    current_hash = {
        r["id"]: (r["content_hash"], r["deleted_at"])
        for r in ws.db.query(
            "SELECT id, content_hash, deleted_at FROM sections WHERE document_id = ?",
            [req.document_id],
        )
    }
    old: dict[str, dict] = {}
    if previous:
        for r in ws.db.query(
            "SELECT x.client_id, c.* FROM exchange_import_comments x "
            "JOIN comments c ON c.id = x.comment_id "
            "WHERE x.import_id = ? AND c.superseded_by_id IS NULL",
            [previous["id"]],
        ):
            old[r["client_id"]] = r
    day, at = _response_day(body["created_at"], ws.today())
    org_id = req.organization_id
    now = ws.now()
    first_item = next_item_no(ws, req.document_id)
    fresh: list[tuple] = []  # (client_id, stale, prior id or None, row)
    fresh_digests: list[str] = []  # each new comment's fingerprint, kept in the audit entry
    kept_links: list[tuple[int, str, int]] = []
    changed: dict[int, str] = {}
    for c in body["comments"]:
        sid = c["section_id"]
        stale = False  # a comment on the document as a whole names no text that could change
        if sid is not None:
            now_hash, deleted = current_hash[sid]
            stale = deleted is not None or now_hash != pinned[sid].content_hash
        if stale:
            changed[sid] = reference(numbers[sid]) if sid in numbers else "a deleted section"
        prior = old.pop(c["client_id"], None)
        if prior is not None and all(prior[k] == c[k] for k in _FINGERPRINT):
            kept_links.append((prior["id"], c["client_id"], int(stale)))
            continue
        # The rows add_comment would write, in one statement: a 1,000-comment response must
        # merge in well under a second. check_response_body has applied add_comment's rules.
        row = (
            req.document_id,
            first_item + len(fresh),
            req.id,
            org_id,
            body["reviewer_name"].strip(),
            body["reviewer_title"].strip(),
            day,
            c["type"],
            sid,
            pinned[sid].section_revision_id if sid is not None else None,
            c["location_detail"],
            c["quoted_passage"],
            c["comment"],
            c["rationale"],
            c["critical_ground"],
            c["proposed_wording"],
            now,
            ws.actor,
        )
        fresh.append((c["client_id"], int(stale), prior["id"] if prior else None, row))
        fresh_digests.append(audit.comment_digest(c)[:16])
    ws.db.executemany(
        "INSERT INTO comments (document_id, item_no, request_id, organization_id, reviewer_name, "
        "reviewer_title, response_date, type, section_id, section_revision_id, location_detail, "
        "quoted_passage, comment, rationale, critical_ground, proposed_wording, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [f[3] for f in fresh],
    )
    ids_by_item = {
        r["item_no"]: r["id"]
        for r in ws.db.query(
            "SELECT id, item_no FROM comments WHERE document_id = ? AND item_no >= ?",
            [req.document_id, first_item],
        )
    }
    links = list(kept_links)
    replaced = []
    for client_id, stale, prior_id, row in fresh:
        cid = ids_by_item[row[1]]
        links.append((cid, client_id, stale))
        if prior_id is not None:
            replaced.append((cid, prior_id))
    ws.db.executemany("UPDATE comments SET superseded_by_id = ? WHERE id = ?", replaced)
    added, kept, superseded = len(fresh), len(kept_links), len(replaced)
    # A comment the reviewer dropped from a newer response points at itself: superseded by
    # nothing, so it leaves the live CRM but stays in the record with the earlier import.
    ws.db.executemany(
        "UPDATE comments SET superseded_by_id = id WHERE id = ?", [(r["id"],) for r in old.values()]
    )
    position_id = record_position(
        ws,
        req.document_id,
        req.organization,
        body["position"],
        by_name=body["reviewer_name"],
        by_title=body["reviewer_title"],
        at=at,
        request_id=req.id,
    )
    cur = ws.db.execute(
        "INSERT INTO exchange_imports (request_id, source, response_id, sequence, digest, "
        "file_name, reviewer_name, position_id, comment_count, stale_count, imported_at, "
        "imported_by, authentication) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            req.id,
            incoming.source,
            body["response_id"],
            sequence,
            fingerprint,
            incoming.file_name[:500],
            body["reviewer_name"],
            position_id,
            len(links),
            sum(s for _, _, s in links),
            ws.now(),
            ws.actor,
            authentication,
        ],
    )
    import_id = cur.lastrowid
    ws.db.executemany(
        "INSERT INTO exchange_import_comments (import_id, comment_id, client_id, "
        "made_on_changed_text) VALUES (?, ?, ?, ?)",
        [(import_id, cid, client, stale) for cid, client, stale in links],
    )
    if previous:
        ws.db.execute(
            "UPDATE exchange_imports SET superseded_by_import_id = ? WHERE id = ?",
            [import_id, previous["id"]],
        )
    audit.record(
        ws,
        "exchange.response_import",
        "review_request",
        req.id,
        document_id=req.document_id,
        organization=req.organization,
        source=incoming.source,
        import_id=import_id,
        supersedes=previous["id"] if previous else None,
        added=added,
        kept=kept,
        superseded=superseded,
        dropped=len(old),
        position=body["position"],
        changed_sections=sorted(changed),
        item_numbers=[first_item, first_item + added - 1] if added else [],
        types="".join(f[3][7] for f in fresh),
        texts=fresh_digests,
        authentication=authentication,
    )
    return ImportResult(
        req.id,
        req.document_id,
        req.organization,
        body["reviewer_name"],
        body["position"],
        incoming.source,
        import_id,
        added=added,
        kept=kept,
        superseded=superseded,
        withdrawn=len(old),
        changed_since=tuple(changed[s] for s in sorted(changed)),
        comment_ids=tuple(cid for cid, _, _ in links),
        authentication=authentication,
    )


@dataclass(frozen=True)
class ImportRecord:
    id: int
    request_id: int
    source: str
    reviewer_name: str
    comment_count: int
    stale_count: int
    imported_at: str
    superseded: bool


def imports(ws, request_id: int) -> list[ImportRecord]:
    """Every response imported for a request, oldest first; superseded ones keep their history."""
    return [
        ImportRecord(
            r["id"],
            r["request_id"],
            r["source"],
            r["reviewer_name"],
            r["comment_count"],
            r["stale_count"],
            r["imported_at"],
            r["superseded_by_import_id"] is not None,
        )
        for r in ws.db.query(
            "SELECT * FROM exchange_imports WHERE request_id = ? ORDER BY id", [request_id]
        )
    ]


def changed_since_sent(ws, comment_id: int) -> bool:
    """True when the reviewer commented on text that had changed by the time it was imported."""
    row = next(
        ws.db.query(
            "SELECT max(made_on_changed_text) AS f FROM exchange_import_comments "
            "WHERE comment_id = ?",
            [comment_id],
        )
    )
    return bool(row["f"])
