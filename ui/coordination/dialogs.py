"""Coordination dialogs: comments, dispositions, requests, positions, waivers, publication.

Each dialog can be driven in code: construct it, fill its widgets, call `accept()` and read
`values()`. `accept()` refuses (and says why, inside the dialog) while a required field is
empty. The `ask` classmethod (and its named aliases) runs it modally and returns the values,
or None when the user cancels.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.diff_view import DEL, INS
from workbench.coordination.comments import (
    COMMENT_TYPES,
    CRITICAL_GROUNDS,
    DISPOSITIONS,
    comment_problem,
)
from workbench.coordination.positions import POSITIONS
from workbench.coordination.requests import DEFAULT_SUSPENSE_WORKDAYS

TYPE_COLORS = theme.ThemedColors({"C": "bad", "S": "warn", "A": "muted"})
ROLE = Qt.ItemDataRole.UserRole


def _qdate(iso: str | dt.date | None) -> QDate:
    if iso is None:
        return QDate.currentDate()
    day = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(str(iso)[:10])
    return QDate(day.year, day.month, day.day)


def _iso(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


def _text_box(
    parent: QWidget, name: str, height: int = 60, placeholder: str = ""
) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    box.setPlaceholderText(placeholder)
    return box


def _date_edit(parent: QWidget, name: str, value) -> QDateEdit:
    edit = QDateEdit(_qdate(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    return edit


def _line(parent: QWidget, name: str, text: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setAccessibleName(name)
    return edit


def _decider_label(parent, text: str) -> QLabel:
    """Who decides: the person you act as, never a name typed here (Authority → Who Am I…)."""
    label = QLabel(escape(text) or "no one: choose Authority → Who Am I… first", parent)
    label.setObjectName("decider")
    label.setAccessibleName("Decided by")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class FormDialog(QDialog):
    """A form with OK/Cancel and an inline message saying what is still missing."""

    ok_text = "OK"

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problem")
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {theme.status_color('bad').name()};")
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button.setText(self.ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def set_intro(self, html: str) -> None:
        self.intro.setText(html)
        self.intro.setVisible(bool(html))

    def problem(self) -> str:
        """What must still be filled in; empty when the form can be accepted."""
        return ""

    def accept(self) -> None:
        message = self.problem()
        if message:
            self.problem_label.setText(message)
            self.problem_label.show()
            return
        self.problem_label.hide()
        super().accept()

    def values(self):
        raise NotImplementedError

    @classmethod
    def ask(cls, parent, *args, **kwargs):
        dialog = cls(parent, *args, **kwargs)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


# -- comments ---------------------------------------------------------------------------------
class AddCommentDialog(FormDialog):
    """Every field of a CRM row; a Critical comment must cite one of the five grounds."""

    ok_text = "Add comment"

    def __init__(
        self,
        parent,
        organizations,
        *,
        section_label: str,
        quoted_passage: str = "",
        today=None,
        reviewers: dict | None = None,
        requests=(),
        organization: str | None = None,
    ):
        super().__init__("Add comment", parent)
        self.setMinimumWidth(560)
        self._reviewers = reviewers or {}
        self._requests = list(requests)
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        # Nothing decided for the user: the organization follows the context (the section's
        # one equity, the selected request) or is chosen; the type is always chosen.
        self.organization.addItem("(choose the organization)", None)
        for org in organizations:
            self.organization.addItem(f"{org.code} — {org.name}", org.code)
        if organization is not None:
            self.organization.setCurrentIndex(max(0, self.organization.findData(organization)))
        self.reviewer_name = _line(self, "Reviewer name")
        self.reviewer_title = _line(self, "Reviewer title")
        self.response_date = _date_edit(self, "Date of response", today)
        self.type = QComboBox(self)
        self.type.setAccessibleName("Comment type")
        self.type.addItem("(choose the type)", None)
        for key, label in COMMENT_TYPES.items():
            self.type.addItem(f"{key} — {label}", key)
        self.section = QLabel(section_label, self)
        self.section.setAccessibleName("Section")
        self.request = QComboBox(self)
        self.request.setAccessibleName("In answer to request")
        self.quoted_passage = _text_box(
            self, "Quoted passage", 44, "The words the comment is about"
        )
        self.quoted_passage.setPlainText(quoted_passage)
        self.comment = _text_box(self, "Comment", 70, "What is wrong")
        self.rationale = _text_box(self, "Rationale", 50, "Why")
        self.critical_ground = QComboBox(self)
        self.critical_ground.setAccessibleName("Critical ground")
        self.critical_ground.addItem("(choose the ground for a Critical comment)", None)
        for key, label in CRITICAL_GROUNDS.items():
            self.critical_ground.addItem(label, key)
        self.proposed_wording = _text_box(self, "Proposed wording", 50, "Replacement text, if any")

        f = self.form
        f.addRow("&Organization:", self.organization)
        f.addRow("Reviewer &name:", self.reviewer_name)
        f.addRow("Reviewer t&itle:", self.reviewer_title)
        f.addRow("&Date:", self.response_date)
        f.addRow("&Type:", self.type)
        f.addRow("Section:", self.section)
        f.addRow("&Request:", self.request)
        f.addRow("&Quoted passage:", self.quoted_passage)
        f.addRow("&Comment:", self.comment)
        f.addRow("R&ationale:", self.rationale)
        f.addRow("Critical &ground:", self.critical_ground)
        f.addRow("&Proposed wording:", self.proposed_wording)
        self.organization.currentIndexChanged.connect(self._organization_changed)
        self.type.currentIndexChanged.connect(self._type_changed)
        self._organization_changed()
        self._type_changed()

    def _organization_changed(self) -> None:
        code = self.organization.currentData()
        name, title = self._reviewers.get(code, ("", ""))
        self.reviewer_name.setText(name)
        self.reviewer_title.setText(title)
        self.request.clear()
        self.request.addItem("(none)", None)
        for r in self._requests:
            if r.organization == code and r.stored_status != "withdrawn":
                self.request.addItem(
                    f"Request {r.id} — {r.status_label}, due {r.suspense_date}", r.id
                )
        if self.request.count() > 1:
            self.request.setCurrentIndex(self.request.count() - 1)

    def _type_changed(self) -> None:
        critical = self.type.currentData() == "C"
        self.critical_ground.setEnabled(critical)
        if not critical:
            self.critical_ground.setCurrentIndex(0)

    def set_type(self, code: str) -> None:
        self.type.setCurrentIndex(self.type.findData(code))

    def set_organization(self, code: str) -> None:
        self.organization.setCurrentIndex(self.organization.findData(code))

    def set_critical_ground(self, key: str | None) -> None:
        self.critical_ground.setCurrentIndex(self.critical_ground.findData(key))

    def problem(self) -> str:
        if self.organization.currentData() is None:
            return "Choose the organization that made the comment."
        return comment_problem(
            self.type.currentData(), self.comment.toPlainText(), self.critical_ground.currentData()
        )

    def values(self) -> dict:
        return {
            "organization_code": self.organization.currentData(),
            "reviewer_name": self.reviewer_name.text().strip(),
            "reviewer_title": self.reviewer_title.text().strip(),
            "response_date": _iso(self.response_date),
            "type": self.type.currentData(),
            "request_id": self.request.currentData(),
            "quoted_passage": self.quoted_passage.toPlainText().strip(),
            "comment_text": self.comment.toPlainText().strip(),
            "rationale": self.rationale.toPlainText().strip(),
            "critical_ground": self.critical_ground.currentData(),
            "proposed_wording": self.proposed_wording.toPlainText().strip(),
        }

    @classmethod
    def get_comment(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


def comment_summary_html(c) -> str:
    color = TYPE_COLORS[c.type]
    head = (
        f'<b>Item {c.item_no}</b> · <span style="color:{color}"><b>{c.type}</b> '
        f"{escape(c.type_label)}</span> · {escape(c.organization)} on {escape(c.reference)}"
    )
    return f"{head}<br>{escape(c.comment)}"


class AdjudicateDialog(FormDialog):
    """CNE's disposition; Accepted with modification and Rejected need a rationale."""

    ok_text = "Record disposition"

    def __init__(self, parent, comment):
        super().__init__(f"Adjudicate comment {comment.item_no}", parent)
        self.setMinimumWidth(480)
        # What is being decided: the passage and the wording the reviewer proposes.
        intro = comment_summary_html(comment)
        if comment.quoted_passage:
            intro += f"<br><b>Passage:</b> “{escape(comment.quoted_passage)}”"
        if comment.proposed_wording:
            intro += f"<br><b>Proposed wording:</b> “{escape(comment.proposed_wording)}”"
        if comment.rationale:
            intro += f"<br><b>Rationale:</b> {escape(comment.rationale)}"
        self.set_intro(intro)
        self.group = QButtonGroup(self)
        box = QVBoxLayout()
        self.choices: dict[str, QRadioButton] = {}
        for key, label in DISPOSITIONS.items():
            button = QRadioButton(label, self)
            button.setAccessibleName(label)
            self.group.addButton(button)
            self.choices[key] = button
            box.addWidget(button)
        if comment.disposition:  # a disposition already given; otherwise none is preset
            self.choices[comment.disposition].setChecked(True)
        self.rationale = _text_box(self, "Disposition rationale", 80)
        self.rationale.setPlainText(comment.disposition_rationale)
        self.hint = QLabel(
            "A rationale is required for Accepted with modification and for Rejected; "
            "the reviewer reads it in the CRM.",
            self,
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.form.addRow("Disposition:", box)
        self.form.addRow("&Rationale:", self.rationale)
        self.form.addRow("", self.hint)

    @property
    def disposition(self) -> str | None:
        return next((k for k, b in self.choices.items() if b.isChecked()), None)

    def set_disposition(self, key: str) -> None:
        self.choices[key].setChecked(True)

    def problem(self) -> str:
        if self.disposition is None:
            return "Choose the disposition: Accepted, Accepted with modification or Rejected."
        if self.disposition != "accepted" and not self.rationale.toPlainText().strip():
            return f"{DISPOSITIONS[self.disposition]} needs a rationale for the reviewer."
        return ""

    def values(self) -> tuple[str, str]:
        return self.disposition, self.rationale.toPlainText().strip()

    @classmethod
    def get_disposition(cls, parent, comment) -> tuple[str, str] | None:
        return cls.ask(parent, comment)


class ReplyDialog(FormDialog):
    ok_text = "Reply"

    def __init__(self, parent, comment):
        super().__init__(f"Reply to comment {comment.item_no}", parent)
        self.set_intro(comment_summary_html(comment))
        self.text = _text_box(self, "Reply", 90)
        self.form.addRow("&Reply:", self.text)

    def problem(self) -> str:
        return "" if self.text.toPlainText().strip() else "Write the reply."

    def values(self) -> str:
        return self.text.toPlainText().strip()

    @classmethod
    def get_reply(cls, parent, comment) -> str | None:
        return cls.ask(parent, comment)


class ChangesSinceDialog(QDialog):
    """What changed in a section since the reviewer read it: paragraphs and words."""

    def __init__(self, parent, comment, diffs):
        super().__init__(parent)
        self.setWindowTitle(f"Changes since comment {comment.item_no}")
        self.resize(640, 460)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName("Changes since the comment")
        self.view.setHtml(render_paragraph_diffs(diffs, comment))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)


