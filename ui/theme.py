"""Light and dark colour schemes (a QPalette each) and the shared style sheet."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOptionHeader

import resources

RESOURCES = resources.path()
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
    "PlaceholderText": "#5f6873",
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
    "PlaceholderText": "#959da7",
    "Mid": "#3a3f46",
    "Midlight": "#2f343a",
    "Dark": "#101214",
    "Shadow": "#000000",
}


# Status text colours per theme (light, dark): each keeps >= 4.5:1 (WCAG AA) on Base, Window
# and AlternateBase of its theme; tests/ui/test_contrast.py measures them.
STATUS_COLORS = {
    "bad": ("#b3261e", "#ff7b72"),
    "good": ("#116329", "#3fb950"),
    "warn": ("#8a5a00", "#d29922"),
    "muted": ("#57606a", "#9ea7b3"),
    "info": ("#0b5cad", "#6cb6ff"),
}


class ThemedColors(Mapping):
    """key -> a status colour's hex name in the current theme (looked up when used)."""

    def __init__(self, statuses: dict[str, str]):
        self._statuses = statuses

    def __getitem__(self, key: str) -> str:
        return status_color(self._statuses[key]).name()

    def __iter__(self):
        return iter(self._statuses)

    def __len__(self) -> int:
        return len(self._statuses)


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def status_color(name: str, pal: QPalette | None = None) -> QColor:
    """A status colour (bad, good, warn, muted, info) readable on the current theme."""
    light, dark = STATUS_COLORS[name]
    return QColor(dark if is_dark(pal) else light)


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


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


_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class WorkbenchStyle(QProxyStyle):
    """Fusion, with a column sorted A to Z (or smallest first) under an arrow pointing up.

    QHeaderView hands an ascending sort to the style as `SortDown`, which Fusion draws as a
    downward arrow: users read that as "Z at the top", the opposite of the order shown."""

    def __init__(self):
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


_style: WorkbenchStyle | None = None  # kept alive for the application's lifetime


def apply(app: QApplication, name: str) -> None:
    global _style
    if _style is None or app.style() is not _style:
        _style = WorkbenchStyle()  # the same look everywhere; the palettes are made for it
        app.setStyle(_style)
    app.setPalette(palette(effective(name)))
    qss = RESOURCES / "styles" / "workbench.qss"
    text = qss.read_text(encoding="utf-8") if qss.exists() else ""
    app.setStyleSheet(text.replace("@ICONS@", (RESOURCES / "icons").as_posix()))


def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "workbench.svg"))
