"""The comments panel beside the editor: the CRM rows of the current section, with replies."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStyle,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.coordination.comments_model import COLUMNS, EARLIER_TEXT, ROLE, CommentsModel
from ui.coordination.dialogs import TYPE_COLORS
from ui.coordination.filters import comment_filter_boxes
from ui.flow_layout import FlowLayout
from ui.lazy import LazyReload
from ui.table_layout import Columns, WrappingDelegate
from workbench import directory, sections
from workbench.coordination import comments as cm
from workbench.coordination import facts
from workbench.errors import NotFound

EARLIER_ICON = QStyle.StandardPixmap.SP_MessageBoxWarning
HIGHLIGHT = QColor(255, 214, 10, 110)
COMMENT_COLUMN = COLUMNS.index("Comment")


def type_brush(kind: str) -> QBrush:
    return QBrush(QColor(TYPE_COLORS[kind]))


class CommentsPanel(QWidget):
    """Shows the comments on the selected section (or the whole document when none is)."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctrl = controller
        self.ws = controller.ws
        self.setAccessibleName("Comments")
        self.comments: list = []

        self.scope, self.type_filter, self.org_filter = comment_filter_boxes(self, open_first=True)
        # Short words in a side panel: "Open comments" was cut to "Open comm".
        self.scope.setItemText(0, "Open")
        self.scope.setItemText(1, "All")
        self.scope.setToolTip("Open comments only, or all of them")
        filters = QHBoxLayout()
        for combo in (self.scope, self.type_filter, self.org_filter):
            # Narrow enough for a side panel at 1280 wide; the open list shows whole names.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
        filters.addWidget(self.scope)
        filters.addWidget(self.type_filter)
        filters.addWidget(self.org_filter, 1)

        self.heading = QLabel(self)
        self.heading.setObjectName("hint")
        self.heading.setWordWrap(True)

        self.model = CommentsModel(self)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Comments on this section")
        self.tree.setModel(self.model)
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Rows wrap (a comment shows its first lines); "#" fits its number and warning icon.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrappingDelegate(self.tree, [COMMENT_COLUMN]))
        self.columns = Columns(
            self.tree,
            "comments",
            COLUMNS,
            weights={COMMENT_COLUMN: 1},
            hidden=[COLUMNS.index("Reviewer")],
            required=[COLUMNS.index("Type"), COMMENT_COLUMN, COLUMNS.index("Disposition")],
        )
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.activated.connect(lambda *_: self.ctrl.actions["adjudicate"].trigger())

        self.detail = QTextBrowser(self)
        self.detail.setAccessibleName("Comment details")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(lambda _url: self.ctrl.show_changes_since())

        buttons = FlowLayout(spacing=2)  # wraps on a narrow panel: every button stays in view
        self.buttons: dict[str, QToolButton] = {}
        for key in ("add_comment", "adjudicate", "apply_wording", "reply", "changes_since"):
            self.buttons[key] = self.ctrl.button(key, self)
            buttons.addWidget(self.buttons[key])

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setSizes([260, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.heading)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        self._lazy = LazyReload(
            self,
            self.reload,
            reader=controller.reader,
            prepare=self._job,
            show=self._show,
            pending=self._pending,
        )
        # Read off the UI thread: a document can hold thousands of comments. The read brings
        # the organizations for the filter too.
        controller.section_changed.connect(self._lazy.now)
        for box in (self.scope, self.type_filter, self.org_filter):
            box.currentIndexChanged.connect(self._lazy.now)
        controller.changed.connect(self._lazy.request)
        controller.text_saved.connect(self._text_saved)
        controller.comment_focus.connect(self.select_comment)
        self._fill_organizations()
        self.reload()

    # -- contents ----------------------------------------------------------------------------
    def _fill_organizations(self, codes: list[str] | None = None) -> None:
        keep = self.org_filter.currentData()
        self.org_filter.blockSignals(True)
        self.org_filter.clear()
        self.org_filter.addItem("All organizations", None)
        if codes is None and self.ctrl.document_id is not None:
            codes = facts.commenting_organizations(self.ws, self.ctrl.document_id)
        names = directory.shown_names(self.ws) if codes else {}
        for code in codes or []:
            self.org_filter.addItem(names.get(code, code), code)
        self.org_filter.setCurrentIndex(max(0, self.org_filter.findData(keep)))
        self.org_filter.blockSignals(False)

    def _text_saved(self, section_id: int) -> None:
        # Only the saved section's comments can have changed (made on an earlier revision).
        if self.ctrl.section_id in (None, section_id):
            self._lazy.request()

    def _job(self):
        """What to read for the panel as it is now; runs on the reader thread."""
        doc_id, section_id = self.ctrl.document_id, self.ctrl.section_id
        open_only = bool(self.scope.currentData())
        t = self.type_filter.currentData()
        org = self.org_filter.currentData()

        def read(ws) -> dict:
            out = {"doc": doc_id, "section": section_id, "comments": [], "codes": [], "where": ""}
            out["names"] = directory.shown_names(ws)
            if doc_id is None:
                return out
            out["codes"] = facts.commenting_organizations(ws, doc_id)
            try:
                out["comments"] = cm.list_comments(
                    ws,
                    doc_id,
                    section_id=section_id,
                    open_only=open_only,
                    types=[t] if t else None,
                    organization_code=org if org in out["codes"] else None,
                )
            except NotFound:
                pass
            out["where"] = "this document"
            if section_id is not None:
                try:
                    out["where"] = f"section {sections.section(ws, section_id).number}"
                except NotFound:
                    pass
            return out

        return read

    def _fill(self, comments: list, names: dict[str, str] | None = None) -> None:
        self.tree.selectionModel().blockSignals(True)
        self.model.set_comments(
            comments,
            font=self.tree.font(),
            earlier_icon=self.style().standardIcon(EARLIER_ICON),
            names=names,
        )
        for i, c in enumerate(comments):  # replies show under their comment, full width
            if c.replies:
                parent = self.model.index(i, 0)
                for r in range(len(c.replies)):
                    self.tree.setFirstColumnSpanned(r, parent, True)
                self.tree.expand(parent)
        self.tree.selectionModel().blockSignals(False)
        self.columns.schedule_fit()

    def _pending(self) -> None:
        self.comments = []
        self._fill([])
        self._show_detail(None)
        if self.ctrl.document_id is not None:
            self.heading.setText("Reading the comments…")

    def reload(self) -> None:
        self._lazy.supersede()
        self._show(self._job()(self.ws))

    def _show(self, read: dict) -> None:
        if (read["doc"], read["section"]) != (self.ctrl.document_id, self.ctrl.section_id):
            return  # read for a document or section no longer shown
        keep = self.current_comment_id()
        doc_id = read["doc"]
        self.comments = read["comments"]
        if doc_id is not None:
            self._fill_organizations(read["codes"])
        self._show_heading(doc_id, read["where"])
        self._fill(self.comments, read.get("names"))
        if keep is not None and not self.select_comment(keep, emit_focus=False):
            self.ctrl.set_comment(None)
            self._show_detail(None)
        elif keep is None:
            self._show_detail(None)

    def _show_heading(self, doc_id, where: str) -> None:
        if doc_id is None:
            self.heading.setText("Select a document or a section to see its comments.")
            return
        n = len(self.comments)
        which = "open " if self.scope.currentData() else ""
        self.heading.setText(f"{n} {which}comment{'s' * (n != 1)} on {where}")

    # -- selection ---------------------------------------------------------------------------
    def current_comment_id(self) -> int | None:
        index = self.tree.currentIndex()
        return index.data(ROLE) if index.isValid() else None

    def item_for(self, comment_id: int) -> QModelIndex | None:
        """The comment's row in the tree, None when it is not shown."""
        index = self.model.row_of(comment_id)
        return index if index.isValid() else None

    def select_comment(self, comment_id: int, emit_focus: bool = True) -> bool:
        item = self.item_for(comment_id)
        if item is None and emit_focus:
            # Still being read (the section was chosen a moment ago): read it now.
            self.reload()
            item = self.item_for(comment_id)
        if item is None and emit_focus:
            # Hidden by a filter: show everything on the section so the comment can be seen.
            for box in (self.scope, self.type_filter, self.org_filter):
                box.blockSignals(True)
            self.scope.setCurrentIndex(1)
            self.type_filter.setCurrentIndex(0)
            self.org_filter.setCurrentIndex(0)
            for box in (self.scope, self.type_filter, self.org_filter):
                box.blockSignals(False)
            self.reload()
            item = self.item_for(comment_id)
        if item is None:
            return False
        if self.tree.currentIndex() == item:
            self._current_changed(item, None)
        else:
            self.tree.setCurrentIndex(item)
        self.tree.scrollTo(item)
        return True

    def _current_changed(self, index, _previous) -> None:
        cid = index.data(ROLE) if index is not None and index.isValid() else None
        self.ctrl.set_comment(cid)
        c = self.ctrl.current_comment()
        self._show_detail(c)
        self.highlight(c)

    def _show_detail(self, c) -> None:
        if c is None:
            self.detail.setHtml("")
            self.highlight(None)
            return
        color = TYPE_COLORS[c.type]
        rows = [
            (
                "Source",
                c.organization
                + (f" — {c.reviewer_name}" if c.reviewer_name else "")
                + (f", {c.reviewer_title}" if c.reviewer_title else "")
                + f" ({c.response_date})",
            ),
            ("Location", c.reference + (f", {c.location_detail}" if c.location_detail else "")),
            ("Passage", c.quoted_passage),
            ("Comment", c.comment),
            ("Rationale", c.rationale),
            ("Critical ground", c.critical_ground_label),
            ("Proposed wording", c.proposed_wording),
        ]
        parts = [
            f'<p><b>Item {c.item_no}</b> · <b style="color:{color}">{c.type} {c.type_label}</b>'
            f" · {escape(c.organization)}</p>"
        ]
        if c.on_earlier_revision:
            parts.append(
                f'<p style="color:{theme.status_color("warn").name()}"><b>{EARLIER_TEXT}.</b> '
                '<a href="changes">Show changes since</a></p>'
            )
        parts.append("<table cellspacing=2>")
        for label, value in rows:
            if value:
                parts.append(f"<tr><td valign=top><i>{label}</i></td><td>{escape(value)}</td></tr>")
        disposition = c.disposition_label or "Open — no disposition yet"
        if c.disposition_rationale:
            disposition += f": {c.disposition_rationale}"
        if c.wording_applied_at:
            disposition += " (wording applied)"
        parts.append(
            f"<tr><td valign=top><i>Disposition</i></td><td><b>{escape(disposition)}</b></td></tr>"
        )
        parts.append("</table>")
        for r in c.replies:
            parts.append(
                f"<p style='margin-left:12px'>↳ <b>{escape(r.author)}</b> "
                f"<small>{escape(r.at[:16].replace('T', ' '))}</small><br>{escape(r.text)}</p>"
            )
        self.detail.setHtml("".join(parts))

    # -- the passage in the editor -----------------------------------------------------------
    def highlight(self, c) -> bool:
        """Mark the comment's quoted passage in the editor; True when it was found there."""
        editor = self.ctrl.editor()
        if editor is None:
            return False
        if c is None or c.section_id != self.ctrl.section_id:
            editor.setExtraSelections([])
            return False
        span = cm.passage_span(editor.toPlainText(), c.quoted_passage)
        if span is None:
            editor.setExtraSelections([])
            return False
        cursor = QTextCursor(editor.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        mark.cursor = cursor
        mark.format.setBackground(HIGHLIGHT)
        editor.setExtraSelections([mark])
        self._scroll_to(editor, span[0])
        return True

    @staticmethod
    def _scroll_to(editor, position: int) -> None:
        # Scroll without moving the caret: the user may be typing elsewhere in the section.
        probe = QTextCursor(editor.document())
        probe.setPosition(position)
        rect = editor.cursorRect(probe)
        viewport = editor.viewport().rect()
        if not viewport.contains(rect.topLeft()):
            bar = editor.verticalScrollBar()
            line = max(1, rect.height())
            bar.setValue(bar.value() + (rect.top() - viewport.height() // 3) // line)
