"""The coordination panels in the main window, on the demo's SPSS strategy."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog

from ui import lazy, theme
from ui.coordination import dialogs
from ui.coordination.install import install
from ui.navigator import DOC, SECTION
from workbench import demo, documents, sections
from workbench.authority import identity
from workbench.coordination import comments as cm
from workbench.coordination import demo_state, gate, positions, publication, reviews
from workbench.workspace import Workspace

INTERDICTION = "Interdiction and Evidence Preservation"
LANDING = "Landing Points and Coastal Ports"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.cnew")


@pytest.fixture
def dws(demo_file, tmp_path):
    path = tmp_path / "demo.cnew"
    shutil.copy(demo_file, path)
    ws = Workspace.open(path, actor="jordan.inkwell")
    yield ws
    ws.close()


@pytest.fixture
def app(qtbot, dws):
    from ui.main_window import MainWindow

    window = MainWindow(dws)
    qtbot.addWidget(window)
    coordination = install(window)
    window.resize(1500, 950)
    window.show()
    qtbot.waitExposed(window)
    yield window, coordination
    window.close()


def spss(ws) -> int:
    return next(d.id for d in documents.list_documents(ws) if "Semi-Submersible" in d.title)


def section_id(ws, heading: str) -> int:
    return next(e.id for e in sections.outline(ws, spss(ws)) if e.heading == heading)


def settle(window) -> None:
    """Writes done, and the panels have taken their turn to re-read (see ui/coordination/lazy)."""
    assert window.ops.flush(10.0)
    QApplication.processEvents()
    lazy.drain()


def answer(monkeypatch, qtbot, cls, fill):
    """Stand in for the modal loop: build the real dialog, fill it as a user would, press OK."""
    shown = []

    def ask(klass, parent, *args, **kwargs):
        dialog = klass(parent, *args, **kwargs)
        qtbot.addWidget(dialog)
        fill(dialog)
        dialog.accept()
        shown.append(dialog)
        return dialog.values() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(cls, "ask", classmethod(ask))
    return shown


def gate_messages(coordination) -> list[str]:
    return [gi.message for gi in coordination.gate.items()]


def activate_gate_item(qtbot, coordination, predicate) -> None:
    glist = coordination.gate.list
    row = coordination.gate.item_row(predicate)
    assert row >= 0, gate_messages(coordination)
    coordination.gate.select_row(row)
    glist.setFocus()
    qtbot.keyClick(glist, Qt.Key.Key_Return)


def open_spss(window) -> None:
    assert window.navigator.select(DOC, spss(window.ws))
    lazy.drain()  # the panels read the document off the UI thread


def test_gate_shows_the_uscg_blocker_and_activating_it_selects_the_section(qtbot, app, dws):
    window, coordination = app
    open_spss(window)
    panel = coordination.gate
    assert panel.status.text() == "2 reasons this cannot be published yet"
    messages = gate_messages(coordination)
    assert messages[0] == "USCG: Critical comment 1 on §4 has no disposition"
    assert messages[1].startswith("CBP has not reviewed §6") and "overdue" in messages[1]

    activate_gate_item(qtbot, coordination, lambda gi: gi.organization == "USCG")
    interdiction = section_id(dws, INTERDICTION)
    assert window.navigator.current_section_id() == interdiction
    assert window.editor.section_id == interdiction
    critical = cm.list_comments(dws, spss(dws), types=["C"])[0]
    assert coordination.comments.current_comment_id() == critical.id
    assert window.panels.currentWidget() is coordination.comments
    # The quoted passage is marked in the editor.
    marks = window.editor.body.extraSelections()
    assert [m.cursor.selectedText() for m in marks] == [demo_state.SPSS_PASSAGE]

    # The CBP blocker takes the user to the overdue request in the coordination view.
    activate_gate_item(qtbot, coordination, lambda gi: gi.organization == "CBP")
    assert window.navigator.current_section_id() == section_id(dws, LANDING)
    request = coordination.view.tree.currentItem()
    assert request.text(0).startswith("Request") and request.text(1) == "Overdue"
    assert request.foreground(1).color().name() == theme.status_color("bad").name()
    assert coordination.controller.request_id is not None


def test_accept_and_apply_wording_changes_the_text_and_undo_restores_it(qtbot, app, dws):
    window, coordination = app
    interdiction = section_id(dws, INTERDICTION)
    window.navigator.select(SECTION, interdiction)
    lazy.drain()
    before = window.editor.body.toPlainText()
    critical = cm.list_comments(dws, spss(dws), section_id=interdiction)[0]
    assert coordination.comments.select_comment(critical.id)
    apply_button = coordination.comments.buttons["apply_wording"]
    assert apply_button.isEnabled()

    qtbot.mouseClick(apply_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert demo_state.SPSS_WORDING in window.editor.body.toPlainText()
    assert cm.comment(dws, critical.id).disposition == "accepted"
    assert "Critical" not in " ".join(gate_messages(coordination))

    coordination.comments.tree.setFocus()  # Undo outside a text field undoes the last step
    assert "Apply proposed wording" in window.undo_action.text()
    window.undo_action.trigger()
    settle(window)
    assert window.editor.body.toPlainText() == before
    assert sections.section(dws, interdiction).body == before
    assert cm.comment(dws, critical.id).is_open
    assert gate_messages(coordination)[0].startswith("USCG: Critical comment 1")


def test_add_comment_quotes_the_editor_selection_and_critical_needs_a_ground(
    qtbot, app, dws, monkeypatch
):
    window, coordination = app
    detection = section_id(dws, "Detection")
    window.navigator.select(SECTION, detection)
    lazy.drain()
    body = window.editor.body
    phrase = "maritime patrol aircraft"
    start = body.toPlainText().index(phrase)
    cursor = body.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)

    refusals = []

    def fill(dialog):
        assert dialog.quoted_passage.toPlainText() == phrase
        assert dialog.section.text() == "3 Detection"
        dialog.set_organization("USCG")
        assert dialog.reviewer_name.text() == "Rowan Tidewell"
        dialog.set_type("C")
        qtbot.keyClicks(dialog.comment, "Aircraft alone cannot cue; say who provides cues.")
        dialog.accept()
        refusals.append(dialog.problem_label.text())
        dialog.set_critical_ground("policy")

    answer(monkeypatch, qtbot, dialogs.AddCommentDialog, fill)
    body.setFocus()
    qtbot.keyClick(
        body, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    settle(window)
    assert "must cite its ground" in refusals[0]
    added = cm.list_comments(dws, spss(dws), section_id=detection)
    assert [(c.type, c.critical_ground, c.quoted_passage) for c in added] == [
        ("C", "policy", phrase)
    ]
    assert coordination.comments.current_comment_id() == added[0].id
    assert any(m.startswith("USCG: Critical comment 2 on §3") for m in gate_messages(coordination))


def test_crm_table_sorts_filters_goes_to_the_section_and_exports(
    qtbot, app, dws, monkeypatch, tmp_path
):
    window, coordination = app
    doc = spss(dws)
    landing = section_id(dws, LANDING)
    cm.add_comment(
        dws, doc, organization_code="CBP", type="A", section_id=landing, comment_text="Typo: AMO."
    )
    window.workspace_changed.emit()
    open_spss(window)
    crm = coordination.crm
    assert crm.model.rowCount() == 2
    crm.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # type: A after C
    assert [crm.model.index(r, 5).data() for r in range(2)] == ["A", "C"]
    crm.type_filter.setCurrentIndex(crm.type_filter.findData("C"))
    assert crm.model.rowCount() == 1
    crm.type_filter.setCurrentIndex(0)
    crm.org_filter.setCurrentIndex(crm.org_filter.findData("CBP"))
    assert crm.model.rowCount() == 1 and crm.model.index(0, 1).data() == "CBP"

    rect = crm.table.visualRect(crm.model.index(0, 8))
    # QTest's double-click carries no press of its own; a view only acts on the row pressed.
    qtbot.mousePress(crm.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(crm.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigator.current_section_id() == landing
    assert coordination.comments.current_comment_id() is not None

    out = tmp_path / "crm.csv"
    monkeypatch.setattr(
        "ui.coordination.controller.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(out), "CSV files (*.csv)"),
    )
    qtbot.mouseClick(crm.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=30000)  # on a thread of its own
    text = out.read_bytes().decode("utf-8-sig")  # the BOM lets Excel read UTF-8
    assert text == publication.crm_csv(dws, doc)
    assert "Typo: AMO." in text


def test_the_crm_exports_as_the_consolidated_workbook_the_command_line_writes(
    qtbot, app, dws, monkeypatch, tmp_path
):
    from openpyxl import load_workbook

    window, coordination = app
    doc = spss(dws)
    open_spss(window)
    chosen = tmp_path / "SPSS-CRM"  # typed without an extension, the Excel filter chosen
    monkeypatch.setattr(
        "ui.coordination.controller.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(chosen), "Excel workbooks (*.xlsx)"),
    )
    qtbot.mouseClick(coordination.crm.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=30000)
    sheet = load_workbook(tmp_path / "SPSS-CRM.xlsx")["CRM"]
    texts = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {c.comment for c in cm.list_comments(dws, doc)} <= texts
    assert "Export CRM…" == coordination.crm.export_button.text()


def test_new_request_defaults_to_the_sections_with_equities(qtbot, app, dws, monkeypatch):
    window, coordination = app
    open_spss(window)
    chosen = []

    def fill(dialog):
        dialog.set_organization("S&T")
        chosen.append(dialog.section_ids())
        dialog.workdays.setValue(20)

    answer(monkeypatch, qtbot, dialogs.NewRequestDialog, fill)
    qtbot.mouseClick(coordination.view.buttons["new_request"], Qt.MouseButton.LeftButton)
    settle(window)
    assert chosen == [[section_id(dws, "Research and Technology")]]
    item = coordination.view.tree.currentItem()
    assert item.parent().text(0) == "S&T" and item.text(1) == "Sent"


def test_the_directors_walk_to_publication(qtbot, app, dws, monkeypatch, dialogs_recorded):
    """Try to publish the SPSS strategy, see the USCG blocker, adjudicate, revise, record
    USCG's concurrence, see CBP's review as the remaining blocker, waive it, publish."""
    window, coordination = app
    doc = spss(dws)
    open_spss(window)
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier

    # Try to publish: refused, with the blockers named.
    window.navigator.setFocus()
    qtbot.keyClick(window.navigator, Qt.Key.Key_P, keys)
    kind, title, text = dialogs_recorded.shown[-1]
    assert (kind, title) == ("error", "Cannot publish yet")
    assert "USCG: Critical comment 1 on §4 has no disposition" in text
    assert "CBP has not reviewed §6" in text

    # See the USCG blocker and go to it.
    activate_gate_item(qtbot, coordination, lambda gi: gi.rule == "critical")
    interdiction = section_id(dws, INTERDICTION)
    assert window.editor.section_id == interdiction

    # Adjudicate: accepted with modification, which needs (and gets) a rationale.
    def adjudicate(dialog):
        dialog.set_disposition("accepted_with_modification")
        dialog.accept()
        assert dialog.problem_label.isVisibleTo(dialog)
        qtbot.keyClicks(dialog.rationale, "Added the stateless-vessel offence and the safety rule.")

    answer(monkeypatch, qtbot, dialogs.AdjudicateDialog, adjudicate)
    coordination.comments.tree.setFocus()
    qtbot.keyClick(coordination.comments.tree, Qt.Key.Key_J, keys)
    settle(window)
    critical = cm.list_comments(dws, doc, types=["C"])[0]
    assert critical.disposition == "accepted_with_modification"
    assert positions.nonconcurrence(dws, doc, "USCG").state == "cleared"

    # Revise the section in the editor.
    body = window.editor.body
    body.setFocus()
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, " Boarding teams will not enter a flooding vessel.")
    assert window.autosave.flush_sync()
    window.workspace_changed.emit()
    settle(window)
    assert "Boarding teams will not enter" in sections.section(dws, interdiction).body
    assert any(
        "USCG has not reviewed §4 since it changed" in m for m in gate_messages(coordination)
    )
    # The comment is now on an earlier revision: flagged, with the changes since shown.
    assert coordination.comments.select_comment(critical.id)
    assert coordination.comments.buttons["changes_since"].isEnabled()
    changes = coordination.controller.show_changes_since()
    qtbot.addWidget(changes)
    assert "Boarding teams will not enter a flooding vessel." in changes.view.toPlainText()
    # Back to the main window, whose shortcuts the walk uses next.
    changes.hide()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # Record USCG's concurrence on the revised text.
    def concur(dialog):
        dialog.set_organization("USCG")
        dialog.set_position("concur")
        assert dialog.by_name.text() == "Rowan Tidewell"

    answer(monkeypatch, qtbot, dialogs.RecordPositionDialog, concur)
    qtbot.mouseClick(coordination.view.buttons["record_position"], Qt.MouseButton.LeftButton)
    settle(window)
    assert positions.latest_positions(dws, doc)["USCG"].position == "concur"

    # CBP's review is the one remaining blocker.
    blockers = gate.publication_blockers(dws, doc).blockers
    assert [b.organization for b in blockers] == ["CBP"]
    assert len(coordination.gate.items()) == 1
    assert coordination.gate.status.text() == "1 reason this cannot be published yet"

    # An analyst cannot waive it: the Director's authority is the directory's, not a name.
    coordination.gate.select_row(0)
    qtbot.mouseClick(coordination.gate.waive_button, Qt.MouseButton.LeftButton)
    kind, title, text = dialogs_recorded.shown[-1]
    assert (kind, title) == ("error", "Waive review")
    assert text.startswith("Say who you are first")
    # The Director, acting as herself, waives it with a reason.
    identity.act_as(dws, "Harper Quillfeather")

    def waive(dialog):
        assert dialog.organization.currentData() == "CBP"
        assert dialog.section.currentData() == section_id(dws, LANDING)
        assert dialog.director.text().startswith("Harper Quillfeather")
        assert "unsigned" in dialog.director.text()
        qtbot.keyClicks(dialog.reason, "CBP's equity is peripheral; its liaison agreed by phone.")

    answer(monkeypatch, qtbot, dialogs.WaiveDialog, waive)
    coordination.gate.select_row(0)
    qtbot.mouseClick(coordination.gate.waive_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert [w.organization for w in reviews.waivers(dws, doc)] == ["CBP"]
    assert coordination.gate.status.text() == "Ready to publish"
    assert theme.status_color("good").name() in coordination.gate.status.styleSheet()

    # Publish.
    def sign(dialog):
        assert dialog.director.text().startswith("Harper Quillfeather")
        assert dialog.ok_button.isEnabled()

    answer(monkeypatch, qtbot, dialogs.PublishDialog, sign)
    qtbot.keyClick(window.navigator, Qt.Key.Key_P, keys)
    settle(window)
    assert documents.document(dws, doc).status == "published"
    assert [p.published_by for p in publication.publications(dws, doc)] == ["Harper Quillfeather"]
    record = publication.published_snapshot(dws, doc)["coordination"]
    assert record["waivers"][0]["reason"].startswith("CBP's equity is peripheral")


@pytest.fixture
def dialogs_recorded(dialogs):
    return dialogs


def test_rejected_critical_comment_stands_until_the_director_overrides(
    qtbot, app, dws, monkeypatch
):
    window, coordination = app
    doc = spss(dws)
    activate_after = section_id(dws, INTERDICTION)
    window.navigator.select(SECTION, activate_after)
    lazy.drain()
    critical = cm.list_comments(dws, doc, types=["C"])[0]
    coordination.comments.select_comment(critical.id)

    def reject(dialog):
        dialog.set_disposition("rejected")
        qtbot.keyClicks(dialog.rationale, "Boarding policy is set elsewhere.")

    answer(monkeypatch, qtbot, dialogs.AdjudicateDialog, reject)
    qtbot.mouseClick(coordination.comments.buttons["adjudicate"], Qt.MouseButton.LeftButton)
    settle(window)
    assert gate_messages(coordination)[0].startswith(
        "USCG non-concurs: Critical comment 1 on §4 was rejected"
    )
    coordination.reveal(coordination.view)  # its tab, behind the CRM's, is read when seen
    settle(window)
    uscg = coordination.view.items[("org", "USCG")]
    assert uscg.text(4) == "Non-concurs"

    identity.act_as(dws, "Harper Quillfeather")

    def override(dialog):
        assert dialog.director.text().startswith("Harper Quillfeather")
        qtbot.keyClicks(dialog.reason, "Boarding safety is addressed in the USCG manual.")

    answer(monkeypatch, qtbot, dialogs.OverrideDialog, override)
    coordination.view.select_organization("USCG")
    qtbot.mouseClick(coordination.view.buttons["override"], Qt.MouseButton.LeftButton)
    settle(window)
    assert positions.nonconcurrence(dws, doc, "USCG").state == "overridden"
    assert coordination.view.items[("org", "USCG")].text(4) == "Overridden by the Director"
    assert not any("non-concurs" in m for m in gate_messages(coordination))
    # The override counts, and the gate says how it is signed: this workspace has no keys.
    model = coordination.gate.model
    titles = [model.index(i).data() for i in range(model.rowCount())]
    assert any(t.startswith("Decisions the gate counts (") for t in titles), titles
    row = coordination.gate.item_row(lambda gi: gi.severity == "decision")
    decision = model.index(row)
    assert decision.data() == (
        "USCG's non-concurrence overridden by Harper Quillfeather — unsigned"
    )
    assert "Counted unsigned" in decision.data(Qt.ItemDataRole.ToolTipRole)


def test_reply_appears_under_the_comment_and_a_request_can_be_withdrawn(
    qtbot, app, dws, monkeypatch
):
    window, coordination = app
    doc = spss(dws)
    window.navigator.select(SECTION, section_id(dws, INTERDICTION))
    lazy.drain()
    critical = cm.list_comments(dws, doc, types=["C"])[0]
    coordination.comments.select_comment(critical.id)
    answer(
        monkeypatch,
        qtbot,
        dialogs.ReplyDialog,
        lambda d: qtbot.keyClicks(d.text, "Can USCG propose the safety wording?"),
    )
    qtbot.mouseClick(coordination.comments.buttons["reply"], Qt.MouseButton.LeftButton)
    settle(window)
    item = coordination.comments.item_for(critical.id)
    shown = coordination.comments.model
    assert shown.rowCount(item) == 1
    assert shown.index(0, 0, item).data().endswith("Can USCG propose the safety wording?")
    assert coordination.comments.tree.isExpanded(item)  # the reply is in view
    assert "Can USCG propose the safety wording?" in coordination.comments.detail.toPlainText()

    # Open comments only: once accepted, the comment leaves the open view but not "All".
    coordination.comments.scope.setCurrentIndex(coordination.comments.scope.findData(True))
    cm.adjudicate_comment(dws, critical.id, "accepted")
    window.workspace_changed.emit()
    settle(window)
    assert coordination.comments.model.rowCount() == 0
    coordination.comments.scope.setCurrentIndex(coordination.comments.scope.findData(False))
    lazy.drain()  # a filter re-reads off the UI thread
    assert coordination.comments.model.rowCount() == 1

    coordination.reveal(coordination.view)  # its tab, behind the CRM's, is read when seen
    settle(window)
    cbp = coordination.view.items[("org", "CBP")].child(0)
    coordination.view.tree.setCurrentItem(cbp)
    answer(
        monkeypatch,
        qtbot,
        dialogs.ReasonDialog,
        lambda d: qtbot.keyClicks(d.reason, "Sent to the wrong office."),
    )
    qtbot.mouseClick(coordination.view.buttons["withdraw_request"], Qt.MouseButton.LeftButton)
    settle(window)
    assert coordination.view.items[("org", "CBP")].child(0).text(1) == "Withdrawn"
    assert any(m.startswith("CBP has not reviewed §6") for m in gate_messages(coordination))


def test_typing_re_reads_only_what_the_text_changes_and_never_on_the_ui_thread(
    qtbot, app, dws, monkeypatch
):
    import threading

    from ui.coordination import comments_panel, coordination_view, crm_table, gate_panel

    window, coordination = app
    interdiction = section_id(dws, INTERDICTION)
    window.navigator.select(SECTION, interdiction)
    lazy.drain()
    settle(window)
    calls: list[tuple[str, str]] = []

    def spy(module, name, label):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            what = label + (":section" if kwargs.get("section_id") else "")
            calls.append((what, threading.current_thread().name))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for module in (crm_table, comments_panel):
        spy(module.cm, "list_comments", "comments")
    spy(gate_panel.gate, "publication_blockers", "gate")
    spy(coordination_view.reviews, "review_states", "reviews")

    window.editor.body.setFocus()
    window.editor.body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor.body, " Boardings follow the Coast Guard's checklist.")
    window.autosave.flush_now()
    settle(window)

    assert window.ops.flush() and "checklist" in sections.section(dws, interdiction).body
    assert {thread for _, thread in calls} == {"workbench-reader"}  # none on the UI thread
    what = {w for w, _ in calls}
    assert "comments" not in what  # the whole matrix is not re-read: no column depends on text
    assert {"comments:section", "gate"} <= what
    doc = spss(dws)
    assert gate_messages(coordination) == [
        gi.message
        for gi in (lambda r: r.blockers + r.warnings)(gate.publication_blockers(dws, doc))
    ]
    shown = [(c.id, c.on_earlier_revision) for c in coordination.comments.comments]
    expected = cm.list_comments(dws, doc, section_id=interdiction)
    assert shown == [(c.id, c.on_earlier_revision) for c in expected]
    assert any(flag for _, flag in shown)  # the reviewer read the text before this edit


def test_a_comment_added_elsewhere_re_reads_the_whole_matrix(qtbot, app, dws):
    window, coordination = app
    open_spss(window)
    settle(window)
    before = coordination.crm.model.rowCount()
    landing = section_id(dws, LANDING)
    window.ops.run(
        cm.add_comment,
        spss(dws),
        organization_code="CBP",
        type="A",
        section_id=landing,
        comment_text="Spell out ports of entry.",
    )
    settle(window)
    assert coordination.crm.model.rowCount() == before + 1


def test_choosing_a_document_or_section_reads_its_comments_off_the_ui_thread(
    qtbot, app, dws, monkeypatch
):
    import threading

    from ui.coordination import comments_panel, coordination_view, crm_table, gate_panel

    window, coordination = app
    calls: list[tuple[str, str]] = []

    def spy(module, name, label):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls.append((label, threading.current_thread().name))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    for module in (crm_table, comments_panel):
        spy(module.cm, "list_comments", "comments")
    spy(comments_panel.facts, "commenting_organizations", "organizations")
    spy(gate_panel.gate, "publication_blockers", "gate")
    spy(coordination_view.reviews, "review_states", "reviews")

    doc = spss(dws)
    other = next(d.id for d in documents.list_documents(dws) if d.id != doc)
    assert window.navigator.select(DOC, other)
    lazy.drain()
    assert window.navigator.select(DOC, doc)
    # What the other document showed is gone at once, not left for a click on a stale row.
    assert coordination.crm.model.rowCount() == 0
    assert coordination.crm.count.text() == "Reading the comments…"
    lazy.drain()
    interdiction = section_id(dws, INTERDICTION)
    window.navigator.select(SECTION, interdiction)
    coordination.comments.scope.setCurrentIndex(coordination.comments.scope.findData(False))
    lazy.drain()
    coordination.reveal(coordination.view)  # its tab, behind the CRM's, is read when seen
    QApplication.processEvents()
    lazy.drain()

    assert {label for label, _ in calls} == {"comments", "organizations", "gate", "reviews"}
    assert {thread for _, thread in calls} == {"workbench-reader"}  # none on the UI thread
    everything = cm.list_comments(dws, doc)
    assert sorted(c.id for c in coordination.crm.model.rows) == sorted(c.id for c in everything)
    assert coordination.crm.count.text().startswith(f"{len(everything)} comments")
    on_section = [c.id for c in cm.list_comments(dws, doc, section_id=interdiction)]
    assert [c.id for c in coordination.comments.comments] == on_section
    assert coordination.gate.status.text() == "2 reasons this cannot be published yet"


def test_a_comment_about_the_whole_document_in_the_gate_crm_and_comments(qtbot, app, dws):
    # A Word comment outside every section lands on the document itself: the gate names it
    # with its organization, the CRM shows "Document", and going to it selects the document.
    window, coordination = app
    doc = spss(dws)
    cid = cm.add_comment(
        dws,
        doc,
        organization_code="USCG",
        type="C",
        section_id=None,
        comment_text="The strategy never mentions go-fast boats.",
        critical_ground="policy",
    )
    item_no = cm.comment(dws, cid).item_no
    window.workspace_changed.emit()
    open_spss(window)
    window.navigator.select(SECTION, section_id(dws, LANDING))  # somewhere else first
    settle(window)
    whole = f"USCG: Critical comment {item_no} on the document as a whole has no disposition"
    assert whole in gate_messages(coordination)
    activate_gate_item(qtbot, coordination, lambda gi: gi.comment_id == cid)
    assert window.navigator.current_document_id() == doc
    assert window.navigator.current_section_id() is None
    settle(window)
    assert coordination.comments.current_comment_id() == cid
    assert "Location\nthe document as a whole" in coordination.comments.detail.toPlainText()

    crm = coordination.crm
    crm.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)  # Section: the document first
    assert crm.model.index(0, 6).data() == "Document"
    window.navigator.select(SECTION, section_id(dws, LANDING))
    settle(window)
    rect = crm.table.visualRect(crm.model.index(0, 8))
    qtbot.mousePress(crm.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(crm.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigator.current_section_id() is None
    settle(window)
    assert coordination.comments.current_comment_id() == cid
    window.grab().save("/tmp/roundtrip-document-comment.png")


def test_a_crm_export_the_disk_refuses_is_one_line_not_the_crash_box(
    qtbot, app, dws, monkeypatch, tmp_path, dialogs_recorded
):
    import errno

    window, coordination = app
    open_spss(window)

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("ui.export_job.write_atomic", full)
    coordination.controller.export_crm(str(tmp_path / "crm.csv"))
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=30000)
    said = [kind for kind, _, text in dialogs_recorded.shown if "No space left" in text]
    assert said == ["error"]
    assert not (tmp_path / "crm.csv").exists()


def test_a_write_that_changes_nothing_shown_does_not_refill_the_matrix(qtbot, app, dws):
    # Refilling thousands of rows and fitting their columns after every autosave blocked
    # typing: a re-read equal to what the matrix shows is not shown again.
    window, coordination = app
    open_spss(window)
    settle(window)
    filled: list[int] = []
    real = coordination.crm.model.set_comments

    def counting(found, *args, **kwargs):
        filled.append(len(found))
        return real(found, *args, **kwargs)

    coordination.crm.model.set_comments = counting
    rows = coordination.crm.model.rowCount()
    other = next(d.id for d in documents.list_documents(dws) if d.id != spss(dws))
    window.ops.run(
        cm.add_comment,
        other,
        organization_code="CBP",
        type="A",
        section_id=None,
        comment_text="About another document.",
    )
    settle(window)
    assert filled == [] and coordination.crm.model.rowCount() == rows

    window.ops.run(
        cm.add_comment,
        spss(dws),
        organization_code="CBP",
        type="A",
        section_id=section_id(dws, LANDING),
        comment_text="Spell out ports of entry.",
    )
    settle(window)
    assert filled == [rows + 1] and coordination.crm.model.rowCount() == rows + 1


def test_a_hidden_matrix_cleared_for_another_document_is_filled_again_when_shown(qtbot, app, dws):
    window, coordination = app
    open_spss(window)
    settle(window)
    rows = coordination.crm.model.rowCount()
    assert rows > 0
    crm_dock = coordination.docks[coordination.crm]
    crm_dock.hide()  # the user closed the CRM panel
    QApplication.processEvents()
    assert not coordination.crm.isVisible()
    other = next(d.id for d in documents.list_documents(dws) if d.id != spss(dws))
    assert window.navigator.select(DOC, other)
    assert window.navigator.select(DOC, spss(dws))  # back: the same read as shown before
    lazy.drain()
    crm_dock.show()
    crm_dock.raise_()  # back in its tab group, behind the Coordination tab until chosen
    QApplication.processEvents()
    lazy.drain()
    assert coordination.crm.model.rowCount() == rows
    assert coordination.crm.count.text().startswith(f"{rows} comments")


def test_export_crm_is_in_the_file_menu_shows_progress_and_cancels_without_a_file(
    qtbot, app, dws, monkeypatch, tmp_path, dialogs_recorded
):
    import threading
    import time

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from workbench.exchange import consolidated_crm

    window, coordination = app
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    names = [a.objectName() for a in file_menu.actions()]
    assert names.index("export_crm") == names.index("exportRedline") + 1
    # Alt+F, M: Export PDF… already answers to E.
    assert window.findChild(QAction, "export_crm").text() == "Export CR&M…"
    open_spss(window)
    action = window.findChild(QAction, "export_crm")
    assert action.isEnabled()
    # A large matrix: the workbook stops at its next check once Cancel is pressed.
    started = threading.Event()

    def slow(ws, document_id, *, progress=None, cancelled=None):  # on the export's thread
        progress(0.5)
        started.set()
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise consolidated_crm.WorkbookCancelled("cancelled")

    monkeypatch.setattr(consolidated_crm, "crm_workbook_bytes", slow)
    out = tmp_path / "crm.xlsx"
    monkeypatch.setattr(
        "ui.coordination.controller.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(out), "Excel workbooks (*.xlsx)"),
    )
    action.trigger()
    qtbot.waitUntil(started.is_set, timeout=10000)
    progress = window.findChild(QProgressDialog, "crmExportProgress")
    assert progress is not None and progress.windowTitle() == "Export CRM"
    qtbot.waitUntil(lambda: progress.value() == 50, timeout=10000)
    qtbot.waitUntil(progress.isVisible, timeout=10000)  # shown once it takes a while
    progress.grab().save("/tmp/crm-export-progress.png")
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=30000)
    assert not out.exists()
    assert window.statusBar().currentMessage() == "CRM export cancelled: no file was written."
    assert dialogs_recorded.shown == []


def test_a_crm_export_over_the_workspace_is_refused(
    qtbot, app, dws, monkeypatch, tmp_path, dialogs_recorded
):
    window, coordination = app
    open_spss(window)
    before = dws.path.read_bytes()
    link = tmp_path / "crm.xlsx"
    link.symlink_to(dws.path)  # the chosen name leads to the workspace itself
    coordination.controller.export_crm(str(link))
    qtbot.waitUntil(lambda: not window.pdf_exports, timeout=30000)
    assert [kind for kind, _, text in dialogs_recorded.shown if "not written" in text] == ["error"]
    assert dws.path.read_bytes() == before
