"""verify-pdf against a careful forger: whited-out text, appended stamps, self-made signatures."""

from __future__ import annotations

import io

import pytest

from tests import pki
from workbench import directory
from workbench.authority import keys, trust
from workbench.cli import main
from workbench.coordination.publication import published_snapshot
from workbench.pdf import build_pdf
from workbench.pdf.sign import sign_with_signer
from workbench.pdf_verify import verify_pdf

STAMP = (
    b"q 1 1 1 rg 40 300 520 200 re f Q BT /F1 18 Tf 60 400 Td (USCG CONCURS WITHOUT COMMENT) Tj ET"
)


def _pdf_signer(identity: pki.Identity):
    return keys.from_private_key(identity.key, identity.der, source="pkcs12").pdf_signer()


def _whiteout(data: bytes, writer=None):
    """Paint over the last page (at most page 3) and stamp it, as an incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = writer or IncrementalPdfFileWriter(io.BytesIO(data))
    kids = w.root["/Pages"]["/Kids"]
    page = kids[min(2, len(kids) - 1)].get_object()
    stamp = w.add_object(generic.StreamObject(stream_data=STAMP))
    contents = page.raw_get("/Contents")
    items = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*items, stamp])
    w.update_container(page)
    if writer is not None:
        return w
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture
def original(ws, published) -> bytes:
    return build_pdf(published_snapshot(ws, published.doc))


@pytest.fixture
def dana(ws, published) -> pki.Identity:
    """The Director's real certificate, stored with her in the directory."""
    identity = pki.make("Dana Reyes")
    person = next(p.id for p in directory.people(ws) if p.name == "Dana Reyes")
    trust.set_person_certificate(ws, person, identity.der)
    return identity


def test_whited_out_stamped_and_self_signed_is_modified(ws, original, tmp_path, capsys):
    forged = sign_with_signer(_whiteout(original), _pdf_signer(pki.make("Dana Reyes")), "Dana")
    result = verify_pdf(ws, forged)
    assert result.status == "modified" and not result.exact
    assert "more than a signature was added after it was published" in result.message
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    ws_path = ws.path
    ws.close()
    assert main(["verify-pdf", str(ws_path), str(path)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("Modified: starts as the published") and out.err == ""


def test_whiteout_signed_with_the_directors_real_key_is_still_modified(ws, original, dana):
    forged = sign_with_signer(_whiteout(original), _pdf_signer(dana), "Dana Reyes")
    assert verify_pdf(ws, forged).status == "modified"


def test_whiteout_inside_the_signing_update_is_modified(ws, original, dana):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = _whiteout(original, IncrementalPdfFileWriter(io.BytesIO(original)))
    meta = signers.PdfSignatureMetadata(
        field_name="CNEApproval", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    forged = signers.sign_pdf(writer, meta, signer=_pdf_signer(dana)).getvalue()
    result = verify_pdf(ws, forged)
    assert result.status == "modified"
    assert "the signature's update also changes the file" in result.message


def test_a_visible_stamp_as_the_signature_appearance_is_modified(ws, original, dana):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(original))
    spec = fields.SigFieldSpec("Stamp", on_page=0, box=(40, 300, 560, 500))
    meta = signers.PdfSignatureMetadata(field_name="Stamp", md_algorithm="sha256")
    forged = signers.sign_pdf(writer, meta, signer=_pdf_signer(dana), new_field_spec=spec)
    result = verify_pdf(ws, forged.getvalue())
    assert result.status == "modified" and "visible stamp" in result.message


def test_a_self_made_signature_on_the_exact_bytes_does_not_count(ws, original):
    signed = sign_with_signer(original, _pdf_signer(pki.make("Dana Reyes")), "Dana Reyes")
    result = verify_pdf(ws, signed)
    assert result.status == "modified" and not result.exact
    assert "neither in the directory nor issued by the pinned root" in result.message


def test_a_signature_counts_under_the_pinned_root_or_from_the_directory(ws, original, dana):
    assert verify_pdf(ws, sign_with_signer(original, _pdf_signer(dana), "Dana")).exact
    root, issuing = pki.hierarchy()
    trust.pin_trust_anchor(ws, issuing.der)
    deputy = pki.make("Deputy Director", issuer=issuing)
    result = verify_pdf(ws, sign_with_signer(original, _pdf_signer(deputy), "Deputy"))
    assert result.exact and "signed by Deputy Director" in result.message


def test_garbage_after_the_published_bytes_is_modified_not_a_traceback(ws, original):
    result = verify_pdf(ws, original + b"\n1 0 obj\n<< /Junk [ >>\nendobj\n%%EOF\n")
    assert result.status == "modified"
