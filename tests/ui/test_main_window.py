"""Drafting through the real window: documents, sections, reordering, typing, reopening."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.document_dialog import NewDocumentDialog
from ui.navigator import DOC, SECTION, Above, Below, OnItem
from workbench import directory, documents, sections
from workbench.workspace import Workspace


def outline_titles(ws, doc_id):
    return [(e.number, e.heading) for e in sections.outline(ws, doc_id)]


def add(window, qtbot, action="add_section"):
    before = window.navigator.row_keys()
    window.outline.actions[action].trigger()
    assert window.ops.flush()
    new = [k for k in window.navigator.row_keys() if k not in before]
    assert len(new) == 1, new
    assert window.navigator.current_key() == new[0]
    return new[0][1]


def type_section(window, qtbot, heading, body):
    window.editor.heading.clear()
    qtbot.keyClicks(window.editor.heading, heading)
    qtbot.keyClicks(window.editor.body, body)
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)


def test_draft_reorder_type_close_and_reopen(qtbot, window, ws_path):
    dialog = NewDocumentDialog(directory.organizations(window.ws), window)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("doctrine"))
    qtbot.keyClicks(dialog.title, "Counternarcotics Doctrine")
    dialog.accept()
    window.outline.new_document(dialog.values())
    assert window.ops.flush()
    (doc_id,) = [d.id for d in documents.list_documents(window.ws)]
    assert window.navigator.current_key() == (DOC, doc_id)
    assert documents.document(window.ws, doc_id).kind == "doctrine"

    first = add(window, qtbot)
    type_section(window, qtbot, "Purpose", "Why this doctrine exists.")
    second = add(window, qtbot)
    type_section(window, qtbot, "Interdiction", "Stop the flow **at sea**.")
    sub = add(window, qtbot, "add_subsection")
    type_section(window, qtbot, "Maritime", "USCG leads.")
    third = add(window, qtbot, "add_tenet")
    type_section(window, qtbot, "Unity of Effort", "One voice.")
    assert outline_titles(window.ws, doc_id) == [
        ("1", "Purpose"),
        ("2", "Interdiction"),
        ("2.1", "Maritime"),
        ("Tenet 1", "Unity of Effort"),
    ]
    assert window.navigator.item_for(SECTION, sub).text(0) == "2.1 Maritime"

    # A drop of "Interdiction" above "Purpose" (the path dropEvent takes) reorders them.
    nav = window.navigator
    assert nav.handle_drop(second, nav.item_for(SECTION, first), Above)
    assert window.ops.flush()
    assert [n for n, _ in outline_titles(window.ws, doc_id)][:3] == ["1", "1.1", "2"]
    assert outline_titles(window.ws, doc_id)[0] == ("1", "Interdiction")
    # Dropping onto a section makes it a subsection; into itself is refused.
    assert nav.handle_drop(third, nav.item_for(SECTION, first), OnItem)
    assert not nav.handle_drop(second, nav.item_for(SECTION, sub), Below)
    assert window.ops.flush()
    assert sections.section(window.ws, third).parent_id == first

    # Move up / move down from the outline.
    nav.select(SECTION, first)
    window.outline.actions["move_up"].trigger()
    assert window.ops.flush()
    assert [h for _, h in outline_titles(window.ws, doc_id)] == [
        "Purpose",
        "Unity of Effort",
        "Interdiction",
        "Maritime",
    ]
    window.outline.actions["move_down"].trigger()
    assert window.ops.flush()
    assert outline_titles(window.ws, doc_id)[0] == ("1", "Interdiction")

    window.close()
    assert not window.isVisible()
    with Workspace.open(ws_path) as fresh:
        assert [(e.number, e.heading) for e in sections.outline(fresh, doc_id)] == [
            ("1", "Interdiction"),
            ("1.1", "Maritime"),
            ("2", "Purpose"),
            ("Tenet 1", "Unity of Effort"),
        ]
        assert sections.section(fresh, second).body == "Stop the flow **at sea**."
        assert sections.section(fresh, sub).body == "USCG leads."


def test_typing_then_switching_section_keeps_the_text(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="A")
    b = sections.add_section(ws, doc_id, heading="B")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    qtbot.keyClicks(window.editor.body, "typed just before switching")
    assert window.save_state.text() == "Unsaved changes"
    window.navigator.select(SECTION, b)  # well within the debounce interval
    assert window.editor.section_id == b
    assert window.ops.flush()
    assert sections.section(ws, a).body == "typed just before switching"
    window.navigator.select(SECTION, a)
    assert window.editor.body.toPlainText() == "typed just before switching"


def test_closing_writes_pending_typing(qtbot, ws, doc_id, window, ws_path):
    a = sections.add_section(ws, doc_id, heading="A")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    qtbot.keyClicks(window.editor.body, "last words")
    window.close()  # before the debounce fires
    with Workspace.open(ws_path) as fresh:
        assert sections.section(fresh, a).body == "last words"


def test_equities_and_kind_are_saved(qtbot, ws, doc_id, window):
    a = sections.add_section(ws, doc_id, heading="Maritime")
    window.navigator.reload()
    window.navigator.select(SECTION, a)
    eq = window.editor.equities
    item = next(eq.item(i) for i in range(eq.count()) if eq.item(i).text() == "USCG")
    item.setCheckState(Qt.CheckState.Checked)
    window.editor.kind.setCurrentIndex(window.editor.kind.findData("tenet"))
    window.editor.kind.activated.emit(window.editor.kind.currentIndex())
    assert window.ops.flush()
    sec = sections.section(ws, a)
    assert sec.equities == ("USCG",)
    assert sec.kind == "tenet"
    assert window.navigator.item_for(SECTION, a).text(0) == "Tenet 1  Maritime"


def test_delete_document_asks_first(qtbot, ws, doc_id, window, dialogs):
    window.navigator.reload()
    window.navigator.select(DOC, doc_id)
    dialogs.confirm_answer = False
    window.outline.actions["delete_document"].trigger()
    assert window.ops.flush()
    assert documents.list_documents(ws)
    dialogs.confirm_answer = True
    window.outline.actions["delete_document"].trigger()
    assert window.ops.flush()
    assert documents.list_documents(ws) == []
    assert window.navigator.topLevelItemCount() == 0


def test_rename_document(qtbot, ws, doc_id, window, dialogs):
    window.navigator.reload()
    window.navigator.select(DOC, doc_id)
    dialogs.text_answers.append("Maritime Border and Transit Zone Strategy")
    window.outline.actions["rename_document"].trigger()
    assert window.ops.flush()
    assert documents.document(ws, doc_id).title == "Maritime Border and Transit Zone Strategy"
    assert window.navigator.item_for(DOC, doc_id).text(0) == documents.document(ws, doc_id).title


def test_user_error_is_shown_as_is(qtbot, ws, window, dialogs):
    window.ops.run(documents.create_document, "memo", "Bad kind")
    assert window.ops.flush()
    assert dialogs.shown[-1][0] == "error"
    assert "Unknown document kind 'memo'" in dialogs.shown[-1][2]


def test_panels_and_menus_can_be_added(qtbot, window):
    from PySide6.QtWidgets import QLabel

    panel = QLabel("Comments")
    window.add_panel("Comments", panel)
    assert window.panels.indexOf(panel) >= 0
    menu = window.add_menu("&Coordination")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Coordination") == titles.index("&Help") - 1
    assert menu.title() == "&Coordination"
    with qtbot.waitSignal(window.workspace_changed):
        window.ops.run(documents.create_document, "sop", "SLT outreach SOP")
