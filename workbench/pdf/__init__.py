"""PDF rendering: a document snapshot in, PDF bytes out; signing the bytes.

The package reads no workspace. What an export renders is chosen in workbench.exports, the
published PDFs' fingerprints are recorded in workbench.coordination.publication_pdfs, and a
file is checked against the record in workbench.pdf_verify.
"""

from workbench.pdf.build import VARIANTS, build_pdf
from workbench.pdf.sign import REASON, SignatureCheck, sign_pdf
from workbench.pdf.templates import Cancelled

__all__ = ["REASON", "VARIANTS", "Cancelled", "SignatureCheck", "build_pdf", "sign_pdf"]
