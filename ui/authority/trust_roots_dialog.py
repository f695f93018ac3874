"""Authority → Trust Roots…: the pinned roots people's certificates must chain to; pin, unpin."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from workbench.authority import keys, trust

FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole


Reload = Callable[[], None]


class TrustRootsDialog(QDialog):
    """Lists the pinned roots; Pin… and Unpin hand the change to the window: `pin(reload)`
    and `unpin(fingerprint, subject, reload)` run it on the writer thread, then call reload."""

    def __init__(
        self,
        ws,
        parent=None,
        *,
        pin: Callable[[Reload], None] | None = None,
        unpin: Callable[[str, str, Reload], None] | None = None,
    ):
        super().__init__(parent)
        self.ws = ws
        self._pin, self._unpin = pin, unpin
        self.setWindowTitle("Trust roots")
        self.setMinimumSize(640, 320)
        intro = QLabel(
            "People's signing certificates must be issued by a pinned root (or intermediate). "
            "With none pinned, any certificate the directory holds for a person counts.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Pinned trust roots")
        self.table.setHorizontalHeaderLabels(["Certificate", "SHA-256 fingerprint", "Pinned"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel("No root is pinned.", self)
        self.pin_button = QPushButton("&Pin Root…", self)
        self.unpin_button = QPushButton("&Unpin", self)
        self.pin_button.clicked.connect(self._pin_clicked)
        self.unpin_button.clicked.connect(self._unpin_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        row.addWidget(self.pin_button)
        row.addWidget(self.unpin_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        anchors = trust.pinned(self.ws)
        self.table.setRowCount(len(anchors))
        for r, a in enumerate(anchors):
            subject = QTableWidgetItem(a.subject)
            subject.setData(FINGERPRINT_ROLE, a.fingerprint)
            subject.setToolTip(a.fingerprint)
            fp = QTableWidgetItem(keys.short_fingerprint(a.fingerprint))
            fp.setToolTip(a.fingerprint)
            self.table.setItem(r, 0, subject)
            self.table.setItem(r, 1, fp)
            self.table.setItem(r, 2, QTableWidgetItem(a.pinned_at[:10]))
        self.empty.setVisible(not anchors)
        if anchors and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> tuple[str, str] | None:
        """(fingerprint, subject) of the chosen root."""
        rows = {i.row() for i in self.table.selectedItems()}
        if not rows:
            return None
        item = self.table.item(min(rows), 0)
        return item.data(FINGERPRINT_ROLE), item.text()

    def _update_buttons(self) -> None:
        self.unpin_button.setEnabled(self.selected() is not None and self._unpin is not None)
        self.pin_button.setEnabled(self._pin is not None)

    def _pin_clicked(self) -> None:
        if self._pin is not None:
            self._pin(self.reload)

    def _unpin_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None and self._unpin is not None:
            self._unpin(*chosen, self.reload)
