"""Light and dark colour schemes (a QPalette each) and the shared style sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
THEMES = {"system": "System", "light": "Light", "dark": "Dark"}

_LIGHT = {
    "Window": "#f3f4f6",
    "WindowText": "#1f2328",
    "Base": "#ffffff",
    "AlternateBase": "#f6f8fa",
    "ToolTipBase": "#ffffe1",
    "ToolTipText": "#1f2328",
    "Text": "#1f2328",
    "Button": "#eceef1",
    "ButtonText": "#1f2328",
    "BrightText": "#ffffff",
    "Highlight": "#2f5d9b",
    "HighlightedText": "#ffffff",
    "Link": "#0b5cad",
    "PlaceholderText": "#8c959f",
    "Mid": "#c8ccd1",
    "Midlight": "#e1e4e8",
    "Dark": "#9ea4ab",
    "Shadow": "#6e7781",
}
_DARK = {
    "Window": "#202327",
    "WindowText": "#e6e8eb",
    "Base": "#16181b",
    "AlternateBase": "#1d2024",
    "ToolTipBase": "#2b3036",
    "ToolTipText": "#e6e8eb",
    "Text": "#e6e8eb",
    "Button": "#2b2f35",
    "ButtonText": "#e6e8eb",
    "BrightText": "#ffffff",
    "Highlight": "#3d6fb6",
    "HighlightedText": "#ffffff",
    "Link": "#6cb6ff",
    "PlaceholderText": "#7d8590",
    "Mid": "#3a3f46",
    "Midlight": "#2f343a",
    "Dark": "#101214",
    "Shadow": "#000000",
}


def palette(name: str) -> QPalette:
    colors = _DARK if name == "dark" else _LIGHT
    pal = QPalette()
    for role, value in colors.items():
        pal.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    disabled = QColor(colors["PlaceholderText"])
    for role in ("WindowText", "Text", "ButtonText"):
        pal.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), disabled)
    return pal


def effective(name: str) -> str:
    """'light' or 'dark': what 'system' means on this desktop right now."""
    if name in ("light", "dark"):
        return name
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply(app: QApplication, name: str) -> None:
    app.setStyle("Fusion")  # the same look everywhere; palettes are designed for it
    app.setPalette(palette(effective(name)))
    qss = RESOURCES / "styles" / "workbench.qss"
    text = qss.read_text(encoding="utf-8") if qss.exists() else ""
    app.setStyleSheet(text.replace("@ICONS@", (RESOURCES / "icons").as_posix()))


def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "workbench.svg"))
