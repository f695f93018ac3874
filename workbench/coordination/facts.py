"""Coordination facts read by SQL alone, for panels and the gate that must not load every row."""

from __future__ import annotations

from dataclasses import dataclass


def commenting_organizations(ws, document_id: int) -> list[str]:
    """The codes of the organizations with a live comment on the document, sorted."""
    return [
        r["code"]
        for r in ws.db.query(
            "SELECT DISTINCT o.code AS code FROM comments c "
            "JOIN organizations o ON o.id = c.organization_id "
            "WHERE c.document_id = ? AND c.superseded_by_id IS NULL ORDER BY o.code",
            [document_id],
        )
    ]


@dataclass(frozen=True)
class GateComment:
    """What the publication gate needs of a comment, and no more."""

    id: int
    item_no: int
    type: str
    organization: str
    section_id: int | None  # None: about the document as a whole
    request_id: int | None
    reference: str
    is_open: bool


def gate_comments(ws, document_id: int, numbers: dict[int, str]) -> list[GateComment]:
    """The open comments and the rejected Critical ones (a non-concurrence names them), in
    item order: the gate's reasons come from these alone, filtered by SQL, not in Python."""
    # Imported here: the outline's badges (blocked_documents) are read before the window's
    # first paint, and the comments module is not needed for them.
    from workbench.coordination.comments import location_reference

    return [
        GateComment(
            cid,
            item_no,
            kind,
            code,
            section_id,
            request_id,
            location_reference(section_id, numbers.get(section_id, "")),
            disposition is None,
        )
        for cid, item_no, kind, code, section_id, request_id, disposition in ws.db.execute(
            "SELECT c.id, c.item_no, c.type, o.code, c.section_id, c.request_id, c.disposition "
            "FROM comments c JOIN organizations o ON o.id = c.organization_id "
            "WHERE c.document_id = ? AND c.superseded_by_id IS NULL "
            "AND (c.disposition IS NULL OR (c.type = 'C' AND c.disposition = 'rejected')) "
            "ORDER BY c.item_no",
            [document_id],
        )
    ]


def blocked_documents(ws) -> dict[int, str]:
    """Documents in coordination that an objection holds up, with the reason in words: an
    open Critical comment, a rejected one its organization has neither withdrawn nor seen
    overridden, or a non-concurrence still standing. Three queries for the whole workspace
    (the navigator's badges), not the full rule per document (the gate says it exactly)."""
    out: dict[int, str] = {}
    # Open comments are counted as they are written (m013), and rejected Critical comments
    # have an index of their own (m015): no scan of every comment.
    for r in ws.db.query(
        "SELECT c.document_id, sum(c.n) AS n FROM open_comment_counts c "
        "JOIN documents d ON d.id = c.document_id "
        "WHERE d.status = 'in_coordination' AND d.deleted_at IS NULL AND c.type = 'C' "
        "GROUP BY c.document_id"
    ):
        n = r["n"]
        out[r["document_id"]] = f"{n} open Critical comment{'s' * (n != 1)}"
    for r in ws.db.query(
        "SELECT DISTINCT c.document_id, o.code FROM comments c "
        "JOIN documents d ON d.id = c.document_id "
        "JOIN organizations o ON o.id = c.organization_id "
        "WHERE d.status = 'in_coordination' AND d.deleted_at IS NULL AND c.type = 'C' "
        "AND c.disposition = 'rejected' AND c.superseded_by_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM nonconcurrence_events e "
        "  WHERE e.document_id = c.document_id AND e.organization_id = c.organization_id "
        "  AND e.kind IN ('withdrawn', 'overridden') AND e.last_critical_comment_id >= c.id)"
    ):
        out.setdefault(r["document_id"], f"{r['code']} non-concurs (Critical comment rejected)")
    for r in ws.db.query(
        "SELECT p.document_id, o.code FROM positions p "
        "JOIN documents d ON d.id = p.document_id "
        "JOIN organizations o ON o.id = p.organization_id "
        "WHERE d.status = 'in_coordination' AND d.deleted_at IS NULL "
        "AND p.position = 'non_concur' "
        "AND p.id = (SELECT max(q.id) FROM positions q WHERE q.document_id = p.document_id "
        "  AND q.organization_id = p.organization_id) "
        "AND NOT EXISTS (SELECT 1 FROM nonconcurrence_events e WHERE e.position_id = p.id)"
    ):
        out.setdefault(r["document_id"], f"{r['code']} non-concurs")
    return out
