"""Forged and edited exchange files: each attack someone holding a packet could try is refused."""

from __future__ import annotations

import json

import pytest
from exchange_helpers import snapshot

from tests import pki
from workbench import directory
from workbench.authority import keys, trust
from workbench.coordination import requests as rq
from workbench.coordination.publication import coordination_record
from workbench.exchange.formats import ExchangeError, canonical
from workbench.exchange.packets import export_packet, read_packet
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession


@pytest.fixture
def packet(ws, review, tmp_path):
    return export_packet(ws, review.request_id, tmp_path / "uscg.cnereview")


def _session(packet, position="concur_with_comment", comment=True):
    session = ReviewSession.open(packet)
    if comment:
        session.add_comment(
            session.packet.sections[0].section_id,
            "S",
            "Name the semi-submersible share.",
            quoted_passage="most cocaine",
        )
    session.set_reviewer("Rear Admiral Jane Hale")
    session.set_position(position)
    return session


def _rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _refused(ws, path, match):
    before = snapshot(ws)
    with pytest.raises(ExchangeError, match=match):
        import_response(ws, path)
    assert snapshot(ws) == before


def test_the_packet_carries_no_secret_and_is_signed(ws, review, packet):
    token = ws.db.execute("SELECT token FROM review_requests").fetchone()[0]
    assert token not in packet.read_text(encoding="utf-8")
    data = json.loads(packet.read_text(encoding="utf-8"))
    sig = data.pop("signature")
    import base64

    cert = base64.b64decode(sig["certificate"])
    assert keys.verify(cert, canonical(data), base64.b64decode(sig["value"]))
    assert read_packet(packet).signer == keys.subject_name(cert)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["sections"][0].update(body="SPSS carry a small share of cocaine."),
        lambda d: d.update(suspense_date="2027-06-30"),
        lambda d: d.update(instructions="No need to answer."),
    ],
    ids=["text", "suspense", "instructions"],
)
def test_a_packet_edited_in_transit_is_refused_by_the_review_window(packet, edit):
    def change(d):
        edit(d)
        from workbench.sections import content_hash

        for s in d["sections"]:  # a careful editor keeps the fingerprints consistent
            s["content_hash"] = content_hash(s["heading"], s["body"])

    _rewrite(packet, change)
    with pytest.raises(ExchangeError, match="changed after CNE signed it"):
        ReviewSession.open(packet)


def test_a_section_edited_without_its_fingerprint_is_refused(packet):
    _rewrite(packet, lambda d: d["sections"][0].update(body="Edited.") or d.pop("signature"))
    with pytest.raises(ExchangeError, match="was changed after CNE sent it"):
        ReviewSession.open(packet)


def test_an_answer_to_text_cne_never_sent_is_refused(ws, packet, tmp_path):
    from workbench.sections import content_hash

    def forge(d):
        d.pop("signature")
        s = d["sections"][0]
        s["body"] = "Go-fast boats carry most cocaine; SPSS are a myth."
        s["content_hash"] = content_hash(s["heading"], s["body"])

    _rewrite(packet, forge)
    session = _session(packet)
    assert session.packet.signature_problem  # the reviewer was warned
    out = session.export_response(tmp_path / "r.cneresponse")
    _refused(ws, out, "answers text CNE never sent for review request 1")


def test_a_response_claiming_to_have_seen_other_text_is_refused(ws, packet, tmp_path):
    out = _session(packet).export_response(tmp_path / "r.cneresponse")
    _rewrite(out, lambda d: d["body"]["sections_seen"][0].update(content_hash="0" * 64))
    _refused(ws, out, "saw text for §1.1 that CNE never sent")


def test_a_quoted_passage_absent_from_the_sent_text_is_refused(ws, packet, tmp_path):
    out = _session(packet).export_response(tmp_path / "r.cneresponse")
    _rewrite(
        out,
        lambda d: d["body"]["comments"][0].update(quoted_passage="CNE admits the strategy fails"),
    )
    _refused(ws, out, "quotes a passage that is not in the text sent")


def test_concur_together_with_a_critical_comment_is_refused(ws, packet, tmp_path):
    out = _session(packet, position="non_concur").export_response(tmp_path / "r.cneresponse")

    def soften(d):
        d["body"]["position"] = "concur"
        d["body"]["comments"][0].update(type="C", critical_ground="safety")

    _rewrite(out, soften)
    _refused(ws, out, "concurs but carries a Critical comment")


@pytest.mark.parametrize("when", ["2999-01-01T00:00:00Z", "2020-01-01T00:00:00Z"])
def test_a_date_outside_the_requests_life_is_refused(ws, packet, tmp_path, when):
    out = _session(packet).export_response(tmp_path / "r.cneresponse")
    _rewrite(out, lambda d: d["body"].update(created_at=when))
    _refused(ws, out, f"dated {when[:10]}, outside the life of request 1")


def test_a_huge_sequence_number_cannot_lock_the_reviewer_out(ws, packet, tmp_path):
    forged = _session(packet).export_response(tmp_path / "forged.cneresponse")
    _rewrite(forged, lambda d: d["body"].update(sequence=2**62 - 1, response_id="x" * 32))
    _refused(ws, forged, "far beyond the next response expected")
    real = _session(packet, comment=False)  # the draft beside the packet keeps its comment
    result = import_response(ws, real.export_response(tmp_path / "real.cneresponse"))
    assert result.added == 1 and not result.already_imported


