"""Autosave: failures keep the text and retry; the UI thread does not wait for the write."""

from __future__ import annotations

import sqlite3
import time

from PySide6.QtCore import QElapsedTimer, QTimer

from ui.navigator import SECTION
from workbench import sections


def test_failed_save_keeps_text_and_retries(qtbot, ws, doc_id, window, monkeypatch):
    a = sections.add_section(ws, doc_id, heading="Interdiction")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    real = sections.edit_section
    calls = []

    def flaky(w, section_id, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(w, section_id, **kwargs)

    monkeypatch.setattr(sections, "edit_section", flaky)
    qtbot.keyClicks(window.editor.body, "Interdict at sea.")
    qtbot.waitUntil(lambda: window.save_state.text().startswith("Save failed"), timeout=4000)
    assert "disk I/O error" in window.save_state.text()
    assert window.editor.body.toPlainText() == "Interdict at sea."
    assert sections.section(ws, a).body == ""
    assert window.autosave.dirty
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    assert len(calls) == 2
    assert sections.section(ws, a).body == "Interdict at sea."


def test_text_typed_during_a_failing_save_is_not_replaced(qtbot, ws, doc_id, window, monkeypatch):
    a = sections.add_section(ws, doc_id, heading="H")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    real = sections.edit_section

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(sections, "edit_section", broken)
    qtbot.keyClicks(window.editor.body, "first")
    window.autosave.flush_now()
    qtbot.keyClicks(window.editor.body, " second")
    assert window.ops.flush()
    assert window.autosave.pending_text(a) == ("H", "first second")
    # Away and back: the unsaved text is what the editor shows, not the stored one.
    window.navigator.select(SECTION, a)
    window.editor.show_section(None)
    window.editor.show_section(a)
    assert window.editor.body.toPlainText() == "first second"
    monkeypatch.setattr(sections, "edit_section", real)
    assert window.autosave.flush_sync(), window.autosave.state
    assert sections.section(ws, a).body == "first second"


def test_ui_thread_is_not_blocked_by_an_autosave(qtbot, ws, doc_id, window, monkeypatch):
    words = " ".join(f"word{i}" for i in range(300))
    a = sections.add_section(ws, doc_id, heading="Long")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    real = sections.edit_section

    def slow(w, section_id, **kwargs):
        time.sleep(0.3)  # a slow disk: the write takes 300 ms on the worker
        return real(w, section_id, **kwargs)

    monkeypatch.setattr(sections, "edit_section", slow)
    window.editor.body.setPlainText(words)
    gaps = []
    clock = QElapsedTimer()
    clock.start()
    tick = QTimer(interval=5)
    tick.timeout.connect(lambda: gaps.append(clock.restart()))
    tick.start()
    submit = QElapsedTimer()
    submit.start()
    window.autosave.flush_now()
    submit_ms = submit.elapsed()
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    tick.stop()
    assert sections.section(ws, a).body == words
    assert submit_ms < 50
    assert max(gaps) < 250  # turning while the 300 ms write ran (blocked: >= 300)


def test_a_heading_paste_cannot_exceed_what_the_store_accepts(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="H")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    window.editor.heading.clear()
    window.editor.heading.insert("x" * (sections.MAX_HEADING + 500))  # a mistaken paste
    qtbot.keyClicks(window.editor.body, "Body typed after the paste.")
    assert window.autosave.flush_sync()
    saved = sections.section(ws, a)
    assert len(saved.heading) == sections.MAX_HEADING
    assert saved.body == "Body typed after the paste."


def test_refused_text_is_kept_and_not_retried_until_edited(qtbot, ws, doc_id, window, monkeypatch):
    from workbench.errors import WorkbenchError

    a = sections.add_section(ws, doc_id, heading="H")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    real = sections.edit_section
    calls = []

    def refuse_once(w, section_id, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise WorkbenchError("A section's text may be at most 5 million characters.")
        return real(w, section_id, **kwargs)

    monkeypatch.setattr(sections, "edit_section", refuse_once)
    qtbot.keyClicks(window.editor.body, "Long text.")
    qtbot.waitUntil(lambda: "correct it to save" in window.save_state.text(), timeout=4000)
    assert window.autosave.dirty and not window.autosave._retry.isActive()
    qtbot.keyClicks(window.editor.body, " Shortened.")  # the user's next edit saves again
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    assert sections.section(ws, a).body == "Long text. Shortened."
