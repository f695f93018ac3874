"""Signed decisions and the gate: the attacks on who decided, each a test."""

from __future__ import annotations

import pytest

from tests import pki
from workbench import audit, directory, documents, sections
from workbench.authority import approvals, decisions, identity, keys, rulings, trust
from workbench.coordination import comments as cm
from workbench.coordination import positions as po
from workbench.coordination import publication as pub
from workbench.coordination.gate import publication_blockers
from workbench.errors import RuleViolation


def messages(ws, doc):
    return [b.message for b in publication_blockers(ws, doc).blockers]


@pytest.fixture
def solo(ws, council):
    """A document nobody was asked to review: no equities, no request."""
    doc = documents.create_document(ws, "sop", "Budget Review SOP")
    sections.add_section(ws, doc, heading="Scope", body="CNE's own budget cycle.")
    return doc


def test_a_document_nobody_was_asked_to_review_is_not_ready(ws, solo):
    # The attack: no equities tagged, never sent to anyone, "Ready to publish", and published.
    assert publication_blockers(ws, solo).summary() == "1 reason this cannot be published yet"
    assert messages(ws, solo)[0].startswith("Nobody was asked to review Budget Review SOP")
    with identity.acting_as(ws, "Dana Reyes"), pytest.raises(RuleViolation, match="Nobody"):
        pub.publish(ws, solo)
    with identity.acting_as(ws, "Pat Moreno"), pytest.raises(RuleViolation, match="Director"):
        rulings.no_coordination_required(ws, solo, reason="Internal.")
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="CNE's internal budget process.")
        assert messages(ws, solo) == []
        pub.publish(ws, solo)
    [d, p] = decisions.decisions(ws, solo)
    assert (d.kind, d.reason, d.signature_label) == (
        "no_coordination",
        "CNE's internal budget process.",
        "unsigned",
    )
    assert p.kind == "publish" and p.counts


def test_an_empty_document_is_not_ready(ws, council):
    doc = documents.create_document(ws, "sop", "Empty SOP")
    assert messages(ws, doc)[0] == "Empty SOP has no sections."
    sections.add_section(ws, doc, heading="Scope", equities=["USCG"])
    assert "Empty SOP has no text yet." in messages(ws, doc)


def test_a_clearance_is_the_persons_not_the_os_login(ws, council):
    # The attack: the record said "Cleared by root".
    doc = documents.create_document(ws, "strategy", "S")
    sid = sections.add_section(ws, doc, heading="Maritime", body="Text.", equities=["USCG"])
    cid = cm.add_comment(
        ws, doc, organization_code="USCG", type="C", section_id=sid, comment_text="Wrong.",
        critical_ground="law",
    )  # fmt: skip
    with identity.acting_as(ws, "Dana Reyes"):
        cm.adjudicate_comment(ws, cid, "accepted")
    [event] = po.events(ws, doc, directory.organization(ws, "USCG").id)
    assert event.kind == "cleared" and event.by_name == "Dana Reyes"
    entry = audit.entries(ws, action_prefix="comment.adjudicate")[0]
    assert entry.actor == "Dana Reyes"


