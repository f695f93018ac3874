"""TextBlock: a paragraph of styled text runs, laid out with cached word widths.

Body text is most of a document, and reportlab's Paragraph spends most of an export parsing
its markup and measuring every word again on every wrap. A TextBlock takes runs of plain text
(never markup, so nothing in them can be interpreted), measures each distinct word once per
process, and draws each line as a few strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from workbench.pdf import styles as st


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    strike: bool = False


_FACES = {
    (False, False): st.SANS,
    (True, False): st.SANS_BOLD,
    (False, True): st.SANS_ITALIC,
    (True, True): st.SANS_BOLD_ITALIC,
}
_BOLD_FACES = {st.SANS_BOLD, st.SANS_BOLD_ITALIC}
_ITALIC_FACES = {st.SANS_ITALIC, st.SANS_BOLD_ITALIC}
# Breakable white space; a no-break space (U+00A0) deliberately is not in it.
_SPLIT = re.compile(r"([ \t\n\r\f\v\u2000-\u200a\u2028\u2029\u3000]+)")
BREAK = "\n"  # a run whose text is exactly this is a hard line break

_widths: dict[tuple[str, float, str], float] = {}
_WIDTH_CACHE_LIMIT = 500_000


def width_of(text: str, font: str, size: float) -> float:
    key = (font, size, text)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > _WIDTH_CACHE_LIMIT:
            _widths.clear()
        w = _widths[key] = stringWidth(text, font, size)
    return w


def _face(run: Run, style) -> str:
    if run.mono:
        return st.MONO
    bold = run.bold or style.fontName in _BOLD_FACES
    italic = run.italic or style.fontName in _ITALIC_FACES
    return _FACES[(bold, italic)]


# An item is a word piece (text, font, strike), a space (" ", font, None) or a break.
def _items(runs: list[Run], style) -> list[tuple[str, str, bool | None]]:
    items: list[tuple[str, str, bool | None]] = []
    for run in runs:
        if run.text == BREAK:
            items.append((BREAK, "", None))
            continue
        font = _face(run, style)
        # With a capturing pattern, split() alternates word (even) and white space (odd).
        for k, part in enumerate(_SPLIT.split(run.text)):
            if k % 2:
                if items and items[-1][2] is None and items[-1][0] != BREAK:
                    continue  # collapse runs of white space across run boundaries
                items.append((" ", font, None))
            elif part:
                items.append((part, font, run.strike))
    while items and items[0][2] is None and items[0][0] != BREAK:
        items.pop(0)
    return items


class TextBlock(Flowable):
    """A left-aligned paragraph; `lines` hold (x, text, font, strike, width) segments."""

    def __init__(self, runs, style, bullet: str | None = None, *, _items_=None, _first=True):
        super().__init__()
        self.style = style
        self.bullet = bullet
        self.items = _items_ if _items_ is not None else _items(list(runs), style)
        self.first = _first
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._laid_width: float | None = None
        self.lines: list[list[tuple[float, str, str, bool, float]]] = []
        self.starts: list[int] = []

    # -- layout ----------------------------------------------------------------------------
    def _layout(self, width: float) -> None:
        if self._laid_width == width:
            return
        style = self.style
        size = style.fontSize
        left = style.leftIndent
        avail_rest = max(1.0, width - left - style.rightIndent)
        first_indent = style.firstLineIndent if self.first else 0
        avail = avail_rest - first_indent
        lines: list[list[tuple[float, str, str, bool, float]]] = []
        starts: list[int] = []
        line: list[tuple[float, str, str, bool, float]] = []
        x = 0.0
        pending_space: tuple[str, float] | None = None  # (font, width) of a space before a word
        items = self.items
        n = len(items)
        i = 0
        line_start = 0

        def new_line(start: int) -> None:
            nonlocal line, x, pending_space, avail, line_start
            lines.append(line)
            starts.append(line_start)
            line, x, pending_space, avail, line_start = [], 0.0, None, avail_rest, start

        while i < n:
            text, font, strike = items[i]
            if text == BREAK:
                new_line(i + 1)
                i += 1
                continue
            if strike is None:
                pending_space = (font, width_of(" ", font, size)) if line else None
                i += 1
                continue
            # A word may be made of several pieces (e.g. half of it bold).
            j = i
            widths = []
            while j < n and items[j][2] is not None:
                widths.append(width_of(items[j][0], items[j][1], size))
                j += 1
            word_w = sum(widths)
            space_w = pending_space[1] if pending_space else 0.0
            if line and x + space_w + word_w > avail:
                new_line(i)
                space_w = 0.0
            if not line and word_w > avail:
                # Longer than a whole line: break it between characters.
                full, line, x = _break_long(items[i:j], size, avail_rest)
                for broken in full:
                    lines.append(_merge(broken))
                    starts.append(i)
                line = _merge(line)
                line_start, pending_space, avail = i, None, avail_rest
                i = j
                continue
            if line and pending_space:
                _append(line, x, " ", pending_space[0], False, space_w)
                x += space_w
            for k in range(i, j):
                piece, pfont, pstrike = items[k]
                assert pstrike is not None  # the word ends before the first space (strike None)
                pw = widths[k - i]
                _append(line, x, piece, pfont, pstrike, pw)
                x += pw
            pending_space = None
            i = j
        if line or not lines:
            lines.append(line)
            starts.append(line_start)
        self.lines = lines
        self.starts = starts
        self._laid_width = width

    def wrap(self, aw, ah):
        self._layout(aw)
        self.width = aw
        self.height = len(self.lines) * self.style.leading
        return aw, self.height

    def split(self, aw, ah):
        # The frame offers its full width here, ignoring Indenters; the width of the preceding
        # wrap is the one that counts (reportlab's Paragraph does the same).
        if self._laid_width is not None:
            aw = self._laid_width
        self._layout(aw)
        leading = self.style.leading
        fit = int(ah // leading)
        if fit * leading > ah:  # float noise must never let a part overflow the frame
            fit -= 1
        total = len(self.lines)
        if fit >= total:
            return [self]
        if fit < 2:
            return []  # nothing fits, or only an orphaned first line at the foot of a page
        first = TextBlock(None, self.style, self.bullet, _items_=self.items, _first=self.first)
        first._set_lines(self.lines[:fit], self.starts[:fit], aw)
        first.spaceAfterOverride = 0
        rest_start = self.starts[fit]
        rest = TextBlock(None, self.style, None, _items_=self.items[rest_start:], _first=False)
        rest._set_lines(self.lines[fit:], [s - rest_start for s in self.starts[fit:]], aw)
        rest.spaceBeforeOverride = 0
        return [first, rest]

    def _set_lines(self, lines, starts, width) -> None:
        self.lines, self.starts, self._laid_width = lines, starts, width

    def last_line_end(self) -> float:
        """Where the text of the last line ends, from the block's left edge."""
        last = self.lines[-1] if self.lines else []
        end = last[-1][0] + last[-1][4] if last else 0.0
        return self.style.leftIndent + end

    def getSpaceBefore(self):
        return getattr(self, "spaceBeforeOverride", self.style.spaceBefore)

    def getSpaceAfter(self):
        return getattr(self, "spaceAfterOverride", self.style.spaceAfter)

    # -- drawing ---------------------------------------------------------------------------
    def draw(self):
        canv = self.canv
        style = self.style
        size = style.fontSize
        leading = style.leading
        left = style.leftIndent
        y = self.height - size
        canv.saveState()
        canv.setFillColor(style.textColor)
        text = canv.beginText()
        current = None
        if self.bullet and self.first:
            current = style.bulletFontName or st.SANS
            text.setFont(current, style.bulletFontSize or size, leading)
            text.setTextOrigin(style.bulletIndent, y)
            text.textOut(self.bullet)
        strikes: list[tuple[float, float, float]] = []
        align = style.alignment if style.alignment in (TA_CENTER, TA_RIGHT) else None
        avail = self.width - left - style.rightIndent
        for n, line in enumerate(self.lines):
            x0 = left + (style.firstLineIndent if self.first and n == 0 else 0)
            if align is not None and line:
                slack = avail - (line[-1][0] + line[-1][4])
                x0 += slack if align == TA_RIGHT else slack / 2
            for x, segment, font, strike, w in line:
                if font != current:
                    text.setFont(font, size, leading)
                    current = font
                text.setTextOrigin(x0 + x, y)
                text.textOut(segment)
                if strike:
                    strikes.append((x0 + x, x0 + x + w, y + size * 0.3))
            y -= leading
        canv.drawText(text)
        if strikes:
            canv.setStrokeColor(style.textColor)
            canv.setLineWidth(max(0.5, size / 16))
            for x1, x2, ys in strikes:
                canv.line(x1, ys, x2, ys)
        canv.restoreState()


