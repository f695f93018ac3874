"""A section's Markdown body written as Word blocks: paragraphs, lists in their styles, tables,
quotes, real footnotes, figures with numbered captions and cross-reference fields.

It reads the one shared Markdown configuration (`workbench.markdown_model`), so what prints in
the PDF is what Word shows.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from workbench.markdown_model import (
    figure_ref,
    parser,
    section_ref,
    section_sign,
    uncited_footnotes,
)
from workbench.svg_png import svg_png
from workbench.word.ooxml import (
    Bookmarks,
    Footnotes,
    Numbering,
    add_field,
    add_hyperlink,
    add_internal_link,
    clean,
    header_row,
    lvl_xml,
    set_numbering,
)

MONO = "Courier New"
LINK_BLUE = RGBColor(0x05, 0x63, 0xC1)
# Word's number format for each list type of the shared Markdown ({type=a}).
WORD_FORMATS = {
    "1": "decimal",
    "a": "lowerLetter",
    "A": "upperLetter",
    "i": "lowerRoman",
    "I": "upperRoman",
}
MAX_FIGURE_WIDTH = Emu(6 * 914400)  # 6 in: the text width of a Letter page with 1.25 in margins
MAX_FIGURE_HEIGHT = Emu(int(4.5 * 914400))
EMU_PER_PX = 9525  # 914400 EMU per inch, 96 px per inch
RASTER = ("image/png", "image/jpeg")
SVG = "image/svg+xml"
# Office 2016's extension that carries an SVG beside a picture's PNG.
SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


@dataclass(frozen=True)
class Target:
    """Where a cross-reference goes: the section's bookmark and number, and whether Word's
    numbering prints that number (then a REF field shows it; else the number is typed)."""

    bookmark: str
    number: str
    word_numbered: bool


class Inline:
    """Writes one inline token run into a paragraph, keeping emphasis, code and link targets."""

    def __init__(self, paragraph: Paragraph, body: BodyWriter | None = None):
        self.p = paragraph
        self.body = body
        self.bold = self.italic = self.strike = 0
        self.link: BaseOxmlElement | None = None
        self.skip_link_text = False
        self.in_xref = False

    def text(self, text: str, *, mono: bool = False) -> None:
        text = clean(text)
        if not text:
            return
        run = fast_run(self.p, text)
        if self.bold > 0:
            run.bold = True
        if self.italic > 0:
            run.italic = True
        if self.strike:
            run.font.strike = True
        if mono:
            run.font.name = MONO
        if self.link is not None:
            if not self.in_xref:  # a cross-reference reads as text, as the PDF prints it
                run.font.underline = True
                run.font.color.rgb = LINK_BLUE
            self.link.append(run._r)

    def write(self, children) -> None:
        for tok in children or ():
            kind = tok.type
            if self.skip_link_text and kind != "link_close":
                continue
            if kind == "text":
                self.text(tok.content)
            elif kind == "softbreak":
                self.text(" ")
            elif kind == "hardbreak":
                run = self.p.add_run()
                run.add_break()
                if self.link is not None:
                    self.link.append(run._r)
            elif kind in ("em_open", "em_close"):
                self.italic += 1 if kind == "em_open" else -1
            elif kind in ("strong_open", "strong_close"):
                self.bold += 1 if kind == "strong_open" else -1
            elif kind in ("s_open", "s_close"):
                self.strike += 1 if kind == "s_open" else -1
            elif kind == "code_inline":
                self.text(tok.content, mono=True)
            elif kind == "link_open":
                href = clean(tok.attrs.get("href", ""))
                target = section_ref(href)
                if target is not None:
                    self._cross_reference(target)
                    self.skip_link_text = True
                else:
                    self.link = add_hyperlink(self.p, href) if href else None
            elif kind == "link_close":
                self.link = None
                self.skip_link_text = False
            elif kind == "footnote_ref":
                if self.body is not None:
                    self.body.cite(self.p, str(tok.meta.get("label", "")))
            elif kind == "image":
                self._inline_image(tok)
            else:  # html_inline and anything newer: the source text
                self.text(tok.content)

    def _cross_reference(self, section_id: int) -> None:
        """§ and the section's current number, linked to the section's bookmark: a REF field
        Word keeps current where Word's numbering prints the number, else the number typed."""
        target = self.body.targets.get(section_id) if self.body is not None else None
        if target is None:
            self.text(section_sign(None))
            return
        self.link = add_internal_link(self.p, target.bookmark)
        self.in_xref = True
        if target.word_numbered:
            self.text("§")
            add_field(self.p, f"REF {target.bookmark} \\r", target.number, into=self.link)
        else:
            self.text(section_sign(target.number))
        self.link = None
        self.in_xref = False

    def _inline_image(self, tok) -> None:
        """An image inside running text: named, never fetched (a figure gets its own block)."""
        alt = tok.content or "".join(c.content for c in tok.children or ())
        fid = figure_ref(str(tok.attrs.get("src", "")))
        number = self.body.figure_number(fid) if self.body is not None and fid else None
        label = f"Figure {number}" if number else "Figure"
        self.italic += 1
        self.text(f"[{label}: {alt}]" if alt else f"[{label}]")
        self.italic -= 1


