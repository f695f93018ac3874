"""File → Export Redline…: two states chosen in the dialog, the PDF written off the UI thread."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from ui.main_window import MainWindow
from ui.navigator import DOC
from workbench import demo, sections
from workbench.workspace import Workspace


@pytest.fixture
def edited_window(qtbot, tmp_path, dialogs):
    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    ws = Workspace.open(path, claim=False)
    first = sections.section(ws, sections.outline(ws, 2)[0].id)
    sections.edit_section(ws, first.id, body=first.body + "\n\nInserted for the redline test.")
    ws.close()
    w = MainWindow(Workspace.open(path))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_export_redline_from_the_file_menu(qtbot, edited_window, tmp_path, dialogs):
    window = edited_window
    assert window.navigator.select(DOC, 2)
    window.findChild(QAction, "exportRedline").trigger()
    dialog = window.redline_dialog
    assert dialog.new.currentData() == "draft" and dialog.old.currentData() == "r1"
    # The same state on both sides is refused before anything runs.
    dialog.old.setCurrentIndex(0)
    assert not dialog.ok.isEnabled() and "two different" in dialog.note.text()
    dialog.old.setCurrentIndex(1)
    assert dialog.ok.isEnabled()
    assert dialog.path.text().endswith("redline r1 to draft.pdf")
    target = tmp_path / "red.pdf"
    dialog.path.selectAll()
    qtbot.keyClicks(dialog.path, str(target))
    dialog.grab().save(str(tmp_path / "dialog.png"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    (job,) = window.pdf_exports
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=5000)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Redline: National Southwest Border" in text
    assert "Inserted for the redline test." in text
    assert window.statusBar().currentMessage().startswith(f"Redline written to {target}")
    assert window.ops.flush()
    rows = window.ws.db.execute(
        "SELECT entity_id FROM audit_log WHERE action = 'document.export_redline'"
    ).fetchall()
    assert [r[0] for r in rows] == [2]
    assert dialogs.shown == []


def test_a_document_with_nothing_to_compare_says_so(qtbot, edited_window, dialogs):
    window = edited_window
    assert window.navigator.select(DOC, 3)  # never revised nor published
    window.findChild(QAction, "exportRedline").trigger()
    assert [d[0] for d in dialogs.shown] == ["error"]
    assert "no earlier version or revision" in dialogs.shown[0][2]
    assert not window.pdf_exports
