"""File → Export to Word…: the selected document's .docx written off the UI thread."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QPushButton

from ui.main_window import MainWindow
from ui.navigator import DOC
from workbench import demo, documents
from workbench.workspace import Workspace

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@pytest.fixture
def demo_window(qtbot, tmp_path):
    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    w = MainWindow(Workspace.open(path))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _doctrine(window):
    (doc,) = [d for d in documents.list_documents(window.ws) if d.kind == "doctrine"]
    return doc


def _open_dialog(qtbot, window, monkeypatch, target):
    doc = _doctrine(window)
    assert window.navigator.select(DOC, doc.id)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target.with_suffix("")), "")
    )
    window.findChild(QAction, "exportDocx").trigger()
    dialog = window.docx_export_dialog
    assert dialog.path.text().endswith("Draft Counternarcotics Doctrine.docx")
    qtbot.mouseClick(dialog.findChild(QPushButton, "browse"), Qt.MouseButton.LeftButton)
    assert dialog.target() == target  # ".docx" added to a name typed without it
    return doc, dialog


def test_export_to_word_writes_the_selected_document(
    qtbot, demo_window, tmp_path, monkeypatch, dialogs
):
    target = tmp_path / "doctrine.docx"
    doc, dialog = _open_dialog(qtbot, demo_window, monkeypatch, target)
    dialog.include_crm.setFocus()
    qtbot.keyClick(dialog.include_crm, Qt.Key.Key_Space)
    assert dialog.include_crm.isChecked()
    dialog.accept()
    # The export may finish before a signal wait could start: wait for its outcome instead.
    qtbot.waitUntil(lambda: not demo_window.pdf_exports, timeout=30000)
    d = docx.Document(target)
    text = [p.text for p in d.paragraphs]
    assert "Draft Counternarcotics Doctrine" in text
    assert "Appendix: Comment Resolution Matrix" in text
    assert d.sections[0].header.paragraphs[0].text == doc.marking
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert demo_window.statusBar().currentMessage().startswith(f"Exported {target}")
    assert demo_window.ops.flush()
    rows = demo_window.ws.db.execute(
        "SELECT entity_id, details FROM audit_log WHERE action = 'document.export_docx'"
    ).fetchall()
    assert [r[0] for r in rows] == [doc.id] and '"crm"' in rows[0][1]
    assert dialogs.kinds() == []


def test_export_to_word_over_the_workspace_is_refused(qtbot, demo_window, dialogs, monkeypatch):
    target = demo_window.ws.path
    before = target.read_bytes()[:100]
    doc = _doctrine(demo_window)
    assert demo_window.navigator.select(DOC, doc.id)
    demo_window.findChild(QAction, "exportDocx").trigger()
    dialog = demo_window.docx_export_dialog
    dialog.path.setText(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: not demo_window.pdf_exports, timeout=30000)
    assert dialogs.kinds() == ["error"]
    assert target.read_bytes()[:100] == before


def test_export_to_word_without_a_document_says_so(qtbot, window, dialogs):
    window.findChild(QAction, "exportDocx").trigger()
    assert dialogs.kinds() == ["error"]
