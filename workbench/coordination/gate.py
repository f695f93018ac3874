"""The publication gate: every reason a document cannot be published yet, in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from workbench.authority import approvals
from workbench.authority.decisions import decisions, document_content_hash, subject_counts
from workbench.coordination.facts import gate_comments
from workbench.coordination.positions import nonconcurrences
from workbench.coordination.reviews import review_states
from workbench.directory import cne_codes
from workbench.documents import document
from workbench.numbering import reference
from workbench.sections import outline, section_numbers


class GateItem(NamedTuple):
    # A tuple, not a frozen dataclass: a long strategy's gate names thousands of reasons.
    severity: str  # "blocker" | "warning" | "decision" (one the gate counts, not a reason)
    # review | critical | nonconcurrence | substantive | administrative | document
    # | coordination (never sent to anyone) | approval (the chain's pending step); for a
    # "decision" (GateReport.decisions): waiver | nonconcurrence | approval | decision
    rule: str
    message: str
    organization: str | None = None
    section_id: int | None = None
    comment_id: int | None = None
    request_id: int | None = None


@dataclass(frozen=True)
class GateReport:
    document_id: int
    items: tuple[GateItem, ...] = field(default=())
    state: str = "draft"  # "draft" (may become publishable) | "published"
    version: int = 0
    # The decisions the gate counts (waivers, overrides, withdrawals, approvals, "no
    # coordination required", the publication), each with how it is signed: a decision that
    # counts only because no keys are configured is shown "unsigned", never silently.
    decisions: tuple[GateItem, ...] = field(default=())

    @property
    def blockers(self) -> list[GateItem]:
        return [i for i in self.items if i.severity == "blocker"]

    @property
    def warnings(self) -> list[GateItem]:
        return [i for i in self.items if i.severity == "warning"]

    @property
    def publishable(self) -> bool:
        return self.state != "published" and not self.blockers

    @property
    def published(self) -> bool:
        return self.state == "published"

    def summary(self) -> str:
        if self.published:
            return (
                f"Version {self.version} is published and read-only; Start Version "
                f"{self.version + 1} to edit"
            )
        if self.publishable:
            n = len(self.warnings)
            return "Ready to publish" + (f" ({n} warning{'s' * (n != 1)})" if n else "")
        n = len(self.blockers)
        return f"{n} reason{'s' * (n != 1)} this cannot be published yet"


def _date(iso: str | None) -> str:
    return (iso or "")[:10]


def publication_blockers(ws, document_id: int) -> GateReport:
    doc = document(ws, document_id)
    if doc.status == "published":
        # Published is a state of its own, not a reason among others.
        return GateReport(
            document_id, (), "published", doc.version, tuple(_publication_decision(ws, doc))
        )
    items: list[GateItem] = []
    relied: list[GateItem] = []
    entries = outline(ws, document_id)
    if not entries:
        items.append(GateItem("blocker", "document", f"{doc.title} has no sections."))
    elif not _has_text(ws, document_id):
        items.append(GateItem("blocker", "document", f"{doc.title} has no text yet."))
    items += _authority_items(ws, doc, entries)
    # Only the comments a reason can name, by SQL (coordination/facts.py).
    comments = gate_comments(ws, document_id, section_numbers(ws, document_id))
    by_id = {c.id: c for c in comments}
    for c in comments:
        if c.type == "C" and c.is_open:
            items.append(
                GateItem(
                    "blocker",
                    "critical",
                    f"{c.organization}: Critical comment {c.item_no} on "
                    f"{c.reference} has no disposition",
                    c.organization,
                    c.section_id,
                    c.id,
                    c.request_id,
                )
            )
    for nc in nonconcurrences(ws, document_id):
        if nc.state in ("withdrawn", "overridden") and nc.resolved_by is not None:
            counts, words = subject_counts(
                ws, f"nonconcurrence_event:{nc.resolved_by.id}", document_id
            )
            verb = "withdrawal" if nc.state == "withdrawn" else "override"
            if counts:
                done = "withdrawn" if nc.state == "withdrawn" else "overridden"
                relied.append(
                    _decision(
                        f"{nc.organization}'s non-concurrence {done} by {nc.resolved_by.by_name}",
                        words,
                        nc.organization,
                        "nonconcurrence",
                    )
                )
            else:
                items.append(
                    GateItem(
                        "blocker",
                        "nonconcurrence",
                        f"{nc.organization} non-concurs: the {verb} recorded by "
                        f"{nc.resolved_by.by_name} does not count ({words})",
                        nc.organization,
                    )
                )
            continue
        if nc.state != "standing":
            continue
        remedy = f"{nc.organization} must withdraw its non-concurrence or the Director override it"
        if nc.rejected_critical_ids:
            c = by_id[nc.rejected_critical_ids[0]]
            more = len(nc.rejected_critical_ids) - 1
            also = f" (and {more} more)" if more else ""
            items.append(
                GateItem(
                    "blocker",
                    "nonconcurrence",
                    f"{nc.organization} non-concurs: Critical comment {c.item_no} "
                    f"on {c.reference} was rejected{also}; {remedy}",
                    nc.organization,
                    c.section_id,
                    c.id,
                )
            )
        else:
            p = nc.position
            # Standing with no rejected Critical comment: the objection is the position itself.
            assert p is not None
            items.append(
                GateItem(
                    "blocker",
                    "nonconcurrence",
                    f"{nc.organization} non-concurs ({p.by_name}, {_date(p.at)}); {remedy}",
                    nc.organization,
                    None,
                    None,
                    p.request_id,
                )
            )
    for c in comments:
        if c.type == "S" and c.is_open:
            items.append(
                GateItem(
                    "blocker",
                    "substantive",
                    f"{c.organization}: Substantive comment {c.item_no} on "
                    f"{c.reference} has no disposition",
                    c.organization,
                    c.section_id,
                    c.id,
                    c.request_id,
                )
            )
    waivers_relied: set[int] = set()
    for s in review_states(ws, document_id):
        ref = reference(s.number)
        if s.state == "waived" and s.waiver_id is not None:
            counts, words = subject_counts(ws, f"waiver:{s.waiver_id}", document_id)
            if counts:
                if s.waiver_id not in waivers_relied:
                    waivers_relied.add(s.waiver_id)
                    relied.append(_waiver_decision(ws, s, ref, words))
                continue
            msg = f"{s.organization} has not reviewed {ref}; its waiver does not count ({words})"
        elif s.state == "none":
            msg = f"{s.organization} has not reviewed {ref}"
        elif s.state == "stale":
            msg = (
                f"{s.organization} has not reviewed {ref} since it changed on {_date(s.changed_at)}"
            )
        elif s.state == "pending":
            late = ", overdue" if s.overdue else ""
            msg = (
                f"{s.organization} has not reviewed {ref} (review request {s.request_id} "
                f"due {s.suspense_date}{late})"
            )
        else:
            continue
        items.append(
            GateItem("blocker", "review", msg, s.organization, s.section_id, None, s.request_id)
        )
    for c in comments:
        if c.type == "A" and c.is_open:
            items.append(
                GateItem(
                    "warning",
                    "administrative",
                    f"{c.organization}: Administrative comment {c.item_no} on "
                    f"{c.reference} is open",
                    c.organization,
                    c.section_id,
                    c.id,
                    c.request_id,
                )
            )
    relied += _authority_decisions(ws, doc, entries)
    return GateReport(document_id, tuple(items), "draft", doc.version, tuple(relied))


def _decision(
    text: str, words: str, organization: str | None = None, rule: str = "decision"
) -> GateItem:
    """A decision the gate counts, with how it is signed ("unsigned", "signed by …")."""
    return GateItem("decision", rule, f"{text} — {words}", organization)


def _waiver_decision(ws, state, ref: str, words: str) -> GateItem:
    row = next(
        ws.db.query("SELECT by_name, section_id FROM waivers WHERE id = ?", [state.waiver_id]),
        None,
    )
    by = row["by_name"] if row else "the Director"
    one_section = bool(row and row["section_id"])
    what = f"{state.organization}'s review" + (f" of {ref}" if one_section else "")
    return GateItem(
        "decision",
        "waiver",
        f"{what} waived by {by} — {words}",
        state.organization,
        state.section_id if one_section else None,
    )


def _authority_decisions(ws, doc, entries) -> list[GateItem]:
    """The approvals and the 'no coordination required' ruling that count on this text."""
    out: list[GateItem] = []
    content = document_content_hash(ws, doc.id) if entries else ""
    if entries and never_coordinated(ws, doc.id, entries):
        for d in decisions(ws, doc.id, kind="no_coordination"):
            if d.counts and d.document_version == doc.version and d.content_hash == content:
                out.append(
                    _decision(f"No coordination required, ruled by {d.by_name}", d.signature_label)
                )
                break
    for step, d in approvals.cleared(ws, doc.id):
        text = f"Approval: {step.holder} cleared this version"
        out.append(_decision(text, d.signature_label, None, "approval"))
    return out


def _publication_decision(ws, doc) -> list[GateItem]:
    found = [d for d in decisions(ws, doc.id, kind="publish") if d.document_version == doc.version]
    if not found:
        return []
    d = found[-1]
    return [_decision(f"Published by {d.by_name}", d.signature_label)]


def _has_text(ws, document_id: int) -> bool:
    row = next(
        ws.db.query(
            "SELECT EXISTS (SELECT 1 FROM sections WHERE document_id = ? AND deleted_at IS NULL "
            "AND trim(body) != '') AS any_text",
            [document_id],
        )
    )
    return bool(row["any_text"])


def never_coordinated(ws, document_id: int, entries=None) -> bool:
    """No section names an organization outside CNE, and no one was ever sent a request."""
    cne = cne_codes(ws)
    entries = outline(ws, document_id) if entries is None else entries
    if any(code not in cne for e in entries for code in e.equities):
        return False
    asked = next(
        ws.db.query(
            "SELECT EXISTS (SELECT 1 FROM review_requests WHERE document_id = ?) AS asked",
            [document_id],
        )
    )
    return not asked["asked"]


def _authority_items(ws, doc, entries) -> list[GateItem]:
    """The approval chain's pending step, and a document nobody was asked to review."""
    items: list[GateItem] = []
    if entries and never_coordinated(ws, doc.id, entries):
        content = document_content_hash(ws, doc.id)
        excused = [
            d
            for d in decisions(ws, doc.id, kind="no_coordination")
            if d.counts and d.document_version == doc.version and d.content_hash == content
        ]
        if not excused:
            items.append(
                GateItem(
                    "blocker",
                    "coordination",
                    f"Nobody was asked to review {doc.title}: tag the organizations whose "
                    "equities it touches and send it for review, or the Director signs "
                    "'no coordination required' with a reason",
                )
            )
    waiting = approvals.pending(ws, doc.id)
    if waiting is not None:
        items.append(GateItem("blocker", "approval", waiting.message()))
    return items
