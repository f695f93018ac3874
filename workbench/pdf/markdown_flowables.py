"""Markdown section text to flowables: text goes in as plain runs, never as reportlab markup."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    FrameBG,
    HRFlowable,
    Indenter,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)

from workbench.markdown_model import (
    CELL_BREAK,
    MAX_NESTING,
    figure_ref,
    list_label,
    parser,
    section_ref,
    section_sign,
    uncited_footnotes,
)
from workbench.pdf import styles as st
from workbench.pdf.figures import FigureNumbers, figure_flowables
from workbench.pdf.footnotes import NoteAnchor
from workbench.pdf.textblock import BREAK, Run, TextBlock

FRAME_HEIGHT = st.PAGE_SIZE[1] - st.MARGIN_TOP - st.MARGIN_BOTTOM

# The one Markdown configuration (workbench.markdown_model): html off, so raw HTML in the
# source stays text; links are never turned into annotations.
_MD = parser()
_SOFT_HYPHEN = "\u00ad"  # Word's optional hyphen: a break hint, never a printed character

# Characters reportlab's parser or the PDF text layer cannot carry: C0 controls (bar tab and
# newline), DEL, and lone surrogates that a JSON snapshot may still hold.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BULLETS = ("•", "◦", "▪")
_LEAVES = {"paragraph_open", "heading_open", "fence", "code_block", "hr", "table_open"}


def esc(text: object) -> str:
    """User text made safe for reportlab paragraph markup: it can only ever appear literally."""
    return escape(_UNSAFE.sub("", "" if text is None else str(text)))


def para(text: object, style: ParagraphStyle, **kwargs) -> Paragraph:
    """A paragraph of plain user text (escaped here)."""
    return Paragraph(esc(text), style, **kwargs)


def inline_runs(children, numbers=None, notes=None, figure_numbers=None) -> list[Run]:
    """Text runs for one inline token run: plain text with flags, never markup.

    numbers maps section id -> number (cross-references print it); notes maps a footnote
    label to its number in the document; figure_numbers numbers a figure named in a place
    that cannot hold a picture (a table cell, a heading, a note), which prints as text.
    """
    runs: list[Run] = []
    bold = italic = strike = 0
    links: list[tuple[str, int]] = []
    skipping = False

    def add(text: str, *, mono: bool = False) -> None:
        text = _UNSAFE.sub("", text).replace(_SOFT_HYPHEN, "")
        if text:
            runs.append(Run(text, bold > 0, italic > 0, mono, strike > 0))

    for tok in children or ():
        kind = tok.type
        if skipping:
            skipping = kind != "link_close"
            continue
        if kind == "link_open" and section_ref(tok.attrs.get("href", "")) is not None:
            add(section_sign((numbers or {}).get(section_ref(tok.attrs.get("href", "")))))
            skipping = True
        elif kind == "footnote_ref":
            label = str(tok.meta.get("label", ""))
            number = (notes or {}).get(label)
            if isinstance(number, int):
                # A superscript mark; marks side by side are kept apart by a comma.
                mark = f",{number}" if runs and runs[-1].note else str(number)
                runs.append(Run(mark, bold > 0, italic > 0, False, strike > 0, note=number))
            else:
                add(f"[{label}]")
        elif kind == "text":
            add(tok.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            runs.append(Run(BREAK))
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("s_open", "s_close"):
            strike += 1 if kind == "s_open" else -1
        elif kind == "code_inline":
            add(tok.content, mono=True)
        elif kind == "link_open":
            links.append((str(tok.attrs.get("href", "")), len(runs)))
        elif kind == "link_close":
            href, start = links.pop() if links else ("", len(runs))
            text = "".join(r.text for r in runs[start:])
            # A link is printed as its text and target, never as a clickable annotation.
            if href and text != href and text != href.removeprefix("mailto:"):
                add(f" ({href})")
        elif kind == "image":
            alt = tok.content or "".join(c.content for c in tok.children or ())
            src = str(tok.attrs.get("src", ""))
            fid = figure_ref(src)
            if fid is not None:
                number = f" {figure_numbers.number(fid)}" if figure_numbers is not None else ""
                add(f"[Figure{number}: {alt}]")
            else:
                add(f"[image: {alt}] ({src})" if alt else f"[image] ({src})")
        else:  # html_inline and anything newer: show the source text
            add(tok.content)
    return runs


class _Walker:
    def __init__(
        self,
        width: float,
        numbers=None,
        notes=None,
        figures=None,
        figure_numbers=None,
        footnotes=None,
    ):
        self.width = width
        self.numbers = numbers
        self.footnotes = footnotes  # FootNotes: notes go to the page foot (else after the text)
        self.definitions: dict[str, list] = {}  # label -> inline children, paragraph by paragraph
        self.cell_notes: list[int] = []
        self.figures = figures or {}
        self.figure_numbers = figure_numbers if figure_numbers is not None else FigureNumbers()
        self.notes: dict[str, Any] = notes if notes is not None else {"count": 0}
        self.labels: dict[str, int] = {}
        self.note_label: str | None = None
        self.out: list[Flowable] = []
        self.indent = 0.0
        self.quote = 0
        self.lists: list[dict] = []
        self.bullet: str | None = None
        self.heading: int | None = None
        self.table: dict | None = None

    def style(self, name: str = "body") -> ParagraphStyle:
        return st.variant(name, self.indent, self.quote > 0)

    def emit_paragraph(self, runs: list[Run]) -> None:
        notes = self.carried(runs)
        if self.heading is not None:
            style = self.style(f"md_h{min(self.heading, 3)}")
            self.out.append(TextBlock(runs, style, notes=notes, footnotes=self.footnotes))
            return
        bullet, self.bullet = self.bullet, None
        style = self.style("list" if self.lists else "body")
        self.out.append(TextBlock(runs, style, bullet, notes=notes, footnotes=self.footnotes))

    # -- footnotes -------------------------------------------------------------------------
    def collect_definitions(self, tokens) -> None:
        label = None
        for tok in tokens:
            if tok.type == "footnote_open":
                label = str(tok.meta.get("label", ""))
                self.definitions.setdefault(label, [])
            elif tok.type == "footnote_close":
                label = None
            elif tok.type == "inline" and label is not None:
                self.definitions[label].append(tok.children)

    def carried(self, runs: list[Run]) -> dict:
        """The notes first cited in these runs, as blocks for the page foot (none without it)."""
        if self.footnotes is None:
            return {}
        placed: set[int] = self.notes.setdefault("placed", set())
        out = {}
        for run in runs:
            if run.note and run.note not in placed:
                placed.add(run.note)
                out[run.note] = self.note_block(run.note)
        return out

    def note_block(self, number: int) -> TextBlock:
        label = next((k for k, v in self.labels.items() if v == number), "")
        runs = [Run(str(number), note=number), Run(" ")]
        for k, children in enumerate(self.definitions.get(label, ())):
            if k:
                runs.append(Run(BREAK))
            runs += self.inline(children)
        return TextBlock(runs, st.variant("footnote"))

    def walk(self, tokens) -> list[Flowable]:
        in_notes = False
        for tok in tokens:
            if self.footnotes is not None:
                # The notes' own text is set at the page foot, not after the section.
                if tok.type == "footnote_block_open":
                    in_notes = True
                elif tok.type == "footnote_block_close":
                    in_notes = False
                    continue
                if in_notes:
                    continue
            handler = getattr(self, "on_" + tok.type, None)
            if handler is not None:
                handler(tok)
        return self.out

    # -- blocks ----------------------------------------------------------------------------
    def runs(self, tok) -> list[Run]:
        return self.inline(tok.children)

    def inline(self, children) -> list[Run]:
        return inline_runs(children, self.numbers, self.labels, self.figure_numbers)

    def on_inline(self, tok) -> None:
        if self.table is not None:
            runs = _cell_breaks(self.runs(tok))
            self.cell_notes += [r.note for r in runs if r.note]
            self.table["cell"].extend(runs)
            return
        if self.note_label is None and self.heading is None and _places_figure(tok.children):
            self._inline_with_figures(tok.children)
            return
        runs = self.runs(tok)
        if self.note_label is not None:
            # A footnote's text, numbered through the document, set after its section.
            number = self.labels.get(self.note_label, self.note_label)
            runs = [Run(f"[{number}] "), *runs]
            self.note_label = None
        self.emit_paragraph(runs)

    def _inline_with_figures(self, children) -> None:
        """A paragraph placing figures: its text before, each figure, its text after."""
        segment: list = []
        for child in children:
            if child.type == "image" and figure_ref(child.attrs.get("src", "")) is not None:
                runs = self.inline(segment)
                if any(r.text.strip() for r in runs):
                    self.emit_paragraph(runs)
                segment = []
                self._figure(child)
            else:
                segment.append(child)
        runs = self.inline(segment)
        if any(r.text.strip() for r in runs):
            self.emit_paragraph(runs)

    def _figure(self, tok) -> None:
        fid = figure_ref(tok.attrs.get("src", ""))
        assert fid is not None
        image = self.figures.get(fid)
        alt = tok.content or "".join(c.content for c in tok.children or ())
        caption = str(tok.attrs.get("title", "") or "")
        if image is not None:
            alt, caption = alt or image.alt, caption or image.caption
        number = self.figure_numbers.number(fid)
        width = self.width - self.indent
        flow = figure_flowables(
            image, number, _UNSAFE.sub("", alt), _UNSAFE.sub("", caption), width, FRAME_HEIGHT
        )
        if self.indent:
            flow = [Indenter(left=self.indent), *flow, Indenter(left=-self.indent)]
        self.out.extend(flow)

    def on_footnote_block_open(self, tok) -> None:
        self.out.append(
            HRFlowable(
                width="30%",
                thickness=0.5,
                color=st.RULE,
                spaceBefore=2,
                spaceAfter=4,
                hAlign="LEFT",
            )
        )

    def on_footnote_open(self, tok) -> None:
        self.note_label = str(tok.meta.get("label", ""))

    def on_heading_open(self, tok) -> None:
        self.heading = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 3

    def on_heading_close(self, tok) -> None:
        self.heading = None

    def _list_open(self, ordered: bool, start: int = 1, style: str = "1") -> None:
        self.lists.append({"ordered": ordered, "n": start, "type": style})
        self.indent += st.LIST_INDENT

    def on_bullet_list_open(self, tok) -> None:
        self._list_open(False)

    def on_ordered_list_open(self, tok) -> None:
        start = tok.attrs.get("start", 1)
        style = str(tok.attrs.get("type", "1"))
        self._list_open(True, int(start) if str(start).isdigit() else 1, style)

    def _list_close(self, tok) -> None:
        self.lists.pop()
        self.indent -= st.LIST_INDENT
        if not self.lists:
            self.out.append(Spacer(1, 4))

    on_bullet_list_close = _list_close
    on_ordered_list_close = _list_close

    def on_list_item_open(self, tok) -> None:
        current = self.lists[-1]
        if current["ordered"]:
            self.bullet = f"{list_label(current['n'], current['type'])}."
            current["n"] += 1
        else:
            depth = sum(1 for x in self.lists if not x["ordered"]) - 1
            self.bullet = _BULLETS[depth % len(_BULLETS)]

    def on_list_item_close(self, tok) -> None:
        if self.bullet is not None:  # an empty item still shows its bullet
            self.emit_paragraph([])

    def on_blockquote_open(self, tok) -> None:
        self.out.append(
            FrameBG(color=st.QUOTE_BG, left=self.indent + 2, start=True, strokeWidth=None)
        )
        self.quote += 1
        self.indent += st.QUOTE_INDENT
        self.out.append(Indenter(right=st.QUOTE_INDENT))

    def on_blockquote_close(self, tok) -> None:
        self.out.append(Indenter(right=-st.QUOTE_INDENT))
        self.quote -= 1
        self.indent -= st.QUOTE_INDENT
        self.out.append(FrameBG(start=False))

    def _code(self, text: str) -> None:
        style = self.style("code")
        avail = self.width - style.leftIndent
        columns = max(20, int(avail / (style.fontSize * 0.602)))
        text = _UNSAFE.sub("", text.rstrip("\n")).expandtabs(4)
        # Preformatted takes text, not markup, so no escaping is needed (or wanted) here.
        self.out.append(Preformatted(text, style, maxLineLength=columns, newLineChars="↳ "))

    def on_fence(self, tok) -> None:
        self._code(tok.content)

    def on_code_block(self, tok) -> None:
        self._code(tok.content)

    def on_html_block(self, tok) -> None:  # unreachable with html off; kept literal if not
        self.emit_paragraph([Run(_UNSAFE.sub("", tok.content))])

    def on_hr(self, tok) -> None:
        self.out.append(
            HRFlowable(width="100%", thickness=0.6, color=st.RULE, spaceBefore=4, spaceAfter=8)
        )

    # -- tables ----------------------------------------------------------------------------
    def on_table_open(self, tok) -> None:
        self.table = {"rows": [], "aligns": [], "head_rows": 0, "cell": []}

    def _open_table(self) -> dict:
        """The table being read: every token between table_open and table_close is in one."""
        assert self.table is not None
        return self.table

    def on_thead_close(self, tok) -> None:
        table = self._open_table()
        table["head_rows"] = len(table["rows"])

    def on_tr_open(self, tok) -> None:
        table = self._open_table()
        table["rows"].append([])
        table["aligns"].append([])

    def _cell_open(self, tok) -> None:
        table = self._open_table()
        table["cell"] = []
        style = str(tok.attrs.get("style", ""))
        table["aligns"][-1].append(style.removeprefix("text-align:"))

    on_th_open = _cell_open
    on_td_open = _cell_open

    def _cell_close(self, tok) -> None:
        table = self._open_table()
        table["rows"][-1].append(table["cell"])

    on_th_close = _cell_close
    on_td_close = _cell_close

    def on_table_close(self, tok) -> None:
        table, self.table = self._open_table(), None
        self.out.extend(markdown_table(table, self.width - self.indent, self.indent))
        notes = self.carried([Run("", note=n) for n in self.cell_notes])
        self.cell_notes = []
        if notes:
            self.out.append(NoteAnchor(notes.values(), self.footnotes))


def markdown_table(table: dict, width: float, indent: float) -> list[Flowable]:
    rows = table["rows"]
    if not rows:
        return []
    ncols = max(len(r) for r in rows)
    head = table["head_rows"]
    cells = []
    for r, (row, aligns) in enumerate(zip(rows, table["aligns"], strict=True)):
        out = []
        for c in range(ncols):
            runs = row[c] if c < len(row) else []
            align = aligns[c] if c < len(aligns) else ""
            style = st.paragraph_styles()["md_cell_head" if r < head else "md_cell"]
            if align in ("right", "center"):
                style = ParagraphStyle(
                    f"{style.name}-{align}",
                    parent=style,
                    alignment=TA_RIGHT if align == "right" else TA_CENTER,
                )
            out.append(TextBlock(runs, style))
        cells.append(out)
    t = Table(
        cells,
        colWidths=column_widths(cells, width),
        repeatRows=head,
        splitByRow=1,
        splitInRow=1,
        hAlign="LEFT",
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, st.TABLE_GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands.append(("BACKGROUND", (0, 0), (-1, head - 1), st.TABLE_HEAD_BG))
    t.setStyle(TableStyle(commands))
    t.spaceBefore = 2
    t.spaceAfter = 8
    if indent:
        return [Indenter(left=indent), t, Indenter(left=-indent)]
    return [t]


CELL_PADDING = 12  # reportlab's default 6 points left and right of a cell's text
MIN_COLUMN = 28  # points: a column narrower than this cannot hold a hyphenated syllable
WORD_CAP = 110  # a longer word is hyphenated or broken rather than widening its column


def column_widths(cells: list[list[TextBlock]], width: float) -> list[float]:
    """Columns sized to their content, filling the width (HTML's automatic table layout).

    Each column wants its widest unwrapped line and needs at least its longest word (capped,
    since a long word can be hyphenated). If everything fits unwrapped the spare width is
    shared in proportion; otherwise each column gets its minimum plus a share of the rest in
    proportion to how much wrapping it saves.
    """
    ncols = max(len(r) for r in cells)
    want: list[float] = [float(MIN_COLUMN)] * ncols
    need: list[float] = [float(MIN_COLUMN)] * ncols
    for row in cells:
        for c, block in enumerate(row):
            natural, word = block.measure()
            want[c] = max(want[c], natural + CELL_PADDING)
            need[c] = max(need[c], min(word, WORD_CAP) + CELL_PADDING)
    want = [max(w, n) for w, n in zip(want, need, strict=True)]
    if sum(want) <= width:
        return [w * width / sum(want) for w in want]
    if sum(need) >= width:
        return [n * width / sum(need) for n in need]
    spare = width - sum(need)
    slack = [w - n for w, n in zip(want, need, strict=True)]
    total = sum(slack) or 1.0
    return [n + spare * s / total for n, s in zip(need, slack, strict=True)]


def _number_notes(tokens, walker: _Walker) -> None:
    # Footnotes are numbered through the whole document in the order they are first cited.
    for tok in tokens:
        for child in tok.children or ():
            if child.type == "footnote_ref":
                label = str(child.meta.get("label", ""))
                if label not in walker.labels:
                    walker.notes["count"] = walker.notes.get("count", 0) + 1
                    walker.labels[label] = walker.notes["count"]


def _uncited_notes(source: str, env: dict) -> list[Flowable]:
    """A note defined but never cited prints as typed, after the section's text."""
    return [
        TextBlock([Run(_UNSAFE.sub("", text))], st.variant("footnote"))
        for text in uncited_footnotes(source, env)
    ]


def _cell_breaks(runs: list[Run]) -> list[Run]:
    """A literal <br> inside a table cell is a line break there (the GFM convention)."""
    out: list[Run] = []
    for run in runs:
        if run.note or run.mono or "<" not in run.text:
            out.append(run)
            continue
        for k, part in enumerate(CELL_BREAK.split(run.text)):
            if k:
                out.append(Run(BREAK))
            if part:
                out.append(Run(part, run.bold, run.italic, run.mono, run.strike))
    return out


def _places_figure(children) -> bool:
    return any(
        c.type == "image" and figure_ref(c.attrs.get("src", "")) is not None for c in children or ()
    )


def markdown_flowables(
    source: str,
    width: float,
    numbers=None,
    notes=None,
    figures=None,
    figure_numbers=None,
    footnotes=None,
) -> list[Flowable]:
    """The flowables for one section body; width is the frame width available to it.

    numbers: section id -> current number, for cross-references; notes: the document's
    footnote counter ({"count": n}), shared by its sections; figures: figure id -> stored
    image (workbench.figures.FigureImage); figure_numbers: the document's FigureNumbers;
    footnotes: the document's FootNotes (notes at the page foot; without it, after the text).
    """
    if not source or not source.strip():
        return []
    env: dict = {}
    tokens = _MD.parse(source, env)
    walker = _Walker(width, numbers, notes, figures, figure_numbers, footnotes)
    _number_notes(tokens, walker)
    walker.collect_definitions(tokens)
    out = walker.walk(tokens)
    out += _uncited_notes(source, env)
    # Past its nesting limit markdown-it stops parsing and drops the rest of the text; what
    # it dropped is printed as typed, because losing words of an approved text is worse.
    if max((t.level for t in tokens), default=0) < MAX_NESTING - 2:
        return out
    parsed = max((t.map[1] for t in tokens if t.map and t.type in _LEAVES), default=0)
    rest = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")[parsed:]
    if "".join(rest).strip():
        runs: list[Run] = []
        for line in rest:
            runs += [Run(_UNSAFE.sub("", line)), Run(BREAK)]
        out.append(TextBlock(runs[:-1], st.variant("body")))
    return out
