"""The Word review copy of a review request: the sections sent, at the revisions pinned."""

from __future__ import annotations

import os
from pathlib import Path

from workbench import audit, figures
from workbench.coordination import requests as rq
from workbench.documents import document
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import build_packet, prepare_request_for_export
from workbench.exchange.zip_template import Slots, ZipTemplate, template_key
from workbench.files import write_atomic
from workbench.word import hooks
from workbench.word.writer import ReviewBlock, build_docx
from workbench.workspace import use_case


def review_copy_bytes(
    ws, request_id: int, packet: dict | None = None, templates: dict | None = None
) -> bytes:
    """The .docx of a request's sections (a read; `write_review_copy` is the user action).

    `packet` is the request's packet when the caller has built it already; `templates` (a dict
    kept across calls) renders each distinct set of sections once and fills in each request's
    number, organization and reviewer (see `exchange.zip_template`).
    """
    req = rq.request(ws, request_id)
    doc = document(ws, req.document_id)
    if packet is None:
        packet = build_packet(ws, request_id)
    revisions = {s.section_id: s.section_revision_id for s in req.sections}
    sections = [dict(s, revision_id=revisions.get(s["section_id"])) for s in packet["sections"]]
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
    shared = (ws.workspace_id, snapshot, req.suspense_date, req.instructions)
    key = template_key("review-copy", *shared)
    template = None if templates is None else templates.get(key)
    if template is None:
        template = _template(ws, snapshot, req)
        if templates is not None:
            templates[key] = template
    org = packet["organization"]
    return template.fill(
        {
            "request": req.id,
            "organization": f"{org['code']} — {org['name']}" if org.get("name") else org["code"],
            "code": org["code"],
            "reviewer": req.reviewer_name or "—",
        }
    )


def _template(ws, snapshot: dict, req: rq.ReviewRequest) -> ZipTemplate:
    """The review copy rendered with stand-ins for what differs between requests."""
    slots = Slots()
    review = ReviewBlock(
        request_id=slots.number("request"),
        organization=slots.text("organization"),
        reviewer=slots.text("reviewer"),
        suspense_date=req.suspense_date or "",
        instructions=req.instructions or "",
        document_version=req.document_version,
    )
    properties = {
        hooks.PROPERTY_KIND: "review",
        hooks.PROPERTY_WORKSPACE: ws.workspace_id,
        hooks.PROPERTY_REQUEST: str(slots.number("request")),
        hooks.PROPERTY_DOCUMENT: str(snapshot["document"]["id"]),
        hooks.PROPERTY_VERSION: str(req.document_version),
        hooks.PROPERTY_ORGANIZATION: slots.text("code"),
    }
    data = build_docx(
        snapshot,
        figures=figures.for_snapshot(ws, snapshot),
        include_contents=False,
        include_record=False,
        review=review,
        properties=properties,
        now=_parse_now(ws.now()),
    )
    return ZipTemplate(data, slots)


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
    record_review_copy_sent(ws, req, out.name)
    return out


def record_review_copy_sent(ws, req: rq.ReviewRequest, file_name: str) -> None:
    """Within a use-case: the request's Word review copy went out as `file_name`."""
    audit.record(
        ws,
        "exchange.review_copy_export",
        "review_request",
        req.id,
        document_id=req.document_id,
        organization=req.organization,
        file=file_name,
    )
