"""The preview of a returned Word file: what arrives, per section, before anything is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ui import messages
from workbench.coordination.comments import COMMENT_TYPES
from workbench.directory import organizations
from workbench.errors import WorkbenchError
from workbench.exchange.word_response import WordPreview, build_preview, import_word_response

MUTED = QColor("#6b7280")
COLUMNS = ["Where / what", "Type", "By", "Passage"]


class WordImportDialog(QDialog):
    """Reads the file on the writer thread, shows the preview, imports on Import."""

    def __init__(self, window, path: str | Path, *, document_id: int | None = None):
        super().__init__(window)
        self.window = window
        self.ops = window.ops
        self.path = Path(path)
        self.document_id = document_id
        self.preview: WordPreview | None = None
        self.type_boxes: dict[int, QComboBox] = {}
        self.result = None
        self.setWindowTitle(f"Import {self.path.name}")
        self.resize(900, 560)
        self.summary = QLabel("Reading the Word file…", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Import summary")
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 3 + 8)
        self.organization = QComboBox(self)
        self.organization.setAccessibleName("Organization")
        self.organization.addItem("Choose the organization this file is from…", None)
        for o in organizations(window.ws):
            if o.kind != "cne":
                self.organization.addItem(f"{o.code} — {o.name}", o.code)
        self.organization.setEnabled(False)
        self.organization.currentIndexChanged.connect(self._organization_chosen)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("What will be imported")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(1, 140)
        self.tree.setColumnWidth(2, 160)
        self.tree.setColumnWidth(3, 220)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._import)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("From:", self.organization)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self._read(None)

    # -- reading ---------------------------------------------------------------------------
    def _read(self, organization_code: str | None) -> None:
        self.import_button.setEnabled(False)
        self.ops.run(
            build_preview,
            self.path,
            organization_code=organization_code,
            document_id=self.document_id,
            on_done=self._show,
            on_error=self._refused,
            busy="Reading the Word file…",
        )

    def _organization_chosen(self) -> None:
        code = self.organization.currentData()
        if code:
            self._read(code)

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, WorkbenchError):
            self.ops.report_error(exc)
            self.reject()
            return
        if "which organization" in str(exc) and self.preview is None:
            # A Word file that did not come from us: the analyst says whose it is.
            self.organization.setEnabled(True)
            self.summary.setText(
                f"{self.path.name} did not come from CNE Workbench. Choose the organization "
                "it is from; its comments are placed by the document's headings."
            )
            self.organization.setFocus()
            return
        messages.error(self, "Not imported", f"{self.path.name}: {exc}")
        self.reject()

    def _show(self, preview: WordPreview) -> None:
        self.preview = preview
        if preview.from_our_copy:
            index = self.organization.findData(preview.organization)
            self.organization.blockSignals(True)
            self.organization.setCurrentIndex(max(index, 0))
            self.organization.blockSignals(False)
        self.summary.setText(
            preview.summary() + " Set the type of anything the reviewer did not mark, then Import."
        )
        self.tree.clear()
        self.type_boxes.clear()
        for where, items in preview.by_section():
            group = QTreeWidgetItem(self.tree, [f"{where} ({len(items)})"])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for i in items:
                replies = f" ({len(i.replies)} repl{'y' if len(i.replies) == 1 else 'ies'})"
                passage = " / ".join(i.quoted_passage[:300].splitlines())
                row = QTreeWidgetItem(
                    group,
                    [
                        f"{i.kind_label}: {i.comment}" + (replies if i.replies else ""),
                        "",
                        i.author,
                        passage,
                    ],
                )
                row.setToolTip(0, i.location_detail)
                row.setData(0, Qt.ItemDataRole.UserRole, i.index)
                if i.duplicate:
                    row.setText(1, "already imported")
                    for c in range(len(COLUMNS)):
                        row.setForeground(c, QBrush(MUTED))
                    continue
                box = QComboBox(self.tree)
                box.setAccessibleName(f"Type of item {i.index + 1}")
                for code, name in COMMENT_TYPES.items():
                    box.addItem(f"{code} {name}" + ("" if i.type_marked else " ?"), code)
                box.setCurrentIndex(box.findData(i.type))
                box.setToolTip(
                    "Marked by the reviewer" if i.type_marked else "Not marked: choose the type"
                )
                self.tree.setItemWidget(row, 1, box)
                self.type_boxes[i.index] = box
            group.setExpanded(True)
        self.import_button.setEnabled(bool(preview.new_items))
        if not preview.new_items:
            self.summary.setText(f"{preview.file_name} was already imported; nothing to add.")

    # -- importing -------------------------------------------------------------------------
    def chosen_types(self) -> dict[int, str]:
        return {index: box.currentData() for index, box in self.type_boxes.items()}

    def _import(self) -> None:
        if self.preview is None or not self.preview.new_items:
            return
        self.import_button.setEnabled(False)
        code = None if self.preview.from_our_copy else self.preview.organization
        self.ops.run(
            import_word_response,
            self.path,
            organization_code=code,
            document_id=self.document_id if not self.preview.from_our_copy else None,
            types=self.chosen_types(),
            on_done=self._imported,
            on_error=self._failed,
            busy="Importing the Word file…",
        )

    def _imported(self, result) -> None:
        self.result = result
        messages.info(self.window, "Response imported", result.summary())
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        if isinstance(exc, WorkbenchError):
            messages.error(self, "Not imported", f"{self.path.name}: {exc}")
        else:
            self.ops.report_error(exc)


def open_word_import(window, path: str | Path, on_done=None) -> WordImportDialog:
    """Non-modal, so the analyst can look at the document while deciding the types."""
    dialog = WordImportDialog(window, path)
    if on_done is not None:
        dialog.accepted.connect(lambda: on_done(dialog.result))
    window.word_import_dialog = dialog  # kept referenced while it is open
    dialog.show()
    return dialog