def _lines(text: str) -> str:
    # Paragraphs keep their line breaks (list items, addresses).
    return escape(text).replace("\n", "<br>")


def render_paragraph_diffs(diffs, comment=None) -> str:
    parts = []
    if comment is not None:
        parts.append(
            f"<p><b>{escape(comment.reference)}</b>: the text {escape(comment.organization)} "
            f"read on {escape(comment.response_date)} → the text now.</p>"
        )
    changed = False
    for p in diffs:
        if p.op == "equal":
            parts.append(f"<p>{_lines(p.new)}</p>")
            continue
        changed = True
        if p.op == "insert":
            parts.append(f'<p><span style="{INS}">{_lines(p.new)}</span></p>')
        elif p.op == "delete":
            parts.append(f'<p><span style="{DEL}">{_lines(p.old)}</span></p>')
        else:
            words = []
            for w in p.words:
                text = _lines(w.text)
                if w.op == "insert":
                    words.append(f'<span style="{INS}">{text}</span>')
                elif w.op == "delete":
                    words.append(f'<span style="{DEL}">{text}</span>')
                else:
                    words.append(text)
            parts.append("<p>" + "".join(words) + "</p>")
    if not changed:
        parts.append("<p><i>No differences.</i></p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


# -- requests and positions -------------------------------------------------------------------
class NewRequestDialog(FormDialog):
    """A review request: organization, sections (its equities by default), suspense."""

    ok_text = "Create request"

    def __init__(self, parent, organizations, outline, *, today=None):
        super().__init__("New review request", parent)
        self.setMinimumWidth(520)
        self._outline = list(outline)
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        for org in organizations:
            self.organization.addItem(f"{org.code} — {org.name}", org.code)
        self.sections = QListWidget(self)
        self.sections.setAccessibleName("Sections to send")
        self.sections.setMinimumHeight(140)
        for e in self._outline:
            item = QListWidgetItem(e.title, self.sections)
            item.setData(ROLE, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.by_workdays = QRadioButton("In", self)
        self.by_workdays.setAccessibleName("Suspense in workdays")
        self.workdays = QSpinBox(self)
        self.workdays.setRange(1, 120)
        self.workdays.setValue(DEFAULT_SUSPENSE_WORKDAYS)
        self.workdays.setSuffix(" workdays")
        self.workdays.setAccessibleName("Workdays")
        self.by_date = QRadioButton("On", self)
        self.by_date.setAccessibleName("Suspense on a date")
        self.date = _date_edit(self, "Suspense date", today)
        # Two separate choices: radios sharing a parent would otherwise be one exclusive set.
        self.suspense_group = QButtonGroup(self)
        self.suspense_group.addButton(self.by_workdays)
        self.suspense_group.addButton(self.by_date)
        self.by_workdays.setChecked(True)
        self.date.setEnabled(False)
        self.by_date.toggled.connect(self.date.setEnabled)
        self.by_date.toggled.connect(lambda on: self.workdays.setEnabled(not on))
        suspense = QHBoxLayout()
        for w in (self.by_workdays, self.workdays, self.by_date, self.date):
            suspense.addWidget(w)
        suspense.addStretch(1)
        self.instructions = _text_box(self, "Instructions", 50)
        self.send_now = QRadioButton("Send now", self)
        self.send_now.setAccessibleName("Send now")
        self.keep_draft = QRadioButton("Keep as draft", self)
        self.keep_draft.setAccessibleName("Keep as draft")
        self.send_group = QButtonGroup(self)
        self.send_group.addButton(self.send_now)
        self.send_group.addButton(self.keep_draft)
        self.send_now.setChecked(True)
        send = QHBoxLayout()
        send.addWidget(self.send_now)
        send.addWidget(self.keep_draft)
        send.addStretch(1)
        self.form.addRow("&Organization:", self.organization)
        self.form.addRow("&Sections:", self.sections)
        self.form.addRow("Suspense:", suspense)
        self.form.addRow("&Instructions:", self.instructions)
        self.form.addRow("", send)
        self.organization.currentIndexChanged.connect(self._organization_changed)
        self._organization_changed()

    def _organization_changed(self) -> None:
        code = self.organization.currentData()
        for i, e in enumerate(self._outline):
            checked = code in e.equities
            self.sections.item(i).setCheckState(
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            )

    def set_organization(self, code: str) -> None:
        self.organization.setCurrentIndex(self.organization.findData(code))

    def section_ids(self) -> list[int]:
        return [
            self.sections.item(i).data(ROLE)
            for i in range(self.sections.count())
            if self.sections.item(i).checkState() == Qt.CheckState.Checked
        ]

    def problem(self) -> str:
        if self.organization.currentData() is None:
            return "Choose the organization to ask."
        if not self.section_ids():
            return "Tick at least one section to send."
        return ""

    def values(self) -> dict:
        out = {
            "org_code": self.organization.currentData(),
            "section_ids": self.section_ids(),
            "instructions": self.instructions.toPlainText().strip(),
            "send": self.send_now.isChecked(),
        }
        if self.by_date.isChecked():
            out["suspense_date"] = _iso(self.date)
        else:
            out["suspense_workdays"] = self.workdays.value()
        return out

    @classmethod
    def get_request(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


class ReasonDialog(FormDialog):
    """One required reason (withdrawing a request and the like)."""

    def __init__(self, parent, title: str, intro: str, label: str = "Reason", ok: str = "OK"):
        super().__init__(title, parent)
        self.ok_button.setText(ok)
        self.set_intro(escape(intro))
        self.reason = _text_box(self, label, 70)
        self.form.addRow(f"&{label}:", self.reason)
        self._label = label

    def problem(self) -> str:
        return "" if self.reason.toPlainText().strip() else f"Give the {self._label.lower()}."

    def values(self) -> str:
        return self.reason.toPlainText().strip()

    @classmethod
    def get_reason(cls, parent, *args, **kwargs) -> str | None:
        return cls.ask(parent, *args, **kwargs)


class RecordPositionDialog(FormDialog):
    """An organization's position, optionally in answer to one of its requests."""

    ok_text = "Record position"

    def __init__(
        self,
        parent,
        organizations,
        *,
        today=None,
        reviewers: dict | None = None,
        requests=(),
        organization: str | None = None,
    ):
        super().__init__("Record position", parent)
        self.setMinimumWidth(480)
        self._reviewers = reviewers or {}
        self._requests = list(requests)
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        self.organization.addItem("(choose the organization)", None)
        for org in organizations:
            self.organization.addItem(f"{org.code} — {org.name}", org.code)
        self.position = QComboBox(self)
        self.position.setAccessibleName("Position")
        self.position.addItem("(choose the position)", None)
        for key, label in POSITIONS.items():
            self.position.addItem(label, key)
        self.by_name = _line(self, "Given by")
        self.by_title = _line(self, "Title or level")
        self.date = _date_edit(self, "Date", today)
        self._today = _qdate(today)
        self.request = QComboBox(self)
        self.request.setAccessibleName("Against request")
        self.form.addRow("&Organization:", self.organization)
        self.form.addRow("&Position:", self.position)
        self.form.addRow("Given &by:", self.by_name)
        self.form.addRow("&Title / level:", self.by_title)
        self.form.addRow("&Date:", self.date)
        self.form.addRow("Against &request:", self.request)
        self.organization.currentIndexChanged.connect(self._organization_changed)
        if organization is not None:
            self.set_organization(organization)
        self._organization_changed()

    def _organization_changed(self) -> None:
        code = self.organization.currentData()
        name, title = self._reviewers.get(code, ("", ""))
        self.by_name.setText(name)
        self.by_title.setText(title)
        self.request.clear()
        self.request.addItem("(none: the sections with its equities, as they stand)", None)
        for r in self._requests:
            if r.organization == code and r.stored_status != "withdrawn":
                self.request.addItem(
                    f"Request {r.id} — {r.status_label}, due {r.suspense_date}", r.id
                )

    def set_organization(self, code: str) -> None:
        self.organization.setCurrentIndex(self.organization.findData(code))

    def set_position(self, key: str) -> None:
        self.position.setCurrentIndex(self.position.findData(key))

    def problem(self) -> str:
        if self.organization.currentData() is None:
            return "Choose the organization."
        if self.position.currentData() is None:
            return "Choose the position: Concur, Concur with comment or Non-concur."
        if not self.by_name.text().strip():
            return "Say who gave the position."
        return ""

    def values(self) -> dict:
        # Today's date records the moment; an earlier date is the day the position was given.
        at = None if self.date.date() == self._today else _iso(self.date)
        return {
            "organization_code": self.organization.currentData(),
            "position": self.position.currentData(),
            "by_name": self.by_name.text().strip(),
            "by_title": self.by_title.text().strip(),
            "at": at,
            "request_id": self.request.currentData(),
        }

    @classmethod
    def get_position(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


class WithdrawNonConcurrenceDialog(FormDialog):
    """The organization's written withdrawal, at the same or higher level."""

    ok_text = "Record withdrawal"

    def __init__(self, parent, organization: str, *, decider: str = ""):
        super().__init__(f"{organization} withdraws its non-concurrence", parent)
        self.set_intro(
            f"{escape(organization)} withdraws its non-concurrence, signed by you at your level "
            "in the directory (the same or higher than the objection's)."
        )
        self.decider = _decider_label(self, decider)
        self.reason = _text_box(self, "Reason", 70)
        self.form.addRow("Signed by:", self.decider)
        self.form.addRow("&Reason:", self.reason)

    def problem(self) -> str:
        if not self.reason.toPlainText().strip():
            return "Give the reason for the withdrawal."
        return ""

    def values(self) -> dict:
        return {"reason": self.reason.toPlainText().strip()}

    @classmethod
    def get_withdrawal(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


class OverrideDialog(FormDialog):
    """The Director decides an impasse; the reason is printed in the coordination record."""

    ok_text = "Override"

    def __init__(self, parent, organization: str, *, director: str = ""):
        super().__init__(f"Override {organization}'s non-concurrence", parent)
        self.set_intro(
            f"The Director overrides {escape(organization)}'s non-concurrence. The reason is "
            "printed in the coordination record."
        )
        self.director = _decider_label(self, director)
        self.reason = _text_box(self, "Reason", 80)
        self.form.addRow("Decided by:", self.director)
        self.form.addRow("&Reason:", self.reason)

    def problem(self) -> str:
        if not self.reason.toPlainText().strip():
            return "An override must give its reason."
        return ""

    def values(self) -> dict:
        return {"reason": self.reason.toPlainText().strip()}

    @classmethod
    def get_override(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


class WaiveDialog(FormDialog):
    """The Director excuses an organization's review of one section or of all of them."""

    ok_text = "Waive review"

    def __init__(
        self,
        parent,
        outstanding: dict,
        *,
        director: str = "",
        numbers: dict | None = None,
        organization: str | None = None,
        section_id: int | None = None,
    ):
        """`outstanding`: organization code -> ids of the sections it still has to review."""
        super().__init__("Waive review", parent)
        self.setMinimumWidth(460)
        self._outstanding = outstanding
        self._numbers = numbers or {}
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        for code in outstanding:
            self.organization.addItem(code, code)
        self.section = QComboBox(self)
        self.section.setAccessibleName("Section")
        self.director = _decider_label(self, director)
        self.reason = _text_box(self, "Reason", 80)
        self.form.addRow("&Organization:", self.organization)
        self.form.addRow("&Section:", self.section)
        self.form.addRow("Decided by:", self.director)
        self.form.addRow("&Reason:", self.reason)
        self.organization.currentIndexChanged.connect(self._organization_changed)
        if organization is not None:
            self.organization.setCurrentIndex(max(0, self.organization.findData(organization)))
        self._organization_changed()
        if section_id is not None:
            self.section.setCurrentIndex(max(0, self.section.findData(section_id)))

    def _organization_changed(self) -> None:
        self.section.clear()
        self.section.addItem("All its sections", None)
        for sid in self._outstanding.get(self.organization.currentData(), ()):
            self.section.addItem(f"Section {self._numbers.get(sid, sid)}", sid)

    def problem(self) -> str:
        if self.organization.currentData() is None:
            return "No review is outstanding."
        if not self.reason.toPlainText().strip():
            return "A waiver must give its reason."
        return ""

    def values(self) -> dict:
        return {
            "organization_code": self.organization.currentData(),
            "section_id": self.section.currentData(),
            "reason": self.reason.toPlainText().strip(),
        }

    @classmethod
    def get_waiver(cls, parent, *args, **kwargs) -> dict | None:
        return cls.ask(parent, *args, **kwargs)


class PublishDialog(FormDialog):
    """Publish this version; only offered when the gate is clear (warnings are listed)."""

    ok_text = "Publish"

    def __init__(self, parent, title: str, version: int, report, *, director: str = ""):
        super().__init__("Publish", parent)
        self.setMinimumWidth(460)
        lines = [
            f"Publish <b>{escape(title)}</b>, version {version}. Its text, coordination "
            "record and CRM are frozen, and it becomes read-only; editing again starts "
            "with Start Next Version."
        ]
        if report.warnings:
            lines.append("<br><br>Warnings (these do not block):<ul>")
            lines.extend(f"<li>{escape(w.message)}</li>" for w in report.warnings)
            lines.append("</ul>")
        self.set_intro("".join(lines))
        self.director = _decider_label(self, director)
        self.form.addRow("Published by:", self.director)
        self._blockers = [b.message for b in report.blockers]
        self.ok_button.setEnabled(not self._blockers)

    def problem(self) -> str:
        if self._blockers:
            return "Cannot publish: " + "; ".join(self._blockers)
        return ""

    def values(self) -> bool:
        return True

    @classmethod
    def get_publisher(cls, parent, *args, **kwargs) -> bool | None:
        return cls.ask(parent, *args, **kwargs)