class BodyWriter:
    """Appends the blocks of Markdown bodies to a python-docx document.

    One writer serves a whole document: footnotes and figures are numbered through it, in the
    order they are cited. targets: section id -> Target (cross-references); figures: figure id
    -> an object with media_type, data, width, height, alt and caption (the figure store's
    FigureImage).
    """

    def __init__(
        self, document, numbering: Numbering, *, targets=None, figures=None, bookmarks=None
    ):
        self.doc = document
        self.numbering = numbering
        self.notes = Footnotes(document)
        self.bookmarks: Bookmarks = bookmarks or Bookmarks()
        self._first_marks: dict[int, BaseOxmlElement] = {}  # note id -> its first mark's run
        self._note_bookmarks: dict[int, str] = {}  # note id -> bookmark on its first mark
        self.targets: dict[int, Target] = dict(targets or {})
        self.figures = dict(figures or {})
        self._abstracts: dict[str, int] = {}
        self._bullets = numbering.bullet_list()
        self._figure_numbers: dict[int, int] = {}
        self._svg_pngs: dict[int, bytes | None] = {}  # figure id -> its PNG drawing
        self._svg_parts: dict[str, str] = {}  # SHA-256 of an SVG -> its relationship id
        self._definitions: dict[str, list] = {}  # footnote label -> its paragraphs' inline tokens
        self._cited: dict[str, int] = {}  # footnote label -> Word footnote id (this section)
        # The last block element written (a bookmark ends after it).
        self.last: BaseOxmlElement | None = None
        self._style_ids: dict[str, str] = {}
        self._end = document.element.body.sectPr  # new blocks go just before it

    def write(self, markdown: str) -> None:
        text = clean(markdown)
        env: dict = {}
        tokens = parser().parse(text, env)
        self._definitions = _footnote_definitions(tokens)
        self._cited = {}
        self._first_marks = {}
        self._blocks(tokens, 0, len(tokens), lists=[], quote=0)
        for typed in uncited_footnotes(text, env):
            # A note no text cites cannot be a Word footnote; it prints as typed after the
            # section's text (as in the PDF and the previews), never dropped.
            p = self.paragraph()
            run = fast_run(p, typed)
            run.italic = True
            run.font.size = Pt(9)

    # -- numbering through the document ----------------------------------------------------
    def figure_number(self, figure_id: int) -> int:
        if figure_id not in self._figure_numbers:
            self._figure_numbers[figure_id] = len(self._figure_numbers) + 1
        return self._figure_numbers[figure_id]

    def cite(self, paragraph: Paragraph, label: str) -> None:
        """A footnote reference; the note's text is its definition in the same body."""
        if label in self._cited:
            self._cite_again(paragraph, self._cited[label])
            return
        nid, note = self.notes.add()
        self._cited[label] = nid
        for k, inline in enumerate(self._definitions.get(label) or [None]):
            target = note if k == 0 else self.notes.more(nid)
            if inline is not None:
                Inline(target, self).write(inline.children)
        self._first_marks[nid] = self.notes.reference(paragraph, nid)

    def _cite_again(self, paragraph: Paragraph, nid: int) -> None:
        """A note cited again: Word's cross-reference to it (a NOTEREF field to a bookmark on
        its first mark, shown as the same superscript number), not a second note."""
        name = self._note_bookmarks.get(nid)
        if name is None:
            name = self._note_bookmarks[nid] = f"_RefNote{nid}"
            mark = self._first_marks[nid]
            start, bookmark_id = self.bookmarks.start(name)
            mark.addprevious(start)
            mark.addnext(Bookmarks.end(bookmark_id))
        # Word numbers notes in the order they are cited, which is the order they are made.
        self.notes.cross_reference(paragraph, name, nid)

    def _ordered(self, style: str) -> int:
        """The abstract list whose every level counts in this style (1, a, A, i, I)."""
        if style not in self._abstracts:
            fmt = WORD_FORMATS.get(style, "decimal")
            levels = [lvl_xml(i, fmt, f"%{i + 1}.", 720 * (i + 1), 360) for i in range(9)]
            self._abstracts[style] = self.numbering.abstract(levels)
        return self._abstracts[style]

    # -- blocks ----------------------------------------------------------------------------
    def paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the body (python-docx's add_paragraph looks the style
        up by name and searches the body for its end each time: quadratic on long documents)."""
        p = OxmlElement("w:p")
        self._end.addprevious(p)
        if style:
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            p.get_or_add_pPr().style = self._style_ids[style]
        self.last = p
        return Paragraph(p, self.doc._body)

    _paragraph = paragraph

    def _blocks(self, tokens, i: int, end: int, *, lists: list, quote: int) -> None:
        while i < end:
            tok = tokens[i]
            kind = tok.type
            if kind == "footnote_block_open":  # definitions went into the notes
                i = _matching(tokens, i) + 1
                continue
            if kind == "paragraph_open":
                inline = tokens[i + 1]
                if not lists and self._figure(inline):
                    i += 3
                    continue
                self._para(inline, lists, quote)
                i += 3
                continue
            if kind == "heading_open":
                # A heading inside a body is emphasis in the body: it is not a new section.
                p = self._paragraph("Quote" if quote else None)
                writer = Inline(p, self)
                writer.bold += 1
                writer.write(tokens[i + 1].children)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                close = _matching(tokens, i)
                level = min(len(lists), 8)
                if kind == "ordered_list_open":
                    start = int(tok.attrs.get("start", 1) or 1)
                    style = str(tok.attrs.get("type", "1"))
                    num = self.numbering.instance(self._ordered(style), start, level=level)
                else:
                    num = self.numbering.instance(self._bullets)
                self._list(tokens, i + 1, close, lists + [num], quote)
                i = close + 1
                continue
            if kind == "blockquote_open":
                close = _matching(tokens, i)
                self._blocks(tokens, i + 1, close, lists=lists, quote=quote + 1)
                i = close + 1
                continue
            if kind in ("fence", "code_block"):
                for line in tok.content.rstrip("\n").split("\n"):
                    p = self._paragraph("No Spacing")
                    run = p.add_run(clean(line))
                    run.font.name = MONO
                    run.font.size = Pt(9)
                i += 1
                continue
            if kind == "hr":
                p = self._paragraph()
                p._p.get_or_add_pPr().append(
                    parse_xml(
                        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" '
                        'w:space="1" w:color="808080"/></w:pBdr>'
                    )
                )
                i += 1
                continue
            if kind == "table_open":
                close = _matching(tokens, i)
                self._table(tokens[i:close])
                i = close + 1
                continue
            i += 1

    def _para(self, inline, lists: list, quote: int, *, item: tuple | None = None) -> None:
        style = "Quote" if quote else ("List Paragraph" if lists else None)
        p = self._paragraph(style)
        if item is not None:
            set_numbering(p, *item)
        Inline(p, self).write(inline.children)

    def _figure(self, inline) -> bool:
        """A paragraph that is one stored figure: the picture, then its numbered caption."""
        children = [c for c in inline.children or () if c.type != "softbreak"]
        if len(children) != 1 or children[0].type != "image":
            return False
        tok = children[0]
        fid = figure_ref(str(tok.attrs.get("src", "")))
        if fid is None:
            return False
        number = self.figure_number(fid)
        image = self.figures.get(fid)
        alt = tok.content or "".join(c.content for c in tok.children or ())
        caption = str(tok.attrs.get("title", "") or "") or (image.caption if image else "")
        p = self._paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        picture = self._picture_bytes(image) if image is not None else None
        if image is not None and picture is not None:
            width, height = _fit(image.width, image.height)
            run = p.add_run()
            run.add_picture(io.BytesIO(picture), width=width, height=height)
            if image.media_type == SVG:
                self._attach_svg(run, image.data)
            shape = run._r.xpath(".//wp:docPr")
            if shape:
                shape[0].set("descr", clean(alt or image.alt))
                shape[0].set("title", clean(caption)[:255])
        else:
            # Not in the store, or an SVG that cannot be drawn: named, never dropped.
            missing = "not in this workspace" if image is None else "cannot be drawn"
            run = p.add_run(clean(f"[Figure {number}: {alt or 'figure'} — {missing}]"))
            run.italic = True
        cap = self._paragraph("Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.add_run("Figure ")
        add_field(cap, "SEQ Figure \\* ARABIC", str(number))
        cap.add_run(clean(f". {' '.join(caption.split())}" if caption.strip() else "."))
        return True

    def _picture_bytes(self, image) -> bytes | None:
        """What Word's picture shows: the PNG or JPEG itself, or an SVG drawn as a PNG (twice
        the size it is shown at, for print) to stand beside the SVG."""
        if image.media_type in RASTER:
            return image.data
        if image.media_type != SVG:
            return None
        if image.id not in self._svg_pngs:
            width, _ = _fit(image.width, image.height)
            self._svg_pngs[image.id] = svg_png(image.data, 2 * round(width / EMU_PER_PX))
        return self._svg_pngs[image.id]

    def _attach_svg(self, run: Run, data: bytes) -> None:
        """The SVG itself beside the picture's PNG (Office's svgBlip extension): Word shows
        the SVG, programs that do not know it show the PNG."""
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self._svg_parts:
            package = self.doc.part.package
            name = package.next_partname("/word/media/image%d.svg")
            part = Part(name, SVG, data, package)
            self._svg_parts[digest] = self.doc.part.relate_to(part, RT.IMAGE)
        for blip in run._r.xpath(".//a:blip"):
            blip.append(
                parse_xml(
                    f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP_EXT}">'
                    f'<asvg:svgBlip xmlns:asvg="{SVG_BLIP_NS}" '
                    f'r:embed="{self._svg_parts[digest]}"/></a:ext></a:extLst>'
                )
            )

    def _list(self, tokens, i: int, end: int, lists: list, quote: int) -> None:
        level = min(len(lists) - 1, 8)
        while i < end:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            close = _matching(tokens, i)
            first = True
            j = i + 1
            while j < close:
                tok = tokens[j]
                if tok.type == "paragraph_open" and first:
                    self._para(tokens[j + 1], lists, quote, item=(lists[-1], level))
                    first = False
                    j += 3
                    continue
                sub_close = _matching(tokens, j) if tok.nesting == 1 else j
                self._blocks(tokens, j, sub_close + 1, lists=lists, quote=quote)
                first = False
                j = sub_close + 1
            i = close + 1

    def _table(self, tokens) -> None:
        rows: list[list] = []
        aligns: list[str | None] = []
        header_rows = 0
        in_head = False
        for tok in tokens:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif tok.type in ("th_open", "td_open"):
                style = str(tok.attrs.get("style", "") or "")
                if len(rows) == 1:
                    aligns.append(style.removeprefix("text-align:") or None)
            elif tok.type == "inline" and rows:
                rows[-1].append(tok)
        if not rows:
            return
        cols = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=cols)
        table.style = self.doc.styles["Table Grid"]
        for r, (row, word_row) in enumerate(zip(rows, table.rows, strict=True)):
            cells = word_row.cells
            for c in range(cols):
                p = cells[c].paragraphs[0]
                if c < len(row):
                    _cell(p, row[c], self, bold=r < header_rows)
                align = aligns[c] if c < len(aligns) else None
                if align in ("center", "right"):
                    p.alignment = (
                        WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.RIGHT
                    )
        for r in range(header_rows):
            header_row(table.rows[r])
        # Word needs a paragraph between two adjacent tables, or it merges them.
        self.paragraph()


def fast_run(paragraph: Paragraph, text: str) -> Run:
    """paragraph.add_run(text) without python-docx's character-by-character text setter."""
    if "\t" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    t = r._add_t()
    t.text = text
    if text[:1].isspace() or text[-1:].isspace():
        t.set(qn("xml:space"), "preserve")
    return Run(r, paragraph)


