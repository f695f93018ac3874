"""TextBlock: a paragraph of styled text runs, laid out with cached word widths.

Body text is most of a document, and reportlab's Paragraph spends most of an export parsing
its markup and measuring every word again on every wrap. A TextBlock takes runs of plain text
(never markup, so nothing in them can be interpreted), measures each distinct word once per
process, and draws each line as a few strings.

Lines break at white space, after any CJK character, at hyphenation points (pyphen, for a
style whose hyphenationLang is set) and, for a word longer than a line, at a URL's slashes,
dots and query marks before falling back to characters. A style aligned TA_JUSTIFY spreads
every line but a paragraph's last. A character the run's face lacks is set in a fallback face
(workbench.pdf.fonts). A block may carry footnotes (workbench.pdf.footnotes): the room they
need at the page foot is part of the block's height until it is placed, then given back.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from workbench.pdf import fonts
from workbench.pdf import styles as st


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    strike: bool = False
    note: int = 0  # a footnote mark: the text is its number, printed as a superscript


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
SUP = "@sup"  # suffix of a face name: the piece is a superscript footnote mark
SUP_SCALE = 0.68
SUP_RISE = 0.36
# Never at the start of a line in CJK text (closing punctuation): no break before them.
_NO_BREAK_BEFORE = set(
    "、。，．・：；？！）」』】〕〉》”’ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
_URL_BREAKS = "/.?&=#-_@:"
_WORD = re.compile(r"^(\W*)([^\W\d_][^\W\d_'’]*[^\W\d_])(\W*)$")
MIN_HYPHENATED = 6  # letters; shorter words move to the next line whole

_widths: dict[tuple[str, float, str], float] = {}
_WIDTH_CACHE_LIMIT = 500_000


def width_of(text: str, font: str, size: float) -> float:
    key = (font, size, text)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > _WIDTH_CACHE_LIMIT:
            _widths.clear()
        if font.endswith(SUP):
            w = stringWidth(text, font[: -len(SUP)], size * SUP_SCALE)
        else:
            w = stringWidth(text, font, size)
        _widths[key] = w
    return w


@functools.cache
def _dictionary(lang: str):
    import pyphen

    try:
        return pyphen.Pyphen(lang=lang, left=2, right=3)
    except KeyError:  # no dictionary for that language: no hyphenation
        return None


@functools.lru_cache(maxsize=100_000)
def hyphen_points(word: str, lang: str) -> tuple[int, ...]:
    """Where `word` may be hyphenated (character offsets), by the language's dictionary."""
    match = _WORD.match(word)
    dictionary = _dictionary(lang) if lang else None
    if match is None or dictionary is None or len(match.group(2)) < MIN_HYPHENATED:
        return ()
    lead = len(match.group(1))
    return tuple(lead + p for p in dictionary.positions(match.group(2)))


def hyphenate(word: str, font: str, size: float, room: float, lang: str) -> tuple[str, str] | None:
    """(printed head, tail) of the longest break of `word` whose head fits `room`, or None.

    A hyphen in the word is a break point that prints nothing more; a dictionary point
    prints a hyphen.
    """
    points = [(p, word[:p] + "-") for p in hyphen_points(word, lang)]
    points += [(k + 1, word[: k + 1]) for k, ch in enumerate(word[:-2]) if ch == "-" and k >= 2]
    for cut, head in sorted(points, reverse=True):
        if width_of(head, font, size) <= room:
            return head, word[cut:]
    return None


def _face(run: Run, style) -> str:
    if run.mono:
        return st.MONO
    bold = run.bold or style.fontName in _BOLD_FACES
    italic = run.italic or style.fontName in _ITALIC_FACES
    return _FACES[(bold, italic)]


