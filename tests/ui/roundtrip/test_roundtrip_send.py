"""Send for Review through the real window: files written, requests sent, e-mail drafts."""

from __future__ import annotations

import email
import threading
from email import policy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton

from ui import lazy
from ui.navigator import DOC as DOCUMENT
from workbench import directory, documents, sections
from workbench.coordination import requests as rq
from workbench.exchange.send_review import suspense_for


@pytest.fixture
def strategy(ws, council):
    directory.add_person(
        ws, "Ana Ruiz", organization="USCG", roles=["liaison"], email="ana.ruiz@uscg.mil"
    )
    doc = documents.create_document(ws, "strategy", "SPSS Counternarcotics Strategy")
    maritime = sections.add_section(
        ws, doc, heading="Maritime interdiction", body="SPSS vessels.", equities=["USCG"]
    )
    ports = sections.add_section(
        ws, doc, heading="Ports of entry", body="Screening.", equities=["CBP"]
    )
    return doc, maritime, ports


@pytest.fixture
def ready(qtbot, strategy, window):
    with qtbot.waitSignal(window.parts_ready, timeout=5000):
        from ui import app

        app.install_parts(window)
    window.navigator.select(DOCUMENT, strategy[0])
    qtbot.waitUntil(lambda: window.navigator.current_document_id() == strategy[0], timeout=3000)
    return window


def test_send_for_review_from_the_coordination_menu(ready, qtbot, ws, strategy, tmp_path, dialogs):
    window = ready
    doc, maritime, ports = strategy
    action = window.findChild(QAction, "sendForReview")
    assert action.isEnabled()
    action.trigger()
    dialog = window.roundtrip.dialog
    qtbot.waitExposed(dialog)
    labels = [item.text(0) for item, _ in dialog.rows]
    assert labels == ["USCG — U.S. Coast Guard", "CBP — U.S. Customs and Border Protection"]
    assert all(item.checkState(0) == Qt.CheckState.Checked for item, _ in dialog.rows)
    assert not dialog.send_button.isEnabled()  # no folder yet
    # Formal review, 20 workdays: the dialog shows the date it gives.
    dialog.preset.setFocus()
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)
    due = suspense_for(ws, 20)
    assert "due" in dialog.due.text()
    # The greyed date field shows that same date, and "On a date…" starts from it.
    assert dialog.date.date().toString("yyyy-MM-dd") == due and not dialog.date.isEnabled()
    qtbot.keyClick(dialog.preset, Qt.Key.Key_End)
    assert dialog.date.isEnabled() and dialog.suspense() == (None, due)
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.preset, Qt.Key.Key_Down)
    assert dialog.suspense() == (20, None)
    qtbot.keyClicks(dialog.instructions, "Check the interdiction figures.")
    qtbot.mouseClick(dialog.workbook, Qt.MouseButton.LeftButton)
    assert dialog.word.isEnabled()
    qtbot.mouseClick(dialog.word, Qt.MouseButton.LeftButton)
    out = tmp_path / "outbox"
    qtbot.keyClicks(dialog.folder, str(out))
    assert dialog.send_button.isEnabled()
    dialog.grab().save("/tmp/roundtrip-send-dialog.png")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert dialogs.kinds() == ["info"], dialogs.shown
    assert "Sent for review to USCG, CBP" in dialogs.shown[0][2]
    sent = rq.list_requests(ws, doc)
    assert [(r.organization, r.stored_status, r.suspense_date) for r in sent] == [
        ("USCG", "sent", due),
        ("CBP", "sent", due),
    ]
    assert sent[0].instructions == "Check the interdiction figures."
    names = sorted(p.name for p in (out / "USCG").iterdir())
    assert names == [
        "SPSS-Counternarcotics-Strategy-USCG-CRM.xlsx",
        "SPSS-Counternarcotics-Strategy-USCG-review-copy.docx",
        "SPSS-Counternarcotics-Strategy-USCG-review-request.eml",
        "SPSS-Counternarcotics-Strategy-USCG.cnereview",
    ]
    eml = out / "USCG" / "SPSS-Counternarcotics-Strategy-USCG-review-request.eml"
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert due in msg["Subject"]
    assert {p.get_filename() for p in msg.iter_attachments()} == {
        "SPSS-Counternarcotics-Strategy-USCG-CRM.xlsx",
        "SPSS-Counternarcotics-Strategy-USCG-review-copy.docx",
        "SPSS-Counternarcotics-Strategy-USCG.cnereview",
    }


