"""Unlock your signing key for this session: a PKCS#12 file or a smart card (PKCS#11)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.authority import keys

CARD_MODULES = (
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    keys.SOFTHSM_MODULE,
)


def default_module() -> str:
    return next((m for m in CARD_MODULES if Path(m).exists()), CARD_MODULES[0])


class KeyDialog(QDialog):
    """Collects where the key is and its secret; `load(person_id)` opens it (or raises)."""

    def __init__(self, parent=None, *, person: str = "", p12: str = "", card: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unlock my signing key")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"Decisions by {person or 'you'} are signed with your key. The password or PIN is "
            "used once and never stored.",
            self,
        )
        intro.setWordWrap(True)
        self.use_file = QRadioButton("Certificate &file (.p12 / .pfx)", self)
        self.use_card = QRadioButton("Smart &card (PIV / CAC)", self)
        file_box = QWidget(self)
        ff = QFormLayout(file_box)
        row = QHBoxLayout()
        self.p12 = QLineEdit(p12, file_box)
        self.p12.setAccessibleName("Certificate file")
        browse = QPushButton("&Browse…", file_box)
        browse.clicked.connect(self._browse)
        row.addWidget(self.p12, 1)
        row.addWidget(browse)
        self.password = QLineEdit(file_box)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        ff.addRow("File:", row)
        ff.addRow("&Password:", self.password)
        card = card or {}
        card_box = QWidget(self)
        cf = QFormLayout(card_box)
        self.module = QLineEdit(card.get("module") or default_module(), card_box)
        self.module.setAccessibleName("PKCS#11 module")
        self.token = QLineEdit(card.get("token", ""), card_box)
        self.token.setAccessibleName("Card (token) label")
        self.key_label = QLineEdit(card.get("key", ""), card_box)
        self.key_label.setAccessibleName("Key label")
        self.pin = QLineEdit(card_box)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("PIN")
        cf.addRow("&Module:", self.module)
        cf.addRow("Card &label:", self.token)
        cf.addRow("&Key label:", self.key_label)
        cf.addRow("P&IN:", self.pin)
        self.file_box, self.card_box = file_box, card_box
        self.use_file.toggled.connect(self._mode)
        (self.use_card if card and not p12 else self.use_file).setChecked(True)
        self._mode()
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b42318")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.use_file, file_box, self.use_card, card_box, self.problem, buttons):
            layout.addWidget(w)
        self.signer: keys.Signer | None = None
        self.person_id: int | None = None

    def _mode(self) -> None:
        self.file_box.setEnabled(self.use_file.isChecked())
        self.card_box.setEnabled(not self.use_file.isChecked())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Certificate file", self.p12.text(), "PKCS#12 (*.p12 *.pfx);;All files (*)"
        )
        if path:
            self.p12.setText(path)

    def load(self, person_id: int | None) -> keys.Signer:
        if self.use_file.isChecked():
            return keys.load_pkcs12(
                self.p12.text().strip(), self.password.text(), person_id=person_id
            )
        return keys.load_pkcs11(
            self.module.text().strip(),
            self.token.text().strip(),
            self.pin.text(),
            self.key_label.text().strip(),
            person_id=person_id,
        )

    def accept(self) -> None:
        from workbench.errors import WorkbenchError

        try:
            self.signer = self.load(self.person_id)
        except WorkbenchError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        finally:
            self.password.clear()
            self.pin.clear()
        super().accept()