def _break_long(pieces, size, avail):
    """Lines of one over-long word broken between characters: (full lines, last line, its end)."""
    full: list[list] = []
    line: list[tuple[float, str, str, bool, float]] = []
    x = 0.0
    for piece, font, strike in pieces:
        chunk, chunk_x = "", x
        for ch in piece:
            cw = width_of(ch, font, size)
            if x + cw > avail and (line or chunk):
                if chunk:
                    line.append((chunk_x, chunk, font, strike, x - chunk_x))
                full.append(line)
                line, x, chunk, chunk_x = [], 0.0, "", 0.0
            chunk += ch
            x += cw
        if chunk:
            line.append((chunk_x, chunk, font, strike, x - chunk_x))
    return full, line, x


def _append(line: list, x: float, text: str, font: str, strike: bool, w: float) -> None:
    """Add a segment, joining it to the last one when font and strike agree (fewer PDF ops)."""
    if line:
        lx, ltext, lfont, lstrike, lw = line[-1]
        if lfont == font and bool(lstrike) == bool(strike):
            line[-1] = (lx, ltext + text, lfont, lstrike, lw + w)
            return
    line.append((x, text, font, strike, w))


def _merge(line):
    """Consecutive segments in one font and strike state become one string (fewer PDF ops)."""
    merged: list[tuple[float, str, str, bool, float]] = []
    for seg in line:
        if merged:
            x, text, font, strike, w = merged[-1]
            if font == seg[2] and bool(strike) == bool(seg[3]):
                merged[-1] = (x, text + seg[1], font, strike, w + seg[4])
                continue
        merged.append(seg)
    return merged