def test_a_draft_request_row_is_sent_later_and_can_be_extended_and_recalled(
    ready, qtbot, ws, strategy, tmp_path, dialogs
):
    window = ready
    doc, maritime, _ports = strategy
    rid = rq.create_request(ws, doc, "USCG", section_ids=[maritime])
    window.workspace_changed.emit()
    lazy.drain()
    dialog = window.roundtrip.send(rid)
    checked = [
        a.organization for item, a in dialog.rows if item.checkState(0) == Qt.CheckState.Checked
    ]
    assert checked == ["USCG"]  # only the draft's organization
    qtbot.keyClicks(dialog.folder, str(tmp_path / "later"))
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert rq.request(ws, rid).stored_status == "sent"
    assert [r.id for r in rq.list_requests(ws, doc)] == [rid]  # the draft itself, not a new one

    extend = window.roundtrip.extend(rid)
    before = rq.request(ws, rid).suspense_date
    qtbot.keyClicks(extend.reason, "USCG liaison deployed")
    qtbot.mouseClick(extend.ok, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert rq.request(ws, rid).suspense_date > before
    assert rq.suspense_extensions(ws, doc)[0].reason == "USCG liaison deployed"

    dialogs.text_answers.append("Superseded by version 2")
    assert window.roundtrip.recall(rid)
    window.ops.flush()
    assert rq.request(ws, rid).stored_status == "withdrawn"


def test_send_is_in_the_navigator_context_menu_and_the_coordination_view(ready, strategy):
    window = ready
    menu = QMenu(window)
    window.navigator.menu_builder(menu, (DOCUMENT, strategy[0]))
    assert window.roundtrip.send_action in menu.actions()
    button = window.coordination.view.send_button
    assert button.defaultAction() is window.roundtrip.send_action
    assert button.text() == "Send for review…"  # as the view's own buttons read: it asks first


def test_an_extension_shows_on_the_request_row(ready, qtbot, ws, strategy):
    window = ready
    doc, maritime, _ports = strategy
    rid = rq.create_request(ws, doc, "USCG", section_ids=[maritime], send=True)
    rq.extend_suspense(ws, rid, "2027-01-29", "Holiday leave")
    window.coordination.reveal(window.coordination.view)
    window.workspace_changed.emit()
    lazy.drain()
    view = window.coordination.view
    view.reload()
    row = view.items[("request", rid)]
    assert row.text(2) == "2027-01-29 (extended)"
    assert "Holiday leave" in row.toolTip(2)


def _hold_the_writer(window):
    """Queue a job that blocks the writer thread until the returned event is set, so what the
    test does next happens while the send is still waiting to run."""
    gate = threading.Event()
    window.ops.run(lambda _ws: gate.wait(10))
    return gate


def test_progress_shows_each_organization_and_cancel_sends_nothing(
    ready, qtbot, ws, strategy, tmp_path, dialogs
):
    window = ready
    doc = strategy[0]
    dialog = window.roundtrip.send()
    qtbot.mouseClick(dialog.workbook, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.instructions, "Look at the figures.")
    out = tmp_path / "outbox"
    qtbot.keyClicks(dialog.folder, str(out))
    gate = _hold_the_writer(window)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    box = dialog.progress.box
    assert box.isVisible() and box.windowTitle() == "Send for Review"
    qtbot.mouseClick(box.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    gate.set()
    assert window.ops.flush(20)
    assert dialogs.shown == []
    assert "Cancelled: nothing was sent" in window.statusBar().currentMessage()
    assert rq.list_requests(ws, doc) == []
    assert not out.exists() or not any(out.rglob("*"))
    # The dialog stays open with what the analyst chose and typed, ready to send again.
    assert dialog.isVisible() and dialog.progress is None
    assert dialog.instructions.toPlainText() == "Look at the figures."
    assert dialog.send_button.isEnabled()
    seen = []
    gate = _hold_the_writer(window)
    dialog.send()
    box = dialog.progress.box
    shown = threading.Event()

    def step(done, total, label):  # on the writer thread: wait at the first step until seen
        seen.append((done, total, label))
        if done == 0:
            shown.wait(10)

    dialog.progress.moved.connect(step, Qt.ConnectionType.DirectConnection)
    gate.set()
    qtbot.waitUntil(lambda: "USCG" in box.labelText(), timeout=10000)
    assert box.labelText() == "Writing the files for USCG… (1 of 2)"
    box.grab().save("/tmp/roundtrip-send-progress.png")
    shown.set()
    assert window.ops.flush(20)
    assert seen == [(0, 2, "USCG"), (1, 2, "CBP"), (2, 2, "")]
    assert dialogs.kinds() == ["info"]
    assert sorted(p.name for p in out.iterdir()) == ["CBP", "USCG"]


def test_a_draft_request_rows_context_menu_sends_it(ready, qtbot, ws, strategy, tmp_path):
    from PySide6.QtCore import QTimer

    window = ready
    doc, maritime, _ports = strategy
    rid = rq.create_request(ws, doc, "USCG", section_ids=[maritime])
    window.coordination.reveal(window.coordination.view)
    window.workspace_changed.emit()
    lazy.drain()
    view = window.coordination.view
    view.reload()
    row = view.items[("request", rid)]
    view.tree.scrollToItem(row)
    pos = view.tree.visualItemRect(row).center()
    chosen = []

    def pick() -> None:  # the menu is open: choose as the analyst would
        menu = view.context_menu
        chosen.extend(a.text() for a in menu.actions())
        send = next(a for a in menu.actions() if a.text() == "Send for Review…")
        menu.close()
        send.trigger()

    QTimer.singleShot(0, pick)
    view.tree.customContextMenuRequested.emit(pos)
    assert chosen == ["Send for Review…", "Extend Suspense…", "Recall Request…"]
    dialog = window.roundtrip.dialog
    checked = [
        a.draft_request_id for item, a in dialog.rows if item.checkState(0) == Qt.CheckState.Checked
    ]
    assert checked == [rid]  # the draft itself, ready to send
    qtbot.keyClicks(dialog.folder, str(tmp_path / "row"))
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush(20)
    assert rq.request(ws, rid).stored_status == "sent"