# An item is a word piece (text, font, strike), a space (" " or "" for a break between CJK
# characters, font, None) or a break (BREAK, "", None). Footnote marks are pieces whose face
# ends in SUP; `marks` maps their item index to the note's number.
def _items(runs: list[Run], style) -> tuple[list[tuple[str, str, bool | None]], dict[int, int]]:
    items: list[tuple[str, str, bool | None]] = []
    marks: dict[int, int] = {}
    for run in runs:
        if run.text == BREAK:
            items.append((BREAK, "", None))
            continue
        font = _face(run, style)
        if run.note:
            marks[len(items)] = run.note
            items.append((run.text, font + SUP, run.strike))
            continue
        # With a capturing pattern, split() alternates word (even) and white space (odd).
        for k, part in enumerate(_SPLIT.split(run.text)):
            if k % 2:
                if items and items[-1][2] is None and items[-1][0] != BREAK:
                    if items[-1][0] == "":
                        items[-1] = (" ", font, None)
                    continue  # collapse runs of white space across run boundaries
                items.append((" ", font, None))
            elif part:
                _add_word(items, part, font, run.strike)
    while items and items[0][2] is None and items[0][0] != BREAK:
        items.pop(0)
    return items, marks


def _add_word(items: list, word: str, font: str, strike: bool) -> None:
    """A word's pieces, each in a face that has its characters; breaks between CJK ones."""
    if max(word) < fonts.SAFE_BELOW:
        items.append((word, font, strike))  # Latin: most words, no per-character look
        return
    for piece, face in fonts.split_faces(word, font):
        if not any(fonts.breaks_anywhere(ch) for ch in piece):
            items.append((piece, face, strike))
            continue
        chunk = ""
        for n, ch in enumerate(piece):
            chunk += ch
            following = piece[n + 1] if n + 1 < len(piece) else ""
            if following and fonts.breaks_anywhere(ch) and following not in _NO_BREAK_BEFORE:
                items.append((chunk, face, strike))
                items.append(("", face, None))
                chunk = ""
        if chunk:
            items.append((chunk, face, strike))


Segment = tuple[float, str, str, bool, float]  # x, text, font, strike, width