def test_once_keys_exist_an_unsigned_or_tampered_decision_does_not_count(ws, solo, tmp_path):
    dana = identity.find_person(ws, "Dana Reyes").id
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="Internal.")
    assert messages(ws, solo) == []
    # Keys arrive: the unsigned ruling no longer counts, and the gate says so.
    real = pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, real.der)
    assert messages(ws, solo)[0].startswith("Nobody was asked")
    signer = keys.load_pkcs12(real.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    with identity.acting_as(ws, "Dana Reyes"):
        with pytest.raises(RuleViolation, match="signs decisions with a key"):
            rulings.no_coordination_required(ws, solo, reason="Internal.")
        impostor = pki.make("Dana Reyes")
        fake = keys.from_private_key(impostor.key, impostor.der, source="pkcs12", person_id=dana)
        with pytest.raises(RuleViolation, match="not the certificate the directory holds"):
            rulings.no_coordination_required(ws, solo, reason="Internal.", signer=fake)
        rulings.no_coordination_required(ws, solo, reason="Internal, signed.", signer=signer)
    assert messages(ws, solo) == []
    # Someone holding the file (or owning the database) rewrites the stored record, the
    # trigger dropped first.
    ws.db.execute("DROP TRIGGER decisions_no_update" + (" ON decisions" if ws.shared else ""))
    ws.db.execute(
        "UPDATE decisions SET record = replace(record, 'Internal, signed.', 'Other reason.')"
    )
    latest = decisions.decisions(ws, solo)[-1]
    assert not latest.counts and latest.signature_label.startswith("signature INVALID")
    assert messages(ws, solo)[0].startswith("Nobody was asked")


def test_a_waiver_inserted_by_hand_does_not_count_once_keys_exist(ws, council):
    doc = documents.create_document(ws, "strategy", "S")
    sid = sections.add_section(ws, doc, heading="Ports", body="Text.", equities=["CBP"])
    trust.set_person_certificate(ws, identity.find_person(ws, "Dana Reyes").id, pki.make("D").der)
    ws.db.execute(
        "INSERT INTO waivers (document_id, organization_id, section_id, document_version, "
        "by_name, at, reason) VALUES (?, ?, ?, 1, 'Dana Reyes', ?, 'Forged.')",
        [doc, directory.organization(ws, "CBP").id, sid, ws.now()],
    )
    assert messages(ws, doc) == [
        "CBP has not reviewed §1; its waiver does not count (no signed decision)"
    ]


def test_an_approval_chain_names_the_pending_step_and_a_change_sends_it_back(ws, council):
    chief = directory.add_person(ws, "Kim Vale", title="Branch chief", organization="CNE")
    deputy = directory.add_person(ws, "Ari Stone", title="Deputy director", organization="CNE")
    with identity.acting_as(ws, "Dana Reyes"):
        approvals.set_chain(ws, "strategy", [("Branch chief", chief), ("Deputy director", deputy)])
    doc = documents.create_document(ws, "strategy", "S")
    sid = sections.add_section(ws, doc, heading="Maritime", body="Text.", equities=["USCG"])
    assert "Approval: awaiting Branch chief (Kim Vale)" in messages(ws, doc)
    with identity.acting_as(ws, "Ari Stone"), pytest.raises(RuleViolation, match="awaits Branch"):
        rulings.approve(ws, doc)
    with identity.acting_as(ws, "Kim Vale"):
        rulings.approve(ws, doc)
    assert "Approval: awaiting Deputy director (Ari Stone)" in messages(ws, doc)
    with identity.acting_as(ws, "Ari Stone"):
        rulings.approve(ws, doc)
    assert not [m for m in messages(ws, doc) if m.startswith("Approval")]
    sections.edit_section(ws, sid, body="Changed text.")
    assert [m for m in messages(ws, doc) if m.startswith("Approval")] == [
        "Approval: the text changed after Branch chief (Kim Vale) cleared it on 2026-11-02; "
        "it is back with them"
    ]


def test_a_decision_signed_with_a_file_key_counts(ws, solo, tmp_path):
    """(How long signing takes is measured by bench/bench_authority.py, not here.)"""
    dana = identity.find_person(ws, "Dana Reyes").id
    real = pki.make("Dana Reyes", kind="rsa")
    trust.set_person_certificate(ws, dana, real.der)
    signer = keys.load_pkcs12(real.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="Internal.", signer=signer)
    assert decisions.decisions(ws, solo)[-1].signature_label == "signed by Dana Reyes"


def _relied(ws, doc) -> list[str]:
    return [d.message for d in publication_blockers(ws, doc).decisions]


def test_the_gate_shows_each_decision_it_counts_and_how_it_is_signed(ws, solo, tmp_path):
    # Without keys a ruling counts, but the gate says it is unsigned instead of hiding it.
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="Internal.")
    assert _relied(ws, solo) == ["No coordination required, ruled by Dana Reyes — unsigned"]
    dana = identity.find_person(ws, "Dana Reyes").id
    real = pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, real.der)
    assert _relied(ws, solo) == []  # it no longer counts: a reason again, not a decision
    signer = keys.load_pkcs12(real.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="Internal.", signer=signer)
    assert _relied(ws, solo) == [
        "No coordination required, ruled by Dana Reyes — signed by Dana Reyes"
    ]
    with identity.acting_as(ws, "Dana Reyes"):
        pub.publish(ws, solo, signer=signer)
    report = publication_blockers(ws, solo)
    assert report.state == "published"
    assert _relied(ws, solo) == ["Published by Dana Reyes — signed by Dana Reyes"]


