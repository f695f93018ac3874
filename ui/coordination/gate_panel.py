"""The publication gate: "Ready to publish", or every reason not yet, each leading to its place."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
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


ORG_ROLE = Qt.ItemDataRole.UserRole + 1


def grouped(items) -> list[tuple[str | None, list]]:
    """The reasons by organization (in first-seen order), the document's own ones first."""
    groups: dict[str | None, list] = {}
    for gi in items:
        groups.setdefault(gi.organization, []).append(gi)
    return sorted(groups.items(), key=lambda kv: kv[0] is not None)


def group_title(org: str | None, blocking: int, warnings: int) -> str:
    parts = []
    if blocking:
        parts.append(f"{blocking} blocking")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{org or 'The document'} — {', '.join(parts)}"


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
        self._lazy = LazyReload(
            self, self.reload, reader=controller.reader, prepare=self._job, show=self._show
        )
        controller.document_changed.connect(self._lazy.now)
        controller.changed.connect(self._lazy.request)
        controller.text_saved.connect(self._lazy.request)  # reviews of that section go stale
        self.reload()

    def _job(self):
        doc_id = self.ctrl.document_id

        def read(ws):
            if doc_id is None:
                return doc_id, None
            try:
                return doc_id, gate.publication_blockers(ws, doc_id)
            except NotFound:
                return doc_id, None

        return read

    def reload(self) -> None:
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _show(self, read) -> None:
        doc_id, report = read
        if doc_id != self.ctrl.document_id:
            return  # read for a document no longer shown
        if report is not None and report == self.report and self.list.count():
            return  # most autosaves change no reason: refilling thousands of rows is for nothing
        self.list.clear()
        self.report = report
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
        bold = QFont(self.list.font())
        bold.setBold(True)
        for org, group in grouped(self.report.blockers + self.report.warnings):
            blocking = sum(1 for gi in group if gi.severity == "blocker")
            head = QListWidgetItem(group_title(org, blocking, len(group) - blocking), self.list)
            head.setFont(bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable, no action
            head.setData(ORG_ROLE, org)
            for gi in group:
                self._add_item(gi, icons)
        self.list.setUpdatesEnabled(True)
        self._update_waive_hint()

    def _add_item(self, gi, icons) -> None:
        item = QListWidgetItem(icons[gi.severity], gi.message, self.list)
        item.setData(ROLE, gi)
        item.setToolTip(
            ("Blocks publication" if gi.severity == "blocker" else "A warning; does not block")
            + " — double-click or press Enter to go there"
        )
        if gi.severity == "warning":
            item.setForeground(QBrush(theme.status_color("warn")))

    def items(self) -> list:
        """The reasons shown (organization headings left out)."""
        rows = (self.list.item(i).data(ROLE) for i in range(self.list.count()))
        return [gi for gi in rows if gi is not None]

    def item_row(self, predicate) -> int:
        """The list row of the first reason that matches, or -1."""
        for i in range(self.list.count()):
            gi = self.list.item(i).data(ROLE)
            if gi is not None and predicate(gi):
                return i
        return -1

    def _activated(self, item: QListWidgetItem) -> None:
        if item.data(ROLE) is not None:
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
        item = self.list.currentItem()
        if gi is None and item is not None and item.data(ORG_ROLE):
            # An organization's heading: its one missing review, or all its sections.
            org = item.data(ORG_ROLE)
            reviews = [b for b in self.items() if b.organization == org and b.rule == "review"]
            section = reviews[0].section_id if len(reviews) == 1 else None
            self.ctrl.waive(organization=org, section_id=section)
        elif gi is not None and gi.rule == "review":
            self.ctrl.waive(organization=gi.organization, section_id=gi.section_id)
        else:
            self.ctrl.waive()
