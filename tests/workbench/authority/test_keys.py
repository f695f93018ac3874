"""The key layer: file and token signers, verification, chains, the workspace's own key."""

from __future__ import annotations

import datetime as dt
import stat

import pytest

from tests import pki
from workbench import audit, directory
from workbench.authority import canonical, keys, trust, workspace_key
from workbench.errors import RuleViolation, WorkbenchError
from workbench.workspace import Workspace

DATA = canonical.canonical_json({"what": "publish", "version": 1})


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_a_pkcs12_signer_signs_what_verify_accepts(tmp_path, kind):
    ident = pki.make("Dana Reyes", kind=kind)
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "dana.p12"), "secret", person_id=7)
    signature = signer.sign(DATA)
    assert signer.person_id == 7 and signer.source == "pkcs12"
    assert signer.name == "Dana Reyes"
    assert signer.certificate == ident.der
    assert keys.verify(signer.certificate, DATA, signature)
    assert not keys.verify(signer.certificate, DATA + b" ", signature)
    assert not keys.verify(pki.make("Someone Else", kind=kind).der, DATA, signature)


def test_a_wrong_password_or_a_foreign_file_is_one_clear_error(tmp_path):
    p12 = pki.make("Dana Reyes").write_p12(tmp_path / "dana.p12")
    with pytest.raises(WorkbenchError, match="password is wrong"):
        keys.load_pkcs12(p12, "wrong")
    (tmp_path / "junk.p12").write_bytes(b"not a pkcs12 file")
    with pytest.raises(WorkbenchError, match="junk.p12"):
        keys.load_pkcs12(tmp_path / "junk.p12", "secret")
    with pytest.raises(WorkbenchError, match="No certificate file"):
        keys.load_pkcs12(tmp_path / "missing.p12", "secret")


@pytest.mark.parametrize("label", ["alice", "bob"])  # an RSA and an EC key on the token
def test_a_token_signer_signs_with_the_key_on_the_card(soft_token, label):
    signer = keys.load_pkcs11(soft_token.module, soft_token.label, soft_token.pin, label)
    try:
        signature = signer.sign(DATA)
        assert signer.certificate == soft_token.identities[label].der
        assert signer.source == "pkcs11"
        assert keys.verify(signer.certificate, DATA, signature)
        assert not keys.verify(signer.certificate, b"other", signature)
    finally:
        signer.close()


def test_a_wrong_pin_an_absent_token_or_key_is_one_clear_error(soft_token):
    with pytest.raises(WorkbenchError, match="PIN is wrong"):
        keys.load_pkcs11(soft_token.module, soft_token.label, "0000", "alice")
    with pytest.raises(WorkbenchError, match="no-such-card"):
        keys.load_pkcs11(soft_token.module, "no-such-card", soft_token.pin, "alice")
    with pytest.raises(WorkbenchError, match="carol"):
        keys.load_pkcs11(soft_token.module, soft_token.label, soft_token.pin, "carol")
    with pytest.raises(WorkbenchError, match="module"):
        keys.load_pkcs11("/nonexistent/libpkcs11.so", soft_token.label, soft_token.pin, "x")


def test_chains_to_accepts_an_issued_certificate_and_refuses_a_self_made_one():
    root, issuing = pki.hierarchy()
    person = pki.make("Dana Reyes", issuer=issuing)
    assert keys.chains_to(person.der, [root.der], [issuing.der])
    assert keys.chains_to(person.der, [issuing.der])  # a pinned intermediate is enough
    assert not keys.chains_to(person.der, [root.der])  # the intermediate is missing
    impostor = pki.make("Dana Reyes")  # same name, self-made
    assert not keys.chains_to(impostor.der, [root.der], [issuing.der])
    # a look-alike CA with the real issuer's name but another key
    fake_ca = pki.make("CNE Test Issuing CA", ca=True)
    forged = pki.make("Dana Reyes", issuer=fake_ca)
    assert not keys.chains_to(forged.der, [root.der], [issuing.der, fake_ca.der])


def test_chains_to_refuses_an_expired_certificate_and_a_non_ca_issuer():
    root = pki.make("CNE Test Root CA", ca=True, not_before=pki.NOW - dt.timedelta(days=500))
    old = pki.make(
        "Old Key",
        issuer=root,
        not_before=pki.NOW - dt.timedelta(days=400),
        not_after=pki.NOW - dt.timedelta(days=1),
    )
    assert not keys.chains_to(old.der, [root.der])
    assert keys.chains_to(old.der, [root.der], at=pki.NOW - dt.timedelta(days=100))
    leaf = pki.make("Not A CA")
    issued_by_leaf = pki.make("Dana Reyes", issuer=leaf)
    assert not keys.chains_to(issued_by_leaf.der, [leaf.der])


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical.canonical_json({"b": 1, "a": "Odiña"}) == '{"a":"Odiña","b":1}'.encode()
    with pytest.raises(ValueError):
        canonical.canonical_json({"x": float("nan")})


