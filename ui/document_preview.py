"""The whole-document preview: every section, numbered, under the document's marking."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from ui import markdown_render
from ui.figure_view import FigureBrowser
from workbench import documents, figures, sections

MARKING_CSS = (
    "p.marking { text-align: center; font-weight: bold; font-size: 9pt; margin: 4px 0; }"
    " h1.title { text-align: center; }"
)


def document_figures(ws, doc_id: int, shown: dict[int, tuple[str, str]] | None = None) -> dict:
    """The stored figures the document's text (as shown) places, for the browser to draw."""
    texts = figures.document_bodies(ws, doc_id, {k: v[1] for k, v in (shown or {}).items()})
    return figures.images(ws, figures.referenced_ids(texts))


def document_html(
    ws, doc_id: int, shown: dict[int, tuple[str, str]] | None = None, max_width: int | None = None
) -> str:
    """The document as it will read: marking at top and bottom, title, numbered sections."""
    doc = documents.document(ws, doc_id)
    bodies = {
        r["id"]: r["body"]
        for r in ws.db.query(
            "SELECT id, body FROM sections WHERE document_id = ? AND deleted_at IS NULL",
            [doc_id],
        )
    }
    shown = shown or {}  # text on screen that autosave has not written yet
    marking = f'<p class="marking">{escape(doc.marking)}</p>'
    parts = [marking, f'<h1 class="title">{escape(doc.title)}</h1>']
    entries = sections.outline(ws, doc_id)
    numbers = {e.id: e.number for e in entries}
    texts = [shown.get(e.id, (e.heading, bodies.get(e.id, "")))[1] for e in entries]
    placed = figures.figure_numbers(texts)
    images = figures.images(ws, placed) if placed else {}
    for entry, body in zip(entries, texts, strict=True):
        heading = shown.get(entry.id, (entry.heading, ""))[0]
        level = min(entry.depth + 2, 6)
        title = escape(f"{entry.number} {heading}".strip())
        parts.append(f'<h{level}><a name="s{entry.id}"></a>{title}</h{level}>')
        parts.append(markdown_render.render(body, numbers, "", images, placed, max_width))
    parts.append(marking)
    css = markdown_render.PREVIEW_CSS + MARKING_CSS
    return f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"


class DocumentPreview(QDialog):
    """A reading view of the whole current document; Refresh reads it again."""

    def __init__(self, window, doc_id: int):
        super().__init__(window)
        self.window_, self.doc_id = window, doc_id
        self.setWindowTitle("Document Preview")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.browser = FigureBrowser(self)
        self.browser.setAccessibleName("Document preview")
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        refresh = QPushButton("&Refresh", self)
        refresh.setAccessibleName("Refresh preview")
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        refresh.clicked.connect(self.refresh)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.resize(760, min(900, max(500, window.height() - 80)))
        self.refresh()

    def refresh(self) -> None:
        ws, editor = self.window_.ws, self.window_.editor
        section = editor.section_id
        shown = {}
        if section is not None:
            shown[section] = (editor.heading.text(), editor.body.toPlainText())
        self.browser.set_figures(document_figures(ws, self.doc_id, shown))
        width = self.browser.figure_width()
        self.browser.setHtml(document_html(ws, self.doc_id, shown, width))
        if section is not None:
            self.browser.scrollToAnchor(f"s{section}")
        count = len(sections.outline(ws, self.doc_id))
        self.hint.setText(f"{count} sections, numbered, as the document will read")
