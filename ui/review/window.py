"""The review-mode window: read a packet's sections, comment, set the position, export."""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui import markdown_render, messages, theme
from ui.figure_view import FigureBrowser
from workbench.coordination.comments import COMMENT_TYPES, CRITICAL_GROUNDS
from workbench.coordination.positions import POSITIONS
from workbench.coordination.workdays import workdays_between
from workbench.errors import WorkbenchError
from workbench.exchange.formats import RESPONSE_SUFFIX
from workbench.exchange.review import WHOLE_DOCUMENT, ReviewSession
from workbench.figures import figure_numbers
from workbench.numbering import reference

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 800
# The section list's first entry: comments about the document, not one section. Its rows carry
# this flag; a section's carry its id under UserRole.
WHOLE_ROLE = Qt.ItemDataRole.UserRole + 1

_BANNER_CSS = (
    "QLabel#markingBanner { background: #1f5f2e; color: white; font-weight: bold; "
    "padding: 3px; letter-spacing: 1px; }"
)


def _banner(marking: str) -> QLabel:
    label = QLabel(marking)
    label.setObjectName("markingBanner")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(_BANNER_CSS)
    return label


def suspense_text(suspense: str, today: dt.date) -> tuple[str, bool]:
    """('Suspense 2026-11-16 — 4 workdays left', overdue?) for the header."""
    try:
        due = dt.date.fromisoformat(suspense)
    except ValueError:
        return f"Suspense {suspense}", False
    if due < today:
        return f"Suspense {suspense} — OVERDUE", True
    left = workdays_between(today, due)
    return f"Suspense {suspense} — {left} workday{'s' if left != 1 else ''} left", False


