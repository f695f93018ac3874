"""Publishing: the frozen snapshot of text, coordination record and CRM; the CRM as CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass

from workbench import audit
from workbench.coordination.comments import CRITICAL_GROUNDS, DISPOSITIONS, list_comments
from workbench.coordination.gate import publication_blockers
from workbench.coordination.positions import (
    POSITIONS,
    events,
    latest_positions,
    position_authentication,
    require_director,
)
from workbench.coordination.publication_pdfs import record_publication_pdfs
from workbench.coordination.requests import list_requests, suspense_extensions
from workbench.coordination.reviews import waivers
from workbench.directory import organization, organizations
from workbench.documents import document, set_status
from workbench.errors import NotFound, RuleViolation
from workbench.maintenance.backups import backup_on_publish
from workbench.revisions import current_sections, snapshot_revision
from workbench.workspace import use_case

CRM_COLUMNS = [
    ("item_no", "Item"),
    ("organization", "Organization"),
    ("reviewer_name", "Reviewer"),
    ("reviewer_title", "Title"),
    ("response_date", "Date"),
    ("type", "Type"),
    ("section_number", "Section"),
    ("quoted_passage", "Passage"),
    ("comment", "Comment"),
    ("rationale", "Rationale"),
    ("critical_ground", "Critical ground"),
    ("proposed_wording", "Proposed wording"),
    ("disposition_label", "Disposition"),
    ("disposition_rationale", "Disposition rationale"),
]


@dataclass(frozen=True)
class Publication:
    id: int
    document_id: int
    version: int
    published_at: str
    published_by: str


def crm_rows(ws, document_id: int) -> list[dict]:
    return [
        {
            "item_no": c.item_no,
            "organization": c.organization,
            "reviewer_name": c.reviewer_name,
            "reviewer_title": c.reviewer_title,
            "response_date": c.response_date,
            "type": c.type,
            "section_number": c.location,  # "Document" for a comment about the whole
            "quoted_passage": c.quoted_passage,
            "comment": c.comment,
            "rationale": c.rationale,
            "critical_ground": CRITICAL_GROUNDS.get(c.critical_ground or "", ""),
            "proposed_wording": c.proposed_wording,
            "disposition": c.disposition,
            "disposition_label": DISPOSITIONS.get(c.disposition or "", ""),
            "disposition_rationale": c.disposition_rationale,
        }
        for c in list_comments(ws, document_id)
    ]


def coordination_record(ws, document_id: int) -> dict:
    """Every organization involved, its position and how any objection ended; the waivers."""
    sections = current_sections(ws, document_id)
    numbers = {s.section_id: s.number for s in sections}
    involved: set[str] = {code for s in sections for code in s.equities}
    involved |= {r.organization for r in list_requests(ws, document_id)}
    latest = latest_positions(ws, document_id)
    involved |= set(latest)
    involved |= {c.organization for c in list_comments(ws, document_id)}
    extensions = suspense_extensions(ws, document_id)
    authenticated = position_authentication(ws, document_id)
    orgs = []
    for o in organizations(ws):
        if o.code not in involved or o.kind == "cne":
            continue
        p = latest.get(o.code)
        orgs.append(
            {
                "code": o.code,
                "name": o.name,
                "position": p.position if p else None,
                "position_label": POSITIONS[p.position] if p else "No position",
                "by_name": p.by_name if p else "",
                "by_title": p.by_title if p else "",
                "at": p.at if p else "",
                "document_version": p.document_version if p else None,
                # "unauthenticated reviewer" when an unsigned response gave the position.
                "authentication": authenticated.get(p.id, "") if p else "",
                "events": [
                    {
                        "kind": e.kind,
                        "by_name": e.by_name,
                        "by_title": e.by_title,
                        "at": e.at,
                        "reason": e.reason,
                        "signature": _signature(ws, f"nonconcurrence_event:{e.id}", document_id)
                        if e.kind != "cleared"
                        else "",
                    }
                    for e in events(ws, document_id, o.id)
                ],
                "extensions": [
                    {"at": x.at, "by": x.by, "old": x.old, "new": x.new, "reason": x.reason}
                    for x in extensions
                    if x.organization == o.code
                ],
            }
        )
    return {
        "organizations": orgs,
        "waivers": [
            {
                "organization": w.organization,
                "section_number": numbers.get(w.section_id) if w.section_id else None,
                "by_name": w.by_name,
                "at": w.at,
                "reason": w.reason,
                "signature": _signature(ws, f"waiver:{w.id}", document_id),
            }
            for w in waivers(ws, document_id)
        ],
        "rulings": _rulings(ws, document_id),
    }


def _rulings(ws, document_id: int) -> list[dict]:
    """The approvals and 'no coordination required' rulings that count on this version, each
    with how it is signed ("unsigned" where the workspace has no keys)."""
    from workbench.authority import approvals, decisions

    version = document(ws, document_id).version
    out = []
    for d in decisions.decisions(ws, document_id):
        if d.kind not in ("approve", "no_coordination") or d.document_version != version:
            continue
        if not d.counts:
            continue
        what = d.label
        if d.kind == "approve" and d.subject.startswith("step:"):
            try:
                what = f"Approval: {approvals.step(ws, int(d.subject[5:])).title}"
            except (NotFound, ValueError):
                what = "Approval"
        out.append(
            {
                "what": what,
                "by_name": d.by_name,
                "at": d.at,
                "reason": d.reason,
                "signature": d.signature_label,
            }
        )
    return out


def _signature(ws, subject: str, document_id: int) -> str:
    """'signed by …', 'unsigned', or why the signature does not count: printed beside a name."""
    from workbench.authority.decisions import subject_counts

    counts, words = subject_counts(ws, subject, document_id)
    return words if counts else f"does not count: {words}"


def _org_name(ws, code: str | None) -> str | None:
    return organization(ws, code).name if code else None


def document_snapshot(ws, document_id: int) -> dict:
    """The document as it stands: what publication freezes and what a PDF is built from.

    "since_last_approval" holds the changes from the last published version
    (coordination.since_approval). "figures" records each figure the text places by id,
    kind, size and SHA-256 (the bytes stay in the store; `figures.for_snapshot` fetches them
    and checks each against its hash).
    """
    from workbench.coordination.since_approval import since_last_approval
    from workbench.figures import snapshot_entries

    doc = document(ws, document_id)
    current = current_sections(ws, document_id)
    section_rows = [
        {
            "section_id": s.section_id,
            "number": s.number,
            "depth": s.depth,
            "kind": s.kind,
            "heading": s.heading,
            "body": s.body,
            "content_hash": s.content_hash,
            "equities": list(s.equities),
        }
        for s in current
    ]
    return {
        "document": {
            "id": doc.id,
            "kind": doc.kind,
            "kind_label": doc.kind_label,
            "lead_name": _org_name(ws, doc.lead),
            "co_lead_name": _org_name(ws, doc.co_lead),
            "title": doc.title,
            "marking": doc.marking,
            "version": doc.version,
            "status": doc.status,
            "lead": doc.lead,
            "co_lead": doc.co_lead,
            "due_date": doc.due_date,
        },
        "published_at": None,
        "published_by": None,
        "sections": section_rows,
        "figures": snapshot_entries(ws, [s.body for s in current]),
        # The redline against the last published version: "what changed since the last
        # approval" in the coordination record (None before the first publication).
        "since_last_approval": since_last_approval(ws, doc.id, doc.version, section_rows),
        "coordination": coordination_record(ws, document_id),
        "crm": crm_rows(ws, document_id),
    }


@use_case
def publish(ws, document_id: int, *, by_name: str | None = None, signer=None) -> int:
    """Freeze this version, a decision signed by the Director; refused while the gate blocks."""
    from workbench.authority import decisions, signed_heads

    director = require_director(ws, by_name)
    report = publication_blockers(ws, document_id)
    if report.state == "published":
        raise RuleViolation(report.summary() + ".")
    if not report.publishable:
        raise RuleViolation("Cannot publish: " + "; ".join(b.message for b in report.blockers))
    doc = document(ws, document_id)
    snap = document_snapshot(ws, document_id)
    now = ws.now()
    snap["document"]["status"] = "published"
    snap["published_at"], snap["published_by"] = now, director
    snap["published_signature"] = decisions.planned_signature(ws, signer)
    # The log's head, signed by the Director's key (the workspace key without one), goes into
    # the PDF: whoever holds it can tell a rewritten log later, and cannot edit the head.
    snap["audit_head"] = signed_heads.sign_head(
        ws, signed_heads.publication_event(document_id, doc.version), at=now, signer=signer
    )
    frozen = json.dumps(snap, ensure_ascii=False, sort_keys=True)
    snapshot_sha256 = hashlib.sha256(frozen.encode("utf-8")).hexdigest()
    cur = ws.db.execute(
        "INSERT INTO publications (document_id, version, published_at, published_by, snapshot) "
        "VALUES (?, ?, ?, ?, ?)",
        [document_id, doc.version, now, director, frozen],
    )
    set_status(ws, document_id, "published")
    snapshot_revision(ws, document_id, f"Published version {doc.version}")
    decision = decisions.sign_decision(
        ws,
        "publish",
        document_id,
        subject=f"publication:{cur.lastrowid}",
        details={"snapshot_sha256": snapshot_sha256},
        gate=[i.message for i in report.items] or ["Ready to publish"],
        signer=signer,
    )
    audit.record(
        ws,
        "document.publish",
        "document",
        document_id,
        version=doc.version,
        by_name=director,
        publication_id=cur.lastrowid,
        warnings=[w.message for w in report.warnings],
        snapshot_sha256=snapshot_sha256,
        decision_id=decision,
    )
    _record_pdfs(ws, cur.lastrowid)
    backup_on_publish(ws)  # taken once this publication has committed
    return cur.lastrowid


def _record_pdfs(ws, publication_id: int) -> None:
    record_publication_pdfs(ws, publication_id)


def publications(ws, document_id: int) -> list[Publication]:
    return [
        Publication(r["id"], r["document_id"], r["version"], r["published_at"], r["published_by"])
        for r in ws.db.query(
            "SELECT id, document_id, version, published_at, published_by "
            "FROM publications WHERE document_id = ? ORDER BY version",
            [document_id],
        )
    ]


def published_snapshot(ws, document_id: int, version: int | None = None) -> dict:
    sql = "SELECT snapshot FROM publications WHERE document_id = ?"
    params: list = [document_id]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = next(ws.db.query(sql + " ORDER BY version DESC LIMIT 1", params), None)
    if row is None:
        what = f"version {version}" if version is not None else "any version"
        raise NotFound(f"{document(ws, document_id).title}: {what} has not been published.")
    return json.loads(row["snapshot"])


def crm_csv(ws, document_id: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in CRM_COLUMNS])
    for row in crm_rows(ws, document_id):
        writer.writerow([_csv_safe(row[key]) for key, _ in CRM_COLUMNS])
    return out.getvalue()


def _csv_safe(value) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet; reviewer text never is.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
