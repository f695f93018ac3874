"""Signed decisions: publication, waivers, overrides, withdrawals, approvals, no coordination.

Each is a canonical record (what, the document version and content hash, the gate report at
that moment, the reason, who, when) signed with the decider's key and stored in `decisions`.
The gate counts a decision only when `Decision.counts`: its signature verifies by
`trust.check` (the person's directory certificate, the pinned root), its record agrees with the
row, and the decider held the authority. A workspace without keys still decides, but every such
decision shows as "unsigned"; once anyone has a key, unsigned decisions no longer count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from workbench.authority import canonical, identity, keys, trust, workspace_key
from workbench.errors import RuleViolation

KINDS = {
    "publish": "Publication",
    "waive": "Waiver",
    "override": "Override",
    "withdraw": "Withdrawal",
    "no_coordination": "No coordination required",
    "approve": "Approval",
    "break_lease": "Offline lease broken",
}
DIRECTOR_KINDS = ("publish", "waive", "override", "no_coordination", "break_lease")


@dataclass(frozen=True)
class Decision:
    id: int
    document_id: int | None
    kind: str
    subject: str
    document_version: int
    person_id: int | None
    by_name: str
    at: str
    reason: str
    content_hash: str
    status: trust.SignatureStatus
    counts: bool

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def signature_label(self) -> str:
        """'signed by …', 'unsigned' or 'signature INVALID (…)': shown wherever it is listed."""
        if self.status.state == trust.SIGNED and not self.counts:
            return f"signed by {self.status.signer}, without the authority to decide"
        return self.status.describe()


def document_content_hash(ws, document_id: int) -> str:
    """SHA-256 over the live sections' ids and content hashes, in reading order."""
    from workbench.sections import outline

    lines = [f"{e.id}:{e.content_hash}" for e in outline(ws, document_id)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _is_director(ws, person_id: int | None) -> bool:
    if person_id is None:
        return False
    return bool(
        list(
            ws.db.query(
                "SELECT 1 FROM person_roles WHERE person_id = ? AND role = 'director'",
                [person_id],
            )
        )
    )


def require_director(ws, what: str = "decide this"):
    """The acting person, who must hold the Director role in the directory (`what` names what
    only the Director may do, for the refusal)."""
    person = identity.require_person(ws)
    if not _is_director(ws, person.id):
        directors = [
            r["name"]
            for r in ws.db.query(
                "SELECT p.name FROM people p JOIN person_roles r ON r.person_id = p.id "
                "WHERE r.role = 'director' ORDER BY p.name"
            )
        ]
        holder = f" (the directory names {', '.join(directors)})" if directors else ""
        raise RuleViolation(
            f"Only the Director can {what}; you are acting as {person.name}{holder}."
        )
    return person


def _signer_for(ws, person, signer):
    """The key this decision is signed with, or a clear refusal."""
    signer = signer or getattr(ws, "signer", None)
    stored = trust.person_certificate(ws, person.id)
    if stored is not None:
        if signer is None or signer.source == "workspace":
            raise RuleViolation(
                f"{person.name} signs decisions with a key: open the certificate file or "
                "smart card first."
            )
        if keys.fingerprint(signer.certificate) != keys.fingerprint(stored):
            raise RuleViolation(
                f"That key is {signer.name}'s, not the certificate the directory holds for "
                f"{person.name}."
            )
        return signer, "person"
    if signer is not None and signer.source != "workspace":
        raise RuleViolation(
            f"The directory holds no certificate for {person.name}; import it "
            "(Directory → Certificate…) before signing with a key."
        )
    if trust.keys_configured(ws):
        raise RuleViolation(
            f"Decisions in this workspace must be signed, and the directory holds no "
            f"certificate for {person.name}; import it first (Directory → Certificate…)."
        )
    # No keys at all: sealed with the workspace key (tamper-evident, shown as unsigned).
    return workspace_key.signer(ws), "workspace"


def planned_signature(ws, signer=None) -> str:
    """How a decision the acting person makes now will be signed, in the record's words."""
    person = identity.require_person(ws)
    key, source = _signer_for(ws, person, signer)
    return f"signed by {key.name}" if source == "person" else "unsigned"


def sign_decision(
    ws,
    kind: str,
    document_id: int | None,
    *,
    subject: str = "",
    reason: str = "",
    details: dict | None = None,
    gate: list[str] | None = None,
    signer: keys.Signer | None = None,
) -> int:
    """Record one decision by the acting person; call inside the deciding use-case."""
    from workbench.documents import document

    person = identity.require_person(ws)
    doc = document(ws, document_id) if document_id is not None else None
    key, source = _signer_for(ws, person, signer)
    at = ws.now()
    record = {
        "what": kind,
        "subject": subject,
        "document": {
            "id": doc.id,
            "title": doc.title,
            "version": doc.version,
            "content_hash": document_content_hash(ws, doc.id),
        }
        if doc
        else None,
        "gate": list(gate or []),
        "reason": reason,
        "details": details or {},
        "by": {
            "person_id": person.id,
            "name": person.name,
            "title": person.title,
            "organization": person.organization_code,
            "certificate": key.fingerprint if key and source == "person" else None,
        },
        "os_account": getattr(ws, "os_account", ""),
        "at": at,
        "workspace": ws.workspace_id,
    }
    data = canonical.canonical_json(record)
    signature = key.sign(data) if key is not None else None
    cur = ws.db.execute(
        "INSERT INTO decisions (document_id, kind, subject, document_version, person_id, at, "
        "record, signature, certificate, key_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            kind,
            subject,
            doc.version if doc else 0,
            person.id,
            at,
            data.decode("utf-8"),
            signature,
            key.certificate if key is not None else None,
            source if key is not None else "none",
        ],
    )
    return cur.lastrowid


