"""The publication gate: "Ready to publish", or every reason not yet, each leading to its place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.lazy import LazyReload
from workbench.coordination import gate
from workbench.errors import NotFound

ROLE = Qt.ItemDataRole.UserRole
ICON_BLOCKER = QStyle.StandardPixmap.SP_MessageBoxCritical
ICON_WARNING = QStyle.StandardPixmap.SP_MessageBoxWarning
_BOX = "border-radius:4px; padding:6px; font-weight:600;"


def _status_style(status: str) -> str:
    # The status colour on the panel's own background: readable in both themes.
    color = theme.status_color(status).name()
    return f"border: 1px solid {color}; color: {color}; {_BOX}"


class GatePanel(QWidget):
    """Activate an item (double-click or Enter) to go where it names."""

    item_activated = Signal(object)  # the GateItem

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctrl = controller
        self.ws = controller.ws
        self.report: gate.GateReport | None = None
        self.setAccessibleName("Publication gate")
        self.status = QLabel(self)
        self.status.setObjectName("gateStatus")
        self.status.setAccessibleName("Publication status")
        self.status.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Reasons the document cannot be published yet")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.list.currentItemChanged.connect(lambda *_: self._update_waive_hint())
        self.publish_button = self.ctrl.button("publish", self)
        self.waive_button = QToolButton(self)
        self.waive_button.setText("Waive review…")
        self.waive_button.setAccessibleName("Waive review")
        self.waive_button.setToolTip("The Director excuses an organization's review, with a reason")
        self.waive_button.clicked.connect(self.waive_selected)
        buttons = QHBoxLayout()
        for b in (self.publish_button, self.waive_button):
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._lazy = LazyReload(self, self.reload)
        controller.document_changed.connect(self._lazy.now)
        controller.changed.connect(self._lazy.request)
        self.reload()

    def reload(self) -> None:
        doc_id = self.ctrl.document_id
        self.list.clear()
        self.report = None
        if doc_id is not None:
            try:
                self.report = gate.publication_blockers(self.ws, doc_id)
            except NotFound:
                self.report = None
        if self.report is None:
            self.status.setText("No document selected.")
            self.status.setStyleSheet("")
            self.waive_button.setEnabled(False)
            return
        self.status.setText(self.report.summary())
        self.status.setStyleSheet(_status_style("good" if self.report.publishable else "bad"))
        # Looked up once: a 500-section document can list hundreds of review blockers.
        icons = {
            "blocker": self.style().standardIcon(ICON_BLOCKER),
            "warning": self.style().standardIcon(ICON_WARNING),
        }
        self.list.setUpdatesEnabled(False)
        for gi in self.report.blockers + self.report.warnings:
            item = QListWidgetItem(icons[gi.severity], gi.message, self.list)
            item.setData(ROLE, gi)
            item.setToolTip(
                ("Blocks publication" if gi.severity == "blocker" else "A warning; does not block")
                + " — double-click or press Enter to go there"
            )
            if gi.severity == "warning":
                item.setForeground(QBrush(theme.status_color("warn")))
        self.list.setUpdatesEnabled(True)
        self._update_waive_hint()

    def items(self) -> list:
        return [self.list.item(i).data(ROLE) for i in range(self.list.count())]

    def item_row(self, predicate) -> int:
        return next((i for i, gi in enumerate(self.items()) if predicate(gi)), -1)

    def _activated(self, item: QListWidgetItem) -> None:
        self.item_activated.emit(item.data(ROLE))

    def _selected(self):
        item = self.list.currentItem()
        return item.data(ROLE) if item is not None else None

    def _update_waive_hint(self) -> None:
        has_reviews = self.report is not None and any(
            b.rule == "review" for b in self.report.blockers
        )
        self.waive_button.setEnabled(has_reviews)

    def waive_selected(self) -> None:
        gi = self._selected()
        if gi is not None and gi.rule == "review":
            self.ctrl.waive(organization=gi.organization, section_id=gi.section_id)
        else:
            self.ctrl.waive()
