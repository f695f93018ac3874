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
    qtbot.waitUntil(lambda: "Stop the flow at sea and ashore." in view.toPlainText())
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
    qtbot.waitUntil(lambda: "Fentanyl" in view.toPlainText())
    deleted = view.document().find("Cocaine")
    inserted = view.document().find("Fentanyl")
    assert deleted.charFormat().fontStrikeOut()
    assert inserted.charFormat().fontUnderline()


def test_a_long_diff_runs_off_the_ui_thread_and_only_the_newest_is_shown(
    qtbot, ws, doc_id, window, monkeypatch
):
    import threading

    sid = sections.add_section(ws, doc_id, heading="List", body="- one\n- two")
    first = revisions.snapshot_revision(ws, doc_id, "v1")
    sections.edit_section(ws, sid, body="- one\n- three")
    revisions.snapshot_revision(ws, doc_id, "v2")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    window.history.refresh()
    threads = []
    real = revisions.diff_revisions

    def recording(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args)

    monkeypatch.setattr(revisions, "diff_revisions", recording)
    window.history.list.item(1).setSelected(True)  # v1 alone: v1 -> current text
    window.history.list.item(0).setSelected(True)  # then both: v1 -> v2, the newest asked
    view = window.history.view
    qtbot.waitUntil(lambda: "three" in view.toPlainText() and "→ v2" in view.toPlainText())
    assert threads and not any(threads)  # never on the UI thread
    assert window.history.selected_ids()[0] == first
