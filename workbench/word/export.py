"""Export to Word: a published version or the live draft as a .docx (the same writer as PDF's)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from workbench import audit, figures
from workbench.exports import ExportSource, export_source
from workbench.pdf.document import parse_time
from workbench.word import hooks
from workbench.word.writer import build_docx
from workbench.workspace import use_case


@dataclass(frozen=True)
class DocxExport:
    source: ExportSource
    data: bytes
    sha256: str


def docx_bytes(
    ws, source: ExportSource, *, include_crm: bool = False, progress=None, cancelled=None
) -> bytes:
    """The .docx of an export source (a read: no audit entry)."""
    properties = {
        hooks.PROPERTY_KIND: "export",
        hooks.PROPERTY_WORKSPACE: ws.workspace_id,
        hooks.PROPERTY_DOCUMENT: str(source.document.id),
        hooks.PROPERTY_VERSION: str(source.version),
    }
    return build_docx(
        source.snapshot,
        figures=figures.for_snapshot(ws, source.snapshot),
        include_crm=include_crm,
        properties=properties,
        now=parse_time(ws.now()),
        progress=progress,
        cancelled=cancelled,
    )


@use_case
def export_docx(
    ws, ref: str | int, *, version: int | None = None, include_crm: bool = False
) -> DocxExport:
    """Render a document's .docx; the audit log records what left (as for the PDF)."""
    source = export_source(ws, ref, version)
    data = docx_bytes(ws, source, include_crm=include_crm)
    digest = hashlib.sha256(data).hexdigest()
    record_docx_export(
        ws, source.document.id, source.version, source.published, include_crm, digest
    )
    return DocxExport(source, data, digest)


@use_case
def record_docx_export(ws, document_id, version, published, include_crm, digest) -> None:
    """The audit entry of a Word export (the app renders off the writer thread, then records)."""
    audit.record(
        ws,
        "document.export_docx",
        "document",
        document_id,
        version=version,
        published=published,
        variant="crm" if include_crm else "plain",
        sha256=digest,
    )
