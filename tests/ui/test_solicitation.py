"""Bulk solicitation from the app: packets for every reviewer, the response rate, reminders."""

import csv

import pytest
from PySide6.QtGui import QAction

from ui.navigator import DOC
from ui.solicitation import SolicitationStatusDialog, SolicitDialog
from ui.solicitation import install as install_solicitation
from workbench import documents, sections
from workbench.exchange import solicit as core


@pytest.fixture
def reviewers_csv(tmp_path):
    path = tmp_path / "slt.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "agency", "email"])
        for i in range(6):
            w.writerow([f"Official {i}", f"County {i % 3} Sheriff", f"o{i}@example.org"])
    return path


@pytest.fixture
def window(qtbot, ws):
    from ui.main_window import MainWindow

    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    sections.add_section(ws, doc, heading="Ports", body="Text for comment.")
    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.solicitation = install_solicitation(w)
    assert w.navigator.select(DOC, doc)
    return w


def test_dialog_checks_the_list_before_it_can_write(qtbot, tmp_path, reviewers_csv):
    dialog = SolicitDialog(None, "Northern Border Strategy")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    bad = tmp_path / "bad.csv"
    bad.write_text("who,where\nx,y\n", encoding="utf-8")
    qtbot.keyClicks(dialog.csv_path, str(bad))
    assert "needs a header row" in dialog.preview.text()
    dialog.csv_path.clear()
    qtbot.keyClicks(dialog.csv_path, str(reviewers_csv))
    assert dialog.preview.text() == "6 reviewers from 3 agencies."
    assert not dialog.ok_button.isEnabled()  # no folder yet
    qtbot.keyClicks(dialog.folder, str(tmp_path / "packets"))
    assert dialog.ok_button.isEnabled()


def test_solicit_writes_packets_then_status_shows_rate_and_reminders(
    qtbot, window, tmp_path, reviewers_csv, clock
):
    action = window.findChild(QAction, "solicitComments")
    file_menu = window.findChild(QAction, "importResponse").parent()
    assert action in file_menu.actions()
    folder = tmp_path / "packets"
    actions = window.solicitation
    actions.solicit(
        {"reviewers": core.read_reviewers(reviewers_csv), "folder": str(folder),
         "suspense_workdays": 5, "instructions": "Comment by the suspense."}
    )  # fmt: skip
    assert window.ops.flush(20)
    assert len(list(folder.glob("*.cnereview"))) == 6
    assert "Wrote 6 packets" in window.statusBar().currentMessage()

    clock.advance(days=10)
    dialog = actions.show_status()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SolicitationStatusDialog)
    assert dialog.summary.text().startswith("0 of 6 answered (0%); 6 overdue")
    assert dialog.table.rowCount() == 6
    assert dialog.table.item(0, 4).text() == "Overdue"
    out = dialog.export_reminders(str(tmp_path / "reminders.csv"))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][:3] == ["Name", "Agency", "E-mail"] and len(rows) == 7


def test_the_dialog_offers_a_workbook_and_a_word_copy_for_each_reviewer(
    qtbot, window, tmp_path, reviewers_csv
):
    from PySide6.QtCore import Qt

    dialog = SolicitDialog(window, "Northern Border Strategy")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.csv_path, str(reviewers_csv))
    folder = tmp_path / "slt"
    qtbot.keyClicks(dialog.folder, str(folder))
    qtbot.mouseClick(dialog.workbook, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.word, Qt.MouseButton.LeftButton)
    values = dialog.values()
    assert values["workbook"] and values["word"]
    window.solicitation.solicit(values)
    assert window.ops.flush(30)
    assert len(list(folder.glob("*.cnereview"))) == 6
    assert len(list(folder.glob("*-CRM.xlsx"))) == 6
    assert len(list(folder.glob("*.docx"))) == 6
    rows = list(csv.reader((folder / core.COVER_LIST).open(encoding="utf-8")))
    assert rows[0][-2:] == ["Workbook file", "Word file"]
    assert rows[1][-2].endswith("-CRM.xlsx") and (folder / rows[1][-1]).exists()


def test_progress_names_each_reviewer_and_cancel_leaves_nothing(
    qtbot, window, ws, tmp_path, reviewers_csv, dialogs
):
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from workbench.coordination import requests as rq

    folder = tmp_path / "slt"
    values = {
        "reviewers": core.read_reviewers(reviewers_csv),
        "folder": str(folder),
        "suspense_workdays": 20,
        "instructions": "",
        "workbook": True,
        "word": True,
    }
    gate = threading.Event()  # holds the writer so the test acts while the job waits
    window.ops.run(lambda _ws: gate.wait(10))
    window.solicitation.solicit(dict(values))
    box = window.solicitation.progress.box
    assert box.isVisible() and box.windowTitle() == "Solicit External Comments"
    qtbot.mouseClick(box.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    gate.set()
    assert window.ops.flush(30)
    assert dialogs.shown == []
    assert "Cancelled: nothing was sent" in window.statusBar().currentMessage()
    assert core.solicitations(ws) == [] and rq.list_requests(ws) == []
    assert not any(folder.iterdir())  # not even a hidden partial file

    seen = []
    gate.clear()
    window.ops.run(lambda _ws: gate.wait(10))
    window.solicitation.solicit(dict(values))
    progress = window.solicitation.progress
    box = progress.box
    shown = threading.Event()

    def step(done, total, name):  # on the writer thread: wait at the first step until seen
        seen.append((done, total, name))
        if done == 0:
            shown.wait(10)

    progress.moved.connect(step, Qt.ConnectionType.DirectConnection)
    gate.set()
    qtbot.waitUntil(lambda: "Official" in box.labelText(), timeout=10000)
    assert box.labelText() == "Writing the files for Official 0… (1 of 6)"
    shown.set()
    assert window.ops.flush(30)
    assert [name for _, _, name in seen] == [f"Official {i}" for i in range(6)] + [""]
    assert len(list(folder.glob("*.docx"))) == 6