class TextBlock(Flowable):
    """A paragraph; `lines` hold (x, text, font, strike, width) segments.

    notes: footnote number -> the note's own TextBlock, for the notes this block cites first;
    footnotes: the document's FootNotes (both or neither).
    """

    def __init__(
        self,
        runs,
        style,
        bullet: str | None = None,
        *,
        notes=None,
        footnotes=None,
        _items_=None,
        _marks_=None,
        _first=True,
    ):
        super().__init__()
        self.style = style
        self.bullet = bullet
        if _items_ is not None:
            self.items, self.marks = _items_, dict(_marks_ or {})
        else:
            self.items, self.marks = _items(list(runs), style)
        self.first = _first
        self.notes = dict(notes or {})
        self.footnotes = footnotes if self.notes else None
        self.ends_paragraph = True
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._laid_width: float | None = None
        self.lines: list[list[Segment]] = []
        self.starts: list[int] = []
        self.offsets: dict[int, int] = {}  # line -> characters of its first item already set
        self.hard_ends: set[int] = set()  # lines ended by a hard break
        self.text_height = 0.0
        self.reserve = 0.0
        self.notes_at_foot = True

    # -- layout ----------------------------------------------------------------------------
    def _layout(self, width: float) -> None:
        if self._laid_width == width:
            return
        style = self.style
        size = style.fontSize
        left = style.leftIndent
        lang = getattr(style, "hyphenationLang", "") or ""
        avail_rest = max(1.0, width - left - style.rightIndent)
        first_indent = style.firstLineIndent if self.first else 0
        avail = avail_rest - first_indent
        lines: list[list[Segment]] = []
        starts: list[int] = []
        offsets: dict[int, int] = {}
        hard: set[int] = set()
        line: list[Segment] = []
        x = 0.0
        pending: tuple[str, float, str] | None = None  # (font, width, text) of a space
        items = self.items
        n = len(items)
        i = 0
        line_start = (0, 0)
        tail: tuple[int, str, int] | None = None  # (item, its rest after a break, offset)

        def new_line(start: int, offset: int = 0, hard_end: bool = False) -> None:
            nonlocal line, x, pending, avail, line_start
            if line_start[1]:
                offsets[len(lines)] = line_start[1]
            if hard_end:
                hard.add(len(lines))
            lines.append(line)
            starts.append(line_start[0])
            line, x, pending, avail, line_start = [], 0.0, None, avail_rest, (start, offset)

        def text_of(k: int) -> str:
            return tail[1] if tail is not None and tail[0] == k else items[k][0]

        while i < n:
            _, font, strike = items[i]
            text = text_of(i)
            if text == BREAK and strike is None:
                new_line(i + 1, hard_end=True)
                i += 1
                continue
            if strike is None:
                pending = (font, width_of(text, font, size), text) if line else None
                i += 1
                continue
            # A word may be made of several pieces (e.g. half of it bold, or a footnote mark).
            j = i
            widths = []
            while j < n and items[j][2] is not None:
                piece_text = items[j][0] if tail is None or tail[0] != j else tail[1]
                widths.append(width_of(piece_text, items[j][1], size))
                j += 1
            word_w = sum(widths)
            space_w = pending[1] if pending else 0.0
            offset = tail[2] if tail is not None and tail[0] == i else 0
            if line and x + space_w + word_w > avail:
                cut = None
                room = avail - x - space_w
                if j == i + 1 and not font.endswith(SUP):
                    if _urlish(text):
                        # An address fills the line up to a separator rather than leaving
                        # a gap (justified text would stretch the words before it).
                        cut = _url_cut(text, font, size, room)
                    elif lang:
                        cut = hyphenate(text, font, size, room, lang)
                if cut is not None:
                    head, rest = cut
                    if pending:
                        _append(line, x, pending[2], pending[0], False, space_w)
                        x += space_w
                    _append(line, x, head, font, bool(strike), width_of(head, font, size))
                    consumed = offset + len(text) - len(rest)
                    tail = (i, rest, consumed)
                    new_line(i, consumed)
                    continue
                new_line(i, offset)
                space_w = 0.0
            if not line and word_w > avail:
                # Longer than a whole line: break it at good points, or between characters.
                if j == i + 1 and not font.endswith(SUP):
                    chunks = _break_word(text, font, size, avail, avail_rest, lang)
                    used = offset
                    for chunk, consumed in chunks[:-1]:
                        _append(line, 0.0, chunk, font, bool(strike), width_of(chunk, font, size))
                        used += consumed
                        new_line(i, used)
                    last = chunks[-1][0]
                    x = width_of(last, font, size)
                    _append(line, 0.0, last, font, bool(strike), x)
                    tail = None
                    i = j
                    continue
                full, line, x = _break_long(
                    [(text_of(k), items[k][1], items[k][2]) for k in range(i, j)], size, avail
                )
                for broken in full:
                    lines.append(_merge(broken))
                    starts.append(i)
                line = _merge(line)
                line_start, pending, avail = (i, 0), None, avail_rest
                tail = None
                i = j
                continue
            if line and pending:
                _append(line, x, pending[2], pending[0], False, space_w)
                x += space_w
            for k in range(i, j):
                piece, pfont, pstrike = items[k]
                if tail is not None and tail[0] == k:
                    piece = tail[1]
                assert pstrike is not None  # the word ends before the first space (strike None)
                pw = widths[k - i]
                _append(line, x, piece, pfont, pstrike, pw)
                x += pw
            pending = None
            tail = None
            i = j
        if line or not lines:
            new_line(n)
        self.lines, self.starts, self.offsets, self.hard_ends = lines, starts, offsets, hard
        self._laid_width = width

    def measure(self) -> tuple[float, float]:
        """(widest line set without wrapping, widest word): what a table column is sized by."""
        size = self.style.fontSize
        pad = self.style.leftIndent + self.style.rightIndent
        widest = line = word = longest = 0.0
        for text, font, strike in self.items:
            if text == BREAK and strike is None:
                widest, line = max(widest, line), 0.0
            elif strike is None:
                longest, word = max(longest, word), 0.0
                line += width_of(text, font, size)
            else:
                w = width_of(text, font, size)
                line += w
                word += w
        return max(widest, line) + pad, max(longest, word) + pad

    def _notes_in(self, first: int, last: int) -> list[int]:
        """Numbers of the notes this block carries that lines first..last-1 cite."""
        if not self.notes or not self.marks or first >= last:
            return []
        lo = self.starts[first]
        hi = self.starts[last] if last < len(self.starts) else len(self.items) + 1
        return [
            num for idx, num in sorted(self.marks.items()) if lo <= idx < hi and num in self.notes
        ]

    def _reserve(self, numbers: list[int]) -> tuple[float, bool]:
        if not numbers or self.footnotes is None:
            return 0.0, True
        return self.footnotes.reserve([self.notes[n] for n in numbers])

    def wrap(self, aw, ah):
        self._layout(aw)
        self.width = aw
        self.text_height = len(self.lines) * self.style.leading
        self.reserve, self.notes_at_foot = self._reserve(self._notes_in(0, len(self.lines)))
        self.height = self.text_height + self.reserve
        return aw, self.height

    def split(self, aw, ah):
        # The frame offers its full width here, ignoring Indenters; the width of the preceding
        # wrap is the one that counts (reportlab's Paragraph does the same).
        if self._laid_width is not None:
            aw = self._laid_width
        self._layout(aw)
        leading = self.style.leading
        total = len(self.lines)
        fit = min(total, int(ah // leading))
        while fit > 0 and fit * leading + self._reserve(self._notes_in(0, fit))[0] > ah:
            fit -= 1  # float noise, or the notes its lines cite, must never overflow the frame
        if fit >= total:
            return [self]
        if fit < 2:
            return []  # nothing fits, or only an orphaned first line at the foot of a page
        first_notes = set(self._notes_in(0, fit))
        first = TextBlock(
            None,
            self.style,
            self.bullet,
            notes={k: v for k, v in self.notes.items() if k in first_notes},
            footnotes=self.footnotes,
            _items_=self.items,
            _marks_=self.marks,
            _first=self.first,
        )
        first._set_lines(self.lines[:fit], self.starts[:fit], aw, self.offsets, self.hard_ends)
        first.ends_paragraph = False
        first.spaceAfterOverride = 0
        rest_start = self.starts[fit]
        skip = self.offsets.get(fit, 0)
        rest_items = list(self.items[rest_start:])
        if skip and rest_items:
            text, font, strike = rest_items[0]
            rest_items[0] = (text[skip:], font, strike)
        rest = TextBlock(
            None,
            self.style,
            None,
            notes={k: v for k, v in self.notes.items() if k not in first_notes},
            footnotes=self.footnotes,
            _items_=rest_items,
            _marks_={k - rest_start: v for k, v in self.marks.items() if k >= rest_start},
            _first=False,
        )
        rest._set_lines(
            self.lines[fit:],
            [s - rest_start for s in self.starts[fit:]],
            aw,
            {
                k - fit: (v - skip if self.starts[k] == rest_start else v)
                for k, v in self.offsets.items()
                if k >= fit
            },
            {k - fit for k in self.hard_ends if k >= fit},
        )
        rest.ends_paragraph = self.ends_paragraph
        rest.spaceBeforeOverride = 0
        return [first, rest]

    def _set_lines(self, lines, starts, width, offsets=None, hard_ends=None) -> None:
        self.lines, self.starts, self._laid_width = lines, starts, width
        self.offsets = {k: v for k, v in (offsets or {}).items() if k < len(lines) and v}
        self.hard_ends = {k for k in (hard_ends or ()) if k < len(lines)}

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
    def _justified(self, n: int) -> bool:
        if self.style.alignment != TA_JUSTIFY or n in self.hard_ends:
            return False
        return n < len(self.lines) - 1 or not self.ends_paragraph

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
        spacing = 0.0
        for n, line in enumerate(self.lines):
            x0 = left + (style.firstLineIndent if self.first and n == 0 else 0)
            if align is not None and line:
                slack = avail - (line[-1][0] + line[-1][4])
                x0 += slack if align == TA_RIGHT else slack / 2
            extra = 0.0
            if line and self._justified(n):
                gaps = sum(_spaces(seg[1]) for seg in line)
                slack = avail - (x0 - left) - (line[-1][0] + line[-1][4])
                if gaps and slack > 0:
                    extra = slack / gaps
            if extra != spacing:
                # PDF word spacing (Tw) widens every space (code 32 in every reportlab subset),
                # so a justified line is still drawn a segment at a time, not word by word.
                text.setWordSpace(extra)
                spacing = extra
            shift = 0.0
            for x, segment, font, strike, w in line:
                if font != current:
                    if font.endswith(SUP):
                        text.setFont(font[: -len(SUP)], size * SUP_SCALE, leading)
                        text.setRise(size * SUP_RISE)
                    else:
                        text.setFont(font, size, leading)
                        text.setRise(0)
                    current = font
                start = x0 + x + shift
                text.setTextOrigin(start, y)
                text.textOut(segment)
                grown = extra * _spaces(segment) if extra else 0.0
                if strike:
                    strikes.append((start, start + w + grown, y + size * 0.3))
                shift += grown
            y -= leading
        canv.drawText(text)
        if strikes:
            canv.setStrokeColor(style.textColor)
            canv.setLineWidth(max(0.5, size / 16))
            for x1, x2, ys in strikes:
                canv.line(x1, ys, x2, ys)
        canv.restoreState()
        self._place_notes()

    def _place_notes(self) -> None:
        if not self.reserve or self.footnotes is None:
            return
        notes = [self.notes[n] for n in self._notes_in(0, len(self.lines))]
        if self.notes_at_foot:
            self.footnotes.place(notes, self.reserve)
            return
        # Too long for a page foot: set under the paragraph, as part of it.
        self.footnotes.draw_notes(self.canv, notes, 0, self.reserve)


def _urlish(word: str) -> bool:
    return "://" in word or word.startswith("www.") or word.count("/") >= 2


MIN_URL_HEAD = 8  # characters of an address worth leaving at the end of a line


def _url_cut(word: str, font: str, size: float, room: float) -> tuple[str, str] | None:
    """(head, tail) of an address broken after a separator, the head fitting `room`."""
    best = None
    for k, ch in enumerate(word[:-1]):
        if ch in _URL_BREAKS and k + 1 >= MIN_URL_HEAD:
            if width_of(word[: k + 1], font, size) > room:
                break
            best = (word[: k + 1], word[k + 1 :])
    return best


def _spaces(text: str) -> int:
    """Spaces PDF word spacing widens: reportlab sets a no-break space as code 32 too."""
    return text.count(" ") + text.count("\u00a0")


def _best_cut(word: str, font: str, size: float, room: float, lang: str) -> tuple[str, int]:
    """(printed head, characters consumed) for the longest good head of `word` within room."""
    best: tuple[str, int] | None = None
    if _urlish(word):
        for k, ch in enumerate(word[:-1]):
            if ch in _URL_BREAKS and k and width_of(word[: k + 1], font, size) <= room:
                best = (word[: k + 1], k + 1)
    if best is None:
        cut = hyphenate(word, font, size, room, lang) if lang else None
        if cut is not None:
            head, rest = cut
            best = (head, len(word) - len(rest))
    if best is None:
        count = 0
        for k in range(1, len(word)):
            if width_of(word[:k], font, size) > room:
                break
            count = k
        count = max(1, count)
        best = (word[:count], count)
    return best


def _break_word(word, font, size, first_room, room, lang) -> list[tuple[str, int]]:
    """A word longer than a line cut into (printed chunk, characters consumed) lines."""
    chunks: list[tuple[str, int]] = []
    rest, avail = word, first_room
    while len(rest) > 1 and width_of(rest, font, size) > avail:
        head, consumed = _best_cut(rest, font, size, avail, lang)
        chunks.append((head, consumed))
        rest, avail = rest[consumed:], room
    chunks.append((rest, len(rest)))
    return chunks


def _break_long(pieces, size, avail):
    """Lines of one over-long word broken between characters: (full lines, last line, its end)."""
    full: list[list] = []
    line: list[Segment] = []
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
    merged: list[Segment] = []
    for seg in line:
        if merged:
            x, text, font, strike, w = merged[-1]
            if font == seg[2] and bool(strike) == bool(seg[3]):
                merged[-1] = (x, text + seg[1], font, strike, w + seg[4])
                continue
        merged.append(seg)
    return merged
