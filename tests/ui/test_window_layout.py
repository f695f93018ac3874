"""The window on small screens, collapsing panels, and what reopening remembers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QScrollArea

from ui import app
from ui.navigator import DOC, SECTION
from workbench import demo, documents, sections
from workbench.workspace import Workspace


@pytest.fixture
def demo_path(tmp_path):
    return demo.write_demo(tmp_path / "demo.cnew")


def open_window(qtbot, path):
    window = app.show_window(Workspace.open(path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.parts_ready, timeout=10000):
        pass
    qtbot.wait(100)  # the docks show on the next turns of the event loop
    return window


def in_dock(widget) -> QDockWidget | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


def in_scroll(widget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def reachable(window, button) -> bool:
    """On screen inside the window, scrolling its panel to it if it sits in one."""
    parent = in_scroll(button)
    if parent is not None:
        parent.ensureWidgetVisible(button, 0, 0)
    rect = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
    return window.rect().contains(rect) and not button.visibleRegion().isEmpty()


def first_section(ws):
    doc = next(d for d in documents.list_documents(ws) if d.title.startswith("Strategy to Counter"))
    return doc.id, sections.outline(ws, doc.id)[1].id


@pytest.mark.parametrize("size", [(1280, 720), (1024, 700)])
def test_every_button_is_reachable_on_a_small_screen(qtbot, demo_path, size):
    window = open_window(qtbot, demo_path)
    doc_id, sid = first_section(window.ws)
    window.navigator.select(SECTION, sid)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    qtbot.wait(50)
    seen, missing = set(), []
    # Tabbed docks show one at a time: bring each forward, as a click on its tab does.
    for dock in [None, *window.findChildren(QDockWidget)]:
        if dock is not None:
            dock.raise_()
            qtbot.wait(20)
        for b in window.findChildren(QAbstractButton):
            home = in_dock(b)
            if not b.isVisible() or home is not None and home.visibleRegion().isEmpty():
                continue  # behind another dock's tab
            seen.add(b.text())
            if not reachable(window, b):
                missing.append(b.text() or b.accessibleName())
    assert {"Add…", "Adjudicate…", "Publish…", "Waive review…", "Export CRM…"} <= seen
    assert missing == []
    if size == (1280, 720):
        # The editor gets the room: most of the height, not a sliver above the docks.
        assert window.editor.body.height() >= 250  # ~15 lines; it was ~7
    window.close()


def test_panels_collapse_and_the_layout_is_remembered(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    window.navigator.select(SECTION, first_section(window.ws)[1])
    window.resize(1366, 768)
    qtbot.wait(50)
    body_width = window.editor.body.width()
    window.view_menu.aboutToShow.emit()
    assert window.side_action.isChecked() and window.bottom_action.isChecked()
    window.side_action.trigger()
    qtbot.waitUntil(lambda: window.editor.body.width() > body_width)
    crm_dock = window.coordination.docks[window.coordination.crm]
    body_height = window.editor.body.height()
    window.bottom_action.trigger()
    assert not crm_dock.isVisible()
    qtbot.waitUntil(lambda: window.editor.body.height() > body_height)
    window.close()

    again = open_window(qtbot, demo_path)
    again.resize(1366, 768)
    again.view_menu.aboutToShow.emit()
    assert not again.side_action.isChecked()
    assert not again.bottom_action.isChecked()
    assert not again.coordination.docks[again.coordination.crm].isVisible()
    again.bottom_action.trigger()
    assert again.coordination.docks[again.coordination.crm].isVisible()
    again.close()


def test_reopening_returns_to_the_last_document_section_and_tab(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    doc_id, sid = first_section(window.ws)
    window.navigator.select(SECTION, sid)
    window.show_panel(window.search)  # the Search tab
    tab = window.panels.tabText(window.panels.currentIndex())
    window.close()

    again = open_window(qtbot, demo_path)
    assert again.navigator.current_section_id() == sid
    assert again.editor.section_id == sid
    assert again.panels.tabText(again.panels.currentIndex()) == tab
    again.navigator.select(DOC, doc_id)
    again.close()
    third = open_window(qtbot, demo_path)
    assert third.navigator.current_document_id() == doc_id
    assert third.navigator.current_section_id() is None
    third.close()


def test_a_panel_shown_from_the_view_menu_comes_to_the_front(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    crm_dock = window.coordination.docks[window.coordination.crm]
    behind = [d for d in window.tabifiedDockWidgets(crm_dock) if d.isVisible()]
    assert behind, "the CRM shares its place with other panels' tabs"
    toggle = crm_dock.toggleViewAction()
    toggle.trigger()  # View → Comment Resolution Matrix: closed
    qtbot.waitUntil(lambda: not crm_dock.isVisible())
    behind[0].raise_()
    toggle.trigger()  # … and shown again: in front, not behind another panel's tab
    qtbot.waitUntil(lambda: not crm_dock.visibleRegion().isEmpty())
    assert all(d.visibleRegion().isEmpty() for d in behind)
    window.close()


def test_a_passing_message_is_readable_in_a_narrow_window(qtbot, demo_path):
    window = open_window(qtbot, demo_path)
    window.resize(796, 600)
    qtbot.wait(200)
    bar = window.statusBar()
    assert window.path_label.text() == demo_path.name
    assert window.path_label.toolTip() == str(demo_path)  # the folder, on demand
    message = "Workspace checked: no problems found."
    bar.showMessage(message, 8000)
    # The room left of the permanent labels holds the whole message.
    left = min(
        w.geometry().left()
        for w in bar.children()
        if getattr(w, "isVisible", None) and w.isWidgetType() and w.isVisible() and w is not bar
    )
    assert bar.fontMetrics().horizontalAdvance(message) + 12 <= left
    window.close()