def test_a_response_naming_someone_else_is_refused(ws, packet, tmp_path):
    directory.add_person(
        ws, "Harper Quillfeather", title="Director", organization="CNE", roles=["director"]
    )
    out = _session(packet).export_response(tmp_path / "r.cneresponse")
    _rewrite(out, lambda d: d["body"].update(reviewer_name="Harper Quillfeather"))
    _refused(ws, out, "in the name of Harper Quillfeather \\(CNE\\), who does not speak for USCG")


def test_a_response_for_an_already_published_version_is_refused(ws, review, packet, tmp_path):
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    first = _session(packet, position="concur", comment=False)
    import_response(ws, first.export_response(tmp_path / "first.cneresponse"))
    cbp = rq.create_request(ws, review.doc_id, "CBP", send=True)
    from workbench.authority.identity import acting_as
    from workbench.coordination.positions import record_position
    from workbench.coordination.publication import publish

    record_position(ws, review.doc_id, "CBP", "concur", by_name="Pat Moreno", request_id=cbp)
    with acting_as(ws, "Dana Reyes"):
        publish(ws, review.doc_id)
    late = _session(packet, position="non_concur", comment=False)
    _refused(ws, late.export_response(tmp_path / "late.cneresponse"), "already published")


def test_an_unsigned_response_is_recorded_as_an_unauthenticated_reviewer(
    ws, review, packet, tmp_path
):
    result = import_response(ws, _session(packet).export_response(tmp_path / "r.cneresponse"))
    assert result.authentication == "unauthenticated reviewer"
    assert "Unauthenticated reviewer" in result.summary()
    (uscg,) = [
        o for o in coordination_record(ws, review.doc_id)["organizations"] if o["code"] == "USCG"
    ]
    assert uscg["authentication"] == "unauthenticated reviewer"


@pytest.fixture
def hale_key(ws):
    hale = next(p.id for p in directory.people(ws) if p.name == "Rear Admiral Jane Hale")
    identity = pki.make("Rear Admiral Jane Hale")
    trust.set_person_certificate(ws, hale, identity.der)
    return keys.from_private_key(identity.key, identity.der, source="pkcs12")


def test_a_signed_response_counts_and_an_edit_after_signing_is_refused(
    ws, packet, tmp_path, hale_key
):
    out = _session(packet).export_response(tmp_path / "r.cneresponse", hale_key)
    before = out.read_text(encoding="utf-8")
    _rewrite(out, lambda d: d["body"].update(position="concur", comments=[]))
    _refused(
        ws, out, "signature by Rear Admiral Jane Hale does not count \\(the record was altered"
    )
    out.write_text(before, encoding="utf-8")
    result = import_response(ws, out)
    assert result.authentication == "signed by Rear Admiral Jane Hale"


def test_a_response_signed_with_a_self_made_key_is_refused(ws, packet, tmp_path, hale_key):
    impostor = pki.make("Rear Admiral Jane Hale")
    fake = keys.from_private_key(impostor.key, impostor.der, source="pkcs12")
    out = _session(packet).export_response(tmp_path / "r.cneresponse", fake)
    _refused(ws, out, "does not count")


def test_check_replays_an_imported_response(ws, packet, tmp_path):
    from workbench.maintenance.check import check_workspace

    import_response(ws, _session(packet).export_response(tmp_path / "r.cneresponse"))
    ws.db.execute("UPDATE comments SET type = 'A'")
    ws.close()
    faults = check_workspace(ws.path).problems("audit replay")
    assert any(
        "is Administrative, but the audit log recorded it as Substantive" in f for f in faults
    ), faults


def _sender_with_key(ws, tmp_path, name="Morgan Ames"):
    """An analyst whose certificate the directory holds, acting with their key open."""
    person = directory.add_person(ws, name, title="Analyst", organization="CNE")
    ident = pki.make(name, kind="ec")
    trust.set_person_certificate(ws, person, ident.der)
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "sender.p12"), "secret", person_id=person)
    return ident, signer


def test_a_packet_is_signed_with_the_senders_own_key_when_they_have_one(ws, review, tmp_path):
    from workbench.authority import identity

    ident, signer = _sender_with_key(ws, tmp_path)
    with identity.acting_as(ws, "Morgan Ames"):
        ws.signer = signer
        path = export_packet(ws, review.request_id, tmp_path / "personal.cnereview")
    p = read_packet(path)
    assert (p.signer, p.signer_kind) == ("Morgan Ames", "person")
    assert p.signer_fingerprint == keys.fingerprint(ident.der) and not p.signature_problem
    # The audit head inside is signed by the same person, and this workspace trusts it.
    from workbench.authority import signed_heads

    head = json.loads(path.read_text(encoding="utf-8"))["audit_head"]
    status = signed_heads.verify(ws, head)
    assert (status.state, status.signer) == ("signed", "Morgan Ames")


def test_without_a_personal_key_the_packet_is_signed_with_the_workspace_key(ws, review, tmp_path):
    from workbench.authority import identity

    _sender_with_key(ws, tmp_path)
    with identity.acting_as(ws, "Morgan Ames"):  # the certificate is known, the key not open
        path = export_packet(ws, review.request_id, tmp_path / "sealed.cnereview")
    p = read_packet(path)
    assert p.signer_kind == "workspace" and p.signer.startswith("CNE Workbench workspace")


def test_a_head_edited_in_a_packet_no_longer_holds(ws, review, packet):
    from workbench.authority import signed_heads

    head = json.loads(packet.read_text(encoding="utf-8"))["audit_head"]
    assert signed_heads.verify(ws, head).state == "sealed"
    head["entries"] -= 1
    status = signed_heads.verify(ws, head)
    assert status.state == "invalid" and "changed after it was signed" in status.reason
