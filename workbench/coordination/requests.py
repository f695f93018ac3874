"""Review requests: which sections, at which revisions, to whom, due when; routing a document."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench import audit
from workbench.coordination import closures
from workbench.coordination.workdays import FEDERAL, Calendar
from workbench.directory import Person, liaison_for, organization, person
from workbench.documents import document, set_status
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.revisions import ensure_section_revision
from workbench.sections import outline
from workbench.workspace import use_case

DEFAULT_SUSPENSE_WORKDAYS = 10
MAX_REASON = 100_000  # an extension's reason is kept whole on the record
REQUEST_STATUSES = {
    "draft": "Draft",
    "sent": "Sent",
    "returned": "Returned",
    "withdrawn": "Withdrawn",
    "overdue": "Overdue",
}


@dataclass(frozen=True)
class RequestedSection:
    section_id: int
    section_revision_id: int
    content_hash: str


@dataclass(frozen=True)
class ReviewRequest:
    id: int
    document_id: int
    organization: str
    organization_id: int
    reviewer_name: str
    reviewer_email: str
    stored_status: str
    suspense_date: str
    instructions: str
    document_version: int
    created_at: str
    sent_at: str | None
    returned_at: str | None
    withdrawn_at: str | None
    sections: tuple[RequestedSection, ...]
    today: str
    calendar: Calendar = field(default=FEDERAL, compare=False, repr=False)

    @property
    def is_overdue(self) -> bool:
        return self.stored_status == "sent" and self.calendar.is_overdue(
            dt.date.fromisoformat(self.suspense_date), dt.date.fromisoformat(self.today)
        )

    @property
    def status(self) -> str:
        """draft, sent, returned, withdrawn — or overdue, derived from the suspense date."""
        return "overdue" if self.is_overdue else self.stored_status

    @property
    def status_label(self) -> str:
        return REQUEST_STATUSES[self.status]

    @property
    def is_open(self) -> bool:
        return self.stored_status in ("draft", "sent")

    @property
    def section_ids(self) -> tuple[int, ...]:
        return tuple(s.section_id for s in self.sections)


def _load(ws, rows) -> list[ReviewRequest]:
    rows = list(rows)
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    pinned: dict[int, list[RequestedSection]] = {}
    for r in ws.db.query(
        "SELECT q.request_id, q.section_id, q.section_revision_id, v.content_hash "
        f"FROM review_request_sections q JOIN section_revisions v ON v.id = q.section_revision_id "
        f"WHERE q.request_id IN ({marks})",
        ids,
    ):
        pinned.setdefault(r["request_id"], []).append(
            RequestedSection(r["section_id"], r["section_revision_id"], r["content_hash"])
        )
    today = ws.today().isoformat()
    calendar = closures.calendar(ws)
    return [
        ReviewRequest(
            r["id"],
            r["document_id"],
            r["code"],
            r["organization_id"],
            r["reviewer_name"],
            r["reviewer_email"],
            r["status"],
            r["suspense_date"],
            r["instructions"],
            r["document_version"],
            r["created_at"],
            r["sent_at"],
            r["returned_at"],
            r["withdrawn_at"],
            tuple(pinned.get(r["id"], ())),
            today,
            calendar,
        )
        for r in rows
    ]


_SELECT = (
    "SELECT q.*, o.code FROM review_requests q JOIN organizations o ON o.id = q.organization_id "
)


def list_requests(ws, document_id: int | None = None) -> list[ReviewRequest]:
    if document_id is None:
        return _load(ws, ws.db.query(_SELECT + "ORDER BY q.id"))
    return _load(ws, ws.db.query(_SELECT + "WHERE q.document_id = ? ORDER BY q.id", [document_id]))


def request(ws, request_id: int) -> ReviewRequest:
    found = _load(ws, ws.db.query(_SELECT + "WHERE q.id = ?", [request_id]))
    if not found:
        raise NotFound(f"No review request {request_id}.")
    return found[0]


def sections_with_equities(ws, document_id: int, org_code: str) -> list[int]:
    code = organization(ws, org_code).code
    return [e.id for e in outline(ws, document_id) if code in e.equities]


def _suspense(ws, workdays: int | None, date: str | None) -> tuple[str, int | None]:
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat(), None
        except ValueError:
            raise WorkbenchError(f"{date!r} is not a date (use YYYY-MM-DD).") from None
    n = DEFAULT_SUSPENSE_WORKDAYS if workdays is None else int(workdays)
    if n < 1:
        raise WorkbenchError("A suspense must be at least one workday away.")
    return closures.calendar(ws).add_workdays(ws.today(), n).isoformat(), n


@use_case
def create_request(
    ws,
    document_id: int,
    org_code: str,
    *,
    section_ids=None,
    reviewer_person_id: int | None = None,
    reviewer_name: str | None = None,
    reviewer_email: str | None = None,
    suspense_workdays: int | None = None,
    suspense_date: str | None = None,
    instructions: str = "",
    send: bool = False,
    liaisons: Mapping[int, Person] | None = None,
) -> int:
    """A request to one organization, pinned to the current revision of each section sent.

    `liaisons` (`directory.liaisons`, organization id → liaison): a caller creating many
    requests reads the directory once and passes it, rather than each request reading it."""
    doc = document(ws, document_id)
    org = organization(ws, org_code)
    live = {e.id for e in outline(ws, document_id)}
    if section_ids is None:
        section_ids = sections_with_equities(ws, document_id, org.code)
        if not section_ids:
            raise RuleViolation(
                f"{org.code} has no equities in {doc.title}; choose the sections to send."
            )
    section_ids = list(dict.fromkeys(section_ids))
    if not section_ids:
        raise WorkbenchError("A review request needs at least one section.")
    missing = [s for s in section_ids if s not in live]
    if missing:
        raise NotFound(f"Section {missing[0]} is not in {doc.title}.")
    name, email = reviewer_name, reviewer_email
    if reviewer_person_id is not None:
        p = person(ws, reviewer_person_id)
        name = p.name if name is None else name
        email = p.email if email is None else email
    elif name is None:
        liaison = liaison_for(ws, org.id) if liaisons is None else liaisons.get(org.id)
        if liaison:
            reviewer_person_id, name = liaison.id, liaison.name
            email = liaison.email if email is None else email
    due, workdays = _suspense(ws, suspense_workdays, suspense_date)
    now = ws.now()
    cur = ws.db.execute(
        "INSERT INTO review_requests (document_id, organization_id, reviewer_person_id, "
        "reviewer_name, reviewer_email, suspense_date, suspense_workdays, instructions, "
        "document_version, token, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            org.id,
            reviewer_person_id,
            name or "",
            email or "",
            due,
            workdays,
            instructions,
            doc.version,
            secrets.token_hex(32),
            now,
            ws.actor,
        ],
    )
    rid = cur.lastrowid
    ws.db.executemany(
        "INSERT INTO review_request_sections (request_id, section_id, section_revision_id) "
        "VALUES (?, ?, ?)",
        [(rid, s, ensure_section_revision(ws, s)) for s in section_ids],
    )
    audit.record(
        ws,
        "request.create",
        "review_request",
        rid,
        document_id=document_id,
        organization=org.code,
        sections=section_ids,
        suspense_date=due,
    )
    if send:
        send_request(ws, rid)
    return rid


@use_case
def send_request(ws, request_id: int) -> None:
    req = request(ws, request_id)
    if req.stored_status != "draft":
        raise RuleViolation(f"Review request {request_id} has already been {req.stored_status}.")
    row = next(
        ws.db.query("SELECT suspense_workdays FROM review_requests WHERE id = ?", [request_id])
    )
    due = req.suspense_date
    if row["suspense_workdays"]:
        calendar = closures.calendar(ws)
        due = calendar.add_workdays(ws.today(), row["suspense_workdays"]).isoformat()
    ws.db.execute(
        "UPDATE review_requests SET status = 'sent', sent_at = ?, suspense_date = ? WHERE id = ?",
        [ws.now(), due, request_id],
    )
    set_status(ws, req.document_id, "in_coordination")
    audit.record(
        ws,
        "request.send",
        "review_request",
        request_id,
        document_id=req.document_id,
        organization=req.organization,
        suspense_date=due,
    )


@use_case
def set_suspense(ws, request_id: int, suspense_date: str) -> None:
    req = request(ws, request_id)
    if not req.is_open:
        raise RuleViolation(f"Review request {request_id} is {req.stored_status}.")
    due, _ = _suspense(ws, None, suspense_date)
    ws.db.execute(
        "UPDATE review_requests SET suspense_date = ?, suspense_workdays = NULL WHERE id = ?",
        [due, request_id],
    )
    audit.record(
        ws, "request.suspense", "review_request", request_id, old=req.suspense_date, new=due
    )


@dataclass(frozen=True)
class SuspenseExtension:
    request_id: int
    organization: str
    at: str
    by: str
    old: str
    new: str
    reason: str


@use_case
def extend_suspense(ws, request_id: int, suspense_date: str, reason: str) -> None:
    """A later suspense for an open request, with the reason, on the coordination record."""
    req = request(ws, request_id)
    if not req.is_open:
        raise RuleViolation(
            f"Review request {request_id} to {req.organization} is {req.stored_status}; "
            "only a draft or sent request can be extended."
        )
    reason = (reason or "").strip()
    if not reason:
        raise WorkbenchError("Say why the suspense is extended.")
    if len(reason) > MAX_REASON:
        raise WorkbenchError(f"The reason may be at most {MAX_REASON:,} characters.")
    due, _ = _suspense(ws, None, suspense_date)
    if due <= req.suspense_date:
        raise RuleViolation(
            f"{due} is not later than the current suspense ({req.suspense_date}); "
            "an extension moves it later."
        )
    ws.db.execute(
        "UPDATE review_requests SET suspense_date = ?, suspense_workdays = NULL WHERE id = ?",
        [due, request_id],
    )
    audit.record(
        ws,
        "request.extend",
        "review_request",
        request_id,
        document_id=req.document_id,
        organization=req.organization,
        old=req.suspense_date,
        new=due,
        reason=reason,
    )


def suspense_extensions(ws, document_id: int) -> list[SuspenseExtension]:
    """Every extension granted on a document's requests, oldest first (from the audit log)."""
    import json

    rows = ws.db.query(
        "SELECT a.entity_id, a.at, a.actor, a.details FROM audit_log a "
        "WHERE a.action = 'request.extend' AND a.entity = 'review_request' AND a.entity_id IN "
        "(SELECT id FROM review_requests WHERE document_id = ?) ORDER BY a.id",
        [document_id],
    )
    out = []
    for r in rows:
        d = json.loads(r["details"] or "{}")
        out.append(
            SuspenseExtension(
                r["entity_id"],
                d.get("organization", ""),
                r["at"],
                r["actor"],
                d.get("old", ""),
                d.get("new", ""),
                d.get("reason", ""),
            )
        )
    return out


@use_case
def withdraw_request(ws, request_id: int, reason: str) -> None:
    req = request(ws, request_id)
    if not req.is_open:
        raise RuleViolation(
            f"Review request {request_id} is {req.stored_status}; only a draft "
            "or sent request can be withdrawn."
        )
    if not reason.strip():
        raise WorkbenchError("Say why the request is withdrawn.")
    ws.db.execute(
        "UPDATE review_requests SET status = 'withdrawn', withdrawn_at = ?, "
        "withdrawn_reason = ? WHERE id = ?",
        [ws.now(), reason.strip(), request_id],
    )
    audit.record(
        ws,
        "request.withdraw",
        "review_request",
        request_id,
        reason=reason.strip(),
        organization=req.organization,
    )


def mark_returned(ws, request_id: int) -> None:
    """Within a use-case: the reviewer has answered."""
    ws.db.execute(
        "UPDATE review_requests SET status = 'returned', returned_at = ? "
        "WHERE id = ? AND status IN ('draft', 'sent')",
        [ws.now(), request_id],
    )
