"""Coordination facts read by SQL alone, for panels and the gate that must not load every row."""

from __future__ import annotations


def commenting_organizations(ws, document_id: int) -> list[str]:
    """The codes of the organizations with a live comment on the document, sorted."""
    return [
        r["code"]
        for r in ws.db.query(
            "SELECT DISTINCT o.code AS code FROM comments c "
            "JOIN organizations o ON o.id = c.organization_id "
            "JOIN sections s ON s.id = c.section_id "
            "WHERE c.document_id = ? AND c.superseded_by_id IS NULL ORDER BY o.code",
            [document_id],
        )
    ]
