"""The first screen when no workspace is remembered: new, open, or a demo workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout

from ui import theme


class StartDialog(QDialog):
    """`choice` is 'new', 'open', 'demo', or None when closed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("CNE Workbench")
        self.setWindowIcon(theme.app_icon())
        self.choice: str | None = None
        title = QLabel(
            "<h2>CNE Workbench</h2>"
            "<p>Draft, coordinate and publish counternarcotics policy documents. "
            "Everything lives in one workspace file you can keep on this laptop.</p>",
            self,
        )
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        self.buttons = {}
        for key, text, tip in [
            ("new", "New workspace…", "Create an empty workspace file"),
            ("open", "Open workspace…", "Open an existing .cnew file"),
            ("demo", "Create demo workspace…", "A workspace with sample documents to explore"),
        ]:
            button = QPushButton(text, self)
            button.setAccessibleName(text.rstrip("…"))
            button.setToolTip(tip)
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, k=key: self._choose(k))
            layout.addWidget(button)
            self.buttons[key] = button
        self.setMinimumWidth(420)

    def _choose(self, key: str) -> None:
        self.choice = key
        self.accept()

    @classmethod
    def get_choice(cls) -> str | None:
        dialog = cls()
        dialog.exec()
        return dialog.choice
