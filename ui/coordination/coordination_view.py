"""The coordination view: per organization its requests, suspenses, position, non-concurrence."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.flow_layout import FlowLayout
from ui.lazy import LazyReload
from ui.table_layout import Columns, WrappingDelegate
from workbench import directory, sections
from workbench.coordination import positions, reviews
from workbench.coordination import requests as rq
from workbench.exchange.provenance import UNAUTHENTICATED
from workbench.numbering import reference

ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ["Organization", "Status", "Suspense", "Position", "Non-concurrence", "Reviews"]
NC_LABELS = {
    "pending": "Non-concurs (Critical comments not adjudicated)",
    "standing": "Non-concurs",
    "cleared": "Cleared (Critical comments accepted)",
    "withdrawn": "Withdrawn",
    "overridden": "Overridden by the Director",
}


class CoordinationView(QWidget):
    """Select an organization or one of its requests, then act on it."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctrl = controller
        self.ws = controller.ws
        self.setAccessibleName("Coordination")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Organizations and review requests")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setAlternatingRowColors(True)
        # Positions and non-concurrences wrap rather than end in "…"; columns are the user's.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        wrapped = {COLUMNS.index("Position"): 3, COLUMNS.index("Non-concurrence"): 2}
        self.tree.setItemDelegate(WrappingDelegate(self.tree, list(wrapped), max_lines=2))
        self.columns = Columns(self.tree, "coordination", COLUMNS, weights=wrapped, required=[0])
        self.tree.currentItemChanged.connect(self._current_changed)
        self.summary = QLabel(self)
        self.summary.setObjectName("hint")

        # Wraps on a narrow dock: every button stays in view.
        self.button_row = FlowLayout(spacing=2)
        self.buttons: dict[str, QToolButton] = {}
        for key in (
            "route",
            "new_request",
            "withdraw_request",
            "record_position",
            "withdraw_nc",
            "override",
        ):
            self.buttons[key] = self.ctrl.button(key, self)
            self.button_row.addWidget(self.buttons[key])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.button_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
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
        controller.request_focus.connect(self.select_request)
        self.reload()

    def add_button(self, button: QToolButton) -> None:
        """Another part's command beside the view's own (Send for Review…)."""
        self.button_row.addWidget(button)

    def _job(self):
        """What to read for the view as it is now; runs on the reader thread."""
        doc_id = self.ctrl.document_id

        def read(ws) -> tuple:
            if doc_id is None:
                return doc_id, None
            numbers = sections.section_numbers(ws, doc_id)
            states: dict[str, list] = {}
            for s in reviews.review_states(ws, doc_id):
                states.setdefault(s.organization, []).append(s)
            requests: dict[str, list] = {}
            for r in rq.list_requests(ws, doc_id):
                requests.setdefault(r.organization, []).append(r)
            extended: dict[int, list] = {}
            for x in rq.suspense_extensions(ws, doc_id):
                extended.setdefault(x.request_id, []).append(x)
            latest = positions.latest_positions(ws, doc_id)
            authenticated = positions.position_authentication(ws, doc_id)
            ncs = {n.organization: n for n in positions.nonconcurrences(ws, doc_id)}
            involved = set(states) | set(requests) | set(latest) | set(ncs)
            order = [o.code for o in directory.organizations(ws) if o.code in involved]
            names = directory.shown_names(ws)
            facts = (numbers, states, requests, extended, latest, ncs, order, authenticated, names)
            return doc_id, facts

        return read

    def _pending(self) -> None:
        # Another document was chosen; its coordination is being read.
        self.tree.blockSignals(True)
        self.tree.clear()
        self.tree.blockSignals(False)
        self.items = {}
        self.summary.setText("Reading…" if self.ctrl.document_id else "")

    def reload(self) -> None:
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _show(self, read: tuple) -> None:
        doc_id, facts = read
        if doc_id != self.ctrl.document_id:
            return  # read for a document no longer shown
        keep = self._key(self.tree.currentItem())
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items: dict[tuple, QTreeWidgetItem] = {}
        if doc_id is None:
            self.summary.setText("Select a document to see its coordination.")
            self.tree.blockSignals(False)
            self._current_changed(None, None)
            return
        numbers, states, requests, extended, latest, ncs, order, authenticated, names = facts
        bold = QFont(self.tree.font())
        bold.setBold(True)
        late = 0
        for code in order:
            reqs = requests.get(code, [])
            open_reqs = [r for r in reqs if r.is_open]
            last = (open_reqs or reqs or [None])[-1]
            p = latest.get(code)
            nc = ncs.get(code)
            org_states = states.get(code, [])
            current = sum(s.state in ("current", "waived") for s in org_states)
            position = f"{p.label} — {p.by_name}, {p.at[:10]}" if p else "No position"
            if p and authenticated.get(p.id) == UNAUTHENTICATED:
                position += " (unauthenticated reviewer)"
            if p and any(s.state == "stale" for s in org_states):
                position += " (text changed since)"
            item = QTreeWidgetItem(
                self.tree,
                [
                    names.get(code, code),  # a local agency by name, not its made-up code
                    last.status_label if last else "Not asked",
                    last.suspense_date if last and last.is_open else "",
                    position,
                    NC_LABELS[nc.state] if nc else "",
                    f"{current} of {len(org_states)} sections current" if org_states else "",
                ],
            )
            item.setData(0, ROLE, ("org", code))
            item.setFont(0, bold)
            if last is not None and last.is_overdue:
                late += 1
                for col in (1, 2):
                    item.setForeground(col, QBrush(theme.status_color("bad")))
            if nc is not None:
                item.setForeground(4, QBrush(theme.status_color("bad" if nc.stands else "good")))
            if p is not None:
                colour = theme.status_color("bad" if p.position == "non_concur" else "good")
                item.setForeground(3, QBrush(colour))
            self.items[("org", code)] = item
            for r in reqs:
                refs = ", ".join(reference(numbers[s]) for s in r.section_ids if s in numbers)
                child = QTreeWidgetItem(
                    item,
                    [
                        f"Request {r.id}",
                        r.status_label,
                        r.suspense_date,
                        r.reviewer_name,
                        "",
                        refs,
                    ],
                )
                child.setData(0, ROLE, ("request", r.id))
                child.setToolTip(5, refs)
                if r.id in extended:
                    # Extensions are on the record: the date shows it, the tooltip says why.
                    child.setText(2, f"{r.suspense_date} (extended)")
                    child.setToolTip(
                        2,
                        "\n".join(
                            f"{x.at[:10]}: {x.old} → {x.new} by {x.by}: {x.reason}"
                            for x in extended[r.id]
                        ),
                    )
                if r.is_overdue:
                    for col in range(3):
                        child.setForeground(col, QBrush(theme.status_color("bad")))
                    child.setToolTip(1, f"Overdue: the suspense was {r.suspense_date}")
                elif not r.is_open:
                    for col in range(3):
                        child.setForeground(col, self.palette().placeholderText())
                self.items[("request", r.id)] = child
            item.setExpanded(bool(open_reqs))
        self.tree.blockSignals(False)
        n = len(order)
        self.summary.setText(
            f"{n} organization{'s' * (n != 1)} involved" + (f"; {late} overdue" if late else "")
            if n
            else "No organization has equities in this document yet."
        )
        target = self.items.get(keep) if keep else None
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self._current_changed(self.tree.currentItem(), None)

    @staticmethod
    def _key(item) -> tuple | None:
        return item.data(0, ROLE) if item is not None else None

    def _current_changed(self, item, _previous) -> None:
        key = self._key(item)
        org = None
        request_id = None
        if key and key[0] == "org":
            org = key[1]
        elif key and key[0] == "request":
            request_id = key[1]
            org = self._key(item.parent())[1]
        self.ctrl.organization = org
        self.ctrl.set_request(request_id)

    def select_request(self, request_id: int) -> bool:
        item = self.items.get(("request", request_id))
        if item is None:
            self.reload()
            item = self.items.get(("request", request_id))
        if item is None:
            return False
        item.parent().setExpanded(True)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def select_organization(self, code: str) -> bool:
        item = self.items.get(("org", code))
        if item is not None:
            self.tree.setCurrentItem(item)
        return item is not None