class ReviewWindow(QMainWindow):
    """One packet under review. Every change is saved beside the packet, shortly after it."""

    def __init__(self, session: ReviewSession, *, today: dt.date | None = None):
        super().__init__()
        self.session = session
        p = session.packet
        self.setWindowTitle(f"Review: {p.document_title} — {p.organization_code} — CNE Workbench")
        self.setWindowIcon(theme.app_icon())
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)

        root = QWidget(self)
        outer = QVBoxLayout(root)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.top_banner = _banner(p.marking)
        self.bottom_banner = _banner(p.marking)
        outer.addWidget(self.top_banner)

        body = QWidget(root)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 8)
        title = QLabel(p.document_title)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        layout.addWidget(title)
        info = QLabel(
            f"Review request {p.request_id} to {p.organization_code} — {p.organization_name}"
            + (f" · Reviewer: {p.reviewer_name}" if p.reviewer_name else "")
        )
        info.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(info)
        layout.addWidget(self._provenance(p))
        text, overdue = suspense_text(p.suspense_date, today or dt.date.today())
        self.suspense_label = QLabel(text)
        self.suspense_label.setTextFormat(Qt.TextFormat.PlainText)
        self.suspense_label.setStyleSheet(
            "font-weight: bold; color: %s;"
            % (theme.status_color("bad").name() if overdue else "palette(text)")
        )
        layout.addWidget(self.suspense_label)
        if p.instructions.strip():
            instructions = QLabel(f"Instructions: {p.instructions.strip()}")
            instructions.setTextFormat(Qt.TextFormat.PlainText)
            instructions.setWordWrap(True)
            layout.addWidget(instructions)

        split = QSplitter(Qt.Orientation.Horizontal, body)
        self.sections = QListWidget(split)
        self.sections.setAccessibleName("Sections to review")
        self.sections.setSpacing(2)
        # Long headings wrap rather than end in "…"; the full title is also the tooltip.
        self.sections.setWordWrap(True)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        whole = QListWidgetItem(WHOLE_DOCUMENT)
        whole.setData(WHOLE_ROLE, True)
        whole.setToolTip(
            "A comment about the document as a whole, not one section; quoting a passage is "
            "optional"
        )
        font = whole.font()
        font.setItalic(True)
        whole.setFont(font)
        self.sections.addItem(whole)
        for s in p.sections:
            title = f"{reference(s.number)}  {s.heading}"
            item = QListWidgetItem(("    " * s.depth) + title)
            item.setToolTip(title)
            item.setData(Qt.ItemDataRole.UserRole, s.section_id)
            self.sections.addItem(item)
        # Nothing in a packet is followed or fetched; its figures travel inside it.
        self.text = FigureBrowser(split)
        self.text.set_figures(p.figures)
        self.text.width_changed.connect(lambda: self._render_section(self.sections.currentRow()))
        split.addWidget(self.sections)
        split.addWidget(self.text)
        split.addWidget(self._comment_pane(split))
        split.setSizes([220, 520, 420])
        layout.addWidget(split, 1)
        layout.addWidget(self._position_bar(body))
        outer.addWidget(body, 1)
        outer.addWidget(self.bottom_banner)
        self.setCentralWidget(root)
        self.resize(1280, 800)

        self.sections.currentRowChanged.connect(self._show_section)
        self.sections.setCurrentRow(1 if p.sections else 0)  # the first section to read
        self._refresh_comments()
        if session.notice:
            self.status.setText(session.notice)

    # -- building ---------------------------------------------------------------------------
    def _provenance(self, p) -> QLabel:
        """Who signed the packet, or a loud warning that nothing shows it is CNE's."""
        if p.signature_problem:
            label = QLabel(f"\u26a0 {p.signature_problem}")
            label.setObjectName("packetWarning")
            label.setStyleSheet(
                "QLabel#packetWarning { background: #b00020; color: white; font-weight: bold; "
                "padding: 4px; }"
            )
        else:
            if p.signer_kind == "person":
                who = (
                    f"Signed by {p.signer} for CNE (personal certificate issued by "
                    f"{p.signer_issuer}; key {p.signer_fingerprint[:16]}…)."
                )
            else:
                who = (
                    f"Signed with CNE's workspace key ({p.signer}; key "
                    f"{p.signer_fingerprint[:16]}…), not a person's certificate."
                )
            label = QLabel(f"{who} Its text, suspense and instructions are as CNE sent them.")
            label.setObjectName("packetSigner")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _comment_pane(self, parent) -> QWidget:
        pane = QWidget(parent)
        v = QVBoxLayout(pane)
        v.setContentsMargins(6, 0, 0, 0)
        self.form_title = QLabel()
        self.form_title.setTextFormat(Qt.TextFormat.PlainText)
        self.form_title.setWordWrap(True)
        self.form_title.setStyleSheet("font-weight: bold;")
        v.addWidget(self.form_title)
        form = QFormLayout()
        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Comment type")
        # No type is pre-selected: calling a comment Critical (or not) is the reviewer's call.
        self.type_box.addItem("— choose the type —", None)
        for key, label in COMMENT_TYPES.items():
            self.type_box.addItem(f"{key} — {label}", key)
        self.ground_box = QComboBox()
        self.ground_box.addItem("—", None)
        for key, label in CRITICAL_GROUNDS.items():
            self.ground_box.addItem(label, key)
        self.passage = QLineEdit()
        self.passage.setPlaceholderText("Select text at left, then Quote selection")
        quote = QPushButton("Quote selection")
        quote.setObjectName("quoteSelection")
        quote.clicked.connect(self.quote_selection)
        row = QHBoxLayout()
        row.addWidget(self.passage, 1)
        row.addWidget(quote)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText("What is wrong")
        self.rationale_edit = QPlainTextEdit()
        self.rationale_edit.setPlaceholderText("Why")
        self.wording_edit = QPlainTextEdit()
        self.wording_edit.setPlaceholderText("Your replacement for the quoted passage (optional)")
        for edit in (self.comment_edit, self.rationale_edit, self.wording_edit):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(80)
        form.addRow("Type", self.type_box)
        form.addRow("Critical ground", self.ground_box)
        form.addRow("Passage", row)
        form.addRow("Comment", self.comment_edit)
        form.addRow("Rationale", self.rationale_edit)
        form.addRow("Proposed wording", self.wording_edit)
        v.addLayout(form)
        self.add_button = QPushButton("Add comment")
        self.add_button.clicked.connect(self.add_comment)
        self.cancel_edit_button = QPushButton("Cancel editing")
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.cancel_edit_button.hide()
        buttons_row = QHBoxLayout()
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.cancel_edit_button)
        buttons_row.addWidget(self.add_button)
        v.addLayout(buttons_row)
        self.comment_count = QLabel()
        v.addWidget(self.comment_count)
        self.comment_list = QListWidget()
        self.comment_list.setWordWrap(True)
        self.comment_list.setSpacing(3)
        self.comment_list.setAlternatingRowColors(True)
        v.addWidget(self.comment_list, 1)
        self.edit_button = QPushButton("Edit comment")
        self.edit_button.clicked.connect(self.edit_selected)
        self.comment_list.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        remove = QPushButton("Remove comment")
        remove.clicked.connect(self.remove_selected)
        list_row = QHBoxLayout()
        list_row.addStretch(1)
        list_row.addWidget(self.edit_button)
        list_row.addWidget(remove)
        v.addLayout(list_row)
        self._editing: str | None = None  # the comment being edited (its client id)
        self.type_box.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        return pane

    def _position_bar(self, parent) -> QWidget:
        bar = QWidget(parent)
        h = QHBoxLayout(bar)
        h.setContentsMargins(0, 6, 0, 0)
        self.name_edit = QLineEdit(self.session.reviewer_name)
        self.name_edit.setPlaceholderText("Your name")
        self.title_edit = QLineEdit(self.session.reviewer_title)
        self.title_edit.setPlaceholderText("Your title")
        self.position_box = QComboBox()
        self.position_box.addItem("— choose the position —", None)
        for key, label in POSITIONS.items():
            self.position_box.addItem(label, key)
        if self.session.position:
            self.position_box.setCurrentIndex(self.position_box.findData(self.session.position))
        self.status = QLabel()
        save = QPushButton("Save")
        save.clicked.connect(self.save)
        export = QPushButton("Export response…")
        export.setDefault(True)
        export.clicked.connect(self.export_clicked)
        self.signer = None  # the reviewer's key, when they sign the response
        self.sign_button = QPushButton("Sign with My Certificate…")
        self.sign_button.setToolTip(
            "Sign the response with your certificate (a .p12 file), so CNE can tell it is yours;"
            " unsigned, it is recorded as from an unauthenticated reviewer."
        )
        self.sign_button.clicked.connect(self.choose_certificate)
        h.addWidget(QLabel(f"{self.session.packet.organization_code} position:"))
        h.addWidget(self.position_box)
        h.addWidget(self.name_edit, 1)
        h.addWidget(self.title_edit, 1)
        h.addWidget(self.status, 1)
        h.addWidget(save)
        h.addWidget(self.sign_button)
        h.addWidget(export)
        self.name_edit.textEdited.connect(self._reviewer_edited)
        self.title_edit.textEdited.connect(self._reviewer_edited)
        self.position_box.currentIndexChanged.connect(self._position_changed)
        return bar

    # -- behaviour --------------------------------------------------------------------------
    def current_section_id(self) -> int | None:
        """The section chosen; None for the document as a whole (or nothing chosen)."""
        item = self.sections.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def about_document(self) -> bool:
        """True when the reviewer chose "The document as a whole" in the section list."""
        item = self.sections.currentItem()
        return bool(item and item.data(WHOLE_ROLE))

    def choose_document(self) -> None:
        self.sections.setCurrentRow(0)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        self._render_section(row)
        whole = self.about_document()
        self._title_form()
        self.passage.setPlaceholderText(
            "Optional: select text at left, then Quote selection"
            if whole
            else "Select text at left, then Quote selection"
        )
        if self._editing is None:
            self.passage.clear()
            # A new section, a new judgement: the last comment's type and ground do not carry.
            self.type_box.setCurrentIndex(0)

    def _title_form(self) -> None:
        """Say what the form writes: a new comment or the one being edited, and where."""
        item = self.sections.currentItem()
        if self.about_document():
            where = "the document as a whole"
        else:
            where = " ".join(item.toolTip().split()) if item else "this section"
        verb = "New comment" if self._editing is None else "Editing the comment"
        self.form_title.setText(f"{verb} on {where}")

    def _render_section(self, row: int) -> None:
        """The section's text (again after a resize: figures are fitted to the width); for the
        document as a whole, every section sent, so the reviewer can quote from any."""
        item = self.sections.item(row)
        if item is None:
            return
        packet = self.session.packet
        # Cross-references print the numbers the packet's sections carry.
        numbers = {x.section_id: x.number for x in packet.sections}
        other = "§ (a section not in this packet)"
        placed = figure_numbers(x.body for x in packet.sections)
        width = self.text.figure_width()
        if item.data(WHOLE_ROLE):
            shown = packet.sections
            note = (
                "<p><i>A comment here is about the document as a whole. Quoting a passage is "
                "optional; one you quote may come from any section below.</i></p>"
            )
        else:
            sid = item.data(Qt.ItemDataRole.UserRole)
            shown = tuple(x for x in packet.sections if x.section_id == sid)
            note = ""
        parts = [
            f"<h2>{escape(f'{reference(s.number)} {s.heading}')}</h2>"
            + markdown_render.render(s.body, numbers, other, packet.figures, placed, width)
            for s in shown
        ]
        self.text.setHtml(
            f"<html><head><style>{markdown_render.PREVIEW_CSS}</style></head>"
            f"<body>{note}{''.join(parts)}</body></html>"
        )

    def _type_changed(self) -> None:
        critical = self.type_box.currentData() == "C"
        self.ground_box.setEnabled(critical)
        if not critical:
            self.ground_box.setCurrentIndex(0)

    def quote_selection(self) -> None:
        text = " ".join(self.text.textCursor().selectedText().replace("\u2029", " ").split())
        if text:
            self.passage.setText(text)

    def add_comment(self) -> bool:
        """Add the comment in the form (or save the one being edited), on the section chosen
        or on the document as a whole."""
        sid = self.current_section_id()
        if sid is None and not self.about_document():
            return False
        if self.type_box.currentData() is None:
            messages.error(
                self,
                "Cannot add the comment",
                "Choose the comment's type: Critical, Substantive or Administrative.",
            )
            return False
        fields = {
            "quoted_passage": self.passage.text(),
            "rationale": self.rationale_edit.toPlainText().strip(),
            "critical_ground": self.ground_box.currentData(),
            "proposed_wording": self.wording_edit.toPlainText().strip(),
        }
        try:
            if self._editing is not None:
                self.session.update_comment(
                    self._editing,
                    section_id=sid,
                    type=self.type_box.currentData(),
                    comment=self.comment_edit.toPlainText().strip(),
                    **fields,
                )
            else:
                self.session.add_comment(
                    sid, self.type_box.currentData(), self.comment_edit.toPlainText(), **fields
                )
        except WorkbenchError as exc:
            messages.error(self, "Cannot save the comment", str(exc))
            return False
        self._clear_form()
        self._refresh_comments()
        self.save()
        return True

    def _clear_form(self) -> None:
        for edit in (self.comment_edit, self.rationale_edit, self.wording_edit):
            edit.clear()
        self.passage.clear()
        self.type_box.setCurrentIndex(0)
        self._editing = None
        self.add_button.setText("Add comment")
        self.cancel_edit_button.hide()
        self._title_form()

    def edit_selected(self) -> None:
        """Load the selected comment into the form; Save comment writes it back."""
        item = self.comment_list.currentItem()
        if item is None:
            return
        cid = item.data(Qt.ItemDataRole.UserRole)
        c = next((c for c in self.session.comments if c.client_id == cid), None)
        if c is None:
            return
        self._editing = cid
        rows = [s.section_id for s in self.session.packet.sections]
        if c.section_id is None:
            self.choose_document()
        elif c.section_id in rows:
            self.sections.setCurrentRow(rows.index(c.section_id) + 1)  # after the document
        self.type_box.setCurrentIndex(self.type_box.findData(c.type))
        self.ground_box.setCurrentIndex(max(0, self.ground_box.findData(c.critical_ground)))
        self.passage.setText(c.quoted_passage)
        self.comment_edit.setPlainText(c.comment)
        self.rationale_edit.setPlainText(c.rationale)
        self.wording_edit.setPlainText(c.proposed_wording)
        self.add_button.setText("Save comment")
        self.cancel_edit_button.show()
        self._title_form()
        self.comment_edit.setFocus()

    def cancel_edit(self) -> None:
        self._clear_form()

    def remove_selected(self) -> None:
        item = self.comment_list.currentItem()
        if item is None:
            return
        self.session.remove_comment(item.data(Qt.ItemDataRole.UserRole))
        self._refresh_comments()
        self.save()

    def _refresh_comments(self) -> None:
        self.comment_list.clear()
        numbers = {s.section_id: s.number for s in self.session.packet.sections}
        for c in self.session.comments:
            where = (
                WHOLE_DOCUMENT if c.section_id is None else reference(numbers.get(c.section_id, ""))
            )
            quote = f" “{c.quoted_passage}”" if c.quoted_passage else ""
            item = QListWidgetItem(f"[{c.type}] {where}{quote}\n{c.comment}")
            item.setData(Qt.ItemDataRole.UserRole, c.client_id)
            self.comment_list.addItem(item)
        n = len(self.session.comments)
        self.comment_count.setText(f"<b>Your comments ({n})</b>")

    def _reviewer_edited(self) -> None:
        self.session.set_reviewer(self.name_edit.text(), self.title_edit.text())
        self._save_timer.start()

    def _position_changed(self) -> None:
        self.session.set_position(self.position_box.currentData())
        self.save()

    def save(self) -> bool:
        self._save_timer.stop()
        try:
            self.session.save()
        except OSError as exc:
            log.warning("Saving review work failed: %s", exc)
            self.status.setText(f"Not saved: {exc.strerror or exc}")
            return False
        self.status.setText(f"Saved to {self.session.draft_path.name}")
        return True

    def ask_export_path(self) -> Path | None:
        start = str(self.session.suggested_response_path())
        path, _ = QFileDialog.getSaveFileName(
            self, "Export response", start, f"Review responses (*{RESPONSE_SUFFIX})"
        )
        return Path(path) if path else None

    def choose_certificate(self) -> bool:
        from PySide6.QtWidgets import QInputDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Your signing certificate", "", "Certificates (*.p12 *.pfx)"
        )
        if not path:
            return False
        password, ok = QInputDialog.getText(
            self,
            "Certificate password",
            f"Password for {Path(path).name}:",
            QLineEdit.EchoMode.Password,
        )
        return ok and self.use_certificate(Path(path), password)

    def use_certificate(self, path: Path, password: str) -> bool:
        from workbench.authority import keys

        try:
            self.signer = keys.load_pkcs12(path, password)
        except WorkbenchError as exc:
            messages.error(self, "Cannot use the certificate", str(exc))
            return False
        self.sign_button.setText(f"Signing as {self.signer.name}")
        self.status.setText(f"The response will be signed by {self.signer.name}.")
        return True

    def export_clicked(self) -> Path | None:
        problems = self.session.problems()
        if problems:
            messages.error(self, "The response is not ready", "\n".join(problems))
            return None
        path = self.ask_export_path()
        if path is None:
            return None
        return self.export_to(path)

    def export_to(self, path: Path) -> Path | None:
        self._save_timer.stop()
        try:
            out = self.session.export_response(path, self.signer)
        except (WorkbenchError, OSError) as exc:
            messages.error(self, "Cannot export the response", str(exc))
            return None
        self.status.setText(f"Response exported to {out.name}")
        messages.info(
            self,
            "Response exported",
            f"Your response is in {out}"
            + (f", signed by {self.signer.name}" if self.signer else " (not signed)")
            + ".\n\nSend this file back to CNE. Your work stays saved "
            "here; you can change it and export again — the newer response replaces this one.",
        )
        return out

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.session.dirty:
            self.save()
        super().closeEvent(event)
