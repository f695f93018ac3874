"""Coordination → Office Closures…: add and remove a closure with the keyboard and mouse."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction

from ui.coordination.install import install
from workbench.coordination import closures


def test_an_analyst_adds_and_removes_an_office_closure(qtbot, window, dialogs):
    install(window)
    window.findChild(QAction, "officeClosures").trigger()
    dialog = window.closures_dialog
    qtbot.waitExposed(dialog)
    dialog.day.setDate(QDate(2026, 12, 3))
    qtbot.keyClicks(dialog.reason, "Snow closure")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert window.ops.flush()
    assert [(c.day, c.reason) for c in closures.list_closures(window.ws)] == [
        ("2026-12-03", "Snow closure")
    ]
    assert dialog.list.topLevelItemCount() == 1 and dialog.reason.text() == ""
    # The suspense arithmetic now skips it.
    cal = closures.calendar(window.ws)
    assert not cal.is_workday(dt.date(2026, 12, 3))

    # A refusal is said in the dialog, and nothing changes.
    dialog.day.setDate(QDate(2026, 12, 5))  # a Saturday
    qtbot.keyClicks(dialog.reason, "Weekend")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    assert "weekend" in dialog.note.text()
    assert len(closures.list_closures(window.ws)) == 1

    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.ops.flush()
    assert closures.list_closures(window.ws) == []
    assert dialog.list.topLevelItemCount() == 0
    assert dialogs.shown == []


def test_the_dialog_says_when_a_day_is_already_a_federal_holiday(qtbot, window):
    from ui.coordination.install import open_closures

    install(window)
    dialog = open_closures(window)
    dialog.day.setDate(QDate(2025, 12, 26))
    assert "Day After Christmas" in dialog.note.text()
