"""Before work starts: show the most related prior work and record whether its owners were asked."""

from __future__ import annotations

import html

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from workbench import documents, studies

WORK_ROLE = Qt.ItemDataRole.UserRole + 1


class DeconflictionDialog(QDialog):
    """Drive it in code: pick a row, set `consulted_yes`, fill whom/outcome, call `record()`.

    The write goes through `ops` (the writer thread); `recorded(int)` carries the new
    consultation's id, after which the dialog closes. Errors keep it open with the message.
    """

    recorded = Signal(int)

    def __init__(
        self,
        ws,
        ops,
        related: list[studies.RelatedWork],
        *,
        document_id: int | None = None,
        study_id: int | None = None,
        subject: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ws, self.ops = ws, ops
        self.document_id, self.study_id = document_id, study_id
        self.related = related
        self.setWindowTitle("Has this work been done before?")
        self.setModal(True)
        self.resize(760, 560)

        intro = QLabel(
            f"<b>{html.escape(subject)}</b><br>Before work starts, check whether another "
            "office has already done it. The most related existing studies, contracts and "
            "documents are listed below; were their owners consulted?",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Related prior work")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Title", "Owner", "Status", "Year", "Contact"])
        self.table.setColumnWidth(0, 330)
        self.table.setColumnWidth(1, 170)
        for work in related:
            item = QTreeWidgetItem(
                [
                    work.title,
                    work.owner,
                    work.status.replace("_", " "),
                    str(work.year or ""),
                    work.contact,
                ]
            )
            item.setData(0, WORK_ROLE, work)
            item.setToolTip(0, work.snippet_text("«", "»") or work.title)
            self.table.addTopLevelItem(item)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Why it matched")

        self.consulted_yes = QRadioButton("Yes, the owners were consulted", self)
        self.consulted_no = QRadioButton("No (say why below)", self)
        group = QButtonGroup(self)
        group.addButton(self.consulted_yes)
        group.addButton(self.consulted_no)
        # Neither is preset: whether the owners were consulted is the analyst's statement.
        answer = QHBoxLayout()
        answer.addWidget(self.consulted_yes)
        answer.addWidget(self.consulted_no)
        answer.addStretch(1)
        self.whom = QLineEdit(self)
        self.whom.setAccessibleName("Whom")
        self.whom.setPlaceholderText("e.g. BCSC Chief of Analysis")
        self.when = QDateEdit(self)
        self.when.setAccessibleName("When")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        today = ws.today()
        self.when.setDate(QDate(today.year, today.month, today.day))
        self.when.setMaximumDate(QDate(today.year, today.month, today.day))
        self.outcome = QPlainTextEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText(studies.OUTCOMES_HINT)
        self.outcome.setFixedHeight(80)
        self.error = QLabel(self)
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(f"color: {theme.status_color('bad').name()}")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Consulted?", answer)
        form.addRow("Whom", self.whom)
        form.addRow("When", self.when)
        form.addRow("Outcome", self.outcome)
        self.buttons = QDialogButtonBox(self)
        self.record_button = self.buttons.addButton(
            "Record answer", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.later_button = self.buttons.addButton(
            "Ask me later", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.record_button.clicked.connect(self.record)
        self.later_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.table.currentItemChanged.connect(self._selected)
        self.consulted_yes.toggled.connect(self._answer_changed)
        self._answer_changed(False)
        if related:
            self.table.setCurrentItem(self.table.topLevelItem(0))

    # -- entry points ------------------------------------------------------------------------
    @classmethod
    def for_document(cls, parent, ws, ops, document_id: int, *, show: bool = True):
        """The prompt after a document is created; None when nothing related exists."""
        doc = documents.document(ws, document_id)
        related = studies.related_work(ws, doc.title, exclude_document_id=document_id)
        if not related:
            return None
        dialog = cls(ws, ops, related, document_id=document_id, subject=doc.title, parent=parent)
        if show:
            dialog.open()
        return dialog

    @classmethod
    def for_study(cls, parent, ws, ops, study_id: int, *, show: bool = True):
        """The prompt after a study or contract is registered; None when nothing is related."""
        s = studies.study(ws, study_id)
        related = studies.related_work(ws, s.title, s.abstract, exclude_study_id=study_id)
        if not related:
            return None
        dialog = cls(ws, ops, related, study_id=study_id, subject=s.title, parent=parent)
        if show:
            dialog.open()
        return dialog

    # -- behaviour ---------------------------------------------------------------------------
    def current_work(self) -> studies.RelatedWork | None:
        item = self.table.currentItem()
        return item.data(0, WORK_ROLE) if item is not None else None

    def _selected(self, item, _previous=None) -> None:
        work = item.data(0, WORK_ROLE) if item is not None else None
        if work is None:
            self.detail.setText("")
            return
        snippet = html.escape(work.snippet).replace("\x02", "<b>").replace("\x03", "</b>")
        self.detail.setText(f"<i>Matched:</i> {snippet}" if snippet else "")
        if not self.whom.isModified():
            self.whom.setText(work.contact or work.owner)

    def _answer_changed(self, yes: bool) -> None:
        self.whom.setEnabled(yes)
        self.when.setEnabled(yes)

    def record(self) -> None:
        work = self.current_work()
        if not (self.consulted_yes.isChecked() or self.consulted_no.isChecked()):
            self.error.setText("Say whether the owners were consulted (Yes or No).")
            return
        yes = self.consulted_yes.isChecked()
        org = work.organization if work is not None and work.organization else None
        self.record_button.setEnabled(False)
        self.error.setText("")
        self.ops.run(
            studies.record_consultation,
            self.document_id,
            study_id=self.study_id,
            consulted=yes,
            whom=self.whom.text() if yes else "",
            organization_code=org if yes else None,
            consulted_on=self.when.date().toString("yyyy-MM-dd") if yes else None,
            outcome=self.outcome.toPlainText(),
            related_study_id=work.id if work is not None and work.kind == "study" else None,
            related_document_id=work.id if work is not None and work.kind == "document" else None,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, consultation_id: int) -> None:
        self.recorded.emit(consultation_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        from workbench.errors import WorkbenchError

        if isinstance(exc, WorkbenchError):
            self.error.setText(str(exc))
        else:
            self.ops.report_error(exc)
