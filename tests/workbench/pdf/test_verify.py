"""Publication fingerprints, verify-pdf's answers, signing, and the export/verify commands."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from tests.workbench.pdf.conftest import pages_text
from workbench import audit, documents, sections
from workbench.cli import main
from workbench.coordination.publication import published_snapshot
from workbench.errors import NotFound, WorkbenchError
from workbench.exports import export_pdf, export_source
from workbench.pdf import build_pdf, sign_pdf
from workbench.pdf_verify import verify_pdf

TITLE = b"(SPSS Counternarcotics Strategy)"


def _stored(ws, publication_id) -> dict[str, str]:
    return {
        r["variant"]: r["sha256"]
        for r in ws.db.query(
            "SELECT variant, sha256 FROM publication_pdfs WHERE publication_id = ?",
            [publication_id],
        )
    }


def test_publishing_stores_the_fingerprint_of_each_variant(ws, published):
    stored = _stored(ws, published.publication_id)
    snap = published_snapshot(ws, published.doc)
    assert stored["plain"] == hashlib.sha256(build_pdf(snap)).hexdigest()
    assert stored["crm"] == hashlib.sha256(build_pdf(snap, include_crm=True)).hexdigest()
    row = next(ws.db.query("SELECT pdf_sha256 FROM publications"))
    assert row["pdf_sha256"] == stored["plain"]
    entry = audit.entries(ws, action_prefix="publication.pdf")[0]
    assert entry.entity_id == published.publication_id
    assert entry.details["sha256_crm"] == stored["crm"]


def test_published_pdf_shows_the_real_coordination_record(ws, published):
    data = build_pdf(published_snapshot(ws, published.doc), include_crm=True)
    text = " ".join(" ".join(pages_text(data)).split())
    assert "Concur with comment Capt. Lee Odiña Assistant Commandant for Operations" in text
    assert "Non-concur Pat Moreno Deputy Commissioner" in text
    assert "Overridden by Dana Reyes" in text and "Port screening stays as written." in text
    assert "DOJ Whole document Dana Reyes" in text and "Co-lead drafted it." in text
    assert "Ten tons understates recent loads." in text
    assert "Rejected The figure is the design capacity." in text
    assert "DRAFT" not in text


def test_verify_names_the_exact_published_version(ws, published):
    data = build_pdf(published_snapshot(ws, published.doc), include_crm=True)
    result = verify_pdf(ws, data)
    assert result.exact and result.status == "published"
    assert (result.document_id, result.version, result.variant) == (published.doc, 1, "crm")
    assert result.published_by == "Dana Reyes"
    assert result.published_at == "2026-11-04T09:00:00Z"
    assert "Exactly the published SPSS Counternarcotics Strategy, version 1" in result.message


def test_verify_reports_a_modified_file(ws, published):
    data = build_pdf(published_snapshot(ws, published.doc))
    # Change one character of the title in the document information, keeping the length.
    tampered = data.replace(TITLE, TITLE[:-2] + b"z)")
    assert tampered != data
    result = verify_pdf(ws, tampered)
    assert result.status == "modified" and not result.exact
    assert result.version == 1 and result.document_id == published.doc
    assert "contents differ" in result.message


def test_verify_reports_an_unknown_file(ws, published):
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 720, "SPSS Counternarcotics Strategy")
    c.save()
    result = verify_pdf(ws, buf.getvalue())
    assert result.status == "unknown" and not result.exact
    assert result.document_id is None


def test_verify_says_a_draft_is_not_a_published_version(ws, published):
    documents.start_next_version(ws, published.doc)
    sections.edit_section(ws, published.intro, body="A new draft paragraph.")
    source = export_source(ws, str(published.doc))
    assert not source.published and source.version == 2
    result = verify_pdf(ws, build_pdf(source.snapshot))
    assert result.status == "draft" and not result.exact


def test_export_source_picks_published_or_draft(ws, published):
    assert export_source(ws, "SPSS").publication_id == published.publication_id
    documents.start_next_version(ws, published.doc)
    sections.edit_section(ws, published.maritime, body="Changed after publication.")
    draft = export_source(ws, "SPSS")
    assert not draft.published and draft.snapshot["published_at"] is None
    old = export_source(ws, "SPSS", version=1)
    assert old.published and "SPSS vessels travel slowly." in json.dumps(old.snapshot)
    with pytest.raises(NotFound, match="Version 5 of SPSS Counternarcotics Strategy was never"):
        export_source(ws, "SPSS", version=5)


def _in_directory(ws, certificate) -> None:
    """Dana Reyes's certificate is hers in the directory: only then does her signature count."""
    from workbench import directory
    from workbench.authority import keys, trust

    p12, password = certificate
    dana = next(p.id for p in directory.people(ws) if p.name == "Dana Reyes")
    trust.set_person_certificate(ws, dana, keys.load_pkcs12(p12, password).certificate)


def test_signed_published_pdf_verifies_and_names_the_signer(ws, published, certificate):
    p12, password = certificate
    _in_directory(ws, certificate)
    data = build_pdf(published_snapshot(ws, published.doc))
    signed = sign_pdf(data, p12, password)
    assert signed.startswith(data)  # an incremental update: the published bytes stay intact
    result = verify_pdf(ws, signed)
    assert result.exact and result.status == "published" and result.version == 1
    (sig,) = result.signatures
    assert sig.ok and sig.signer == "Dana Reyes" and sig.reason == "Approved for publication"


