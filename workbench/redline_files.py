"""A redline as file bytes: the PDF here, the tracked-changes .docx from the Word package."""

from __future__ import annotations

from workbench import audit
from workbench.errors import WorkbenchError
from workbench.word.redline_docx import build_redline_docx
from workbench.workspace import use_case

SUFFIXES = (".pdf", ".docx")


def redline_file(red, suffix: str, *, progress=None, cancelled=None) -> bytes:
    """The bytes of the redline file for an output name ending in `suffix` (.pdf or .docx)."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        from workbench.pdf.redline import build_redline_pdf

        return build_redline_pdf(red, progress=progress, cancelled=cancelled)
    if suffix == ".docx":
        return build_redline_docx(red)
    raise WorkbenchError("A redline is written as .pdf or .docx.")


def choices(ws, document_id: int) -> list[tuple[str, str]]:
    """(spec, label) of every state a redline can compare: the draft first, then newest first."""
    from workbench.documents import document

    doc = document(ws, document_id)
    out = [("draft", f"Current draft (version {doc.version})")]
    pubs = ws.db.query(
        "SELECT version, published_at FROM publications WHERE document_id = ? "
        "ORDER BY version DESC",
        [document_id],
    )
    out += [
        (f"v{p['version']}", f"Published version {p['version']} ({p['published_at'][:10]})")
        for p in pubs
    ]
    revs = ws.db.query(
        "SELECT id, label, created_at FROM document_revisions WHERE document_id = ? "
        "ORDER BY id DESC",
        [document_id],
    )
    out += [
        (f"r{r['id']}", f"Revision r{r['id']} “{r['label']}” ({r['created_at'][:10]})")
        for r in revs
    ]
    return out


@use_case
def record_redline_export(ws, document_id: int, old: str, new: str, fmt: str, digest: str):
    """The audit entry for a redline that left the workspace."""
    audit.record(
        ws,
        "document.export_redline",
        "document",
        document_id,
        old=old,
        new=new,
        format=fmt,
        sha256=digest,
    )
