"""A section's Markdown body written as Word paragraphs, lists, tables and quotes (text only)."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt

from workbench.word.ooxml import Numbering, add_hyperlink, clean, header_row, set_numbering

# The same Markdown the PDF reads: CommonMark with tables and strikethrough, raw HTML as text.
_MD = MarkdownIt("commonmark", {"html": False, "maxNesting": 40}).enable(["table", "strikethrough"])
MONO = "Courier New"
LINK_BLUE = RGBColor(0x05, 0x63, 0xC1)


class Inline:
    """Writes one inline token run into a paragraph, keeping emphasis, code and link targets."""

    def __init__(self, paragraph: Paragraph):
        self.p = paragraph
        self.bold = self.italic = self.strike = 0
        self.link: BaseOxmlElement | None = None

    def text(self, text: str, *, mono: bool = False) -> None:
        text = clean(text)
        if not text:
            return
        run = self.p.add_run(text)
        run.bold = self.bold > 0 or None
        run.italic = self.italic > 0 or None
        if self.strike:
            run.font.strike = True
        if mono:
            run.font.name = MONO
        if self.link is not None:
            run.font.underline = True
            run.font.color.rgb = LINK_BLUE
            self.link.append(run._r)

    def write(self, children) -> None:
        for tok in children or ():
            kind = tok.type
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
                self.link = add_hyperlink(self.p, href) if href else None
            elif kind == "link_close":
                self.link = None
            elif kind == "image":
                # Until figures are stored in the workspace, an image is named, never dropped.
                alt = tok.content or "".join(c.content for c in tok.children or ())
                self.italic += 1
                self.text(f"[Figure: {alt}]" if alt else "[Figure]")
                self.italic -= 1
            else:  # html_inline and anything newer: the source text
                self.text(tok.content)


class BodyWriter:
    """Appends the blocks of Markdown bodies to a python-docx document."""

    def __init__(self, document, numbering: Numbering):
        self.doc = document
        self.numbering = numbering
        self._ordered = numbering.ordered_list()
        self._bullets = numbering.bullet_list()
        # The last block element written (a bookmark ends after it).
        self.last: BaseOxmlElement | None = None

    def write(self, markdown: str) -> None:
        tokens = _MD.parse(clean(markdown))
        self._blocks(tokens, 0, len(tokens), lists=[], quote=0)

    # -- blocks ----------------------------------------------------------------------------
    def _paragraph(self, style: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        self.last = p._p
        return p

    def _blocks(self, tokens, i: int, end: int, *, lists: list, quote: int) -> None:
        while i < end:
            tok = tokens[i]
            kind = tok.type
            if kind == "paragraph_open":
                inline = tokens[i + 1]
                self._para(inline, lists, quote)
                i += 3
                continue
            if kind == "heading_open":
                # A heading inside a body is emphasis in the body: it is not a new section.
                p = self._paragraph("Quote" if quote else None)
                writer = Inline(p)
                writer.bold += 1
                writer.write(tokens[i + 1].children)
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                close = _matching(tokens, i)
                if kind == "ordered_list_open":
                    start = int(tok.attrs.get("start", 1) or 1)
                    num = self.numbering.instance(self._ordered, start)
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
        Inline(p).write(inline.children)

    def _list(self, tokens, i: int, end: int, lists: list, quote: int) -> None:
        level = len(lists) - 1
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
                    self._para(tokens[j + 1], lists, quote, item=(lists[-1], min(level, 8)))
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
        for r, row in enumerate(rows):
            for c in range(cols):
                p = table.cell(r, c).paragraphs[0]
                if c < len(row):
                    writer = Inline(p)
                    writer.bold += r < header_rows
                    writer.write(row[c].children)
                align = aligns[c] if c < len(aligns) else None
                if align in ("center", "right"):
                    p.alignment = 1 if align == "center" else 2
        for r in range(header_rows):
            header_row(table.rows[r])
        self.last = table._tbl
        # Word needs a paragraph between two adjacent tables, or it merges them.
        self.last = self.doc.add_paragraph()._p


def _matching(tokens, i: int) -> int:
    """Index of the token closing tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
