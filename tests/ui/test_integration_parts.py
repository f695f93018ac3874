"""Optional parts load after the window has painted, and their docks keep their places."""

from __future__ import annotations

import sys
import types

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QLabel

from ui import app
from workbench.workspace import Workspace


class _Order(QObject):
    def __init__(self, events):
        super().__init__()
        self.events = events

    def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and "paint" not in self.events:
            self.events.append("paint")
        return False


def test_parts_install_after_the_first_paint_and_keep_their_dock_layout(
    qtbot, qapp, ws_path, monkeypatch
):
    events: list[str] = []

    def install(window):
        events.append("install")
        return window.add_panel("Fake", QLabel("part"), "bottom")

    module = types.ModuleType("fake_part")
    module.install = install
    monkeypatch.setitem(sys.modules, "fake_part", module)
    monkeypatch.setattr(app, "PARTS", [("fake_part", "fake"), ("no_such_part.install", "missing")])
    order = _Order(events)
    qapp.installEventFilter(order)
    Workspace.create(ws_path).close()
    try:
        window = app.show_window(Workspace.open(ws_path))
        qtbot.addWidget(window)
        assert events == []  # nothing of the parts runs before the window is on screen
        with qtbot.waitSignal(window.parts_ready, timeout=3000):
            pass
    finally:
        qapp.removeEventFilter(order)
    assert events == ["paint", "install"]
    assert not hasattr(window, "missing")  # a missing part is skipped
    dock = window.findChild(QDockWidget, "dock-Fake")
    assert window.fake is dock
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.close()

    again = app.show_window(Workspace.open(ws_path))
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.parts_ready, timeout=3000):
        pass
    dock = again.findChild(QDockWidget, "dock-Fake")
    assert again.dockWidgetArea(dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    again.close()
