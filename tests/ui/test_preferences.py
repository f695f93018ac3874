"""Tools > Preferences: theme, spelling, backups on close, and resetting the window's layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from ui import app, theme, window_layout
from ui import settings as app_settings
from ui.maintenance.install import backup_settings


def open_window(qtbot, ws):
    window = app.show_window(ws)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.parts_ready, timeout=10000):
        pass
    window.resize(1366, 768)
    qtbot.wait(100)  # the docks show on the next turns of the event loop
    return window


def test_preferences_apply_at_once_and_are_remembered(qtbot, ws):
    window = open_window(qtbot, ws)
    window.findChild(QAction, "preferences").trigger()
    dialog = window.preferences_dialog
    qtbot.waitExposed(dialog)

    dialog.theme.setFocus()
    qtbot.keyClick(dialog.theme, Qt.Key.Key_End)  # the last theme: Dark
    assert dialog.theme.currentData() == "dark"
    assert theme.is_dark(QApplication.palette())
    assert app_settings.theme() == "dark"

    assert dialog.back_up.isChecked() and backup_settings()[0]
    qtbot.mouseClick(dialog.back_up, Qt.MouseButton.LeftButton)
    dialog.keep.setFocus()
    dialog.keep.selectAll()
    qtbot.keyClicks(dialog.keep, "7")
    assert backup_settings() == (False, 7)

    assert dialog.spelling.isChecked()
    qtbot.mouseClick(dialog.spelling, Qt.MouseButton.LeftButton)
    assert not window.spelling_action.isChecked() and not window.editor.spell.enabled
    dialog.close()
    window.set_theme("light")
    window.close()


def test_reset_window_layout_brings_the_panels_back(qtbot, ws):
    window = open_window(qtbot, ws)
    window.side_action.setChecked(False)
    window.bottom_action.setChecked(False)
    qtbot.waitUntil(lambda: not window_layout.bottom_shown(window))
    assert not window_layout.side_shown(window)
    window.findChild(QAction, "resetLayout").trigger()
    qtbot.waitUntil(lambda: window_layout.bottom_shown(window))
    assert window_layout.side_shown(window)
    crm = window.coordination.docks[window.coordination.crm]
    assert window.dockWidgetArea(crm) == Qt.DockWidgetArea.BottomDockWidgetArea
    qtbot.waitUntil(lambda: crm.height() >= 170)  # the panels below get their share again
    window.view_menu.aboutToShow.emit()
    assert window.side_action.isChecked() and window.bottom_action.isChecked()
    window.close()
