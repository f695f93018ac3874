"""What leaves as a PDF: the snapshot an export renders (published or draft), and its record."""

from __future__ import annotations

import json
from dataclasses import dataclass

from workbench import audit, figures
from workbench.coordination.publication import document_snapshot
from workbench.coordination.publication_pdfs import sha256
from workbench.documents import Document, find_document
from workbench.errors import NotFound
from workbench.pdf.build import build_pdf
from workbench.pdf.sign import certificate_name, load_signer, sign_with_signer
from workbench.workspace import use_case


@dataclass(frozen=True)
class ExportSource:
    """What an export of a document renders: a frozen publication or the live draft."""

    document: Document
    snapshot: dict
    version: int
    publication_id: int | None

    @property
    def published(self) -> bool:
        return self.publication_id is not None

    def describe(self) -> str:
        if self.published:
            return f"published version {self.version}"
        return f"draft version {self.version}"


def _publications(ws, document_id: int) -> list[dict]:
    return list(
        ws.db.query(
            "SELECT id, version, snapshot FROM publications WHERE document_id = ? ORDER BY version",
            [document_id],
        )
    )


def export_source(ws, ref: str | int, version: int | None = None) -> ExportSource:
    """The snapshot an export of `ref` renders.

    With a version: that published version. Without: the latest published version if the
    document is published and unchanged since, else the live draft (watermarked).
    """
    doc = find_document(ws, ref)
    pubs = _publications(ws, doc.id)
    if version is not None:
        match = [p for p in pubs if p["version"] == version]
        if not match:
            have = ", ".join(str(p["version"]) for p in pubs) or "none"
            raise NotFound(
                f"Version {version} of {doc.title} was never published "
                f"(published versions: {have})."
            )
        p = match[0]
        return ExportSource(doc, json.loads(p["snapshot"]), p["version"], p["id"])
    if doc.status == "published" and pubs and pubs[-1]["version"] == doc.version:
        p = pubs[-1]
        return ExportSource(doc, json.loads(p["snapshot"]), p["version"], p["id"])
    return ExportSource(doc, document_snapshot(ws, doc.id), doc.version, None)


@dataclass(frozen=True)
class Export:
    source: ExportSource
    data: bytes
    sha256: str
    signed_by: str | None = None


@use_case
def export_pdf(
    ws,
    ref: str | int,
    *,
    version: int | None = None,
    include_crm: bool = False,
    sign_with: str | None = None,
    password: bytes | None = None,
    signer_name: str | None = None,
    progress=None,
    cancelled=None,
) -> Export:
    """Render (and optionally sign) a document's PDF; the audit log records what left."""
    source = export_source(ws, ref, version)
    signer = load_signer(sign_with, password) if sign_with else None
    data = build_pdf(
        source.snapshot,
        include_crm=include_crm,
        progress=progress,
        cancelled=cancelled,
        figures=figures.for_snapshot(ws, source.snapshot),
    )
    signed_by = None
    if signer is not None:
        signed_by = signer_name or certificate_name(signer.signing_cert)
        data = sign_with_signer(data, signer, signed_by)
    digest = sha256(data)
    audit.record(
        ws,
        "document.export_pdf",
        "document",
        source.document.id,
        version=source.version,
        published=source.published,
        variant="crm" if include_crm else "plain",
        signed_by=signed_by,
        sha256=digest,
    )
    return Export(source, data, digest, signed_by)