def _parse_at(at: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _decision(ws, row, configured: bool) -> Decision:
    text = row["record"]
    try:
        record = json.loads(text)
        by = record.get("by") or {}
        doc = record.get("document") or {}
        agrees = (
            record.get("what") == row["kind"]
            and record.get("subject") == row["subject"]
            and by.get("person_id") == row["person_id"]
            and (doc.get("id") if doc else None) == row["document_id"]
            and (doc.get("version") if doc else 0) == row["document_version"]
            and record.get("at") == row["at"]
            and canonical.canonical_json(record) == text.encode("utf-8")
        )
    except (ValueError, TypeError, AttributeError):
        record, by, doc, agrees = {}, {}, {}, False
    if not agrees:
        status = trust.SignatureStatus(trust.INVALID, "the stored decision was altered")
    else:
        status = trust.check(
            ws,
            text.encode("utf-8"),
            bytes(row["signature"]) if row["signature"] is not None else None,
            bytes(row["certificate"]) if row["certificate"] is not None else None,
            person_id=row["person_id"],
            at=_parse_at(row["at"]),
        )
    authorised = row["kind"] not in DIRECTOR_KINDS or _is_director(ws, row["person_id"])
    counts = authorised and (
        status.counts or (status.state == trust.UNSIGNED and not configured and agrees)
    )
    return Decision(
        row["id"],
        row["document_id"],
        row["kind"],
        row["subject"],
        row["document_version"],
        row["person_id"],
        str(by.get("name") or ""),
        row["at"],
        str(record.get("reason") or ""),
        str((doc or {}).get("content_hash") or ""),
        status,
        counts,
    )


def decisions(
    ws, document_id: int | None = None, *, kind: str | None = None, subject: str | None = None
) -> list[Decision]:
    """Stored decisions, oldest first, each with its signature checked."""
    sql = "SELECT * FROM decisions WHERE 1=1"
    params: list = []
    if document_id is not None:
        sql += " AND document_id = ?"
        params.append(document_id)
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    if subject is not None:
        sql += " AND subject = ?"
        params.append(subject)
    configured = trust.keys_configured(ws)
    return [_decision(ws, r, configured) for r in ws.db.query(sql + " ORDER BY id", params)]


def latest(ws, subject: str, document_id: int | None = None) -> Decision | None:
    found = decisions(ws, document_id, subject=subject)
    return found[-1] if found else None


def subject_counts(ws, subject: str, document_id: int | None = None) -> tuple[bool, str]:
    """Whether the decision behind subject (e.g. 'waiver:3') counts, and its signature words.

    A waiver or event with no decision at all was written before decisions were signed (or
    inserted by hand): it counts only where no keys are configured, as "unsigned".
    """
    d = latest(ws, subject, document_id)
    if d is None:
        configured = trust.keys_configured(ws)
        return (not configured, "unsigned" if not configured else "no signed decision")
    return d.counts, d.signature_label