def test_signature_fails_after_the_signed_file_is_altered(ws, published, certificate):
    p12, password = certificate
    signed = sign_pdf(build_pdf(published_snapshot(ws, published.doc)), p12, password)
    tampered = signed.replace(TITLE, TITLE[:-2] + b"z)")
    assert len(tampered) == len(signed) and tampered != signed
    result = verify_pdf(ws, tampered)
    assert not result.exact and result.status == "modified"
    (sig,) = result.signatures
    assert not sig.ok and not sig.intact
    assert "INVALID" in result.message


def test_wrong_certificate_password_is_a_clear_error(certificate):
    p12, _ = certificate
    with pytest.raises(WorkbenchError, match="password is wrong or it is not a PKCS#12 file"):
        sign_pdf(b"%PDF-1.4", p12, b"wrong")


def test_cli_export_sign_and_verify(ws, ws_path, published, certificate, tmp_path, capsys):
    p12, password = certificate
    _in_directory(ws, certificate)
    ws.close()
    out = tmp_path / "spss.pdf"
    assert main(["export-pdf", str(ws_path), "--document", "SPSS", "-o", str(out)]) == 0
    assert "published version 1 written to" in capsys.readouterr().out
    assert main(["verify-pdf", str(ws_path), str(out)]) == 0
    assert "Exactly the published SPSS Counternarcotics Strategy, version 1" in (
        capsys.readouterr().out
    )

    pw = tmp_path / "pw.txt"
    pw.write_bytes(password + b"\n")
    signed = tmp_path / "signed.pdf"
    args = ["export-pdf", str(ws_path), "-d", "SPSS", "--version", "1", "--crm"]
    args += ["--sign", str(p12), "--password-file", str(pw), "-o", str(signed)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["verify-pdf", str(ws_path), str(signed), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["variant"] == "crm" and report["signatures"][0]["ok"]

    out.write_bytes(out.read_bytes().replace(b"(SPSS Counter", b"(SPSS Kounter"))
    assert main(["verify-pdf", str(ws_path), str(out)]) == 1
    assert capsys.readouterr().out.startswith("Modified:")


def test_cli_errors_are_one_line(ws, ws_path, published, tmp_path, capsys):
    ws.close()
    out = tmp_path / "x.pdf"
    code = main(["export-pdf", str(ws_path), "-d", "SPSS", "--version", "9", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "never published" in err
    assert not out.exists()
    code = main(["export-pdf", str(ws_path), "-d", "SPSS", "--sign", "x.p12", "-o", str(out)])
    assert code == 2 and "--password-file" in capsys.readouterr().err


def test_export_is_audited_with_what_left(ws, published, certificate):
    from workbench.exports import export_pdf

    p12, password = certificate
    result = export_pdf(ws, "SPSS", include_crm=True, sign_with=str(p12), password=password)
    assert result.signed_by == "Dana Reyes"
    entry = audit.entries(ws, action_prefix="document.export_pdf")[0]
    assert entry.entity_id == published.doc
    assert entry.details == {
        "version": 1,
        "published": True,
        "variant": "crm",
        "signed_by": "Dana Reyes",
        "sha256": hashlib.sha256(result.data).hexdigest(),
    }
    with pytest.raises(WorkbenchError, match="password is wrong"):
        export_pdf(ws, "SPSS", sign_with=str(p12), password=b"nope")


def test_the_recorded_fingerprint_counts_even_when_the_layout_has_changed_since(ws, published):
    """A PDF made when the version was published verifies by what was recorded then, not by
    rendering the snapshot again with today's layout (which may differ byte for byte)."""
    old_pdf = b"%PDF-1.4 as the layout of an earlier release drew it %%EOF\n"
    ws.db.execute(
        "DELETE FROM publication_pdfs WHERE publication_id = ?", [published.publication_id]
    )
    ws.db.execute(
        "UPDATE publications SET pdf_sha256 = ? WHERE id = ?",
        [hashlib.sha256(old_pdf).hexdigest(), published.publication_id],
    )
    result = verify_pdf(ws, old_pdf)
    assert result.status == "published" and result.publication_id == published.publication_id


def test_a_published_version_exported_after_a_layout_change_still_verifies(ws, published):
    """The fingerprint recorded at publication came from the layout of that day; a copy
    exported later from the same frozen snapshot is in the audit log and counts too."""
    ws.db.execute(
        "UPDATE publication_pdfs SET sha256 = ? WHERE publication_id = ?",
        ["0" * 64, published.publication_id],
    )  # as if the layout had changed since publication
    ws.db.execute(
        "UPDATE publications SET pdf_sha256 = ? WHERE id = ?", ["0" * 64, published.publication_id]
    )
    exported = export_pdf(ws, published.doc)
    assert exported.source.published
    result = verify_pdf(ws, exported.data)
    assert result.exact and result.publication_id == published.publication_id
    assert result.variant == "plain"
    tampered = exported.data.replace(b"SPSS", b"SPSX", 1)
    assert verify_pdf(ws, tampered).status != "published"