def test_an_unsigned_waiver_and_approval_are_shown_unsigned(ws, council):
    chief = directory.add_person(ws, "Kim Vale", title="Branch chief", organization="CNE")
    with identity.acting_as(ws, "Dana Reyes"):
        approvals.set_chain(ws, "strategy", [("Branch chief", chief)])
    doc = documents.create_document(ws, "strategy", "S")
    sections.add_section(ws, doc, heading="Ports", body="Text.", equities=["CBP"])
    with identity.acting_as(ws, "Kim Vale"):
        rulings.approve(ws, doc)
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.waive_review(ws, doc, "CBP", reason="CBP declined to review.")
    assert messages(ws, doc) == []
    assert _relied(ws, doc) == [
        "CBP's review waived by Dana Reyes — unsigned",
        "Approval: Branch chief (Kim Vale) cleared this version — unsigned",
    ]


def test_the_coordination_record_and_the_pdf_show_an_unsigned_ruling(ws, solo):
    import io

    from pypdf import PdfReader

    from workbench.exports import export_pdf

    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="CNE's internal budget process.")
        pub.publish(ws, solo)
    [ruling] = pub.published_snapshot(ws, solo)["coordination"]["rulings"]
    assert (ruling["what"], ruling["by_name"], ruling["signature"]) == (
        "No coordination required",
        "Dana Reyes",
        "unsigned",
    )
    data = export_pdf(ws, solo).data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    assert "Approvals and rulings" in text
    assert "Dana Reyes [unsigned]" in text and "CNE's internal budget process." in text
    assert "by Dana Reyes (unsigned)" in text  # the publication itself, on the cover


def _word_rulings(ws, doc) -> list[list[str]]:
    """The Word export's "Approvals and rulings" table, read with python-docx."""
    import io

    import docx

    from workbench.word.export import export_docx

    d = docx.Document(io.BytesIO(export_docx(ws, doc).data))
    heading = next(p for p in d.paragraphs if p.text == "Approvals and rulings")
    assert heading.style.name == "Heading 2"
    [table] = [t for t in d.tables if t._tbl is heading._p.getnext()]
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_word_record_shows_unsigned_approvals_and_rulings_as_unsigned(ws, solo):
    chief = directory.add_person(ws, "Kim Vale", title="Branch chief", organization="CNE")
    with identity.acting_as(ws, "Dana Reyes"):
        approvals.set_chain(ws, "sop", [("Branch chief", chief)])
    with identity.acting_as(ws, "Kim Vale"):
        rulings.approve(ws, solo)
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="CNE's internal budget process.")
        pub.publish(ws, solo)
    rows = _word_rulings(ws, solo)
    assert rows[0] == ["Decision", "By", "Date", "Reason"]
    assert [[r[0], r[1], r[3]] for r in rows[1:]] == [
        ["Approval: Branch chief", "Kim Vale [unsigned]", ""],
        ["No coordination required", "Dana Reyes [unsigned]", "CNE's internal budget process."],
    ]
    assert all(r[2] for r in rows[1:])  # each dated


def test_the_word_record_names_who_signed_a_ruling(ws, solo, tmp_path):
    dana = identity.find_person(ws, "Dana Reyes").id
    real = pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, real.der)
    signer = keys.load_pkcs12(real.write_p12(tmp_path / "d.p12"), "secret", person_id=dana)
    with identity.acting_as(ws, "Dana Reyes"):
        rulings.no_coordination_required(ws, solo, reason="Internal.", signer=signer)
        pub.publish(ws, solo, signer=signer)
    [_, ruling] = _word_rulings(ws, solo)
    assert ruling[:2] == ["No coordination required", "Dana Reyes [signed by Dana Reyes]"]


def test_only_the_director_sets_an_approval_chain(ws, council):
    chief = directory.add_person(ws, "Kim Vale", title="Branch chief", organization="CNE")
    with (
        identity.acting_as(ws, "Kim Vale"),
        pytest.raises(
            RuleViolation,
            match="Only the Director can change approval chains; you are acting as Kim",
        ),
    ):
        approvals.set_chain(ws, "strategy", [])
    with identity.acting_as(ws, "Dana Reyes"):
        approvals.set_chain(ws, "strategy", [("Branch chief", chief)])
    with identity.acting_as(ws, "Kim Vale"), pytest.raises(RuleViolation):
        approvals.set_chain(ws, "strategy", [])  # the chief cannot drop their own step
    assert [s.title for s in approvals.chain(ws, "strategy")] == ["Branch chief"]
