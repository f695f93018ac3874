"""Review mode as a reviewer uses it: quoting across markup, editing a comment, no defaults."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.review import open_packet
from workbench import documents, sections
from workbench.coordination import requests as rq
from workbench.exchange.packets import export_packet

LONG = "Detection and monitoring of self-propelled semi-submersibles across the Eastern Pacific"


@pytest.fixture
def review_window(ws, tmp_path, qtbot):
    doc_id = documents.create_document(ws, "strategy", "SPSS Strategy")
    sections.add_section(
        ws,
        doc_id,
        heading="Purpose and Scope",
        body="The **Coast Guard** leads *maritime* interdiction, see [the plan](https://x.gov).",
        equities=["USCG"],
    )
    sections.add_section(ws, doc_id, heading=LONG, body="Cutters patrol.", equities=["USCG"])
    rid = rq.create_request(ws, doc_id, "USCG", reviewer_name="CAPT Ann Ruiz", send=True)
    window = open_packet(export_packet(ws, rid, tmp_path / "uscg.cnereview"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def select_rendered(window, phrase):
    found = window.text.document().find(phrase)
    assert not found.isNull(), phrase
    window.text.setTextCursor(found)


def test_a_quote_across_bold_italic_and_a_link_is_accepted(qtbot, review_window, dialogs):
    w = review_window
    select_rendered(w, "Coast Guard leads maritime interdiction, see the plan")
    w.quote_selection()
    assert w.passage.text() == "Coast Guard leads maritime interdiction, see the plan"
    w.type_box.setCurrentIndex(w.type_box.findData("S"))
    qtbot.keyClicks(w.comment_edit, "Name the lead office.")
    qtbot.mouseClick(w.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown == []
    assert len(w.session.comments) == 1


def test_no_type_is_preselected_and_it_does_not_carry_to_the_next_section(
    qtbot, review_window, dialogs
):
    w = review_window
    assert w.type_box.currentData() is None
    qtbot.keyClicks(w.comment_edit, "Unclear.")
    qtbot.mouseClick(w.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.kinds() == ["error"]
    assert "Choose the comment's type" in dialogs.shown[0][2]
    assert w.session.comments == []
    w.type_box.setCurrentIndex(w.type_box.findData("C"))
    w.ground_box.setCurrentIndex(w.ground_box.findData("safety"))
    w.sections.setCurrentRow(2)
    assert w.type_box.currentData() is None
    assert w.ground_box.currentData() is None


def test_a_reviewer_can_edit_a_comment(qtbot, review_window, dialogs):
    w = review_window
    w.type_box.setCurrentIndex(w.type_box.findData("A"))
    qtbot.keyClicks(w.comment_edit, "Typo in heading.")
    qtbot.mouseClick(w.add_button, Qt.MouseButton.LeftButton)
    w.comment_list.setCurrentRow(0)
    qtbot.mouseClick(w.edit_button, Qt.MouseButton.LeftButton)
    assert w.add_button.text() == "Save comment"
    assert w.comment_edit.toPlainText() == "Typo in heading."
    w.comment_edit.selectAll()
    qtbot.keyClicks(w.comment_edit, "Spell out SPSS on first use.")
    w.type_box.setCurrentIndex(w.type_box.findData("S"))
    qtbot.mouseClick(w.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown == []
    assert [(c.type, c.comment) for c in w.session.comments] == [
        ("S", "Spell out SPSS on first use.")
    ]
    assert w.add_button.text() == "Add comment"


def test_the_section_list_shows_long_headings_whole(review_window):
    w = review_window
    item = w.sections.item(2)
    assert LONG in item.toolTip()
    assert w.sections.wordWrap()
    assert w.sections.textElideMode() == Qt.TextElideMode.ElideNone
