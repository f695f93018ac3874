"""Signing an exported PDF with a PKCS#12 certificate (pyHanko, PAdES B-B), and reading back."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError

REASON = "Approved for publication"
FIELD_NAME = "CNEApproval"


def load_signer(p12: str | Path, password: bytes | None):
    """The signer in a PKCS#12 file; a clear error for a missing file or wrong password."""
    from pyhanko.sign import signers

    path = Path(p12)
    if not path.is_file():
        raise WorkbenchError(f"No certificate file at {path}.")
    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(path), passphrase=password or None)
    except Exception:  # pyHanko raises assorted crypto/IO errors for a bad file or password
        signer = None
    if signer is None:
        raise WorkbenchError(
            f"Could not open {path.name}: the password is wrong or it is not a PKCS#12 file."
        )
    return signer


def certificate_name(cert) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def sign_pdf(
    data: bytes,
    p12: str | Path,
    password: bytes | None,
    *,
    signer_name: str | None = None,
    reason: str = REASON,
) -> bytes:
    """The PDF with an invisible PAdES B-B signature appended as an incremental update.

    The original bytes stay a prefix of the result, so verify-pdf can still name the published
    version that was signed.
    """
    signer = load_signer(p12, password)
    name = signer_name or certificate_name(signer.signing_cert)
    return sign_with_signer(data, signer, name, reason)


def sign_with_signer(data: bytes, signer, name: str, reason: str = REASON) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
    except Exception as exc:
        raise WorkbenchError(f"The file to sign is not a readable PDF ({exc}).") from None
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    """One embedded signature: who signed, and whether the bytes it covers are untouched."""

    field: str
    signer: str
    reason: str
    signed_at: str | None
    intact: bool  # the signed bytes hash to what was signed
    valid: bool  # intact and the cryptographic signature checks out
    trusted: bool  # the certificate chains to a trust root on this machine
    covers_whole_file: bool  # nothing was appended after signing
    problem: str = ""
    certificate: bytes = b""  # the signer's certificate (DER), to judge against the directory

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.covers_whole_file

    def describe(self) -> str:
        if self.problem:
            return f"signature {self.field}: could not be checked ({self.problem})"
        if not (self.intact and self.valid):
            return (
                f"signature by {self.signer} is INVALID: the file was altered after it was signed"
            )
        if not self.covers_whole_file:
            return f"signature by {self.signer} is valid, but the file was changed after signing"
        trust = "" if self.trusted else " (certificate not trusted on this machine)"
        when = f" on {self.signed_at}" if self.signed_at else ""
        return f"signature by {self.signer}{when} is valid{trust}; reason: {self.reason}"


def check_signatures(data: bytes) -> list[SignatureCheck]:
    """Every embedded signature, validated; empty when the file is not signed."""
    if b"/ByteRange" not in data:
        return []
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    # No trust roots and no network: a signature is checked for integrity offline; whether the
    # signer's certificate is trusted is reported, not assumed.
    context = ValidationContext(trust_roots=[], allow_fetching=False)

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        return [SignatureCheck("?", "", "", None, False, False, False, False, str(exc))]
    checks = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context)
            signer = certificate_name(status.signing_cert)
            sig_obj = sig.sig_object
            reason = str(sig_obj.get("/Reason", ""))
            when = status.signer_reported_dt
            coverage = getattr(status.coverage, "name", str(status.coverage))
            checks.append(
                SignatureCheck(
                    sig.field_name,
                    signer,
                    reason,
                    when.isoformat(timespec="seconds") if when else None,
                    bool(status.intact),
                    bool(status.valid),
                    bool(status.trusted),
                    coverage == "ENTIRE_FILE",
                    certificate=status.signing_cert.dump(),
                )
            )
        except Exception as exc:
            checks.append(
                SignatureCheck(sig.field_name, "", "", None, False, False, False, False, str(exc))
            )
    return checks
