"""Document → Take Offline…: where the offline copy goes and how long the lease runs."""

from __future__ import annotations

import datetime as dt
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
    QSpinBox,
    QVBoxLayout,
)

from workbench import offline


class TakeOfflineDialog(QDialog):
    """The copy's file (a new .cnew) and the lease in days, with the day it runs out."""

    def __init__(self, title: str, start: str, now: dt.datetime, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Take {title} Offline")
        self.now = now
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{title}, its coordination record and what they refer to are copied into a "
            "workspace file of your own (not the rest of the workspace), to work on without the "
            "network. Here everyone sees it read-only, with your name, until you bring it back "
            "(File → Bring Back…). When the lease runs out it stays yours, but the Director may "
            "break it; changes in a copy whose lease was broken cannot come back.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.path = QLineEdit(start, self)
        self.path.setAccessibleName("Offline copy")
        self.browse = QPushButton("&Browse…", self)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        to_label = QLabel("&Copy to:", self)
        to_label.setBuddy(self.path)
        form.addRow(to_label, row)
        self.days = QSpinBox(self)
        self.days.setRange(*offline.LEASE_DAYS)
        self.days.setValue(offline.DEFAULT_LEASE_DAYS)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Lease")
        self.until = QLabel(self)
        self.until.setObjectName("leaseUntil")
        lease = QHBoxLayout()
        lease.addWidget(self.days)
        lease.addWidget(self.until, 1)
        lease_label = QLabel("&Lease:", self)
        lease_label.setBuddy(self.days)
        form.addRow(lease_label, lease)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Take Offline")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.days.valueChanged.connect(self._update)
        self.path.textChanged.connect(self._update)
        self._update()
        self.resize(560, self.sizeHint().height())
        self.days.setFocus()
        self.days.selectAll()

    def _update(self) -> None:
        ends = offline.lease_end(self.now, self.days.value()).astimezone()
        self.until.setText(f"until {ends:%A %d %B %Y, %H:%M}")
        self.ok.setEnabled(bool(self.path.text().strip()))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.windowTitle(), self.path.text(), "CNE Workbench workspaces (*.cnew)"
        )
        if path:
            self.path.setText(path)

    def chosen(self) -> tuple[Path, int]:
        """The copy's path (with .cnew) and the lease in days."""
        path = Path(self.path.text().strip()).expanduser()
        if path.suffix != ".cnew":
            path = path.with_name(path.name + ".cnew")
        return path, self.days.value()
