"""Remembered preferences: theme, window layout, recent workspaces; accessible controls."""

from __future__ import annotations

from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)

from ui import settings as app_settings
from ui.main_window import MainWindow


def test_theme_choice_applies_a_palette_and_is_remembered(qtbot, window):
    window.set_theme("dark")
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 80
    assert app_settings.theme() == "dark"
    window.set_theme("light")
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() > 200
    assert app_settings.theme() == "light"


def test_window_layout_is_restored(qtbot, ws, window):
    window.resize(701, 503)
    window.splitter.setSizes([150, 350, 190])
    sizes = window.splitter.sizes()
    window.close()
    again = MainWindow(ws.for_thread())
    qtbot.addWidget(again)
    again.show()
    assert again.size().width() == 701 and again.size().height() == 503
    assert again.splitter.sizes() == sizes
    again.close()


def test_recent_workspaces_are_most_recent_first_without_duplicates(tmp_path):
    for name in ("a", "b", "a"):
        app_settings.remember_workspace(tmp_path / f"{name}.cnew")
    assert app_settings.recent_workspaces() == [
        str(tmp_path / "a.cnew"),
        str(tmp_path / "b.cnew"),
    ]
    assert app_settings.last_workspace() == str(tmp_path / "a.cnew")


def test_every_control_has_an_accessible_name(qtbot, ws, doc_id, window):
    from workbench import sections

    sid = sections.add_section(ws, doc_id, heading="x")
    window.navigator.reload()
    window.navigator.select("section", sid)
    kinds = (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QTextBrowser,
        QTreeWidget,
    )
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisible() and type(w).__name__ != "QToolBarExtension"
    ]
    assert len(controls) > 12
    assert [
        f"{type(w).__name__} {w.objectName()}" for w in controls if not w.accessibleName()
    ] == []


def test_system_theme_follows_the_desktop(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    window.set_theme("system")
    dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    base = QApplication.palette().color(QPalette.ColorRole.Base).lightness()
    assert (base < 80) if dark else (base > 200)
    assert app_settings.theme() == "system"
    checked = [a.objectName() for a in window.findChildren(QAction) if a.isChecked()]
    assert "theme-system" in checked
