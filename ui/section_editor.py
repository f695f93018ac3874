"""The section editor: heading, kind, equities, Markdown body with toolbar and live preview."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui import markdown_render, messages
from ui import spell as spell_ui
from ui.figure_view import FigureBrowser
from ui.markdown_edit import MarkdownEdit
from ui.markdown_highlighter import MarkdownHighlighter
from ui.spell import SpellCheck
from workbench import directory, documents, figures, sections
from workbench.errors import NotFound
from workbench.markdown_model import FIGURE_SCHEME

OTHER_ORGANIZATIONS = "Other…"


class SectionEditor(QWidget):
    """Edits one section at a time; text goes through Autosave, the rest through ops."""

    section_shown = Signal(int)  # 0 when nothing is shown
    typed = Signal()  # the user changed the heading or body (not a load)

    def __init__(self, ws, ops, autosave, parent=None):
        super().__init__(parent)
        self.ws, self.ops, self.autosave = ws, ops, autosave
        self.section_id: int | None = None
        self._loading = False
        self._equities_shown: tuple | None = None
        self._other_organizations: list = []  # not listed among the equities (see _show_meta)
        self._document_id: int | None = None

        self.stack = QStackedWidget(self)
        placeholder = QLabel("Select a section in the outline, or add one from its context menu.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        placeholder.setObjectName("placeholder")
        self.stack.addWidget(placeholder)
        self.stack.addWidget(self._build_editor())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self.update_preview)
        self.heading.textEdited.connect(self._text_changed)
        self.body.textChanged.connect(self._body_changed)
        self.kind.activated.connect(self._kind_chosen)
        self.equities.itemChanged.connect(self._equity_toggled)
        self.equities.itemClicked.connect(self._other_clicked)
        self.equities.itemActivated.connect(self._other_clicked)

    # -- layout ------------------------------------------------------------------------------
    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        self.document_label = QLabel(page)
        self.document_label.setObjectName("documentLabel")
        self.number = QLabel(page)
        self.number.setObjectName("sectionNumber")
        self.number.setAccessibleName("Section number")
        self.heading = QLineEdit(page)
        self.heading.setPlaceholderText("Section heading")
        self.heading.setAccessibleName("Section heading")
        self.heading.setObjectName("headingEdit")
        # The store refuses longer headings; cut a mistaken paste here rather than fail saves.
        self.heading.setMaxLength(sections.MAX_HEADING)
        self.kind = QComboBox(page)
        self.kind.setAccessibleName("Section kind")
        self.kind.setToolTip("What kind of section this is; it decides the numbering")
        for key, label in sections.SECTION_KINDS.items():
            self.kind.addItem(label, key)

        self.equities = QListWidget(page)
        self.equities.setAccessibleName("Equities")
        self.equities.setToolTip("Organizations whose equities this section touches")
        self.equities.setFlow(QListView.Flow.LeftToRight)
        self.equities.setWrapping(True)
        self.equities.setResizeMode(QListView.ResizeMode.Adjust)
        self.equities.setSpacing(2)
        self.equities.setObjectName("equities")
        self.equities.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.equities.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.equities.installEventFilter(self)

        self.toolbar = QToolBar("Formatting", page)
        self.toolbar.setAccessibleName("Formatting toolbar")
        self.toolbar.setIconSize(QSize(16, 16))
        self.format_actions: dict[str, QAction] = {}
        for key, text, tip, shortcut in [
            ("bold", "B", "Bold (**text**)", QKeySequence.StandardKey.Bold),
            ("italic", "I", "Italic (*text*)", QKeySequence.StandardKey.Italic),
            ("heading", "H", "Heading (## )", None),
            ("bullet", "• List", "Bulleted list (- )", None),
            ("numbered", "1. List", "Numbered list (1. )", None),
            ("quote", "“ Quote", "Quotation (> )", None),
            ("link", "Link", "Link ([text](url))", QKeySequence("Ctrl+K")),
        ]:
            action = QAction(text, self)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, k=key: self.apply_format(k))
            self.toolbar.addAction(action)
            self.format_actions[key] = action
        for key, style in (("bold", "bold"), ("italic", "italic")):
            button = self.toolbar.widgetForAction(self.format_actions[key])
            font = QFont(button.font())
            font.setBold(style == "bold")
            font.setItalic(style == "italic")
            button.setFont(font)
            button.setAccessibleName(self.format_actions[key].toolTip())
        for key in ("heading", "bullet", "numbered", "quote", "link"):
            self.toolbar.widgetForAction(self.format_actions[key]).setAccessibleName(
                self.format_actions[key].toolTip()
            )
        self.addActions(list(self.format_actions.values()))

        for action in self.format_actions.values():
            # In the tab order, so the keyboard reaches the formatting buttons too.
            self.toolbar.widgetForAction(action).setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.body = MarkdownEdit(page)
        self.body.setAccessibleName("Section text (Markdown)")
        self.body.setPlaceholderText("Section text in Markdown…")
        self.body.setObjectName("bodyEdit")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(self.font().pointSizeF() + 0.5)
        self.body.setFont(mono)
        self.spell = SpellCheck(self.ws, self.ops, self)
        self.highlighter = MarkdownHighlighter(self.body.document(), self.palette(), self.spell)
        self.body.menu_hook = lambda menu, cursor: spell_ui.body_menu(
            self.spell, self.body, menu, cursor
        )
        self.heading.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.heading.customContextMenuRequested.connect(self._heading_menu)
        self.heading.textChanged.connect(self._underline_heading)
        self.spell.changed.connect(self._spelling_changed)

        self.preview = FigureBrowser(page)
        self.preview.setAccessibleName("Preview")
        self.preview.width_changed.connect(lambda: self._preview_timer.start())
        self.preview.setObjectName("preview")

        self.text_split = QSplitter(Qt.Orientation.Horizontal, page)
        self.text_split.setObjectName("textSplit")
        self.text_split.addWidget(self.body)
        self.text_split.addWidget(self.preview)
        self.text_split.setChildrenCollapsible(False)
        self.text_split.setSizes([500, 400])

        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addWidget(self.heading, 1)
        top.addWidget(self.kind)
        eq_row = QHBoxLayout()
        eq_label = QLabel("Equities:", page)
        eq_label.setBuddy(self.equities)
        eq_row.addWidget(eq_label, 0, Qt.AlignmentFlag.AlignTop)
        eq_row.addWidget(self.equities, 1)

        layout = QVBoxLayout(page)
        self.page_layout = layout  # the window puts its find bar above the text
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.document_label)
        layout.addWidget(self._build_published_bar(page))
        layout.addLayout(top)
        layout.addLayout(eq_row)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.text_split, 1)
        return page

    # -- spelling ----------------------------------------------------------------------------
    def _heading_menu(self, pos) -> None:
        menu = self.heading.createStandardContextMenu()
        spell_ui.heading_menu(self.spell, self.heading, menu, self.heading.cursorPositionAt(pos))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.heading.last_menu = menu  # tests look at it
        menu.popup(self.heading.mapToGlobal(pos))

    def _underline_heading(self, *_args) -> None:
        spell_ui.underline_line_edit(self.spell, self.heading)

    def _spelling_changed(self) -> None:
        self.highlighter.rehighlight()
        self._underline_heading()

    def _build_published_bar(self, page) -> QWidget:
        """Shown over a published version: it is read-only until the next version is started."""
        bar = QWidget(page)
        bar.setObjectName("publishedBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 2, 0, 2)
        self.published_label = QLabel(bar)
        self.published_label.setWordWrap(True)
        self.start_version_button = QPushButton(bar)
        self.start_version_button.setObjectName("startVersion")
        self.start_version_button.setAccessibleName("Start the next version")
        self.start_version_button.clicked.connect(self.start_next_version)
        row.addWidget(self.published_label, 1)
        row.addWidget(self.start_version_button, 0)
        bar.hide()
        self.published_bar = bar
        return bar

    def _set_published(self, doc) -> None:
        published = doc.status == "published"
        self.published_bar.setVisible(published)
        if published:
            nxt = doc.version + 1
            self.published_label.setText(
                f"Version {doc.version} is published and read-only. Starting version {nxt} "
                "makes the text editable as a new draft; the published version stays frozen "
                "and every organization whose sections change must review them again."
            )
            self.start_version_button.setText(f"Start Version {nxt}")
        for widget in (self.heading, self.body):
            widget.setReadOnly(published)
        self.kind.setEnabled(not published)
        self.equities.setEnabled(not published)
        self.toolbar.setEnabled(not published)

    def start_next_version(self, doc_id: int | None = None) -> None:
        """Say what starting the next version does, then start it (never undone: no unpublish).
        Of the given document (the one selected in the outline), else the one shown here."""
        doc_id = doc_id or self._document_id
        if doc_id is None:
            return
        doc = documents.document(self.ws, doc_id)
        if doc.status != "published":
            return
        nxt = doc.version + 1
        if not messages.confirm(
            self,
            f"Start version {nxt}",
            f"Version {doc.version} of {doc.title} stays published exactly as it is. "
            f"Version {nxt} starts as a draft with the same text for you to edit; it must be "
            "coordinated and published again. This cannot be undone.",
            ok=f"Start Version {nxt}",
        ):
            return
        section_id = self.section_id

        def done(_doc) -> None:
            if self.section_id == section_id:
                self.show_section(section_id)
                self.body.setFocus()

        self.ops.run(documents.start_next_version, doc_id, on_done=done)

    # -- showing a section -------------------------------------------------------------------
    def show_section(self, section_id: int | None) -> None:
        """Show a section (None: nothing). The previous section's typing is sent first."""
        self.autosave.flush_now()
        sec = None
        if section_id is not None:
            try:
                sec = sections.section(self.ws, section_id)
            except NotFound:
                sec = None
        self.section_id = sec.id if sec else None
        if sec is None:
            self.stack.setCurrentIndex(0)
            self.section_shown.emit(0)
            return
        self.autosave.opened(sec.id, sec.content_hash)  # what typing here starts from
        heading, body = self.autosave.pending_text(sec.id) or (sec.heading, sec.body)
        self._loading = True
        try:
            self.heading.setText(heading)
            self.heading.setCursorPosition(0)  # the title's start in view, not its end
            self.body.setPlainText(body)
            self._show_meta(sec)
        finally:
            self._loading = False
        self.stack.setCurrentIndex(1)
        self.update_preview()
        self.section_shown.emit(sec.id)

    def _show_meta(self, sec) -> None:
        doc = documents.document(self.ws, sec.document_id)
        self._document_id = sec.document_id
        self.document_label.setText(f"{doc.title} — {doc.kind_label}, {doc.status_label}")
        self._set_published(doc)
        self.number.setText(sec.number)
        self.kind.setCurrentIndex(self.kind.findData(sec.kind))
        orgs = directory.organizations(self.ws)
        signature = (sec.id, sec.equities, tuple((o.code, o.name) for o in orgs))
        if signature == self._equities_shown:
            return  # rebuilding the list on every save would cost more than the save
        self._equities_shown = signature
        self.equities.blockSignals(True)
        self.equities.clear()
        # State, local and tribal agencies (a solicitation adds them by the dozen, with made-up
        # codes) are listed by name, and only once they hold an equity here; "Other…" adds one.
        shown = [o for o in orgs if o.kind != "slt" or o.code in sec.equities]
        self._other_organizations = [o for o in orgs if o not in shown]
        for org in shown:
            item = QListWidgetItem(org.name if org.kind == "slt" else org.code, self.equities)
            item.setToolTip(org.name)
            item.setData(Qt.ItemDataRole.UserRole, org.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = org.code in sec.equities
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if self._other_organizations:
            more = QListWidgetItem(OTHER_ORGANIZATIONS, self.equities)
            more.setToolTip("State, local, tribal and other agencies in the directory")
            more.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.equities.blockSignals(False)
        QTimer.singleShot(0, self._fit_equities)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        if obj is self.equities and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._fit_equities)
        return super().eventFilter(obj, event)

    def _fit_equities(self) -> None:
        """As tall as the wrapped rows of organization codes, no taller."""
        count = self.equities.count()
        if not count:
            return
        self.equities.doItemsLayout()
        bottom = self.equities.visualItemRect(self.equities.item(count - 1)).bottom()
        height = bottom + 2 * self.equities.frameWidth() + 4
        if height > 8 and height != self.equities.height():
            self.equities.setFixedHeight(height)

    def refresh(self) -> None:
        """After a write elsewhere: follow renumbering, and drop a section that is gone."""
        if self.section_id is None:
            return
        try:
            sec = sections.section(self.ws, self.section_id)
        except NotFound:
            self.show_section(None)
            return
        self._loading = True
        try:
            self._show_meta(sec)
            if self.autosave.pending_text(sec.id) is None and (
                sec.heading != self.heading.text() or sec.body != self.body.toPlainText()
            ):
                self.heading.setText(sec.heading)
                self.heading.setCursorPosition(0)
                self.body.setPlainText(sec.body)
                self.update_preview()
            self.autosave.opened(sec.id, sec.content_hash)
        finally:
            self._loading = False

    def refresh_document(self) -> None:
        """After a text save: only the document line can change (a published one turns draft)."""
        if self.section_id is None or self._document_id is None:
            return
        try:
            doc = documents.document(self.ws, self._document_id)
        except NotFound:
            return
        self.document_label.setText(f"{doc.title} — {doc.kind_label}, {doc.status_label}")
        self._set_published(doc)

    # -- user input --------------------------------------------------------------------------
    def _body_changed(self) -> None:
        # A re-highlight (the spelling dictionary or the theme changed) redraws formats and
        # emits textChanged too: that is not typing.
        if not self.highlighter.restyling:
            self._text_changed()

    def _text_changed(self) -> None:
        if self._loading or self.section_id is None:
            return
        self.typed.emit()
        self.autosave.edit(self.section_id, self.heading.text(), self.body.toPlainText())
        self._preview_timer.start()

    def update_preview(self) -> None:
        body = self.body.toPlainText()
        doc_id, section_id = self._document_id, self.section_id
        numbers = shown = placed = None
        if doc_id is not None and not self.ws.closed:
            numbers = sections.section_numbers(self.ws, doc_id)
            if FIGURE_SCHEME in body:
                # Figures are numbered through the document, with this section as typed.
                bodies = figures.document_bodies(self.ws, doc_id, {section_id: body})
                placed = figures.figure_numbers(bodies)
                shown = figures.images(self.ws, figures.referenced_ids([body]))
        self.preview.set_figures(shown)
        width = self.preview.figure_width()
        html = markdown_render.document("", body, numbers, "", shown or {}, placed, width)
        self.preview.setHtml(html)

    def _kind_chosen(self, _index: int) -> None:
        if self.section_id is not None:
            self.ops.run(sections.set_section_kind, self.section_id, self.kind.currentData())

    def checked_equities(self) -> list[str]:
        return [
            self.equities.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.equities.count())
            if self.equities.item(i).checkState() == Qt.CheckState.Checked
            and self.equities.item(i).data(Qt.ItemDataRole.UserRole)
        ]

    def _other_clicked(self, item) -> None:
        if item.text() == OTHER_ORGANIZATIONS and self._other_organizations:
            rect = self.equities.visualItemRect(item)
            self.other_menu(self.equities.viewport().mapToGlobal(rect.bottomLeft()))

    def other_menu(self, at=None) -> QMenu:
        """The organizations not listed, by name: choosing one gives this section its equity."""
        menu = QMenu(self)
        menu.setObjectName("otherOrganizations")
        for org in self._other_organizations:
            action = menu.addAction(org.name)
            action.setToolTip(org.kind_label)
            action.triggered.connect(lambda _=False, code=org.code: self._add_equity(code))
        self.other_organizations_menu = menu  # tests reach the open menu here
        menu.popup(at or self.equities.mapToGlobal(self.equities.rect().bottomLeft()))
        return menu

    def _add_equity(self, code: str) -> None:
        if self.section_id is not None:
            self._equities_shown = None
            self.ops.run(sections.set_equities, self.section_id, [*self.checked_equities(), code])

    def _equity_toggled(self, _item) -> None:
        if self.section_id is not None:
            self._equities_shown = None  # show the stored list after the write, even if refused
            self.ops.run(sections.set_equities, self.section_id, self.checked_equities())

    # -- formatting --------------------------------------------------------------------------
    def apply_format(self, key: str) -> None:
        """Insert Markdown markup around the selection (or at the start of selected lines)."""
        if self.section_id is None:
            return
        wraps = {"bold": ("**", "**"), "italic": ("*", "*")}
        prefixes = {"heading": "## ", "bullet": "- ", "numbered": "1. ", "quote": "> "}
        cursor = self.body.textCursor()
        cursor.beginEditBlock()
        if key in wraps:
            self._wrap(cursor, *wraps[key])
        elif key == "link":
            self._link(cursor)
        else:
            self._prefix_lines(cursor, prefixes[key])
        cursor.endEditBlock()
        self.body.setTextCursor(cursor)
        self.body.setFocus()

    @staticmethod
    def _wrap(cursor: QTextCursor, before: str, after: str) -> None:
        text = cursor.selectedText()
        cursor.insertText(f"{before}{text}{after}")
        if not text:
            cursor.movePosition(QTextCursor.MoveOperation.Left, n=len(after))

    @staticmethod
    def _link(cursor: QTextCursor) -> None:
        text = cursor.selectedText() or "link text"
        url = "https://"
        cursor.insertText(f"[{text}]({url})")
        cursor.movePosition(QTextCursor.MoveOperation.Left, n=1)
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(url)
        )

    @staticmethod
    def _prefix_lines(cursor: QTextCursor, prefix: str) -> None:
        doc = cursor.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        block = first
        n = 1
        while block.isValid():
            line = QTextCursor(block)
            line.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            if prefix == "1. ":
                line.insertText(f"{n}. ")
                n += 1
            elif block.text().startswith(prefix):
                line.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, len(prefix)
                )
                line.removeSelectedText()  # applying it twice takes it off again
            else:
                line.insertText(prefix)
            if block == last:
                break
            block = block.next()
