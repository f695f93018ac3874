"""Menu commands that depend on what is selected: a request in the coordination view, a
document row in the outline; and the size of the first window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui import app
from ui.navigator import DOC
from workbench import demo, documents
from workbench.coordination import requests as rq
from workbench.workspace import Workspace


@pytest.fixture
def demo_path(tmp_path):
    return demo.write_demo(tmp_path / "demo.cnew")


def open_window(qtbot, path):
    window = app.show_window(Workspace.open(path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.parts_ready, timeout=10000):
        pass
    return window


def doc_titled(ws, start: str) -> int:
    return next(d.id for d in documents.list_documents(ws) if d.title.startswith(start))


def test_the_first_window_fills_a_small_screen(qtbot, demo_path):
    # The test screen is 800x600, smaller than any laptop's: the window takes all of it.
    window = open_window(qtbot, demo_path)
    assert window.isMaximized()
    window.close()


def test_clicking_a_request_enables_extend_and_recall(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    window.resize(1366, 768)
    ws = window.ws
    spss = doc_titled(ws, "Strategy to Counter")
    window.navigator.select(DOC, spss)
    view = window.coordination.view
    window.coordination.reveal(view)
    qtbot.waitUntil(lambda: bool(view.items))
    extend, recall = window.roundtrip.extend_action, window.roundtrip.recall_action
    assert not extend.isEnabled() and not recall.isEnabled()
    cbp = next(r for r in rq.list_requests(ws, spss) if r.organization == "CBP")
    org_item = view.items[("org", "CBP")]
    org_item.setExpanded(True)
    item = view.items[("request", cbp.id)]
    view.tree.scrollToItem(item)
    rect = view.tree.visualItemRect(item)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.coordination.controller.request_id == cbp.id
    assert extend.isEnabled() and recall.isEnabled()
    rect = view.tree.visualItemRect(org_item)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not extend.isEnabled()
    window.close()


def test_start_next_version_acts_on_the_selected_document_row(qtbot, demo_path, dialogs):
    window = open_window(qtbot, demo_path)
    ws = window.ws
    maritime = doc_titled(ws, "Maritime Border")
    window.navigator.select(DOC, maritime)  # the row: no section in the editor
    assert window.editor.section_id is None
    menu = window.authority.menu
    menu.aboutToShow.emit()  # as when the user opens the Authority menu
    action = window.authority.actions["next_version"]
    assert action.isEnabled()
    action.trigger()
    assert dialogs.kinds() == ["confirm"]
    assert dialogs.shown[0][1] == "Start version 2"
    assert window.ops.flush()
    doc = documents.document(ws, maritime)
    assert (doc.status, doc.version) == ("draft", 2)
    window.close()


def _access_letter(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand)."""
    plain = text.replace("&&", "")
    i = plain.find("&")
    return plain[i + 1].lower() if 0 <= i < len(plain) - 1 else None


def test_no_two_entries_of_a_menu_share_an_access_letter(qtbot, demo_path):
    # Alt+F then R must run one command: with two entries on R the key only moves between them.
    window = open_window(qtbot, demo_path)
    clashes, todo = [], [window.menuBar()]
    while todo:
        menu = todo.pop()
        seen: dict[str, str] = {}
        for action in menu.actions():
            if action.menu():
                todo.append(action.menu())
            letter = _access_letter(action.text())
            if letter and action.isVisible():
                if letter in seen:
                    clashes.append(f"{seen[letter]!r} and {action.text()!r}")
                seen.setdefault(letter, action.text())
    window.close()
    assert clashes == [], "\n".join(clashes)
