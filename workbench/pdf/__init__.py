"""PDF export: snapshot to PDF, the published PDFs' fingerprints, signing and verification."""

from workbench.pdf.build import VARIANTS, build_pdf
from workbench.pdf.templates import Cancelled

__all__ = ["VARIANTS", "Cancelled", "build_pdf"]
