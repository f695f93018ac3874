"""The decisions users make, each one use-case that records the act and signs its decision.

Waivers, overrides, withdrawals, approval steps and "no coordination required". The record
underneath lives with its domain (reviews, positions); the signature and the gate report of the
moment are taken here, above the gate, so the gate never imports what it judges.
Publication signs its own decision (`coordination.publication.publish`).
"""

from __future__ import annotations

from workbench import audit
from workbench.authority import approvals, decisions, identity
from workbench.coordination import positions, reviews
from workbench.coordination.gate import never_coordinated, publication_blockers
from workbench.documents import document
from workbench.errors import RuleViolation, WorkbenchError
from workbench.use_cases import use_case

MAX_REASON = 2000


def _gate(ws, document_id: int) -> list[str]:
    return [i.message for i in publication_blockers(ws, document_id).items]


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise WorkbenchError(f"{what} must give its reason.")
    if len(text) > MAX_REASON:
        raise WorkbenchError(f"The reason is at most {MAX_REASON:,} characters.")
    return text


@use_case
def waive_review(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    section_id: int | None = None,
    by_name: str | None = None,
    signer=None,
) -> int:
    """The Director excuses an organization's review (one section or all), signed."""
    reason = _reason(reason, "A waiver")
    gate = _gate(ws, document_id)
    waiver = reviews.waive_review(
        ws, document_id, organization_code, reason=reason, section_id=section_id, by_name=by_name
    )
    decisions.sign_decision(
        ws,
        "waive",
        document_id,
        subject=f"waiver:{waiver}",
        reason=reason,
        details={"organization": organization_code.upper(), "section_id": section_id},
        gate=gate,
        signer=signer,
    )
    return waiver


@use_case
def override_nonconcurrence(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    by_name: str | None = None,
    signer=None,
) -> int:
    """The Director decides an impasse, signed; the reason is printed in the record."""
    reason = _reason(reason, "An override")
    gate = _gate(ws, document_id)
    event = positions.override_nonconcurrence(
        ws, document_id, organization_code, reason=reason, by_name=by_name
    )
    decisions.sign_decision(
        ws,
        "override",
        document_id,
        subject=f"nonconcurrence_event:{event}",
        reason=reason,
        details={"organization": organization_code.upper()},
        gate=gate,
        signer=signer,
    )
    return event


@use_case
def withdraw_nonconcurrence(
    ws,
    document_id: int,
    organization_code: str,
    *,
    reason: str,
    by_name: str | None = None,
    signer=None,
) -> int:
    """The organization's own withdrawal, signed by one of its people."""
    reason = _reason(reason, "A withdrawal")
    gate = _gate(ws, document_id)
    event = positions.withdraw_nonconcurrence(
        ws, document_id, organization_code, reason=reason, by_name=by_name
    )
    decisions.sign_decision(
        ws,
        "withdraw",
        document_id,
        subject=f"nonconcurrence_event:{event}",
        reason=reason,
        details={"organization": organization_code.upper()},
        gate=gate,
        signer=signer,
    )
    return event


@use_case
def approve(ws, document_id: int, *, note: str = "", signer=None) -> int:
    """The acting person clears the pending step of the document's approval chain, signed."""
    person = identity.require_person(ws)
    waiting = approvals.pending(ws, document_id)
    if waiting is None:
        raise RuleViolation("No approval step is waiting on this version.")
    step = waiting.step
    if step.person_id != person.id:
        raise RuleViolation(f"This version awaits {step.holder}; you are acting as {person.name}.")
    decision = decisions.sign_decision(
        ws,
        "approve",
        document_id,
        subject=f"step:{step.id}",
        reason=(note or "").strip()[:MAX_REASON],
        details={"step": step.title, "position": step.position},
        gate=_gate(ws, document_id),
        signer=signer,
    )
    audit.record(
        ws, "approval.clear", "document", document_id, step=step.title, decision_id=decision
    )
    return decision


@use_case
def no_coordination_required(ws, document_id: int, *, reason: str, signer=None) -> int:
    """The Director's signed ruling that a document nobody was asked to review needs no one."""
    decisions.require_director(ws)
    doc = document(ws, document_id)
    reason = _reason(reason, "A 'no coordination required' ruling")
    if not never_coordinated(ws, document_id):
        raise RuleViolation(
            f"{doc.title} names organizations with equities or was sent for review; their "
            "reviews are waived one by one."
        )
    decision = decisions.sign_decision(
        ws,
        "no_coordination",
        document_id,
        subject=f"document:{document_id}",
        reason=reason,
        gate=_gate(ws, document_id),
        signer=signer,
    )
    audit.record(
        ws,
        "document.no_coordination",
        "document",
        document_id,
        version=doc.version,
        reason=reason,
        decision_id=decision,
    )
    return decision