def _cell(p: Paragraph, inline, body: BodyWriter, *, bold: bool) -> None:
    """A table cell's text; a literal <br> (the GFM convention) is a line break there."""
    writer = Inline(p, body)
    writer.bold += bold
    for tok in inline.children or ():
        if tok.type == "text" and "<" in tok.content:
            from workbench.markdown_model import CELL_BREAK

            for k, part in enumerate(CELL_BREAK.split(tok.content)):
                if k:
                    p.add_run().add_break()
                writer.text(part)
            continue
        writer.write([tok])


def _fit(width_px: int, height_px: int) -> tuple[Emu, Emu]:
    """The picture's size at 96 dpi, shrunk to fit the text width and a share of the page."""
    width = Emu(max(1, int(width_px or 1)) * EMU_PER_PX)
    height = Emu(max(1, int(height_px or 1)) * EMU_PER_PX)
    scale = min(1.0, MAX_FIGURE_WIDTH / width, MAX_FIGURE_HEIGHT / height)
    return Emu(int(width * scale)), Emu(int(height * scale))


def _footnote_definitions(tokens) -> dict[str, list]:
    """Footnote label -> the inline tokens of each paragraph of its definition."""
    out: dict[str, list] = {}
    label = None
    for tok in tokens:
        if tok.type == "footnote_open":
            label = str(tok.meta.get("label", ""))
            out[label] = []
        elif tok.type == "footnote_close":
            label = None
        elif tok.type == "inline" and label is not None:
            out[label].append(tok)
    return out


def _matching(tokens, i: int) -> int:
    """Index of the token closing tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
