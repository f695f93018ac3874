"""Accessible names for every control: from its label, placeholder or tooltip when unnamed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)


def is_control(w: QWidget) -> bool:
    # Scroll bars are announced by their role and orientation; menus by their actions.
    return isinstance(w, CONTROLS) and not isinstance(w, QScrollBar)


def spoken_name(w: QWidget) -> str:
    """What a screen reader announces: the accessible name, else a button's own text."""
    if w.accessibleName():
        return w.accessibleName()
    if isinstance(w, QAbstractButton):
        return w.text().replace("&", "").strip()
    return ""


# Qt's own helper buttons, by object name.
QT_PARTS = {
    "qt_menubar_ext_button": "More menus",
    "qt_toolbar_ext_button": "More tools",
    "qt_dockwidget_closebutton": "Close panel",
    "qt_dockwidget_floatbutton": "Float panel",
}


def _derived(w: QWidget, buddies: dict) -> str:
    if w.objectName() in QT_PARTS:
        return QT_PARTS[w.objectName()]
    if isinstance(w, QHeaderView):
        view = w.parentWidget()
        owner = view.accessibleName() if view is not None else ""
        return f"{owner or 'Table'} column headers"
    label = buddies.get(id(w))
    if label:
        return label
    for text in (
        getattr(w, "placeholderText", lambda: "")(),
        w.toolTip(),
        w.statusTip(),
    ):
        if text:
            return text.split("\n")[0].strip(" .…")
    if isinstance(w, QTabBar):
        return "Tabs"
    # A part of a named control (a combo box's list, a panel's inner view): say whose.
    parent = w.parentWidget()
    while parent is not None:
        if parent.accessibleName():
            suffix = " choices" if isinstance(parent, QComboBox) else ""
            return parent.accessibleName() + suffix
        parent = parent.parentWidget()
    return ""


def name_controls(root: QWidget) -> int:
    """Give each unnamed control under `root` a name from what the eye reads next to it."""
    buddies = {
        id(label.buddy()): label.text().replace("&", "").rstrip(":")
        for label in root.findChildren(QLabel)
        if label.buddy() is not None and label.text()
    }
    named = 0
    for w in root.findChildren(QWidget):
        if is_control(w) and not spoken_name(w):
            name = _derived(w, buddies)
            if name:
                w.setAccessibleName(name)
                named += 1
    return named
