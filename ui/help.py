"""The Help menu: keyboard shortcuts, getting started on the demo, and the version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from ui import markdown_render
from ui.theme import RESOURCES

GETTING_STARTED = RESOURCES / "help" / "getting-started.md"
# Keys that belong to a control rather than a menu command.
EDITOR_KEYS = [
    ("Editor", "Tab / Shift+Tab", "Next / previous control; in a list item: indent / outdent"),
    ("Editor", "Ctrl+Tab", "A literal tab character"),
    ("Editor", "Enter", "In a list: the next item (on an empty item: end the list)"),
    ("Outline", "Ctrl+Return", "Add a section after the current one (also from the text)"),
    ("Outline", "Ctrl+Shift+Up / Down", "Move the section up / down"),
    ("Outline", "Ctrl+] / Ctrl+[", "Indent / outdent the section"),
    ("Find bar", "Enter / Shift+F3", "Next / previous occurrence"),
    ("Find bar", "Esc", "Close the find bar"),
]


def version() -> str:
    import importlib.metadata  # ~15 ms of imports (email...): only when asked

    try:
        return importlib.metadata.version("cne-workbench")
    except importlib.metadata.PackageNotFoundError:
        return "development"


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(menu, keys, command) for every menu command with a shortcut, then the editor's keys."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} › {action.menu().title().replace('&', '')}")
                continue
            keys = action.shortcut()
            if not keys.isEmpty():
                text = action.text().replace("&", "").replace("…", "")
                rows.append((path, keys.toString(QKeySequence.SequenceFormat.NativeText), text))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return rows + EDITOR_KEYS


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Command"])
        for column, name in enumerate(["Where", "Keys", "Command"]):
            self.table.horizontalHeaderItem(column).setData(
                Qt.ItemDataRole.AccessibleTextRole, name
            )
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 520)


class GettingStartedDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Getting Started")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Getting started")
        self.browser.setOpenLinks(False)
        lines = GETTING_STARTED.read_text(encoding="utf-8").splitlines()
        self.browser.setHtml(markdown_render.document(lines[0], "\n".join(lines[1:])))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(680, 600)


def about_text(window) -> str:
    return (
        f"CNE Workbench {version()}\n\n"
        "Drafting, coordination and publication of DHS counternarcotics policy documents.\n\n"
        f"Workspace: {window.ws.path}"
    )
