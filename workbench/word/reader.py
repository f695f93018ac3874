"""Word in: a .docx draft read as Markdown sections, keeping what mammoth alone would lose.

mammoth gives the HTML (headings, paragraphs, tables, lists, links, notes, images); the
numbers Word generates come from `numbering_labels` (tenet and appendix headings, list starts);
this module turns both into the workbench's Markdown: GFM tables (merged cells flattened with a
note, cell paragraphs kept as <br>), footnotes and endnotes as [^n] defined right after the
block that cites them, lists that continue where Word continues them, block quotes, links with
their targets, images as figures with their alt text, and no Word table of contents.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lxml import etree

from workbench.images import SVG
from workbench.markdown_model import list_style_line
from workbench.word import mammoth_xml
from workbench.word.hooks import PROPERTY_KIND, read_custom_properties
from workbench.word.inventory import inventory, missing_words, unplaced_paragraphs
from workbench.word.numbering_labels import Label, numbered_paragraphs
from workbench.word.style_map import style_map
from workbench.word.svg_pictures import svg_twins

UNPLACED_HEADING = "Text the import could not place"
UNPLACED_NOTE = (
    "These paragraphs of the Word file did not come through in their place; they are kept here "
    "so that nothing is lost. Move them where they belong."
)
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # read no further; the store refuses over 10 MB anyway
_IMAGE_NAME = re.compile(r"word-image-\d{1,6}")
MAX_HEADING_WORDS = 12
LONG_HEADING = 200  # a heading longer than this is a paragraph styled as a heading
_CONTENTS_HEADINGS = {"contents", "table of contents", "toc"}
# Numbers typed before a heading's text: "2.", "2.1", "VII.", "A.", "(b)", "Section 3:".
_TYPED_NUMBER = re.compile(
    r"^(?:(?:section|chapter|part)\s+)?"
    r"(?:\d+(?:\.\d+)+\.?|\d+[.):]|[IVXLCDM]+[.):]|[A-Z][.)]|\([a-z0-9]+\))\s+",
    re.IGNORECASE,
)
_KIND_LABEL = re.compile(r"^(tenet|action item|appendix)\s+([A-Z0-9]+)[.:)]?\s*", re.IGNORECASE)
# Word's number formats as the shared Markdown's list types.
_LIST_TYPE = {
    "decimal": "1",
    "lowerLetter": "a",
    "upperLetter": "A",
    "lowerRoman": "i",
    "upperRoman": "I",
}
# A link to a place inside the file, marked until the end (private-use characters, stripped
# from the text read): start, the bookmark, middle, the link's text, end.
_LINK_START, _LINK_MID, _LINK_END = "\ue000", "\ue001", "\ue002"
_SENTINELS = re.compile("[\ue000-\ue002]")
_INTERNAL = re.compile("\ue000([^\ue001]*)\ue001([^\ue002]*)\ue002")
_INTERNAL_LINK = re.compile("\ue000([^\ue001]*)\ue001")
# A note cited again through Word's NOTEREF field: its result is marked before mammoth reads
# it (start, note key, end), and becomes [^n] here.
_NOTE_AGAIN_START, _NOTE_AGAIN_END = "\ue003", "\ue004"
_NOTE_AGAIN = re.compile("\ue003((?:foot|end)note-\\d{1,9})\ue004")
_NOTE_MARK = re.compile("\ue003(\\d+)\ue004")
_SAFE_ANCHOR = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,80}")
# A paragraph that is one figure (as this reader writes it), and a caption's own number.
_FIGURE_LINE = re.compile(r"((?:> )*!\[(?:[^\]\\]|\\.)*\])\((figure:[\w-]+)\)")
_CAPTION_NUMBER = re.compile(r"^\*{0,2}(?:figure|fig\.)\s*\d+\s*[.:\-–—]?\*{0,2}\s*", re.IGNORECASE)
_NOTE_HREF = re.compile(r"^#((?:foot|end)note)-(-?\d+)$")
_NOTE_ID = re.compile(r"^((?:foot|end)note)-(-?\d+)$")
# A <w:style ...> start tag that names no w:type.
_UNTYPED_STYLE = re.compile(rb"<w:style((?:\s+(?!w:type=)[\w:]+=\"[^\"]*\")*\s*/?>)")
_STYLE_REF = re.compile(rb'<w:[pr]Style w:val="([^"]+)"')
_PARA_STYLE = re.compile(rb'<w:pStyle w:val="([^"]+)"')
_STYLE_ID = re.compile(rb'w:styleId="([^"]+)"')
_SAFE_ID = re.compile(rb"[A-Za-z][A-Za-z0-9 _-]{0,60}")
_WRAPPERS = re.compile(
    rb"<w:(?:dir|bdo|fldSimple)(?:\s[^>]*)?/>|</?w:(?:dir|bdo|fldSimple)(?:\s[^>]*)?>"
)
# Elements that only set the look, which mammoth ignores (runs, paragraphs, cells, tables).
_LOOK_ONLY = tuple(
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
    for tag in (
        "rFonts kern sz szCs lang color bCs iCs w position noProof webHidden spacing "
        "widowControl snapToGrid adjustRightInd autoSpaceDE autoSpaceDN overflowPunct "
        "contextualSpacing suppressAutoHyphens textAlignment keepNext keepLines "
        "tcW tcBorders shd tblBorders tblCellMar tblLayout tblInd tblW proofErr "
        "lastRenderedPageBreak"
    ).split()
)
# What mammoth reads and ignores (bookmark ends, section and grid properties, alignment).
_IGNORED = tuple(
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
    for tag in "bookmarkEnd sectPr tblGrid tblLook jc ind".split()
)
_PROPERTIES = tuple(
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag
    for tag in "rPr pPr tcPr trPr".split()
)
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOTE_REFERENCES = (_W + "footnoteReference", _W + "endnoteReference")
_NOTEREF = re.compile(r"\s*NOTEREF\s+(\S+)", re.IGNORECASE)
_HEADING_ID = re.compile(rb"^(Heading)(\d)$", re.IGNORECASE)


@dataclass
class WordDraft:
    """What a Word draft holds, read: its title (if it names one) and its text as Markdown."""

    markdown: str
    title: str | None = None
    figures: int = 0
    notes: int = 0
    tables: int = 0
    flattened: list[str] = field(default_factory=list)
    unplaced: int = 0  # paragraphs kept at the end because the import lost words of them
    images: list[WordImage] = field(default_factory=list)  # named figure:word-image-N in the text


@dataclass(frozen=True)
class WordImage:
    """A picture of the Word file: what the import stores as a figure."""

    name: str  # word-image-N, as the Markdown names it until it is stored
    content_type: str  # as the file declares it (the store judges the bytes)
    data: bytes  # empty when the picture is linked, not embedded
    alt: str


class _Cell:
    def __init__(self, colspan: int, rowspan: int):
        self.parts: list[str] = []
        self.colspan = colspan
        self.rowspan = rowspan


class _Table:
    def __init__(self):
        self.rows: list[list[_Cell]] = []
        self.head_rows = 0
        self.merged = False
        self.nested = False  # holds a table in one of its cells
        self.cell: _Cell | None = None  # the cell being read


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _esc(text: str) -> str:
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


class _ToMarkdown(HTMLParser):
    """mammoth's HTML to Markdown; text stays text (no tag is ever passed through)."""

    def __init__(self, labels: list[Label]):
        super().__init__(convert_charrefs=True)
        # A block is a Markdown line, ("notes", keys) for the notes due after it, or
        # ("heading", line, attributes, bookmarks).
        self.blocks: list[str | tuple] = []
        self.line: list = []  # strings and emphasis markers (tuples) of the open block
        self.prefix = ""
        self.heading: int | None = None
        self.lists: list[dict] = []  # {"ordered": bool, "n": int, "started": bool}
        self.quote = 0
        self.tables: list[_Table] = []  # the open tables, innermost last
        self.links: list[str | None] = []
        self.note_refs: list[str] = []  # note keys cited since the last top-level block
        self.note_numbers: dict[str, int] = {}
        self.note_text: dict[str, list[str]] = {}
        self.in_note: str | None = None
        self.note_depth = 0
        self.title: str | None = None
        self.capture: str | None = None  # "title" / "subtitle" while inside such a paragraph
        self.figures = 0
        self.table_count = 0
        self.flattened: list[str] = []
        self.headings = [x for x in labels if x.is_heading]
        self.items = [x for x in labels if not x.is_heading]
        self.head_cursor = 0
        self.item_cursor = 0
        self.skip = 0  # inside a note's back-link
        self.anchors: list[str] = []  # bookmarks inside the heading being read
        self.list_start = 0  # the block where the open top-level list began
        self.list_styles: dict[int, str] = {}  # its ordered levels' styles (a, i, ...)

    @property
    def cell(self) -> _Cell | None:
        return self.tables[-1].cell if self.tables else None

    @cell.setter
    def cell(self, value: _Cell | None) -> None:
        if self.tables:
            self.tables[-1].cell = value

    # -- labels ----------------------------------------------------------------------------
    def _match(self, pool: list[Label], cursor: int, text: str) -> tuple[Label | None, int]:
        want = _norm(text)
        for j in range(cursor, min(len(pool), cursor + 50)):
            if _norm(pool[j].text) == want:
                return pool[j], j + 1
        return None, cursor

    # -- inline ------------------------------------------------------------------------------
    def _text_of(self, parts) -> str:
        return "".join(p for p in parts if isinstance(p, str))

    def _close_emphasis(self, mark: str) -> None:
        for i in range(len(self.line) - 1, -1, -1):
            if self.line[i] == ("open", mark):
                inner = self._text_of(self.line[i + 1 :])
                del self.line[i:]
                core = inner.strip()
                if not core:
                    self.line.append(inner)
                    return
                lead = inner[: len(inner) - len(inner.lstrip())]
                trail = inner[len(inner.rstrip()) :]
                # Emphasis touching spaces is moved off them, or Markdown prints the asterisks.
                self.line.append(f"{lead}{mark}{core}{mark}{trail}")
                return

    def _flush_line(self) -> str:
        text = self._text_of(self.line)
        self.line = []
        text = text.replace("****", "")
        return re.sub(r"[ \t]+", " ", text).strip()

    # -- blocks ------------------------------------------------------------------------------
    def _emit(self, text: str, *, gap: bool = True) -> None:
        if self.in_note is not None:
            if text:
                self.note_text.setdefault(self.in_note, []).append(text)
            return
        quote = "> " * self.quote
        self.blocks.append(quote + self.prefix + text)
        self.prefix = ""
        if gap and not self.lists:
            self._end_block()

    def _end_block(self) -> None:
        if self.note_refs and not self.lists and not self.tables:
            self.blocks.append(("notes", list(self.note_refs)))
            self.note_refs = []
        self.blocks.append("")

    def _paragraph_end(self) -> None:
        text = self._flush_line()
        if self.capture is not None:
            kind, self.capture = self.capture, None
            if kind == "title" and self.title is None and text:
                self.title = text.replace("\\", "")
                return
            if kind == "title":
                kind = "subtitle"
            if kind == "caption" and text and self._caption(text):
                return
        if not text:
            self.prefix = ""
            return
        if self.heading is not None:
            self._heading(text)
            return
        self._emit(text)

    def _caption(self, text: str) -> bool:
        """A caption right under a figure becomes the figure's caption ("Figure 2." dropped:
        the app numbers figures)."""
        if self.in_note is not None or self.cell is not None or self.lists:
            return False
        last = next((i for i in range(len(self.blocks) - 1, -1, -1) if self.blocks[i] != ""), None)
        block = self.blocks[last] if last is not None else None
        m = _FIGURE_LINE.fullmatch(block) if isinstance(block, str) else None
        if m is None or last is None:
            return False
        caption = _CAPTION_NUMBER.sub("", text).strip().replace('"', "”")
        if caption:
            self.blocks[last] = f'{m[1]}({m[2]} "{caption}")'

        return True

    def _heading(self, text: str) -> None:
        """Headings are plain text: typed numbers go (the app numbers), a kind label stays."""
        level = self.heading or 1
        self.heading = None
        label, self.head_cursor = self._match(self.headings, self.head_cursor, text)
        number = label.label if label is not None else ""
        typed = _KIND_LABEL.match(text)
        kind = _KIND_LABEL.match(number) if number else typed
        attrs = ""
        if kind:
            attrs = "kind=" + kind.group(1).lower().replace(" ", "_")
            if typed:
                text = text[typed.end() :]
        else:
            m = _TYPED_NUMBER.match(text)
            if m and text[m.end() :].strip():
                text = text[m.end() :]
        text = text.strip()
        body = ""
        if len(text) > LONG_HEADING:
            # A paragraph styled as a heading: named by its first words, its text kept whole.
            body, text = text, " ".join(text.split()[:MAX_HEADING_WORDS]) + "…"
        anchors, self.anchors = self.anchors, []
        self.blocks.append(("heading", "#" * min(level, 6) + " " + text, attrs, anchors))
        self.blocks.append("")
        if body:
            self._emit(_esc(body))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.skip:
            self.skip += tag == "a"
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.line = []
            self.heading = int(tag[1])
        elif tag == "p":
            cls = a.get("class") or ""
            if cls == "doc-title":
                self.capture = "title"
            elif cls == "doc-subtitle":
                self.capture = "subtitle"
            elif cls == "caption":
                self.capture = "caption"
            if self.cell is not None and self.line:
                self.cell.parts.append(self._flush_line())
        elif tag == "blockquote":
            self.quote += 1
        elif tag in ("ul", "ol"):
            if self.in_note is None and self.line and self.cell is None:
                if self.lists:
                    self._list_item_end()  # the item that holds this nested list
                else:
                    self._paragraph_end()
            if not self.lists and self.in_note is None and self.cell is None:
                self.list_start, self.list_styles = len(self.blocks), {}
            self.lists.append({"ordered": tag == "ol", "n": 0, "started": False})
        elif tag == "li":
            note = _NOTE_ID.match(a.get("id") or "")
            if note:
                self.in_note = f"{note.group(1)}-{note.group(2)}"
                self.note_depth = len(self.lists)
                return
            if self.cell is not None:
                if self.line:
                    self.cell.parts.append(self._flush_line())
                self.line.append("• ")
                return
            if self.line:
                self._list_item_end()
            self.line = []
        elif tag in ("strong", "b", "em", "i") and self.heading is not None:
            pass  # a heading is plain text
        elif tag in ("strong", "b"):
            self.line.append(("open", "**"))
        elif tag in ("em", "i"):
            self.line.append(("open", "*"))
        elif tag == "br":
            if self.cell is not None:
                self.line.append("<br>")
            else:
                self.line.append("  \n" + "   " * max(0, len(self.lists)))
        elif tag == "a":
            href = a.get("href") or ""
            note = _NOTE_HREF.match(href)
            if self.in_note is not None and href.startswith(("#footnote-ref", "#endnote-ref")):
                self.skip = 1
                return
            if note:
                key = f"{note.group(1)}-{note.group(2)}"
                n = self.note_numbers.setdefault(key, len(self.note_numbers) + 1)
                self.line.append(f"[^{n}]")
                self.note_refs.append(key)
                self.skip = 1
                return
            if not href and a.get("id") and self.heading is not None:
                self.anchors.append(a["id"])  # a bookmark in a heading: a link may point here
            target = href or None
            if target == "#":
                target = None
            self.links.append(target)
            if target:
                self.line.append(("open", "link"))
        elif tag == "img":
            self.figures += 1
            alt = " ".join((a.get("alt") or "").split())
            name = a.get("src") or ""
            if not _IMAGE_NAME.fullmatch(name):
                name = f"word-image-{self.figures}"
            # Not "figure:N" yet: the import stores the picture, then names its figure id.
            self.line.append(f"![{_esc(alt)}](figure:{name})")
        elif tag == "table":
            if self.line and not self.tables:
                self._paragraph_end()
            elif self.cell is not None:
                if self.line:
                    self.cell.parts.append(self._flush_line())
                self.tables[-1].nested = True
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            colspan = _int(a.get("colspan"), 1)
            rowspan = _int(a.get("rowspan"), 1)
            if colspan > 1 or rowspan > 1:
                t.merged = True
            self.cell = _Cell(colspan, rowspan)
            if t.rows:
                t.rows[-1].append(self.cell)
            self.line = []

    def handle_endtag(self, tag):
        if self.skip:
            if tag == "a":
                self.skip -= 1
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._paragraph_end()
        elif tag == "p":
            if self.cell is not None:
                self.cell.parts.append(self._flush_line())
            elif self.lists and self.in_note is None:
                pass  # a list item's paragraph ends with the item
            else:
                self._paragraph_end()
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag in ("ul", "ol"):
            if self.in_note is not None and len(self.lists) <= self.note_depth:
                self.in_note = None
            if self.line and self.cell is None:
                self._list_item_end()
            if self.lists:
                self.lists.pop()
            if not self.lists and self.cell is None and self.in_note is None:
                self._style_list()
                self._end_block()
        elif tag == "li":
            if self.in_note is not None and len(self.lists) == self.note_depth:
                if self.line:
                    self.note_text.setdefault(self.in_note, []).append(self._flush_line())
                self.in_note = None
                return
            if self.cell is not None:
                return
            if self.line:
                self._list_item_end()
        elif tag in ("strong", "b", "em", "i") and self.heading is not None:
            pass
        elif tag in ("strong", "b"):
            self._close_emphasis("**")
        elif tag in ("em", "i"):
            self._close_emphasis("*")
        elif tag == "a":
            target = self.links.pop() if self.links else None
            if target:
                for i in range(len(self.line) - 1, -1, -1):
                    if self.line[i] == ("open", "link"):
                        inner = self._text_of(self.line[i + 1 :]).strip()
                        del self.line[i:]
                        if target.startswith("#"):  # inside the file: resolved in markdown()
                            self.line.append(
                                f"{_LINK_START}{target[1:]}{_LINK_MID}{inner}{_LINK_END}"
                            )
                            break
                        url = f"<{target}>" if re.search(r"[\s()<>]", target) else target
                        self.line.append(f"[{inner or url}]({url})" if inner else url)
                        break
        elif tag in ("td", "th"):
            if self.cell is not None and self.line:
                self.cell.parts.append(self._flush_line())
            self.cell = None
        elif tag == "thead" and self.tables:
            self.tables[-1].head_rows = len(self.tables[-1].rows)
        elif tag == "table" and self.tables:
            self._table_end(self.tables.pop())

    def _list_item_end(self) -> None:
        text = self._flush_line()
        if not text or not self.lists:
            return
        current = self.lists[-1]
        depth = len(self.lists) - 1
        indent = "   " * depth
        if current["ordered"]:
            label, self.item_cursor = self._match(self.items, self.item_cursor, text)
            if not current["started"]:
                current["n"] = (label.value if label is not None else 1) - 1
                current["started"] = True
            current["n"] += 1
            marker = f"{current['n']}. "
            if label is not None:
                self.list_styles.setdefault(depth, _LIST_TYPE.get(label.fmt, "1"))
        else:
            label, self.item_cursor = self._match(self.items, self.item_cursor, text)
            marker = "- "
        self.blocks.append(indent + "> " * self.quote + marker + text)

    def _style_list(self) -> None:
        """Lettered or roman levels: the {type=...} line the shared Markdown reads, before it."""
        if not self.list_styles:
            return
        depth = max(self.list_styles) + 1
        line = list_style_line([self.list_styles.get(d, "-") for d in range(depth)])
        if line:
            quote = "> " * self.quote
            self.blocks[self.list_start : self.list_start] = [quote + line, quote.rstrip()]

    def _table_end(self, t: _Table) -> None:
        grid: list[list[str]] = []
        pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
        for row in t.rows:
            out: list[str] = []
            cells = iter(row)
            col = 0
            while True:
                if pending.get(col, 0) > 0:
                    pending[col] -= 1
                    out.append("")
                    col += 1
                    continue
                cell = next(cells, None)
                if cell is None:
                    break
                text = "<br>".join(p for p in cell.parts if p).replace("|", "\\|")
                out.append(text)
                for extra in range(cell.colspan):
                    if cell.rowspan > 1:
                        pending[col + extra] = cell.rowspan - 1
                    if extra:
                        out.append("")
                col += cell.colspan
            grid.append(out)
        if not grid:
            return
        # The header row prints bold anyway; bold typed on all of a header cell is Word's look.
        grid[0] = [re.sub(r"^\*\*(.*)\*\*$", r"\1", c) for c in grid[0]]
        cols = max(len(r) for r in grid) or 1
        grid = [r + [""] * (cols - len(r)) for r in grid]
        lines = ["| " + " | ".join(c or " " for c in grid[0]) + " |"]
        lines.append("|" + "|".join(["---"] * cols) + "|")
        lines += ["| " + " | ".join(c or " " for c in r) + " |" for r in grid[1:]]
        if self.tables:  # a table inside a table: its rows become lines of the outer cell
            if self.cell is not None:
                for r in grid:
                    self.cell.parts.append("; ".join(c for c in r if c))
            return
        self.table_count += 1
        for line in lines:
            self.blocks.append(line)
        self.blocks.append("")
        notes = []
        if t.merged:
            notes.append(
                "Merged cells in the Word table above were split; their text is in the first."
            )
        if t.nested:
            notes.append("A table inside one of its cells was flattened into that cell's lines.")
        if notes:
            self.flattened.append(f"table {self.table_count}")
            self.blocks.append("*" + " ".join(notes) + "*")
            self.blocks.append("")
        if self.note_refs:
            self._end_block()

    def handle_data(self, data):
        if self.skip:
            return
        data = _SENTINELS.sub("", data)
        text = " ".join(data.split("\n"))
        if _NOTE_AGAIN_START in text:
            text = _NOTE_AGAIN.sub(self._note_again, text)
        if self.heading is not None:
            self.line.append(text)
            return
        text = _esc(text)
        if not self._text_of(self.line) and not self.prefix and self.cell is None:
            text = re.sub(r"^(\s*)([#>+\-]|\d+[.)])", r"\1\\\2", text)
        self.line.append(text)

    def _note_again(self, m: re.Match) -> str:
        """A note cited again through a NOTEREF field (marked by `_notes_cited_again`)."""
        key = m[1]
        if key not in self.note_numbers:  # a reference before the note's own mark
            self.note_refs.append(key)
        n = self.note_numbers.setdefault(key, len(self.note_numbers) + 1)
        return f"{_NOTE_AGAIN_START}{n}{_NOTE_AGAIN_END}"

    def markdown(self) -> str:
        if self.line:
            self._paragraph_end()
        if self.note_refs:
            self.blocks.append(("notes", list(self.note_refs)))
        out: list[str] = []
        linked = set(
            _INTERNAL_LINK.findall("\n".join(b for b in self.blocks if isinstance(b, str)))
        )
        linked |= set(_INTERNAL_LINK.findall(str(self.note_text)))
        headed: set[str] = set()
        defined: set[str] = set()
        for block in self.blocks:
            if isinstance(block, tuple) and block[0] == "heading":
                _, line, kind, anchors = block
                named = [x for x in anchors if x in linked and _SAFE_ANCHOR.fullmatch(x)]
                headed.update(named)
                attrs = " ".join(
                    x for x in (kind, "anchor=" + ",".join(named) if named else "") if x
                )
                out.append(line + (" {" + attrs + "}" if attrs else ""))
                continue
            if isinstance(block, tuple):
                for key in block[1]:
                    if key in defined:  # cited again: defined where first cited
                        continue
                    defined.add(key)
                    n = self.note_numbers[key]
                    text = " ".join(self.note_text.get(key, [])).strip() or "(empty note)"
                    out.append("")
                    out.append(f"[^{n}]: {text}")
                continue
            out.append(block)
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"
        text = _NOTE_MARK.sub(r"[^\1]", text).replace(_NOTE_AGAIN_START, "")

        def internal(m: re.Match) -> str:
            # A link to a heading's bookmark stays a link (the import makes it a
            # cross-reference); any other place in the file is plain text.
            return f"[{m[2]}](#{m[1]})" if m[1] in headed and m[2] else m[2]

        return _INTERNAL.sub(internal, text)


