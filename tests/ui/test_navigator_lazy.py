"""The lazy outline: documents list at once, sections are read when a document is opened."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt

from ui import navigator
from ui.navigator import DOC, SECTION
from workbench import documents, sections


def _documents_with_sections(ws, count=4, per=3):
    made = {}
    for n in range(count):
        doc = documents.create_document(ws, "strategy", f"Strategy {n}")
        made[doc] = [sections.add_section(ws, doc, heading=f"S{n}.{i}") for i in range(per)]
    return made


def _outlines_read(monkeypatch):
    """Documents whose outline the navigator reads from now on."""
    read = []

    def counting(ws, doc_id):
        read.append(doc_id)
        return sections.outline(ws, doc_id)

    monkeypatch.setattr(navigator, "sections", SimpleNamespace(outline=counting))
    return read


def test_only_opened_documents_are_read(qtbot, ws, window, monkeypatch):
    made = _documents_with_sections(ws)
    first, second, *rest = sorted(made, key=lambda d: documents.document(ws, d).title)
    read = _outlines_read(monkeypatch)
    window.navigator.reload()
    nav = window.navigator
    assert nav.topLevelItemCount() == len(made)
    assert read == [first]  # the current document only
    assert (SECTION, made[second][0]) not in nav.row_keys()

    nav.item_for(DOC, second).setExpanded(True)
    assert nav.item_for(DOC, second).childCount() == 3
    assert read == [first, second]

    # Selecting a section of a document nobody opened reads that document and shows it.
    target = made[rest[-1]][2]
    assert nav.select(SECTION, target)
    assert window.editor.section_id == target
    assert nav.currentItem().text(0) == f"3 S{len(made) - 1}.2"
    assert nav.item_for(DOC, rest[-1]).isExpanded()

    # A write re-reads the open documents only; a collapsed one is read again when reopened.
    nav.item_for(DOC, second).setExpanded(False)
    read.clear()
    window.workspace_changed.emit()
    assert sorted(read) == sorted([first, rest[-1]])
    assert nav.item_for(DOC, second).childCount() == 0
    sections.add_section(ws, second, heading="Added while closed")
    nav.item_for(DOC, second).setExpanded(True)
    assert [nav.item_for(DOC, second).child(i).text(0) for i in range(4)][-1] == (
        "4 Added while closed"
    )


def test_typing_saves_without_reading_outlines_but_a_heading_relabels(
    qtbot, ws, doc_id, window, monkeypatch
):
    a = sections.add_section(ws, doc_id, heading="Interdiction")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    read = _outlines_read(monkeypatch)
    qtbot.keyClicks(window.editor.body, "Stop the flow at sea.")
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    assert sections.section(ws, a).body == "Stop the flow at sea."
    assert read == []

    window.editor.heading.end(False)  # the title shows from its start; type at its end
    qtbot.keyClicks(window.editor.heading, " at Sea")
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    assert window.navigator.item_for(SECTION, a).text(0) == "1 Interdiction at Sea"
    assert read


def test_a_text_save_updates_the_document_row_when_it_starts_a_new_draft(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Interdiction")
    ws.db.execute("UPDATE documents SET status = 'published' WHERE id = ?", [doc_id])
    ws.db.conn.commit()
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    assert "Published" in window.navigator.item_for(DOC, doc_id).toolTip(0)
    # A published version is read-only: typing changes nothing until version 2 is started.
    qtbot.keyClicks(window.editor.body, "Stray keys.")
    assert window.editor.body.toPlainText() == ""
    assert window.editor.published_bar.isVisible()
    qtbot.mouseClick(window.editor.start_version_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert documents.document(ws, doc_id).version == 2
    assert not window.editor.body.isReadOnly() and not window.editor.published_bar.isVisible()
    qtbot.keyClicks(window.editor.body, "New text.")
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)
    doc = documents.document(ws, doc_id)
    assert doc.status_label in window.navigator.item_for(DOC, doc_id).toolTip(0)
    assert doc.status_label in window.editor.document_label.text()


def test_keys_open_and_fold_documents_and_a_folded_section_stays_folded(qtbot, ws, window):
    made = _documents_with_sections(ws, count=2)
    first, second = sorted(made, key=lambda d: documents.document(ws, d).title)
    parent = made[second][0]
    child = sections.add_section(ws, second, parent_id=parent, heading="Under S1.0")
    window.navigator.reload()
    nav = window.navigator
    nav.select(DOC, second)
    nav.setFocus()
    row = nav.item_for(DOC, second)
    assert row.isExpanded() and row.childCount() == 3  # selecting a document opens it
    qtbot.keyClick(nav, Qt.Key.Key_Left)
    assert not nav.item_for(DOC, second).isExpanded()
    qtbot.keyClick(nav, Qt.Key.Key_Right)
    assert nav.item_for(DOC, second).isExpanded()

    # Fold a section with the keyboard: a write (which re-reads the open document) keeps it
    # folded, and its subsection is still there when it is unfolded.
    qtbot.keyClick(nav, Qt.Key.Key_Down)
    assert nav.current_section_id() == parent
    assert nav.item_for(SECTION, parent).isExpanded()
    qtbot.keyClick(nav, Qt.Key.Key_Left)
    assert not nav.item_for(SECTION, parent).isExpanded()
    window.ops.run(sections.add_section, second, heading="Added by a write")
    assert window.ops.flush()
    assert nav.item_for(DOC, second).childCount() == 4
    assert not nav.item_for(SECTION, parent).isExpanded()
    assert nav.current_section_id() == parent
    qtbot.keyClick(nav, Qt.Key.Key_Right)
    assert [nav.item_for(SECTION, parent).child(0).text(0)] == ["1.1 Under S1.0"]
    assert nav.item_for(SECTION, child).parent().key == (SECTION, parent)


def test_the_rows_drawn_are_the_rows_asked_for(qtbot, ws, window, monkeypatch):
    """A long list is not built row by row: the view asks only for the rows it shows."""
    with ws.db.atomic():
        for n in range(3000):
            ws.db.execute(
                "INSERT INTO documents (kind, title, marking, status, version, created_at, "
                "updated_at) VALUES ('sop', ?, 'UNCLASSIFIED', 'draft', 1, '2026-01-01', "
                "'2026-01-01')",
                [f"SOP {n:04d}"],
            )
    asked: set[int] = set()
    model = window.navigator.model()
    original = type(model).data

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.internalId() == 0:
            asked.add(index.row())
        return original(self, index, role)

    monkeypatch.setattr(type(model), "data", data)
    window.navigator.reload()
    window.resize(1000, 600)
    window.show()
    qtbot.waitExposed(window)
    window.navigator.viewport().repaint()
    assert window.navigator.topLevelItemCount() == 3000
    assert 0 < len(asked) < 200
    last = ws.db.execute("SELECT id FROM documents WHERE title = 'SOP 2999'").fetchone()[0]
    assert window.navigator.item_for(DOC, last).text(0) == "SOP 2999"
