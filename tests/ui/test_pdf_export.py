"""File → Export PDF…, File → Open of a review packet, File → Import Review Response…."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from ui import app
from ui.main_window import MainWindow
from ui.navigator import DOC
from workbench import demo, documents
from workbench.workspace import Workspace


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


def doctrine(window):
    (doc,) = [d for d in documents.list_documents(window.ws) if d.kind == "doctrine"]
    return doc


def start_export(qtbot, window, monkeypatch, target, *, crm=False):
    doc = doctrine(window)
    assert window.navigator.select(DOC, doc.id)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target.with_suffix("")), "")
    )
    window.findChild(QAction, "exportPdf").trigger()
    dialog = window.pdf_export_dialog
    assert dialog.path.text().endswith("Draft Counternarcotics Doctrine.pdf")  # from the title
    dialog.browse()
    assert dialog.target() == target  # ".pdf" added to a name typed without it
    dialog.include_crm.setChecked(crm)
    dialog.accept()
    (job,) = window.pdf_exports
    return doc, job


def test_export_writes_the_selected_documents_pdf(qtbot, demo_window, tmp_path, monkeypatch):
    target = tmp_path / "out" / "doctrine.pdf"
    target.parent.mkdir()
    doc, job = start_export(qtbot, demo_window, monkeypatch, target, crm=True)
    with qtbot.waitSignal(job.done, timeout=30000):
        pass
    qtbot.waitUntil(lambda: not demo_window.pdf_exports, timeout=5000)
    reader = PdfReader(target)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Counternarcotics Doctrine" in " ".join(text.split())
    assert "Comment Resolution Matrix" in text or "COMMENT RESOLUTION" in text.upper()
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    assert demo_window.statusBar().currentMessage().startswith(f"Exported {target}")
    assert demo_window.ops.flush()
    entry = demo_window.ws.db.execute(
        "SELECT entity_id FROM audit_log WHERE action = 'document.export_pdf'"
    ).fetchall()
    assert [r[0] for r in entry] == [doc.id]


def test_cancelling_an_export_leaves_no_file(qtbot, demo_window, tmp_path, monkeypatch):
    target = tmp_path / "doctrine.pdf"
    _doc, job = start_export(qtbot, demo_window, monkeypatch, target)
    with qtbot.waitSignal(job.cancelled, timeout=30000):
        demo_window.pdf_progress.canceled.emit()  # what its Cancel button sends
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert "cancelled" in demo_window.statusBar().currentMessage()


def test_open_takes_a_review_packet_and_import_reports_a_bad_response(
    qtbot, ws, tmp_path, monkeypatch, dialogs
):
    window = app.show_window(ws)
    qtbot.addWidget(window)
    packet = tmp_path / "bad.cnereview"
    packet.write_text("not a packet")
    monkeypatch.setattr(app, "_ask_path", lambda choice, parent=None, file_filter="": packet)
    window.findChild(QAction, "open").trigger()
    # The packet went to review mode (which refused it), not to the workspace opener.
    assert dialogs.shown[-1][1] == "Cannot open the review packet"
    assert window.isVisible() and app.windows[-1] is window

    from ui.review import importing

    response = tmp_path / "bad.cneresponse"
    response.write_text("not a response")
    monkeypatch.setattr(importing, "ask_response_path", lambda parent: response)
    window.findChild(QAction, "importResponse").trigger()
    assert window.ops.flush()
    assert dialogs.shown[-1][1] == "Response not imported"
    window.close()


def test_closing_during_an_export_waits_for_it_and_keeps_its_audit_entry(
    qtbot, tmp_path, monkeypatch, dialogs
):
    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    window = MainWindow(Workspace.open(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    target = tmp_path / "doctrine.pdf"
    doc, _job = start_export(qtbot, window, monkeypatch, target)
    window.close()  # at once, while the export is still running
    assert dialogs.shown == []  # no "The workspace is closed" box
    assert target.exists()
    with Workspace.open(path, read_only=True) as ws:
        rows = ws.db.execute(
            "SELECT entity_id FROM audit_log WHERE action = 'document.export_pdf'"
        ).fetchall()
    assert [r[0] for r in rows] == [doc.id]
