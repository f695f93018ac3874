"""The Insert menu: a stored figure, a cross-reference to a section, a footnote, at the cursor."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ui import messages
from ui.figure_view import to_qimage
from workbench import figures, sections
from workbench.errors import WorkbenchError
from workbench.figures import FigureImage
from workbench.markdown_model import cross_reference, figure_markdown

FILE_FILTER = "Images (*.png *.jpg *.jpeg *.svg);;All files (*)"
PREVIEW_SIZE = 320
_NOTE_LABEL = re.compile(r"\[\^(\d+)\]")


def read_image_file(path: str | Path) -> bytes:
    """The file's bytes, refused in one line when it is not a file or larger than a figure."""
    p = Path(path)
    try:
        if not p.is_file():
            raise WorkbenchError(f"{p.name} is not a file.")
        size = p.stat().st_size
        if size > figures.MAX_BYTES:
            raise WorkbenchError(
                f"{p.name} is {size / 1e6:.1f} MB; a figure may be at most "
                f"{figures.MAX_BYTES // (1024 * 1024)} MB."
            )
        with p.open("rb") as f:
            return f.read(figures.MAX_BYTES + 1)
    except OSError as exc:
        raise WorkbenchError(f"{p.name} cannot be read ({exc.strerror or exc}).") from None


