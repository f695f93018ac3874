"""Who must review which section, whether their review is current, and the Director's waivers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from workbench import audit
from workbench.coordination import requests as rq
from workbench.coordination.positions import positions, require_director
from workbench.directory import cne_codes, organization
from workbench.documents import document
from workbench.errors import NotFound, RuleViolation, WorkbenchError
from workbench.sections import outline
from workbench.workspace import use_case

REVIEW_STATES = {
    "current": "Reviewed",
    "waived": "Waived",
    "pending": "Out for review",
    "stale": "Changed since review",
    "none": "Not reviewed",
}


class ReviewState(NamedTuple):
    # A tuple, not a frozen dataclass: the gate builds one per section and organization
    # (thousands on a long strategy) and a tuple is built four times faster.
    organization: str
    section_id: int
    number: str
    state: str
    changed_at: str
    reviewed_at: str | None = None
    request_id: int | None = None
    suspense_date: str | None = None
    overdue: bool = False
    waiver_id: int | None = None

    @property
    def label(self) -> str:
        return REVIEW_STATES[self.state]


@dataclass(frozen=True)
class Waiver:
    id: int
    organization: str
    section_id: int | None
    document_version: int
    by_name: str
    at: str
    reason: str


def waivers(ws, document_id: int, *, active_only: bool = True) -> list[Waiver]:
    doc = document(ws, document_id)
    sql = (
        "SELECT w.*, o.code FROM waivers w JOIN organizations o ON o.id = w.organization_id "
        "WHERE w.document_id = ?"
    )
    params: list = [document_id]
    if active_only:
        sql += " AND w.revoked_at IS NULL AND w.document_version = ?"
        params.append(doc.version)
    return [
        Waiver(
            r["id"],
            r["code"],
            r["section_id"],
            r["document_version"],
            r["by_name"],
            r["at"],
            r["reason"],
        )
        for r in ws.db.query(sql + " ORDER BY w.id", params)
    ]


def review_states(ws, document_id: int) -> list[ReviewState]:
    """One row per (section, organization with equities in it), in reading order."""
    cne = cne_codes(ws)
    reviewed: dict[tuple[str, int], dict[str, str]] = {}
    for p in positions(ws, document_id):
        for sid, h in p.reviewed.items():
            reviewed.setdefault((p.organization, sid), {})[h] = p.at
    open_requests: dict[tuple[str, int], list[tuple]] = {}
    for r in rq.list_requests(ws, document_id):
        if r.is_open:
            for s in r.sections:
                open_requests.setdefault((r.organization, s.section_id), []).append((r, s))
    waived: dict[tuple[str, int | None], int] = {}
    for w in waivers(ws, document_id):
        waived[(w.organization, w.section_id)] = w.id
    out = []
    for e in outline(ws, document_id):
        for code in e.equities:
            if code in cne:
                continue
            seen = reviewed.get((code, e.id), {})
            pending = [
                r
                for r, s in open_requests.get((code, e.id), [])
                if s.content_hash == e.content_hash
            ]
            waiver = waived.get((code, e.id)) or waived.get((code, None))
            if e.content_hash in seen:
                out.append(
                    ReviewState(
                        code,
                        e.id,
                        e.number,
                        "current",
                        e.changed_at,
                        reviewed_at=seen[e.content_hash],
                    )
                )
            elif waiver:
                out.append(
                    ReviewState(code, e.id, e.number, "waived", e.changed_at, waiver_id=waiver)
                )
            elif pending:
                r = pending[-1]
                out.append(
                    ReviewState(
                        code,
                        e.id,
                        e.number,
                        "pending",
                        e.changed_at,
                        request_id=r.id,
                        suspense_date=r.suspense_date,
                        overdue=r.is_overdue,
                    )
                )
            elif seen:
                out.append(
                    ReviewState(
                        code, e.id, e.number, "stale", e.changed_at, reviewed_at=max(seen.values())
                    )
                )
            else:
                out.append(ReviewState(code, e.id, e.number, "none", e.changed_at))
    return out


@use_case
def waive_review(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    section_id: int | None = None,
    by_name: str | None = None,
) -> int:
    """The Director excuses an organization's review (of one section, or all) for this version.

    The acting person must be the Director (by_name cannot name another). Users waive through
    `workbench.authority.rulings`, which also signs the decision.
    """
    director = require_director(ws, by_name)
    doc = document(ws, document_id)
    org = organization(ws, organization_code)
    if not reason.strip():
        raise WorkbenchError("A waiver must give its reason.")
    if section_id is not None and section_id not in {e.id for e in outline(ws, document_id)}:
        raise NotFound(f"Section {section_id} is not in {doc.title}.")
    cur = ws.db.execute(
        "INSERT INTO waivers (document_id, organization_id, section_id, document_version, "
        "by_name, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [document_id, org.id, section_id, doc.version, director, ws.now(), reason.strip()],
    )
    audit.record(
        ws,
        "review.waive",
        "waiver",
        cur.lastrowid,
        document_id=document_id,
        organization=org.code,
        section_id=section_id,
        by_name=director,
        reason=reason.strip(),
    )
    return cur.lastrowid


@use_case
def revoke_waiver(ws, waiver_id: int) -> None:
    row = next(ws.db.query("SELECT * FROM waivers WHERE id = ?", [waiver_id]), None)
    if row is None:
        raise NotFound(f"No waiver {waiver_id}.")
    if row["revoked_at"]:
        raise RuleViolation(f"Waiver {waiver_id} was already revoked.")
    ws.db.execute("UPDATE waivers SET revoked_at = ? WHERE id = ?", [ws.now(), waiver_id])
    audit.record(ws, "review.revoke_waiver", "waiver", waiver_id, document_id=row["document_id"])


@use_case
def route_document(
    ws, document_id: int, *, suspense_workdays: int | None = None, instructions: str = ""
) -> list[int]:
    """Send each organization with equities the sections it has not reviewed as they stand.

    One request per organization; sections already reviewed at their current text, waived,
    or already out for review at their current text are not sent again.
    """
    document(ws, document_id)
    needed: dict[str, list[int]] = {}
    for state in review_states(ws, document_id):
        if state.state in ("current", "waived", "pending"):
            continue
        needed.setdefault(state.organization, []).append(state.section_id)
    created = []
    for code, section_ids in needed.items():
        created.append(
            rq.create_request(
                ws,
                document_id,
                code,
                section_ids=section_ids,
                suspense_workdays=suspense_workdays,
                instructions=instructions,
                send=True,
            )
        )
    audit.record(
        ws, "document.route", "document", document_id, requests=created, organizations=list(needed)
    )
    return created
