"""The publication gate: "Ready to publish", or every reason not yet, each leading to its place."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
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
ICON_DECISION = QStyle.StandardPixmap.SP_DialogApplyButton
DECISIONS_TITLE = "Decisions the gate counts"
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


NO_PARENT = QModelIndex()
TIP = {
    "blocker": "Blocks publication — double-click or press Enter to go there",
    "warning": "A warning; does not block — double-click or press Enter to go there",
    "decision": "A signed decision the gate counts",
    "unsigned": (
        "Counted unsigned: no one in this workspace has a signing certificate yet, so the "
        "decision carries a name, not a signature"
    ),
}


class GateModel(QAbstractListModel):
    """The reasons, grouped under a heading per organization. Rows are asked for as they are
    drawn: a document with thousands of comments can have thousands of reasons."""

    def __init__(self, view: QWidget):
        super().__init__(view)
        self.rows: list[tuple[str | None, object]] = []  # (heading org, None) or (None, item)
        self._titles: list[str] = []
        self._view = view

    def set_report(self, report: gate.GateReport | None) -> None:
        self.beginResetModel()
        self.rows, self._titles = [], []
        for org, group in grouped(report.blockers + report.warnings) if report else []:
            if len(group) == 1:  # its one reason names the organization: no heading needed
                self.rows.append((None, group[0]))
                self._titles.append(group[0].message)
                continue
            blocking = sum(1 for gi in group if gi.severity == "blocker")
            self.rows.append((org, None))
            self._titles.append(group_title(org, blocking, len(group) - blocking))
            for gi in group:
                self.rows.append((None, gi))
                self._titles.append(gi.message)
        if report and report.decisions and not report.published:
            # What the gate rests on, each with its signature ("unsigned" shown, never hidden).
            self.rows.append((None, None))
            self._titles.append(f"{DECISIONS_TITLE} ({len(report.decisions)})")
            for gi in report.decisions:
                self.rows.append((None, gi))
                self._titles.append(gi.message)
        style = self._view.style()
        self._icons = {
            "blocker": style.standardIcon(ICON_BLOCKER),
            "warning": style.standardIcon(ICON_WARNING),
            "decision": style.standardIcon(ICON_DECISION),
        }
        self._bold = QFont(self._view.font())
        self._bold.setBold(True)
        self._warn = QBrush(theme.status_color("warn"))
        self.endResetModel()

    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index):
        if self.rows[index.row()][1] is None:  # a heading: not selectable, no action
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        org, gi = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._titles[index.row()]
        if gi is None:
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            if role == ORG_ROLE:
                return org
            return None
        if role == ROLE:
            return gi
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons[gi.severity]
        unsigned = gi.severity == "decision" and gi.message.endswith("— unsigned")
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIP["unsigned" if unsigned else gi.severity]
        if role == Qt.ItemDataRole.ForegroundRole and (gi.severity == "warning" or unsigned):
            return self._warn
        return None


def verdict(report: gate.GateReport) -> str:
    """The status colour of the gate's verdict: published is a state of its own, not a failure
    (shown as information); ready is good; anything else is not ready yet."""
    if report.published:
        return "info"
    return "good" if report.publishable else "bad"


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
        self.list = QListView(self)
        self.list.setAccessibleName("Reasons the document cannot be published yet")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        # Wrapped rows are measured a batch per event-loop turn, not all at once.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(100)
        self.model = GateModel(self.list)
        self.list.setModel(self.model)
        self.list.activated.connect(self._activated)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_waive_hint())
        self.publish_button = self.ctrl.button("publish", self)
        self.waive_button = QToolButton(self)
        self.waive_button.setText("Waive review…")
        self.waive_button.setAccessibleName("Waive review")
        self.waive_button.setToolTip("The Director excuses an organization's review, with a reason")
        self.waive_button.clicked.connect(self.waive_selected)
        # The verdict and what to do about it above the reasons: in a short dock the buttons
        # stay in view however long the list is.
        buttons = QHBoxLayout()
        for b in (self.publish_button, self.waive_button):
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addStretch(0)  # takes the room of the list while it is hidden (published)
        self._lazy = LazyReload(
            self,
            self.reload,
            reader=controller.reader,
            prepare=self._job,
            show=self._show,
            pending=self._pending,
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

    def _pending(self) -> None:
        # Another document was chosen; its gate is being read.
        self.model.set_report(None)
        self.report = None
        self.waive_button.setEnabled(False)
        self.status.setStyleSheet("")
        self._show_list(True)
        self.status.setText("Reading…" if self.ctrl.document_id else "No document selected.")

    def reload(self) -> None:
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _show(self, read) -> None:
        doc_id, report = read
        if doc_id != self.ctrl.document_id:
            return  # read for a document no longer shown
        if report is not None and report == self.report and self.model.rowCount():
            return  # most autosaves change no reason: refilling thousands of rows is for nothing
        self.report = report
        self.model.set_report(report)
        if self.report is None:
            self.status.setText("No document selected.")
            self.status.setStyleSheet("")
            self._show_list(True)
            self.waive_button.setEnabled(False)
            return
        text = self.report.summary()
        if self.report.published and self.report.decisions:
            # Who published, and how it is signed ("— unsigned" where no keys are configured).
            text += "\n" + "\n".join(d.message for d in self.report.decisions)
        self.status.setText(text)
        self.status.setStyleSheet(_status_style(verdict(self.report)))
        self._show_list(not self.report.published)  # published: nothing is missing
        self._update_waive_hint()

    def _show_list(self, shown: bool) -> None:
        self.list.setVisible(shown)
        self.layout().setStretch(3, 0 if shown else 1)

    def items(self) -> list:
        """The reasons shown (organization headings left out)."""
        return [gi for _, gi in self.model.rows if gi is not None]

    def item_row(self, predicate) -> int:
        """The list row of the first reason that matches, or -1."""
        for i, (_, gi) in enumerate(self.model.rows):
            if gi is not None and predicate(gi):
                return i
        return -1

    def select_row(self, row: int) -> None:
        self.list.setCurrentIndex(self.model.index(row))

    def _activated(self, index: QModelIndex) -> None:
        if index.data(ROLE) is not None:
            self.item_activated.emit(index.data(ROLE))

    def _selected(self):
        index = self.list.currentIndex()
        return index.data(ROLE) if index.isValid() else None

    def _update_waive_hint(self) -> None:
        has_reviews = self.report is not None and any(
            b.rule == "review" for b in self.report.blockers
        )
        self.waive_button.setEnabled(has_reviews)

    def waive_selected(self) -> None:
        gi = self._selected()
        index = self.list.currentIndex()
        if gi is None and index.isValid() and index.data(ORG_ROLE):
            # An organization's heading: its one missing review, or all its sections.
            org = index.data(ORG_ROLE)
            reviews = [b for b in self.items() if b.organization == org and b.rule == "review"]
            section = reviews[0].section_id if len(reviews) == 1 else None
            self.ctrl.waive(organization=org, section_id=section)
        elif gi is not None and gi.rule == "review":
            self.ctrl.waive(organization=gi.organization, section_id=gi.section_id)
        else:
            self.ctrl.waive()
