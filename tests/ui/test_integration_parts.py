"""Optional parts load after the window has painted, and their docks keep their places."""

from __future__ import annotations

import sys
import types

import pytest
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
    monkeypatch.setattr(app, "parts", lambda: [(module, "fake")])
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


def test_a_part_that_fails_to_import_is_an_error_not_a_missing_menu(qtbot, ws, monkeypatch):
    from ui.main_window import MainWindow

    window = MainWindow(ws)
    qtbot.addWidget(window)
    import ui.search

    # As if left out of a build: not importable, and not already loaded into the package.
    monkeypatch.setitem(sys.modules, "ui.search.install", None)
    monkeypatch.delattr(ui.search, "install", raising=False)
    with pytest.raises(ImportError):
        app.install_parts(window)
    window.close()


def test_every_part_is_imported_by_name_so_a_freezer_bundles_it():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(app))
    imported = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert {
        "ui.coordination.install",
        "ui.search.install",
        "ui.maintenance.install",
        "ui.dashboard.install",
        "ui.solicitation",
        "ui.roundtrip.install",
        "ui.authority.install",
    } <= imported
    assert "import_module" not in inspect.getsource(app)
