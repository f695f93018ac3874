"""Published PDFs' fingerprints, recorded at publication from the frozen snapshot."""

from __future__ import annotations

import hashlib
import json

from workbench import audit, figures
from workbench.errors import NotFound
from workbench.workspace import use_case


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _publication_row(ws, publication_id: int) -> dict:
    row = next(
        ws.db.query(
            "SELECT id, document_id, version, published_at, published_by, snapshot "
            "FROM publications WHERE id = ?",
            [publication_id],
        ),
        None,
    )
    if row is None:
        raise NotFound(f"No publication with id {publication_id}.")
    return row


@use_case
def record_publication_pdfs(ws, publication_id: int) -> dict[str, str]:
    """Render the published snapshot in each variant and store each PDF's SHA-256."""
    # Imported here: reportlab is megabytes the window does not need until something prints.
    from workbench.pdf.build import VARIANTS, build_pdf

    row = _publication_row(ws, publication_id)
    snapshot = json.loads(row["snapshot"])
    images = figures.for_snapshot(ws, snapshot)
    digests: dict[str, str] = {}
    now = ws.now()
    for variant, include_crm in VARIANTS.items():
        data = build_pdf(snapshot, include_crm=include_crm, figures=images)
        digests[variant] = sha256(data)
        ws.db.execute(
            "INSERT INTO publication_pdfs (publication_id, variant, sha256, size, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (publication_id, variant) DO UPDATE SET "
            "sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at",
            [publication_id, variant, digests[variant], len(data), now],
        )
    # The publications row keeps the plain PDF's fingerprint for readers that know only it.
    ws.db.execute(
        "UPDATE publications SET pdf_sha256 = ? WHERE id = ?", [digests["plain"], publication_id]
    )
    audit.record(
        ws,
        "publication.pdf",
        "publication",
        publication_id,
        document_id=row["document_id"],
        version=row["version"],
        **{f"sha256_{v}": d for v, d in digests.items()},
    )
    return digests
