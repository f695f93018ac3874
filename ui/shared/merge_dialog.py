"""Two people saved one section: their text and yours side by side, yours editable into the
merge. Nothing is lost: closing the dialog keeps your text unsaved until you merge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)


def _side(title: str, heading: str, body: str, editable: bool, parent) -> tuple:
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    head = QLineEdit(heading, box, readOnly=not editable)
    text = QPlainTextEdit(box, readOnly=not editable)
    text.setPlainText(body)
    head.setAccessibleName(f"{title}: heading")
    text.setAccessibleName(f"{title}: text")
    layout.addWidget(head)
    layout.addWidget(text)
    return box, head, text


class MergeDialog(QDialog):
    """`merged()` is the heading and text to save once the dialog is accepted."""

    def __init__(self, conflict, parent=None):
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle("Someone Else Saved This Section")
        self.resize(1000, 560)
        layout = QVBoxLayout(self)
        told = QLabel(
            f"<b>{_escape(str(conflict))}</b><br>Your text was not saved over theirs. Edit "
            "the right side into the text to keep, then save it.",
            self,
        )
        told.setWordWrap(True)
        told.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(told)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        theirs_box, self.their_heading, self.their_body = _side(
            f"Saved by {conflict.by}", *conflict.theirs, False, split
        )
        yours_box, self.your_heading, self.your_body = _side(
            "Yours (edit this into the merge)", *conflict.yours, True, split
        )
        split.addWidget(theirs_box)
        split.addWidget(yours_box)
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(self)
        self.save = buttons.addButton("&Save Merged Text", QDialogButtonBox.ButtonRole.AcceptRole)
        self.take_theirs = QPushButton("Start From &Theirs", self)
        self.take_theirs.setToolTip("Put their text on the right (Ctrl+Z brings yours back)")
        buttons.addButton(self.take_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        later = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        later.setToolTip("Keep your text unsaved for now (Edit → Merge Unsaved Section…)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.take_theirs.clicked.connect(self._start_from_theirs)
        layout.addWidget(buttons)
        self.your_body.setFocus()

    def _start_from_theirs(self) -> None:
        # Typed over, not set: Edit → Undo (Ctrl+Z) in the right side brings yours back.
        self.your_heading.selectAll()
        self.your_heading.insert(self.their_heading.text())
        self.your_body.selectAll()
        self.your_body.insertPlainText(self.their_body.toPlainText())

    def merged(self) -> tuple[str, str]:
        return self.your_heading.text(), self.your_body.toPlainText()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
