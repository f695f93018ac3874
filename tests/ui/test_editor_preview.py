"""The section editor: Markdown preview (user markup stays text) and the formatting toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from ui import markdown_render
from ui.navigator import SECTION
from workbench import sections


def open_section(ws, doc_id, window, **kwargs):
    sid = sections.add_section(ws, doc_id, **kwargs)
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    return sid


def test_preview_renders_markdown_and_shows_typed_tags_literally(qtbot, ws, doc_id, window):
    open_section(ws, doc_id, window, heading="Threat")
    qtbot.keyClicks(
        window.editor.body, "Cartels use **semi-submersibles** <script>alert(1)</script> <b>x</b>"
    )
    preview = window.editor.preview
    qtbot.waitUntil(lambda: "semi-submersibles" in preview.toPlainText(), timeout=2000)
    text = preview.toPlainText()
    assert "**" not in text  # the emphasis was rendered, not shown as source
    assert "<script>alert(1)</script>" in text
    assert "<b>x</b>" in text
    cursor = preview.document().find("semi-submersibles")
    assert cursor.charFormat().fontWeight() >= 600
    tag = preview.document().find("<b>x</b>")
    assert tag.charFormat().fontWeight() < 600
    html = markdown_render.render("<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_lists_quotes_and_headings_render(qtbot, ws, doc_id, window):
    open_section(ws, doc_id, window, body="## Goals\n\n- one\n- two\n\n> quoted\n\n1. first")
    html = markdown_render.render(window.editor.body.toPlainText())
    assert "<h2>Goals</h2>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html and "<ol>" in html
    assert "Goals" in window.editor.preview.toPlainText()


def test_toolbar_wraps_selection_and_prefixes_lines(qtbot, ws, doc_id, window):
    sid = open_section(ws, doc_id, window, heading="Interdiction")
    body = window.editor.body
    qtbot.keyClicks(body, "stop the flow")
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    window.editor.format_actions["bold"].trigger()
    assert body.toPlainText() == "**stop** the flow"
    window.editor.format_actions["bullet"].trigger()
    assert body.toPlainText() == "- **stop** the flow"
    window.editor.format_actions["bullet"].trigger()  # a second time takes it off
    assert body.toPlainText() == "**stop** the flow"
    window.editor.format_actions["quote"].trigger()
    assert body.toPlainText() == "> **stop** the flow"
    body.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.format_actions["link"].trigger()
    assert body.toPlainText().endswith("[link text](https://)")
    assert body.textCursor().selectedText() == "https://"
    body.undo()  # one formatting step is one undo step
    assert body.toPlainText() == "> **stop** the flow"
    assert window.autosave.flush_sync()
    assert sections.section(ws, sid).body == "> **stop** the flow"


def test_highlighter_marks_headings_code_and_list_markers(qtbot, ws, doc_id, window):
    open_section(ws, doc_id, window, body="## Goals\n\n- use `SPSS` data\n\n```\nraw **text**\n```")
    doc = window.editor.body.document()

    def fmt(line: int, column: int) -> tuple[bool, bool]:
        """(bold, monospace) of the character at line/column."""
        block = doc.findBlockByNumber(line)
        found = (False, False)
        for r in block.layout().formats():
            if r.start <= column < r.start + r.length:
                found = (r.format.fontWeight() >= 600, r.format.fontFixedPitch())
        return found

    assert fmt(0, 3) == (True, False)  # "## Goals"
    assert fmt(2, 0) == (True, False)  # the "-" list marker
    assert fmt(2, 8) == (False, True)  # `SPSS`
    assert fmt(2, 3) == (False, False)  # plain text
    assert fmt(5, 5) == (False, True)  # inside the fence, ** is code, not bold


def test_preview_uses_the_pdf_markdown_and_never_loads_a_named_file(qtbot, ws, doc_id, window):
    open_section(ws, doc_id, window, heading="Routes")
    body = window.editor.body
    qtbot.keyClicks(
        body, 'Old ~~text~~ here ![zero](/dev/zero) ![Map](figure:9 "Routes") cited[^1]'
    )
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "[^1]: A note.")
    preview = window.editor.preview
    qtbot.waitUntil(lambda: "A note." in preview.toPlainText(), timeout=3000)
    struck = preview.document().find("text")
    assert struck.charFormat().fontStrikeOut()  # strikethrough, as the PDF prints it
    text = preview.toPlainText()
    assert "[image: zero]" in text
    assert "[Figure 1: Map — its image is not in this workspace]" in text  # no figure 9 stored
    assert "[^1]" not in text
    html = markdown_render.render("![x](/dev/zero) ![y](https://example.org/a.png)")
    assert "<img" not in html


def test_cross_references_print_the_current_number():
    html = markdown_render.render("See [§](section:7) and [§](section:8).", {7: "3.2"})
    assert "See §3.2 and §[section removed]." in html
    assert "section:7" not in html


def test_a_note_nobody_cites_is_still_shown_in_the_preview():
    html = markdown_render.render("Text.\n\n[^a]: Orphan note.")
    assert "[^a]: Orphan note." in html


def test_a_line_break_in_a_table_cell_is_shown_as_one_as_the_pdf_prints_it():
    """A Word table cell's paragraphs arrive as `<br>`; the preview must not show the tag."""
    html = markdown_render.render(
        "| Q | Notes |\n|---|---|\n| Q1 | First line.<br>Second line. <b>x</b> |\n\nOut <br> here"
    )
    assert "First line.<br />\nSecond line." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # any other tag stays text
    assert "Out &lt;br&gt; here" in html  # outside a table, typed text