def _int(value, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return default


def _drop_contents_sections(markdown: str) -> str:
    """A heading "Contents" left with nothing under it (its entries dropped) is Word's TOC."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = re.match(r"^#{1,6}\s+(.*?)\s*$", lines[i])
        if m and _norm(m.group(1)) in _CONTENTS_HEADINGS:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines) or lines[j].startswith("#"):
                i = j
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _own_copy_text(markdown: str) -> str:
    """A copy we wrote: its cover (or first page) and coordination record are not the text."""
    lines = markdown.split("\n")
    first = next((i for i, line in enumerate(lines) if line.startswith("#")), len(lines))
    end = next(
        (
            i
            for i, line in enumerate(lines)
            if re.match(r"^# (Coordination record|Appendix: Comment Resolution Matrix)$", line)
        ),
        len(lines),
    )
    return "\n".join(lines[first:end]).strip() + "\n"


def _repaired(data: bytes) -> tuple[bytes, str]:
    """The file with what mammoth cannot read mended, and the style map to read it with (the
    rules for the styles it has).

    - a style without w:type: a paragraph style, by the standard's default;
    - paragraphs naming a style id that styles.xml lacks (some programs write "Title" or
      "Heading1" without defining it): the id becomes the style's name;
    - text inside w:dir / w:bdo (right-to-left runs) and simple fields (w:fldSimple, a DATE or
      REF result), which mammoth drops: the wrapper goes, the runs stay;
    - what only sets the look is left out (`_slim`): a quarter less work for mammoth.
    """
    fixes: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        try:
            styles = z.read("word/styles.xml") if "word/styles.xml" in names else b""
            body = z.read("word/document.xml")
        except KeyError:
            return data, style_map(None, None)
        used = set(_PARA_STYLE.findall(body))
        defined = set(_STYLE_ID.findall(styles))
        missing = sorted(u for u in used - defined if _SAFE_ID.fullmatch(u))
        if styles and (missing or _UNTYPED_STYLE.search(styles)):
            fixed = _UNTYPED_STYLE.sub(rb'<w:style w:type="paragraph"\1', styles)
            added = b"".join(
                b'<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/></w:style>'
                % (sid, _HEADING_ID.sub(rb"\1 \2", sid))
                for sid in missing
            )
            styles = fixed.replace(b"</w:styles>", added + b"</w:styles>", 1)
        # The styles the text uses: a rule naming any other can never match.
        referenced = set(_STYLE_REF.findall(body))
        for part in ("word/footnotes.xml", "word/endnotes.xml"):
            if part in names:
                referenced.update(_STYLE_REF.findall(z.read(part)))
        style_ids = {x.decode("utf-8", "replace") for x in referenced}
        style_names: set[str] | None = set()  # no styles part: no paragraph has a name
        plain = None
        if styles:
            fixes["word/styles.xml"], style_names, plain = _slim_styles(styles, style_ids)
        if "word/numbering.xml" in names:
            fixes["word/numbering.xml"] = _slim_numbering(z.read("word/numbering.xml"))
        for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
            if part not in names:
                continue
            xml = body if part == "word/document.xml" else z.read(part)
            if _WRAPPERS.search(xml):
                xml = _WRAPPERS.sub(b"", xml)
            fixes[part] = _slim(xml, plain)
        out = io.BytesIO()
        # Stored, not deflated: mammoth reads it from memory at once.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for info in z.infolist():
                data_out = fixes.get(info.filename) or z.read(info)
                dst.writestr(info.filename, data_out)
    return out.getvalue(), style_map(style_ids, style_names)


def _slim(xml: bytes, plain: str | None = None) -> bytes:
    """The part without what only sets the look (fonts, sizes, languages, borders, revision
    ids): mammoth builds a DOM of every element, and LibreOffice and Word write many.

    plain: the id of the default paragraph style when it is named Normal; naming it is the
    same to mammoth as naming no style (LibreOffice names it on every paragraph).
    """
    try:
        root = etree.fromstring(xml, _SAFE_XML)
    except etree.XMLSyntaxError:
        return xml
    _notes_cited_again(root)  # before the bookmarks' ends go
    for el in list(root.iter(*_LOOK_ONLY, *_IGNORED)):
        el.getparent().remove(el)
    if plain is not None:
        for el in list(root.iter(_W + "pStyle")):
            if el.get(_W + "val") == plain:
                el.getparent().remove(el)
    for el in list(root.iter(*_PROPERTIES)):
        if not len(el) and not el.attrib:  # what is left of them set only the look
            el.getparent().remove(el)
    for el in root.iter():
        # Revision ids and Word 2010's paragraph ids are on nearly every element.
        for name in [a for a in el.attrib if "rsid" in a or a.startswith(_W14)]:
            del el.attrib[name]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _slim_styles(xml: bytes, used: set[str]) -> tuple[bytes, set[str] | None, str | None]:
    """Only what mammoth reads of the styles: each style's type, id and name, and a numbering
    style's list (Word's latent styles and the look of each style are most of the part); the
    names of the styles whose ids are `used` (None if the part cannot be read); and the id of
    the default paragraph style if it is named Normal."""
    try:
        root = etree.fromstring(xml, _SAFE_XML)
    except etree.XMLSyntaxError:
        return xml, None, None
    names: set[str] = set()
    plain = None
    for el in list(root):
        if el.tag != _W + "style":
            root.remove(el)
            continue
        numbering = el.get(_W + "type") == "numbering"
        for child in list(el):
            if child.tag == _W + "name":
                name = child.get(_W + "val") or ""
                if el.get(_W + "styleId") in used:
                    names.add(name)
                if (
                    plain is None
                    and name == "Normal"
                    and el.get(_W + "type") == "paragraph"
                    and el.get(_W + "default") in ("1", "true", "on")
                ):
                    plain = el.get(_W + "styleId")
                continue
            if numbering and child.tag == _W + "pPr":
                for prop in list(child):
                    if prop.tag != _W + "numPr":
                        child.remove(prop)
                continue
            el.remove(child)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml, names, plain


def _slim_numbering(xml: bytes) -> bytes:
    """Only what mammoth reads of the lists: each level's format and paragraph style, the
    style a list links to, and which definition each list uses."""
    try:
        root = etree.fromstring(xml, _SAFE_XML)
    except etree.XMLSyntaxError:
        return xml
    keep = {
        _W + "abstractNum": (_W + "lvl", _W + "numStyleLink"),
        _W + "lvl": (_W + "numFmt", _W + "pStyle"),
        _W + "num": (_W + "abstractNumId",),
    }
    for el in list(root):
        if el.tag not in keep:
            root.remove(el)
    for el in list(root.iter(*keep)):
        for child in list(el):
            if child.tag not in keep[el.tag]:
                el.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _notes_cited_again(root) -> None:
    """A NOTEREF field formatted as a note mark (\\f: Word's way to cite a note again) has its
    result replaced by a marked note key, which `_ToMarkdown` turns into the same [^n]."""
    fields = [
        (el, m[1])
        for el in root.iter(_W + "instrText")
        if (m := _NOTEREF.match(el.text or "")) and "\\f" in (el.text or "")
    ]
    if not fields:
        return
    # Bookmark -> the note whose mark it holds: Word wraps the mark, LibreOffice leaves an
    # empty bookmark just before it; either way the paragraph's next note mark.
    marks: dict[str, str] = {}
    waiting: list[str] = []
    for el in root.iter(_W + "p", _W + "bookmarkStart", *_NOTE_REFERENCES):
        if el.tag == _W + "p":
            waiting = []
        elif el.tag == _W + "bookmarkStart":
            waiting.append(el.get(_W + "name", ""))
        else:
            note = "footnote" if el.tag == _NOTE_REFERENCES[0] else "endnote"
            for name in waiting:
                marks.setdefault(name, f"{note}-{el.get(_W + 'id', '')}")
            waiting = []
    for instr, bookmark in fields:
        key = marks.get(bookmark)
        run = instr.getparent()
        if key is None or run is None:
            continue
        texts, state = [], "instr"
        for sibling in run.itersiblings(_W + "r"):
            char = sibling.find(_W + "fldChar")
            char_type = char.get(_W + "fldCharType") if char is not None else None
            if char_type == "separate":
                state = "result"
            elif char_type in ("begin", "end"):
                break
            elif state == "result":
                texts += sibling.findall(_W + "t")
        if texts:
            texts[0].text = f"{_NOTE_AGAIN_START}{key}{_NOTE_AGAIN_END}"
            for t in texts[1:]:
                t.text = ""


def read_docx(data: bytes) -> WordDraft:
    """A .docx (already checked as a safe zip) as Markdown with its title, figures and notes."""
    import docx
    import mammoth

    labels: list[Label] = []
    core_title = None
    try:
        document = docx.Document(io.BytesIO(data))
        labels = numbered_paragraphs(document)
        core_title = (document.core_properties.title or "").strip() or None
    except Exception:  # python-docx refuses some files mammoth reads; numbers are a bonus
        labels = []

    images: list[WordImage] = []
    twins = svg_twins(data)

    def image(img):
        n = len(images) + 1
        try:
            with img.open() as fh:
                content = fh.read(MAX_IMAGE_BYTES + 1)
        except Exception:  # a linked (not embedded) or missing picture: nothing to store
            content = b""
        kind = img.content_type or ""
        svg = twins.get(hashlib.sha256(content).hexdigest()) if twins and content else None
        if svg is not None:  # the SVG the PNG stands for is the figure
            kind, content = SVG, svg
        alt = " ".join((img.alt_text or "").split())
        images.append(WordImage(f"word-image-{n}", kind, content, alt))
        return {"alt": img.alt_text or "", "src": f"word-image-{n}"}

    repaired, rules = _repaired(data)
    mammoth_xml.install()
    result = mammoth.convert_to_html(
        io.BytesIO(repaired),
        style_map=rules,
        include_default_style_map=False,
        convert_image=mammoth.images.img_element(image),
    )
    parser = _ToMarkdown(labels)
    parser.feed(result.value)
    parser.close()
    markdown = _drop_contents_sections(parser.markdown())
    unplaced: list[str] = []
    if read_custom_properties(data).get(PROPERTY_KIND) in ("export", "review"):
        markdown = _own_copy_text(markdown)
    else:
        # Whatever the conversion lost is kept, and said: never a user's words dropped silently.
        counted = inventory(data)
        title = parser.title or core_title or ""
        unplaced = unplaced_paragraphs(counted, missing_words(counted, markdown, title))
        if unplaced:
            markdown += "\n".join(
                ["", f"# {UNPLACED_HEADING}", "", f"*{UNPLACED_NOTE}*", ""]
                + [_esc(p) + "\n" for p in unplaced]
            )
    return WordDraft(
        markdown=markdown,
        title=parser.title or core_title,
        figures=parser.figures,
        notes=len(parser.note_numbers),
        tables=parser.table_count,
        flattened=parser.flattened,
        unplaced=len(unplaced),
        images=images,
    )
