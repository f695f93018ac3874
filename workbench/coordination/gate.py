"""The publication gate: every reason a document cannot be published yet, in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.coordination.comments import list_comments
from workbench.coordination.positions import nonconcurrences
from workbench.coordination.reviews import review_states
from workbench.documents import document
from workbench.numbering import reference
from workbench.sections import outline


@dataclass(frozen=True)
class GateItem:
    severity: str  # "blocker" | "warning"
    rule: str  # review | critical | nonconcurrence | substantive | administrative | document
    message: str
    organization: str | None = None
    section_id: int | None = None
    comment_id: int | None = None
    request_id: int | None = None


@dataclass(frozen=True)
class GateReport:
    document_id: int
    items: tuple[GateItem, ...] = field(default=())

    @property
    def blockers(self) -> list[GateItem]:
        return [i for i in self.items if i.severity == "blocker"]

    @property
    def warnings(self) -> list[GateItem]:
        return [i for i in self.items if i.severity == "warning"]

    @property
    def publishable(self) -> bool:
        return not self.blockers

    def summary(self) -> str:
        if self.publishable:
            n = len(self.warnings)
            return "Ready to publish" + (f" ({n} warning{'s' * (n != 1)})" if n else "")
        n = len(self.blockers)
        return f"{n} reason{'s' * (n != 1)} this cannot be published yet"


def _date(iso: str | None) -> str:
    return (iso or "")[:10]


def publication_blockers(ws, document_id: int) -> GateReport:
    doc = document(ws, document_id)
    items: list[GateItem] = []
    entries = outline(ws, document_id)
    if not entries:
        items.append(GateItem("blocker", "document", f"{doc.title} has no sections."))
    if doc.status == "published":
        items.append(
            GateItem(
                "blocker",
                "document",
                f"Version {doc.version} is already published; an edit starts the next version.",
            )
        )
    comments = list_comments(ws, document_id)
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
    for s in review_states(ws, document_id):
        ref = reference(s.number)
        if s.state == "none":
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
    return GateReport(document_id, tuple(items))
