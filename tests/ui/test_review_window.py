"""Review mode driven as a reviewer would: packet in, comments and position, response out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui import messages
from ui.review import open_packet
from ui.review.window import ReviewWindow, suspense_text
from workbench import documents, sections
from workbench.coordination import requests as rq
from workbench.coordination.comments import list_comments
from workbench.coordination.positions import latest_positions
from workbench.exchange.packets import export_packet
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@dataclass
class Review:
    doc_id: int
    request_id: int


def make_review(ws) -> Review:
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy", marking=MARKING)
    intro = sections.add_section(ws, doc_id, heading="Purpose", body="Guides interdiction.")
    sections.add_section(
        ws,
        doc_id,
        parent_id=intro,
        heading="Threat",
        body="Self-propelled semi-submersibles carry most cocaine through the transit zone.",
        equities=["USCG"],
    )
    sections.add_section(
        ws,
        doc_id,
        heading="Operations",
        body="The Coast Guard will patrol the Eastern Pacific with two cutters.",
        equities=["USCG"],
    )
    rid = rq.create_request(ws, doc_id, "USCG", reviewer_name="Rear Admiral Jane Hale", send=True)
    return Review(doc_id, rid)


@pytest.fixture
def shown(monkeypatch):
    said = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: said.append(("info", text)))
    monkeypatch.setattr(messages, "error", lambda _p, title, text: said.append(("error", text)))
    return said


@pytest.fixture
def packet(ws, tmp_path):
    review = make_review(ws)
    return review, export_packet(ws, review.request_id, tmp_path / "uscg.cnereview")


def _select(window: ReviewWindow, phrase: str) -> None:
    doc = window.text.document()
    found = doc.find(phrase)
    assert not found.isNull(), phrase
    window.text.setTextCursor(found)


def test_full_round_trip_through_files(ws, packet, qtbot, shown, tmp_path):
    review, path = packet
    window = open_packet(path)
    qtbot.addWidget(window)
    assert window.top_banner.text() == window.bottom_banner.text() == MARKING
    assert window.suspense_label.text().startswith("Suspense ")
    assert [window.sections.item(i).text().strip() for i in range(3)] == [
        "The document as a whole",
        "§1.1  Threat",
        "§2  Operations",
    ]
    assert window.current_section_id() == window.session.packet.sections[0].section_id

    _select(window, "carry most cocaine")
    window.quote_selection()
    assert window.passage.text() == "carry most cocaine"
    window.type_box.setCurrentIndex(window.type_box.findData("C"))
    window.ground_box.setCurrentIndex(window.ground_box.findData("safety"))
    qtbot.keyClicks(window.comment_edit, "Go-fast vessels carry a larger share.")
    qtbot.keyClicks(window.rationale_edit, "JIATF-South 2026 flow data.")
    qtbot.keyClicks(window.wording_edit, "carry much of the cocaine")
    assert window.add_comment()
    assert window.comment_list.count() == 1

    window.sections.setCurrentRow(2)
    window.type_box.setCurrentIndex(window.type_box.findData("A"))
    qtbot.keyClicks(window.comment_edit, "Say which cutters.")
    assert window.add_comment()

    window.name_edit.clear()
    qtbot.keyClicks(window.name_edit, "CAPT Ann Ruiz")
    qtbot.keyClicks(window.title_edit, "Chief of Staff")
    window.position_box.setCurrentIndex(window.position_box.findData("non_concur"))
    assert window.session.draft_path.exists()  # saved beside the packet as it went

    out = window.export_to(tmp_path / "uscg.cneresponse")
    assert out is not None and shown[-1][0] == "info"

    result = import_response(ws, out)
    assert (result.added, result.position) == (2, "non_concur")
    crit, admin = list_comments(ws, review.doc_id)
    assert (crit.type, crit.critical_ground, crit.quoted_passage) == (
        "C",
        "safety",
        "carry most cocaine",
    )
    assert crit.proposed_wording == "carry much of the cocaine"
    assert (admin.section_number, admin.reviewer_name) == ("2", "CAPT Ann Ruiz")
    assert latest_positions(ws, review.doc_id)["USCG"].by_title == "Chief of Staff"


def _click_row(qtbot, window: ReviewWindow, row: int) -> None:
    rect = window.sections.visualItemRect(window.sections.item(row))
    qtbot.mouseClick(window.sections.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_reviewer_comments_on_the_document_as_a_whole(ws, packet, qtbot, shown, tmp_path):
    review, path = packet
    window = open_packet(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _click_row(qtbot, window, 0)
    assert window.about_document() and window.current_section_id() is None
    assert window.form_title.text() == "New comment on the document as a whole"
    shown_text = window.text.toPlainText()
    # Every section sent is shown, so a passage can be quoted from any; none is required.
    assert "carry most cocaine" in shown_text and "two cutters" in shown_text
    window.type_box.setCurrentIndex(window.type_box.findData("S"))
    qtbot.keyClicks(window.comment_edit, "Add a section on funding.")
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert shown == [] and window.comment_list.count() == 1
    assert window.comment_list.item(0).text().startswith("[S] The document as a whole\n")

    _select(window, "two cutters")
    qtbot.mouseClick(window.findChild(QPushButton, "quoteSelection"), Qt.MouseButton.LeftButton)
    assert window.passage.text() == "two cutters"
    window.type_box.setCurrentIndex(window.type_box.findData("A"))
    qtbot.keyClicks(window.comment_edit, "Name the cutters wherever they appear.")
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert shown == [] and window.comment_list.count() == 2

    # A passage from no section sent is refused, here as in CNE's import.
    window.passage.setText("Guides interdiction.")  # §1 Purpose: not sent to USCG
    window.type_box.setCurrentIndex(window.type_box.findData("S"))
    qtbot.keyClicks(window.comment_edit, "Wrong.")
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert shown[-1] == (
        "error",
        "The quoted passage is not in any section of this packet; copy it exactly from the text.",
    )
    window.cancel_edit()

    # Editing it goes back to the document as a whole.
    _click_row(qtbot, window, 2)
    window.comment_list.setCurrentRow(0)
    qtbot.mouseClick(window.edit_button, Qt.MouseButton.LeftButton)
    assert window.about_document()
    assert window.form_title.text() == "Editing the comment on the document as a whole"
    assert window.comment_edit.toPlainText() == "Add a section on funding."
    window.resize(1280, 800)
    window.grab().save(str(tmp_path / "review-document-as-a-whole.png"))
    qtbot.mouseClick(window.cancel_edit_button, Qt.MouseButton.LeftButton)
    assert window.form_title.text() == "New comment on the document as a whole"
    _click_row(qtbot, window, 1)
    assert window.form_title.text() == "New comment on §1.1 Threat"

    window.position_box.setCurrentIndex(window.position_box.findData("concur_with_comment"))
    out = window.export_to(tmp_path / "uscg.cneresponse")
    assert out is not None
    assert import_response(ws, out).added == 2
    funding, cutters = list_comments(ws, review.doc_id)
    assert funding.about_document and funding.comment == "Add a section on funding."
    assert cutters.about_document and cutters.quoted_passage == "two cutters"

    again = ReviewWindow(ReviewSession.open(path))  # the draft beside the packet kept them
    qtbot.addWidget(again)
    assert again.comment_list.count() == 2
    assert again.current_section_id() == again.session.packet.sections[0].section_id


def test_work_in_progress_survives_closing(packet, qtbot, shown):
    _, path = packet
    window = open_packet(path)
    qtbot.addWidget(window)
    window.type_box.setCurrentIndex(window.type_box.findData("S"))  # no type is preset
    qtbot.keyClicks(window.comment_edit, "Unclear who leads.")
    window.add_comment()
    window.position_box.setCurrentIndex(window.position_box.findData("concur_with_comment"))
    window.close()

    again = ReviewWindow(ReviewSession.open(path))
    qtbot.addWidget(again)
    assert again.comment_list.count() == 1
    assert "Unclear who leads." in again.comment_list.item(0).text()
    assert again.position_box.currentData() == "concur_with_comment"


def test_problems_are_explained_not_exported(packet, qtbot, shown):
    _, path = packet
    window = open_packet(path)
    qtbot.addWidget(window)
    assert window.export_clicked() is None
    assert shown[-1] == ("error", "Set USCG's position on the document.")
    window.type_box.setCurrentIndex(window.type_box.findData("S"))  # no type is preset
    qtbot.keyClicks(window.comment_edit, "x")
    window.passage.setText("not in the text")
    assert not window.add_comment()
    assert "quoted passage is not in 1.1 Threat" in shown[-1][1]


def test_unreadable_packet_is_explained(tmp_path, qtbot, shown):
    bad = tmp_path / "bad.cnereview"
    bad.write_text("{ not json", encoding="utf-8")
    assert open_packet(bad) is None
    assert "not a readable review packet" in shown[-1][1]


def test_markup_in_a_packet_is_shown_as_text(ws, tmp_path, qtbot, shown):
    doc = documents.create_document(ws, "sop", "SOP")
    sid = sections.add_section(
        ws, doc, heading="<b>Bold?</b>", body='<img src="http://x/y.png"> <script>x()</script>'
    )
    rid = rq.create_request(ws, doc, "CBP", section_ids=[sid], send=True)
    window = open_packet(export_packet(ws, rid, tmp_path / "p.cnereview"))
    qtbot.addWidget(window)
    shown_text = window.text.toPlainText()
    assert "<script>x()</script>" in shown_text and "<b>Bold?</b>" in shown_text


def test_suspense_text():
    today = dt.date(2026, 11, 2)
    # Veterans Day (Wednesday 11 November) is not a workday.
    assert suspense_text("2026-11-16", today) == ("Suspense 2026-11-16 — 9 workdays left", False)
    assert suspense_text("2026-10-30", today) == ("Suspense 2026-10-30 — OVERDUE", True)


def test_a_packet_edited_in_transit_is_refused_and_an_unsigned_one_is_flagged(
    packet, qtbot, shown, tmp_path
):
    import json

    _review, path = packet
    window = open_packet(path)
    qtbot.addWidget(window)
    signer = window.findChild(type(window.status), "packetSigner")
    assert signer is not None and "Signed with CNE's workspace key" in signer.text()
    assert "not a person's certificate" in signer.text()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["suspense_date"] = "2027-06-30"  # a longer suspense, edited on the way
    edited = tmp_path / "edited.cnereview"
    edited.write_text(json.dumps(data), encoding="utf-8")
    assert open_packet(edited) is None
    assert "changed after CNE signed it" in shown[-1][1]
    data.pop("signature")  # the editor strips the signature instead
    edited.write_text(json.dumps(data), encoding="utf-8")
    flagged = open_packet(edited)
    qtbot.addWidget(flagged)
    warning = flagged.findChild(type(flagged.status), "packetWarning")
    assert warning is not None and "not signed by CNE" in warning.text()
    flagged.show()
    qtbot.waitExposed(flagged)
    flagged.grab().save(str(tmp_path / "unsigned-packet.png"))


def test_the_reviewer_signs_the_response_with_their_certificate(ws, packet, qtbot, shown, tmp_path):
    from tests import pki
    from workbench import directory
    from workbench.authority import trust

    _review, path = packet
    hale = directory.add_person(
        ws, "Rear Admiral Jane Hale", organization="USCG", roles=["liaison"]
    )
    identity = pki.make("Rear Admiral Jane Hale")
    trust.set_person_certificate(ws, hale, identity.der)
    p12 = identity.write_p12(tmp_path / "hale.p12")
    window = open_packet(path)
    qtbot.addWidget(window)
    assert not window.use_certificate(p12, "wrong")
    assert "password is wrong" in shown[-1][1]
    assert window.use_certificate(p12, "secret")
    assert window.sign_button.text() == "Signing as Rear Admiral Jane Hale"
    window.position_box.setCurrentIndex(window.position_box.findData("concur"))
    out = window.export_to(tmp_path / "signed.cneresponse")
    assert out is not None and "signed by Rear Admiral Jane Hale" in shown[-1][1]
    result = import_response(ws, out)
    assert result.authentication == "signed by Rear Admiral Jane Hale"
    assert "The response is signed by Rear Admiral Jane Hale." in result.summary()


def test_the_reviewer_sees_the_figures_the_packet_carries(ws, qtbot, tmp_path):
    from PySide6.QtGui import QTextDocument

    from tests.workbench.pdf.golden import SVG
    from workbench import figures
    from workbench.markdown_model import figure_markdown

    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy", marking=MARKING)
    fid = figures.add_figure(ws, doc_id, SVG, alt="Seizures chart", caption="Stored caption")
    sections.add_section(
        ws,
        doc_id,
        heading="Operations",
        body=f"Cutters patrol.\n\n{figure_markdown(fid, 'Seizures chart', 'Seizures by region')}",
        equities=["USCG"],
    )
    rid = rq.create_request(ws, doc_id, "USCG", reviewer_name="Jane Hale", send=True)
    path = export_packet(ws, rid, tmp_path / "uscg.cnereview")
    ws.db.execute("DELETE FROM figures")  # the reviewer's machine has no such workspace
    window = open_packet(path)
    qtbot.addWidget(window)
    window.sections.setCurrentRow(1)  # the first section, after the document as a whole
    assert "Figure 1. Seizures by region" in window.text.toPlainText()
    image = window.text.document().resource(
        QTextDocument.ResourceType.ImageResource, f"figure:{fid}"
    )
    assert image is not None and not image.isNull()
    window.resize(1100, 700)
    window.grab().save(str(tmp_path / "review-window-figure.png"))


def test_review_mode_names_the_person_who_signed_the_packet(ws, qtbot, tmp_path):
    from tests import pki
    from workbench import directory
    from workbench.authority import identity, keys, trust

    review = make_review(ws)
    root, _ = pki.hierarchy()
    person = directory.add_person(ws, "Morgan Ames", title="Analyst", organization="CNE")
    ident = pki.make("Morgan Ames", issuer=root, kind="ec")
    trust.set_person_certificate(ws, person, ident.der)
    with identity.acting_as(ws, "Morgan Ames"):
        ws.signer = keys.load_pkcs12(
            ident.write_p12(tmp_path / "m.p12"), "secret", person_id=person
        )
        path = export_packet(ws, review.request_id, tmp_path / "signed.cnereview")
    window = open_packet(path)
    qtbot.addWidget(window)
    label = window.findChild(type(window.status), "packetSigner")
    issuer = keys.subject_name(root.der)
    assert label.text().startswith(
        f"Signed by Morgan Ames for CNE (personal certificate issued by {issuer}; key "
    )


def test_a_passage_quoted_across_a_footnote_or_a_cell_break_is_accepted(ws, qtbot, tmp_path, shown):
    """What a reviewer selects is what they see: "[1]" for a citation, a line for a <br>."""
    doc_id = documents.create_document(ws, "strategy", "Maritime Strategy", marking=MARKING)
    sections.add_section(
        ws,
        doc_id,
        heading="Threat",
        body="Seizures rose.[^1] Patrols grew.\n\n| Q | Notes |\n|---|---|\n"
        "| Q1 | First line.<br>Second line. |\n\n[^1]: JIATF data.",
        equities=["USCG"],
    )
    rid = rq.create_request(ws, doc_id, "USCG", reviewer_name="Jane Hale", send=True)
    window = open_packet(export_packet(ws, rid, tmp_path / "uscg.cnereview"))
    qtbot.addWidget(window)
    window.sections.setCurrentRow(1)  # the first section, after the document as a whole
    for start, end in (("Seizures", "Patrols grew"), ("First line", "Second line")):
        text = window.text.toPlainText()
        cursor = window.text.textCursor()
        cursor.setPosition(text.index(start))
        cursor.setPosition(text.index(end) + len(end), cursor.MoveMode.KeepAnchor)
        window.text.setTextCursor(cursor)
        window.quote_selection()
        window.type_box.setCurrentIndex(window.type_box.findData("S"))
        qtbot.keyClicks(window.comment_edit, "Say more.")
        assert window.add_comment(), shown
    assert window.comment_list.count() == 2 and shown == []
