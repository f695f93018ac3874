"""Revision history: snapshots from the panel and diffs that mark insertions and deletions."""

from __future__ import annotations

from ui.navigator import SECTION
from workbench import revisions, sections


def test_diff_view_shows_an_inserted_word(qtbot, ws, doc_id, window, dialogs):
    sid = sections.add_section(ws, doc_id, heading="Interdiction", body="Stop the flow at sea.")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    dialogs.text_answers.append("Draft for USCG review")
    window.history.snapshot()
    assert window.ops.flush()
    assert [r.label for r in revisions.list_revisions(ws, doc_id)] == ["Draft for USCG review"]
    assert window.history.list.count() == 1

    body = window.editor.body
    body.moveCursor(body.textCursor().MoveOperation.End)
    body.moveCursor(body.textCursor().MoveOperation.Left)  # before the full stop
    qtbot.keyClicks(body, " and ashore")
    assert window.autosave.flush_sync()

    window.history.list.item(0).setSelected(True)
    view = window.history.view
    assert "Stop the flow at sea and ashore." in view.toPlainText()
    html = view.toHtml()
    assert "ashore" in html
    (changed,) = view.diffs
    inserted = [w.text for p in changed.paragraphs for w in p.words if w.op == "insert"]
    assert "".join(inserted).strip() == "and ashore"
    cursor = view.document().find("ashore")
    assert cursor.charFormat().fontUnderline()
    assert not view.document().find("Stop").charFormat().fontUnderline()


def test_two_revisions_compare_old_to_new(qtbot, ws, doc_id, window):
    sid = sections.add_section(ws, doc_id, heading="Threat", body="Cocaine moves by sea.")
    first = revisions.snapshot_revision(ws, doc_id, "v1")
    sections.edit_section(ws, sid, body="Fentanyl moves by land.")
    revisions.snapshot_revision(ws, doc_id, "v2")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    window.history.refresh()
    for i in range(window.history.list.count()):
        window.history.list.item(i).setSelected(True)
    view = window.history.view
    assert window.history.selected_ids()[0] == first
    deleted = view.document().find("Cocaine")
    inserted = view.document().find("Fentanyl")
    assert deleted.charFormat().fontStrikeOut()
    assert inserted.charFormat().fontUnderline()
