"""Syntax colouring for Markdown source: headings, emphasis, lists, code, links and quotes."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat

_IN_FENCE = 1
MISSPELLED = QColor("#d1242f")


def _fmt(color: QColor | None = None, *, bold=False, italic=False, mono=False, underline=False):
    f = QTextCharFormat()
    if color is not None:
        f.setForeground(color)
    if bold:
        f.setFontWeight(QFont.Weight.Bold)
    if italic:
        f.setFontItalic(True)
    if mono:
        f.setFontFamilies(["monospace"])
        f.setFontFixedPitch(True)
    if underline:
        f.setFontUnderline(True)
    return f


class MarkdownHighlighter(QSyntaxHighlighter):
    """Line-based rules plus one block state for fenced code."""

    HEADING = re.compile(r"^\s{0,3}#{1,6}(\s.*|$)")
    QUOTE = re.compile(r"^\s{0,3}>.*")
    LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
    FENCE = re.compile(r"^\s{0,3}(```|~~~)")
    INLINE = [
        ("code", re.compile(r"`[^`\n]+`")),
        ("bold", re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")),
        ("italic", re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])")),
        ("link", re.compile(r"\[[^\]\n]+\]\([^)\n]*\)|<https?://[^>\s]+>")),
    ]

    def __init__(self, document, palette: QPalette | None = None, speller=None):
        super().__init__(document)
        self.restyling = False  # inside rehighlight(): formats change, the text does not
        # Anything with misspelled(text) -> [(start, end, word)]; None: no spell check.
        self.speller = speller
        self.set_palette(palette or QPalette())

    def set_palette(self, palette: QPalette) -> None:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        accent = QColor("#7fb2ff" if dark else "#1f4e8c")
        muted = QColor("#9aa4ae" if dark else "#5b6670")
        code = QColor("#e0a96d" if dark else "#8a3b12")
        link = QColor("#6fc3df" if dark else "#0b6e99")
        marker = QColor("#c586c0" if dark else "#7a2f8f")
        self.formats = {
            "heading": _fmt(accent, bold=True),
            "quote": _fmt(muted, italic=True),
            "list": _fmt(marker, bold=True),
            "code": _fmt(code, mono=True),
            "bold": _fmt(bold=True),
            "italic": _fmt(italic=True),
            "link": _fmt(link, underline=True),
        }
        self.rehighlight()

    def rehighlight(self) -> None:
        """Every block again; `restyling` is true meanwhile (the text emits textChanged for
        the new formats, which is not an edit)."""
        self.restyling = True
        try:
            super().rehighlight()
        finally:
            self.restyling = False

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        fence = self.FENCE.match(text)
        if self.previousBlockState() == _IN_FENCE:
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(-1 if fence else _IN_FENCE)
            return
        if fence:
            self.setFormat(0, len(text), self.formats["code"])
            self.setCurrentBlockState(_IN_FENCE)
            return
        self.setCurrentBlockState(-1)
        if self.HEADING.match(text):
            self.setFormat(0, len(text), self.formats["heading"])
            self._underline(text)
            return
        if self.QUOTE.match(text):
            self.setFormat(0, len(text), self.formats["quote"])
        m = self.LIST.match(text)
        if m:
            self.setFormat(0, m.end(), self.formats["list"])
        for name, pattern in self.INLINE:
            for hit in pattern.finditer(text):
                self.setFormat(hit.start(), hit.end() - hit.start(), self.formats[name])
        self._underline(text)

    def _underline(self, text: str) -> None:
        """A wavy underline under misspelled prose words, over whatever colouring they have."""
        if self.speller is None:
            return
        for start, end, _word in self.speller.misspelled(text):
            fmt = QTextCharFormat(self.format(start))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(MISSPELLED)
            self.setFormat(start, end - start, fmt)