class FigureDialog(QDialog):
    """Choose an image (a file, or a figure already stored for the document), alt text, caption."""

    def __init__(self, ws, document_id: int, parent=None, *, folder: str = ""):
        super().__init__(parent)
        self.ws, self.document_id, self.folder = ws, document_id, folder
        self.setWindowTitle("Insert Figure")
        self.data: bytes | None = None
        self.source_name = ""
        self.stored_id: int | None = None

        self.source = QComboBox(self)
        self.source.setAccessibleName("Figure source")
        self.source.addItem("A new image from a file", None)
        for fig in figures.list_figures(ws, document_id):
            self.source.addItem(f"Stored: {fig.alt} ({fig.source_name or fig.media_type})", fig.id)
        self.path = QLineEdit(self)
        self.path.setReadOnly(True)
        self.path.setPlaceholderText("PNG, JPEG or SVG, at most 10 MB")
        self.path.setAccessibleName("Image file")
        self.choose = QPushButton("&Choose…", self)
        self.choose.setAccessibleName("Choose image file")
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(self.choose)

        self.preview = QLabel(self)
        self.preview.setObjectName("figurePreview")
        self.preview.setAccessibleName("Figure preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_SIZE, PREVIEW_SIZE * 3 // 5)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview.setText("No image chosen")
        self.problem = QLabel(self)
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.alt = QLineEdit(self)
        self.alt.setAccessibleName("Alt text")
        self.alt.setPlaceholderText("What the figure shows, for readers who cannot see it")
        self.alt.setMaxLength(figures.MAX_ALT)
        self.caption = QLineEdit(self)
        self.caption.setAccessibleName("Caption")
        self.caption.setPlaceholderText("Printed under the figure as “Figure N. …”")
        self.caption.setMaxLength(figures.MAX_CAPTION)

        form = QFormLayout()
        form.addRow("&Image:", self.source)
        form.addRow("", file_row)
        form.addRow("&Alt text:", self.alt)
        form.addRow("Ca&ption:", self.caption)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Insert")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.choose.clicked.connect(self.pick_file)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.alt.textChanged.connect(self._update_ok)
        self.caption.textChanged.connect(self._update_ok)
        self._update_ok()

    # -- choosing --------------------------------------------------------------------------
    def pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose an image", self.folder, FILE_FILTER)
        if path:
            self.load_file(path)

    def load_data(self, data: bytes, name: str) -> None:
        """An image from the clipboard or a drop, checked like a file."""
        self.source.setCurrentIndex(0)
        self.path.setText(name)
        self.data, self.source_name = None, name
        try:
            info = figures.inspect(data, name)
        except WorkbenchError as exc:
            self._show_problem(str(exc))
            return
        self.data = data
        self._show_image(FigureImage(0, info.media_type, data, info.width, info.height))

    def load_file(self, path: str | Path) -> None:
        """Read and check an image file; the preview shows it or the one-line reason it can't."""
        self.source.setCurrentIndex(0)
        p = Path(path)
        self.path.setText(str(p))
        self.folder = str(p.parent)
        self.data, self.source_name = None, p.name
        try:
            data = read_image_file(p)
            info = figures.inspect(data, p.name)
        except WorkbenchError as exc:
            self._show_problem(str(exc))
            return
        self.data = data
        self._show_image(FigureImage(0, info.media_type, data, info.width, info.height))

    def _source_changed(self, _index: int) -> None:
        fid = self.source.currentData()
        self.stored_id = fid
        file_mode = fid is None
        self.path.setEnabled(file_mode)
        self.choose.setEnabled(file_mode)
        if file_mode:
            self.data = None
            self.preview.clear()
            self.preview.setText("No image chosen")
            self._update_ok()
            return
        fig = figures.figure(self.ws, fid)
        self.alt.setText(fig.alt)
        self.caption.setText(fig.caption)
        image = figures.images(self.ws, [fid]).get(fid)
        if image is not None:
            self._show_image(image)

    def _show_problem(self, text: str) -> None:
        self.preview.clear()
        self.preview.setText("No usable image")
        self.problem.setText(text)
        self.problem.show()
        self._update_ok()

    def _show_image(self, image: FigureImage) -> None:
        self.problem.hide()
        qimage = to_qimage(image)
        if qimage is None:
            self._show_problem("The image cannot be drawn.")
            return
        pixmap = QPixmap.fromImage(qimage).scaled(
            PREVIEW_SIZE,
            PREVIEW_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pixmap)
        self._update_ok()

    def _update_ok(self) -> None:
        has_image = self.stored_id is not None or self.data is not None
        ready = has_image and bool(self.alt.text().strip()) and bool(self.caption.text().strip())
        self.ok.setEnabled(ready)
        if not has_image:
            self.ok.setToolTip("Choose an image first")
        elif not ready:
            self.ok.setToolTip("A figure needs alt text and a caption")
        else:
            self.ok.setToolTip("")


class CrossReferenceDialog(QDialog):
    """Pick a section of the document; the text stores its id and prints its current number."""

    def __init__(self, ws, document_id: int, current: int | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Insert Cross-reference")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by number or heading")
        self.filter.setAccessibleName("Filter sections")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Sections")
        for entry in sections.outline(ws, document_id):
            item = QListWidgetItem(("    " * entry.depth) + entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setToolTip(entry.title)
            self.list.addItem(item)
            if entry.id == current:
                item.setText(item.text() + "  (this section)")
        hint = QLabel(
            "The reference prints the section's number (“§3”) and follows it when the outline "
            "changes.",
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Insert")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.filter.returnPressed.connect(self._accept_first)
        self.resize(460, 420)
        self._update_ok()

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None and (
            self.list.currentItem() is None or self.list.currentItem().isHidden()
        ):
            self.list.setCurrentItem(first)
        self._update_ok()

    def _accept_first(self) -> None:
        if self.selected_id() is not None:
            self.accept()

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.selected_id() is not None)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)


def next_note_label(body: str) -> str:
    """The next free numeric footnote label in a section's text."""
    used = [int(m.group(1)) for m in _NOTE_LABEL.finditer(body)]
    return str(max(used, default=0) + 1)


class InsertActions:
    """What the Insert menu does to the section open in the editor."""

    def __init__(self, window):
        self.window = window
        self.folder = ""

    @property
    def editor(self):
        return self.window.editor

    def _target(self, title: str) -> tuple[int, int] | None:
        editor = self.editor
        if editor.section_id is None or editor._document_id is None:
            messages.error(self.window, title, "Open a section in the editor first.")
            return None
        if editor.body.isReadOnly():
            messages.error(
                self.window,
                title,
                "This version is published and read-only; start the next version to edit it.",
            )
            return None
        return editor.section_id, editor._document_id

    def insert_block(self, markdown: str) -> None:
        """Insert a block of Markdown as its own paragraph at the cursor, as one undo step."""
        body = self.editor.body
        cursor = body.textCursor()
        cursor.beginEditBlock()
        before = body.toPlainText()[: cursor.position()]
        lead = (
            ""
            if not before or before.endswith("\n\n")
            else ("\n" if before.endswith("\n") else "\n\n")
        )
        cursor.insertText(f"{lead}{markdown}\n\n")
        cursor.endEditBlock()
        body.setTextCursor(cursor)
        body.setFocus()

    def insert_inline(self, markdown: str) -> None:
        body = self.editor.body
        cursor = body.textCursor()
        cursor.insertText(markdown)
        body.setTextCursor(cursor)
        body.setFocus()

    def paste_image(self, mime) -> bool:
        """A pasted or dropped image opens Insert Figure with it, for its alt text and caption."""
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QImage

        image = mime.imageData()
        if not isinstance(image, QImage) or image.isNull():
            return False
        raw = QByteArray()
        buffer = QBuffer(raw)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        self.figure(preloaded=(bytes(raw.data()), "pasted image.png"))
        return True

    def figure(self, preloaded: tuple[bytes, str] | None = None) -> None:
        target = self._target("Insert Figure")
        if target is None:
            return
        section_id, doc_id = target
        dialog = FigureDialog(self.window.ws, doc_id, self.window, folder=self.folder)
        if preloaded is not None:
            dialog.load_data(*preloaded)
        self.window.figure_dialog = dialog  # tests drive it
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.folder = dialog.folder
        alt, caption = dialog.alt.text().strip(), dialog.caption.text().strip()
        if dialog.stored_id is not None:
            self.insert_block(figure_markdown(dialog.stored_id, alt, caption))
            return
        data, name = dialog.data, dialog.source_name

        def stored(fid: int) -> None:
            if self.editor.section_id == section_id:
                self.insert_block(figure_markdown(fid, alt, caption))
                self.editor.update_preview()

        self.window.ops.run(
            figures.add_figure,
            doc_id,
            data,
            alt=alt,
            caption=caption,
            source_name=name,
            on_done=stored,
            busy="Storing the figure…",
        )

    def cross_reference(self) -> None:
        target = self._target("Insert Cross-reference")
        if target is None:
            return
        section_id, doc_id = target
        dialog = CrossReferenceDialog(self.window.ws, doc_id, section_id, self.window)
        self.window.xref_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected_id() is None:
            return
        self.insert_inline(cross_reference(dialog.selected_id()))

    def footnote(self) -> None:
        if self._target("Insert Footnote") is None:
            return
        body = self.editor.body
        label = next_note_label(body.toPlainText())
        cursor = body.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(f"[^{label}]")
        cursor.movePosition(QTextCursor.MoveOperation.End)
        text = body.toPlainText()
        gap = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        cursor.insertText(f"{gap}[^{label}]: ")
        cursor.endEditBlock()
        body.setTextCursor(cursor)
        body.setFocus()


def install(window) -> InsertActions:
    """Add the Insert menu (Figure…, Cross-reference…, Footnote) to the main window."""
    actions = InsertActions(window)
    menu = window.add_menu("&Insert")
    # Where editors keep it: beside the editing menus (after Document), not after the parts'.
    window.menuBar().insertMenu(window.view_menu.menuAction(), menu)
    for text, slot, key, name in (
        ("&Figure…", actions.figure, "Ctrl+Alt+G", "insertFigure"),
        ("&Cross-reference…", actions.cross_reference, "Ctrl+Alt+R", "insertCrossReference"),
        ("Foot&note", actions.footnote, "Ctrl+Alt+F", "insertFootnote"),
    ):
        action = menu.addAction(text)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False, s=slot: s())
    window.editor.body.image_hook = actions.paste_image
    return actions