def test_a_pdf_signer_signs_a_pdf_through_the_same_key(tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "x.pdf"
    c = canvas.Canvas(str(pdf))
    c.drawString(72, 720, "Published")
    c.save()
    ident = pki.make("Dana Reyes", kind="rsa")
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "d.p12"), "secret")
    with pdf.open("rb") as f:
        out = signers.sign_pdf(
            IncrementalPdfFileWriter(f),
            signers.PdfSignatureMetadata(field_name="Sig"),
            signer=signer.pdf_signer(),
        )
    from workbench.pdf.sign import check_signatures

    [check] = check_signatures(out.getvalue())
    assert check.ok and check.signer == "Dana Reyes"


# -- the workspace's own key -----------------------------------------------------------------
@pytest.mark.sqlite_only
def test_the_workspace_key_keeps_its_private_half_out_of_the_file(ws, ws_path, workspace_key_dir):
    signer = workspace_key.signer(ws)
    assert signer.source == "workspace" and signer.person_id is None
    signature = signer.sign(DATA)
    assert workspace_key.certificates(ws) == [signer.certificate]
    # the private key is a file only this OS account can read, outside the workspace
    [key_file] = workspace_key_dir.iterdir()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ws.close()
    raw = ws_path.read_bytes()
    assert b"PRIVATE KEY" not in raw and key_file.read_bytes() not in raw
    # the same account gets the same key back; the signature verifies with the stored cert
    with Workspace.open(ws_path) as again:
        assert workspace_key.signer(again).fingerprint == signer.fingerprint
        assert keys.verify(workspace_key.certificates(again)[0], DATA, signature)


def test_someone_holding_only_the_file_cannot_sign_as_the_workspace(
    ws, ws_path, tmp_path, monkeypatch
):
    first = workspace_key.signer(ws)
    ws.close()
    monkeypatch.setenv(workspace_key.KEY_DIR_ENV, str(tmp_path / "adversary"))
    with Workspace.open(ws_path) as copy:
        assert workspace_key.signer(copy, create=False) is None
        theirs = workspace_key.signer(copy)  # they may make their own, visibly a new key
        assert theirs.fingerprint != first.fingerprint
        assert len(workspace_key.certificates(copy)) == 2
        actions = [e.action for e in audit.entries(copy)]
        assert actions.count("authority.workspace_key") == 2


# -- the directory's certificates and pinned roots -------------------------------------------
def test_trust_check_counts_only_the_directory_certificate_under_the_pinned_root(ws):
    root, issuing = pki.hierarchy()
    dana = directory.add_person(ws, "Dana Reyes", organization="CNE", roles=["director"])
    assert not trust.keys_configured(ws)
    real = pki.make("Dana Reyes", issuer=issuing)
    trust.set_person_certificate(ws, dana, real.pem)
    assert trust.keys_configured(ws)
    good = keys.from_private_key(real.key, real.der, source="pkcs12").sign(DATA)
    status = trust.check(ws, DATA, good, real.der, person_id=dana)
    assert status.counts and status.describe() == "signed by Dana Reyes"
    assert trust.check(ws, DATA, None, None, person_id=dana).describe() == "unsigned"
    tampered = trust.check(ws, DATA + b"x", good, real.der, person_id=dana)
    assert not tampered.counts and "altered" in tampered.reason
    impostor = pki.make("Dana Reyes")
    forged = keys.from_private_key(impostor.key, impostor.der, source="pkcs12").sign(DATA)
    assert "directory" in trust.check(ws, DATA, forged, impostor.der, person_id=dana).reason
    # pinning a root the certificate does not chain to (the intermediate not stored) refuses it
    trust.pin_trust_anchor(ws, root.der)
    assert "pinned root" in trust.check(ws, DATA, good, real.der, person_id=dana).reason
    trust.pin_trust_anchor(ws, issuing.der)
    assert trust.check(ws, DATA, good, real.der, person_id=dana).counts
    with pytest.raises(RuleViolation, match="pinned trust root"):
        trust.set_person_certificate(ws, dana, impostor.der)
    with pytest.raises(WorkbenchError, match="not an X.509"):
        trust.set_person_certificate(ws, dana, b"garbage")
    assert trust.person_certificate(ws, dana) == real.der


def test_a_workspace_key_seal_is_unsigned_but_detects_tampering(ws):
    seal = workspace_key.signer(ws)
    signature = seal.sign(DATA)
    status = trust.check(ws, DATA, signature, seal.certificate, person_id=None)
    assert status.state == trust.UNSIGNED and status.sealed
    assert trust.check(ws, b"changed", signature, seal.certificate, person_id=None).state == (
        trust.INVALID
    )
