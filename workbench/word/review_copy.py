"""The Word review copy of a review request: the sections sent, at the revisions pinned."""

from __future__ import annotations

import os
from pathlib import Path

from workbench import audit
from workbench.coordination import requests as rq
from workbench.documents import document
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import build_packet, prepare_request_for_export
from workbench.files import write_atomic
from workbench.word import hooks
from workbench.word.writer import ReviewBlock, build_docx
from workbench.workspace import use_case


def review_copy_bytes(ws, request_id: int) -> bytes:
    """The .docx of a request's sections (a read; `write_review_copy` is the user action)."""
    req = rq.request(ws, request_id)
    doc = document(ws, req.document_id)
    packet = build_packet(ws, request_id)
    revisions = {s.section_id: s.section_revision_id for s in req.sections}
    sections = [dict(s, revision_id=revisions.get(s["section_id"])) for s in packet["sections"]]
    org = packet["organization"]
    snapshot = {
        "document": {
            "id": doc.id,
            "kind": doc.kind,
            "kind_label": doc.kind_label,
            "title": doc.title,
            "marking": doc.marking,
            "version": req.document_version,
            "status": doc.status,
        },
        "sections": sections,
    }
    review = ReviewBlock(
        request_id=req.id,
        organization=f"{org['code']} — {org['name']}" if org.get("name") else org["code"],
        reviewer=req.reviewer_name or "",
        suspense_date=req.suspense_date or "",
        instructions=req.instructions or "",
        document_version=req.document_version,
    )
    properties = {
        hooks.PROPERTY_KIND: "review",
        hooks.PROPERTY_WORKSPACE: ws.workspace_id,
        hooks.PROPERTY_REQUEST: str(req.id),
        hooks.PROPERTY_DOCUMENT: str(doc.id),
        hooks.PROPERTY_VERSION: str(req.document_version),
        hooks.PROPERTY_ORGANIZATION: org["code"],
    }
    return build_docx(
        snapshot,
        include_contents=False,
        include_record=False,
        review=review,
        properties=properties,
        now=_parse_now(ws.now()),
    )


def _parse_now(value: str):
    from workbench.pdf.document import parse_time

    return parse_time(value)


@use_case
def write_review_copy(ws, request_id: int, path: str | os.PathLike) -> Path:
    """Write the request's Word review copy; a draft request is sent by handing it out."""
    req = prepare_request_for_export(ws, request_id)
    out = Path(path)
    if out.is_dir():
        raise ExchangeError(f"{out} is a folder; name the Word file to write.")
    data = review_copy_bytes(ws, request_id)
    write_atomic(out, data)
    audit.record(
        ws,
        "exchange.review_copy_export",
        "review_request",
        request_id,
        document_id=req.document_id,
        organization=req.organization,
        file=out.name,
    )
    return out
