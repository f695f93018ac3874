"""File → Open Shared Workspace…: server, database and account of a workspace on PostgreSQL."""

from __future__ import annotations

import getpass
import urllib.parse

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from workbench.workspace import ServerAddress


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


class OpenSharedDialog(QDialog):
    """Where the shared workspace is and who connects; the password only when the server asks
    for one (then, if the person agrees, it goes to the system keyring, not to the settings)."""

    def __init__(
        self,
        parent=None,
        address: ServerAddress | None = None,
        *,
        problem: str = "",
        ask_password: bool = False,
    ):
        super().__init__(parent)
        self.setWindowTitle("Open Shared Workspace")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A workspace on the office's PostgreSQL server, which several people edit at "
            "once. Ask your database administrator for the server and database names.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem, self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: white; background: #8b1a1a; padding: 4px;")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.host = QLineEdit(self, placeholderText="db.cne.example (empty: this computer)")
        self.port = QSpinBox(self, minimum=1, maximum=65535, value=5432)
        self.database = QLineEdit(self, placeholderText="cne")
        self.user = QLineEdit(_login(), self)
        self.schema = QLineEdit(self, placeholderText="public")
        self.password = QLineEdit(self, echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("from the system keyring or ~/.pgpass")
        self.remember = QCheckBox("Remember the password in the system keyring", self)
        self.remember.setChecked(True)
        for label, widget in (
            ("&Server:", self.host),
            ("P&ort:", self.port),
            ("&Database:", self.database),
            ("&User:", self.user),
            ("S&chema:", self.schema),
            ("&Password:", self.password),
        ):
            form.addRow(label, widget)
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow("", self.remember)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.database.textChanged.connect(self._update)
        if address is not None:
            self._fill(address)
        self._update()
        (self.password if ask_password else self.host).setFocus()

    def _fill(self, address: ServerAddress) -> None:
        self.host.setText(address.host)
        if address.port:
            self.port.setValue(address.port)
        self.database.setText(address.dbname)
        if address.user:
            self.user.setText(address.user)
        if address.schema != "public":
            self.schema.setText(address.schema)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        ok.setEnabled(bool(self.database.text().strip()))

    def url(self) -> str:
        """The address typed, as a postgresql:// URL (never with the password)."""
        host = self.host.text().strip()
        user = urllib.parse.quote(self.user.text().strip(), safe="")
        database = urllib.parse.quote(self.database.text().strip(), safe="")
        query = {}
        netloc = f"{user}@" if user else ""
        if host.startswith("/"):
            query["host"] = host  # a Unix socket folder
        elif host:
            netloc += f"[{host}]" if ":" in host else host
            if self.port.value() != 5432:
                netloc += f":{self.port.value()}"
        schema = self.schema.text().strip().lower()
        if schema and schema != "public":
            query["schema"] = schema
        tail = ("?" + urllib.parse.urlencode(query)) if query else ""
        return f"postgresql://{netloc}/{database}{tail}"

    def result_address(self) -> tuple[ServerAddress, str | None, bool]:
        """(address, the password typed or None, whether to keep it in the keyring)."""
        return ServerAddress(self.url()), self.password.text() or None, self.remember.isChecked()
