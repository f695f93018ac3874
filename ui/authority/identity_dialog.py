"""Who am I: pick yourself in the directory or add yourself; remembered for this OS account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from workbench import directory


class IdentityDialog(QDialog):
    """Choose a person (the list) or fill in 'Add yourself'; `choice()` says which."""

    def __init__(self, ws, parent=None, *, current: int | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who are you?")
        self.setMinimumWidth(460)
        intro = QLabel(
            "Everything you do in this workspace is recorded under your name in the directory "
            f"(your OS account, {ws.os_account or 'unknown'}, is recorded beside it). "
            "Pick yourself, or add yourself if you are not listed.",
            self,
        )
        intro.setWordWrap(True)
        self.people = QListWidget(self)
        self.people.setAccessibleName("People in the directory")
        names = directory.shown_names(ws)  # a local agency by name, not its made-up code
        for p in directory.people(ws):
            code = p.organization_code
            org = f" ({names.get(code, code)})" if code else ""
            title = f", {p.title}" if p.title else ""
            item = QListWidgetItem(f"{p.name}{title}{org}", self.people)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            if p.id == current:
                self.people.setCurrentItem(item)
        self.people.itemDoubleClicked.connect(lambda _item: self.accept())
        add = QGroupBox("Add yourself", self)
        form = QFormLayout(add)
        self.name = QLineEdit(add)
        self.name.setAccessibleName("Your name")
        self.name.setMaxLength(200)
        self.title = QLineEdit(add)
        self.title.setAccessibleName("Your title")
        self.title.setMaxLength(200)
        self.organization = QComboBox(add)
        self.organization.setAccessibleName("Your organization")
        for o in directory.organizations(ws):
            self.organization.addItem(f"{o.code} — {o.name}", o.code)
        form.addRow("&Name:", self.name)
        form.addRow("&Title:", self.title)
        form.addRow("&Organization:", self.organization)
        self.name.textEdited.connect(lambda _t: self.people.clearSelection())
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b42318")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("This is me")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.people, 1)
        layout.addWidget(add)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str, object]:
        """("person", id), ("new", {name, title, organization}) or ("", None)."""
        name = self.name.text().strip()
        if name:
            return "new", {
                "name": name,
                "title": self.title.text().strip(),
                "organization": self.organization.currentData(),
            }
        item = self.people.currentItem()
        if item is not None and item.isSelected():
            return "person", item.data(Qt.ItemDataRole.UserRole)
        return "", None

    def accept(self) -> None:
        if self.choice()[0] == "":
            self.problem.setText("Pick yourself in the list, or type your name to add yourself.")
            self.problem.show()
            return
        super().accept()
