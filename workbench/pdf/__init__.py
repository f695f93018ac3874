"""PDF export: snapshot to PDF, the published PDFs' fingerprints, signing and verification."""

from workbench.pdf.build import VARIANTS, build_pdf
from workbench.pdf.publication import (
    Export,
    ExportSource,
    export_pdf,
    export_source,
    record_publication_pdfs,
)
from workbench.pdf.sign import REASON, SignatureCheck, sign_pdf
from workbench.pdf.templates import Cancelled
from workbench.pdf.verify import VerifyResult, verify_pdf

__all__ = [
    "REASON",
    "VARIANTS",
    "Cancelled",
    "Export",
    "ExportSource",
    "SignatureCheck",
    "VerifyResult",
    "build_pdf",
    "export_pdf",
    "export_source",
    "record_publication_pdfs",
    "sign_pdf",
    "verify_pdf",
]
