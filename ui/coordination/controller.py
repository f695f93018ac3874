"""The coordination controller: the actions (QActions and methods) behind every panel.

Views lay out and report what the user selected; this acts. Every write runs through the
operations helper on the worker thread; panels re-read when `changed` fires.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QToolButton, QWidget

from ui import messages
from ui.coordination import dialogs
from ui.search.reader import BackgroundReader
from workbench import directory, documents, sections
from workbench.authority import rulings
from workbench.coordination import comments as cm
from workbench.coordination import gate, positions, publication, reviews
from workbench.coordination import requests as rq
from workbench.errors import NotFound, WorkbenchError
from workbench.undo import UndoStack

SHORTCUTS = {
    "add_comment": "Ctrl+Alt+M",
    "adjudicate": "Ctrl+Alt+J",
    "publish": "Ctrl+Alt+P",
}


class CoordinationController(QObject):
    """Holds the current document, section, comment and request; runs the user's actions."""

    changed = Signal()  # the workspace changed (or the context did): views re-read
    text_saved = Signal(int)  # only this section's text changed (an autosave): re-read less
    document_changed = Signal(int)  # 0: none
    section_changed = Signal(int)  # 0: none
    comment_focus = Signal(int)  # show and select this comment
    request_focus = Signal(int)  # show and select this request
    section_focus = Signal(int)  # go to this section in the outline
    document_focus = Signal(int)  # go to this document (a comment about it as a whole)
    notice = Signal(str)  # a short confirmation for the status bar

    def __init__(
        self,
        ws,
        ops,
        parent_widget: QWidget | None = None,
        *,
        perform_command: Callable | None = None,
        editor: Callable[[], QPlainTextEdit | None] | None = None,
        flush_typing: Callable[[], None] | None = None,
    ):
        super().__init__(parent_widget)
        self.ws, self.ops, self.parent_widget = ws, ops, parent_widget
        self.undo_stack = UndoStack()
        # The main window's undo stack when installed; else our own, so undo still works.
        self._perform = perform_command or (lambda cmd: self.ops.run(self.undo_stack.perform, cmd))
        self.editor = editor or (lambda: None)
        self.flush_typing = flush_typing or (lambda: None)
        self.document_id: int | None = None
        self.section_id: int | None = None
        self.comment_id: int | None = None
        self.request_id: int | None = None
        self.organization: str | None = None  # selected in the coordination view
        self._document_state: tuple | None = None  # (id, status, version) last seen
        # The panels' re-reads after a change run here, on a connection of its own.
        self.reader = BackgroundReader(ws, self)
        self.actions: dict[str, QAction] = {}
        for key, text, short, fn in [
            ("add_comment", "Add &Comment…", "Add…", self.add_comment),
            ("adjudicate", "&Adjudicate Comment…", "Adjudicate…", self.adjudicate),
            (
                "apply_wording",
                "Accept and Apply &Wording",
                "Accept and apply wording",
                self.accept_and_apply,
            ),
            ("reply", "Repl&y to Comment…", "Reply…", self.reply),
            (
                "changes_since",
                "Show C&hanges Since Comment…",
                "Changes since…",
                self.show_changes_since,
            ),
            ("route", "&Route for Coordination", "Route for coordination", self.route),
            ("new_request", "&New Review Request…", "New request…", self.new_request),
            (
                "withdraw_request",
                "Withdraw Revi&ew Request…",
                "Withdraw request…",
                self.withdraw_request,
            ),
            ("record_position", "Record &Position…", "Record position…", self.record_position),
            (
                "withdraw_nc",
                "W&ithdraw Non-concurrence…",
                "Withdraw non-concurrence…",
                self.withdraw_nonconcurrence,
            ),
            (
                "override",
                "&Override Non-concurrence (Director)…",
                "Override (Director)…",
                self.override,
            ),
            ("waive", "Wai&ve Review (Director)…", "Waive review…", self.waive),
            ("publish", "P&ublish (Director)…", "Publish…", self.publish),
            ("export_crm", "Export CR&M…", "Export CRM…", self.export_crm),
        ]:
            action = QAction(text, self)
            action.setIconText(short)  # what the panels' buttons show
            action.setObjectName(key)
            if key in SHORTCUTS:
                action.setShortcut(QKeySequence(SHORTCUTS[key]))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, f=fn: f())
            self.actions[key] = action
        self.update_enabled()

    def button(self, key: str, parent: QWidget) -> QToolButton:
        """A panel button for one of the actions (enabled and labelled with it)."""
        action = self.actions[key]
        button = QToolButton(parent)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        if action.shortcut().toString():
            button.setToolTip(f"{action.iconText()} ({action.shortcut().toString()})")
        return button

    # -- context -----------------------------------------------------------------------------
    def set_document(self, document_id: int | None) -> None:
        document_id = document_id or None
        if document_id != self.document_id:
            self.document_id = document_id
            self._document_state = self._state_of(document_id)
            self.comment_id = self.request_id = self.organization = None
            self.document_changed.emit(document_id or 0)
        self.update_enabled()

    def _state_of(self, document_id: int | None) -> tuple | None:
        if document_id is None:
            return None
        try:
            doc = documents.document(self.ws, document_id)
        except NotFound:
            return None
        return (doc.id, doc.status, doc.version)

    def set_section(self, section_id: int | None) -> None:
        section_id = section_id or None
        if section_id is not None and self.document_id is None:
            try:
                self.set_document(sections.section(self.ws, section_id).document_id)
            except NotFound:
                section_id = None
        self.section_id = section_id
        self.section_changed.emit(section_id or 0)
        self.update_enabled()

    def set_comment(self, comment_id: int | None) -> None:
        self.comment_id = comment_id or None
        self.update_enabled()

    def set_request(self, request_id: int | None) -> None:
        self.request_id = request_id or None
        self.update_enabled()

    def refresh(self, text_saved: int | None = None) -> None:
        """The workspace changed: drop what is gone, then let the views re-read.

        `text_saved`: the change was an autosave of that section's text alone, so only what
        depends on section text needs reading again (reviews, the gate), not the comments.
        """
        state = self._state_of(self.document_id)
        if self.document_id is not None and state is None:
            self.set_document(None)
        # A first edit of a published document starts a new version: everything is re-read.
        same_document = state is not None and state == self._document_state
        self._document_state = state
        self.update_enabled()
        if text_saved is not None and same_document:
            self.text_saved.emit(text_saved)
        else:
            self.changed.emit()

    def current_comment(self):
        if self.comment_id is None:
            return None
        try:
            return cm.comment(self.ws, self.comment_id)
        except NotFound:
            return None

    def update_enabled(self) -> None:
        has_doc = self.document_id is not None
        c = self.current_comment()
        enabled = {
            "add_comment": self.section_id is not None,
            "adjudicate": c is not None,
            "apply_wording": c is not None
            and bool(c.proposed_wording)
            and not c.wording_applied_at,
            "reply": c is not None,
            "changes_since": c is not None and c.on_earlier_revision,
            "route": has_doc,
            "new_request": has_doc,
            "withdraw_request": self.request_id is not None,
            "record_position": has_doc,
            "withdraw_nc": has_doc,
            "override": has_doc,
            "waive": has_doc,
            # A published version is published: the next one starts with an edit.
            "publish": has_doc
            and (self._document_state is None or self._document_state[1] != "published"),
            "export_crm": has_doc,
        }
        for key, on in enabled.items():
            self.actions[key].setEnabled(on)

    # -- directory helpers -------------------------------------------------------------------
    def director_name(self) -> str:
        found = directory.people(self.ws, role="director")
        return found[0].name if found else ""

    def decider(self) -> str:
        """Who a decision made now is by, and how it will be signed (shown in the dialogs)."""
        from workbench.authority import identity, trust

        person = identity.current(self.ws)
        if person is None:
            return ""
        title = f", {person.title}" if person.title else ""
        signer = getattr(self.ws, "signer", None)
        if signer is not None and signer.person_id == person.id:
            how = f"signed with your key ({signer.name})"
        elif trust.person_certificate(self.ws, person.id) is not None:
            how = "your key is needed: Authority → Unlock My Signing Key…"
        else:
            how = "unsigned (the directory holds no certificate for you)"
        return f"{person.name}{title} — {how}"

    def _may_decide(self, what: str) -> bool:
        """The Director's decisions: refuse up front, in words, when you are not the Director."""
        from workbench.authority import decisions, trust

        try:
            person = decisions.require_director(self.ws)
        except WorkbenchError as exc:
            messages.error(self._parent(), what, str(exc))
            return False
        signer = getattr(self.ws, "signer", None)
        if trust.person_certificate(self.ws, person.id) is not None and signer is None:
            # The Director signs with a key: ask for it now rather than fail after the dialog.
            authority = getattr(self._parent(), "authority", None)
            if authority is None or not authority.unlock_key():
                return False
        return True

    def reviewer_organizations(self):
        return [o for o in directory.organizations(self.ws) if o.kind != "cne"]

    def liaisons(self) -> dict[str, tuple[str, str]]:
        out = {}
        for p in directory.people(self.ws, role="liaison"):
            if p.organization_code:
                out.setdefault(p.organization_code, (p.name, p.title))
        return out

    def selected_passage(self) -> str:
        edit = self.editor()
        if edit is None:
            return ""
        # QTextCursor uses U+2029 for line breaks inside a selection.
        return edit.textCursor().selectedText().replace("\u2029", "\n").strip()

    def _parent(self) -> QWidget | None:
        return self.parent_widget

    def _run(self, fn, *args, done: str = "", busy: str = "", on_done=None, **kwargs) -> None:
        def finished(result):
            if done:
                self.notice.emit(done)
            if on_done is not None:
                on_done(result)

        self.ops.run(fn, *args, on_done=finished, busy=busy, **kwargs)

    # -- comments ----------------------------------------------------------------------------
    def add_comment(self, values: dict | None = None) -> None:
        if self.section_id is None or self.document_id is None:
            return
        if values is None:
            sec = sections.section(self.ws, self.section_id)
            all_requests = rq.list_requests(self.ws, self.document_id)
            values = dialogs.AddCommentDialog.get_comment(
                self._parent(),
                self.reviewer_organizations(),
                section_label=f"{sec.number} {sec.heading}".strip(),
                quoted_passage=self.selected_passage(),
                today=self.ws.today(),
                reviewers=self.liaisons(),
                requests=all_requests,
                organization=self.comment_organization(sec, all_requests),
            )
        if values is None:
            return
        values = dict(values)
        self._run(
            cm.add_comment,
            self.document_id,
            section_id=self.section_id,
            done="Comment added",
            on_done=lambda cid: self.comment_focus.emit(cid),
            **values,
        )

    def comment_organization(self, sec, all_requests) -> str | None:
        """Whose comment this most likely is: the selected request's or organization's, else
        the section's only equity. None (the user chooses) when the context does not say."""
        if self.request_id is not None:
            req = next((r for r in all_requests if r.id == self.request_id), None)
            if req is not None:
                return req.organization
        if self.organization:
            return self.organization
        return sec.equities[0] if len(sec.equities) == 1 else None

    def adjudicate(self, values: tuple[str, str] | None = None) -> None:
        c = self.current_comment()
        if c is None:
            return
        if values is None:
            values = dialogs.AdjudicateDialog.get_disposition(self._parent(), c)
        if values is None:
            return
        disposition, rationale = values
        self._run(
            cm.adjudicate_comment,
            c.id,
            disposition,
            rationale,
            done=f"Comment {c.item_no}: {cm.DISPOSITIONS[disposition]}",
        )

    def accept_and_apply(self) -> None:
        """Accept the comment and put its wording in the text, as one undoable step."""
        c = self.current_comment()
        if c is None or not c.proposed_wording:
            return
        self.flush_typing()
        if c.section_id is None:
            messages.error(
                self._parent(),
                "Apply Wording",
                f"Comment {c.item_no} is about the document as a whole, not one section; put "
                "its wording where it belongs by hand.",
            )
            return
        sec = sections.section(self.ws, c.section_id)
        if not c.quoted_passage and sec.body.strip():
            # No passage: the wording would replace the whole text. Show it and ask.
            if not messages.confirm(
                self._parent(),
                "Replace the whole section text?",
                wording_change_text(c, sec),
                ok="Replace the text",
            ):
                return
        self._perform(cm.AcceptAndApplyWording(c.id))

    def reply(self, text: str | None = None) -> None:
        c = self.current_comment()
        if c is None:
            return
        if text is None:
            text = dialogs.ReplyDialog.get_reply(self._parent(), c)
        if text:
            self._run(cm.add_reply, c.id, text, done=f"Replied to comment {c.item_no}")

    def show_changes_since(self) -> dialogs.ChangesSinceDialog | None:
        c = self.current_comment()
        if c is None:
            return None
        self.flush_typing()
        dialog = dialogs.ChangesSinceDialog(
            self._parent(), c, cm.changes_since_comment(self.ws, c.id)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- requests and positions --------------------------------------------------------------
    def route(self) -> None:
        if self.document_id is None:
            return
        self.flush_typing()

        def routed(ids):
            n = len(ids)
            self.notice.emit(
                f"Routed: {n} review request{'s' * (n != 1)} sent"
                if n
                else "Nothing to route: every review is current, waived or out"
            )

        self._run(reviews.route_document, self.document_id, busy="Routing…", on_done=routed)

    def new_request(self, values: dict | None = None) -> None:
        if self.document_id is None:
            return
        if values is None:
            values = dialogs.NewRequestDialog.get_request(
                self._parent(),
                self.reviewer_organizations(),
                sections.outline(self.ws, self.document_id),
                today=self.ws.today(),
            )
        if values is None:
            return
        values = dict(values)
        self.flush_typing()
        self._run(
            rq.create_request,
            self.document_id,
            values.pop("org_code"),
            done="Review request created",
            on_done=lambda rid: self.request_focus.emit(rid),
            **values,
        )

    def withdraw_request(self, reason: str | None = None) -> None:
        if self.request_id is None:
            return
        req = rq.request(self.ws, self.request_id)
        if reason is None:
            reason = dialogs.ReasonDialog.get_reason(
                self._parent(),
                "Withdraw review request",
                f"Withdraw request {req.id} to {req.organization} (due {req.suspense_date}).",
                ok="Withdraw request",
            )
        if reason:
            self._run(rq.withdraw_request, req.id, reason, done=f"Request {req.id} withdrawn")

    def record_position(self, values: dict | None = None, organization: str | None = None) -> None:
        if self.document_id is None:
            return
        if values is None:
            values = dialogs.RecordPositionDialog.get_position(
                self._parent(),
                self.reviewer_organizations(),
                today=self.ws.today(),
                reviewers=self.liaisons(),
                requests=rq.list_requests(self.ws, self.document_id),
                organization=organization or self.organization,
            )
        if values is None:
            return
        values = dict(values)
        self.flush_typing()
        self._run(
            positions.record_position,
            self.document_id,
            values.pop("organization_code"),
            values.pop("position"),
            done="Position recorded",
            **values,
        )

    def _standing(self, organization: str | None) -> str | None:
        organization = organization or self.organization
        standing = [
            n.organization for n in positions.nonconcurrences(self.ws, self.document_id) if n.stands
        ]
        if organization in standing:
            return organization
        if organization is None and len(standing) == 1:
            return standing[0]
        if not standing:
            messages.info(
                self._parent(), "No non-concurrence", "No organization non-concurs right now."
            )
        elif organization is None:
            messages.info(
                self._parent(),
                "Choose the organization",
                "Select the organization in the coordination view first "
                f"({', '.join(standing)} non-concur).",
            )
        else:
            messages.info(
                self._parent(),
                "No non-concurrence",
                f"{organization} has no standing non-concurrence on this document "
                f"({', '.join(standing)} non-concur{'s' * (len(standing) == 1)}).",
            )
        return None

    def withdraw_nonconcurrence(
        self, organization: str | None = None, values: dict | None = None
    ) -> None:
        if self.document_id is None:
            return
        org = organization if values is not None else self._standing(organization)
        if org is None:
            return
        if values is None:
            values = dialogs.WithdrawNonConcurrenceDialog.get_withdrawal(
                self._parent(), org, decider=self.decider()
            )
        if values is None:
            return
        self._run(
            rulings.withdraw_nonconcurrence,
            self.document_id,
            org,
            done=f"{org}'s non-concurrence withdrawn",
            **values,
        )

    def override(self, organization: str | None = None, values: dict | None = None) -> None:
        if self.document_id is None:
            return
        org = organization if values is not None else self._standing(organization)
        if org is None:
            return
        if values is None:
            if not self._may_decide("Override"):
                return
            values = dialogs.OverrideDialog.get_override(
                self._parent(), org, director=self.decider()
            )
        if values is None:
            return
        self._run(
            rulings.override_nonconcurrence,
            self.document_id,
            org,
            done=f"{org}'s non-concurrence overridden",
            **values,
        )

    # -- gate, waivers, publication ----------------------------------------------------------
    def outstanding_reviews(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for s in reviews.review_states(self.ws, self.document_id):
            if s.state in ("none", "stale", "pending"):
                out.setdefault(s.organization, []).append(s.section_id)
        return out

    def waive(
        self,
        values: dict | None = None,
        *,
        organization: str | None = None,
        section_id: int | None = None,
    ) -> None:
        if self.document_id is None:
            return
        if values is None:
            outstanding = self.outstanding_reviews()
            if not outstanding:
                messages.info(
                    self._parent(), "Waive review", "No review is outstanding on this document."
                )
                return
            if not self._may_decide("Waive review"):
                return
            values = dialogs.WaiveDialog.get_waiver(
                self._parent(),
                outstanding,
                director=self.decider(),
                numbers=sections.section_numbers(self.ws, self.document_id),
                organization=organization,
                section_id=section_id,
            )
        if values is None:
            return
        values = dict(values)
        self._run(
            rulings.waive_review,
            self.document_id,
            values.pop("organization_code"),
            done="Review waived",
            **values,
        )

    def publish(self, confirmed: bool | None = None) -> None:
        if self.document_id is None:
            return
        self.flush_typing()
        doc = documents.document(self.ws, self.document_id)
        report = gate.publication_blockers(self.ws, self.document_id)
        if report.published:
            messages.info(self._parent(), "Publish", f"{doc.title}: {report.summary()}.")
            return
        if not report.publishable:
            listed = "\n".join(f"• {b.message}" for b in report.blockers)
            messages.error(
                self._parent(),
                "Cannot publish yet",
                f"{doc.title} cannot be published yet:\n\n{listed}",
            )
            return
        if not self._may_decide("Publish"):
            return
        if confirmed is None:
            confirmed = dialogs.PublishDialog.get_publisher(
                self._parent(), doc.title, doc.version, report, director=self.decider()
            )
        if not confirmed:
            return
        self._run(
            publication.publish,
            self.document_id,
            busy="Publishing…",
            done=f"Published {doc.title}, version {doc.version}",
        )

    def export_crm(self, path: str | None = None):
        """The CRM as a consolidated Excel workbook (every organization's comments, printable)
        or as CSV, as `workbench crm` writes them; read and written on a thread of its own with
        progress and Cancel (returns the job, None when nothing was started)."""
        if self.document_id is None:
            return None
        doc = documents.document(self.ws, self.document_id)
        if path is None:
            suggested = "".join(ch if ch.isalnum() else "-" for ch in doc.title)[:60]
            path, chosen = QFileDialog.getSaveFileName(
                self._parent(),
                "Export CRM",
                f"{suggested}-CRM.xlsx",
                f"{CRM_XLSX_FILTER};;{CRM_CSV_FILTER}",
            )
            if path and not path.lower().endswith((".xlsx", ".csv")):
                path += ".csv" if chosen == CRM_CSV_FILTER else ".xlsx"
        if not path:
            return None
        from ui.coordination import crm_export

        if self.parent_widget is None:  # installed, the controller's parent is the window
            return None
        return crm_export.start(self.parent_widget, self.notice.emit, self.document_id, Path(path))


CRM_XLSX_FILTER = "Excel workbooks (*.xlsx)"
CRM_CSV_FILTER = "CSV files (*.csv)"


def _clip(text: str, limit: int = 280) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wording_change_text(c, sec) -> str:
    """What Accept and Apply Wording would do when the comment quotes no passage."""
    return (
        f"Comment {c.item_no} quotes no passage, so its proposed wording replaces the whole "
        f"text of {sec.number} {sec.heading}: {len(sec.body):,} characters become "
        f"{len(c.proposed_wording):,}.\n\n"
        f"− Removed:\n{_clip(sec.body)}\n\n+ Inserted:\n{_clip(c.proposed_wording)}\n\n"
        "To change only part of the text, adjudicate the comment and edit the text by hand."
    )
