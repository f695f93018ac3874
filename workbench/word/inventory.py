"""What a .docx holds, counted straight from its XML: words, tables, notes and pictures.

The reader goes through mammoth; this count does not, so comparing the two tells whether an
import lost anything (`missing_words`). Counted: the body's text (tracked insertions included,
deletions, field codes and Word's table of contents not), the footnotes and endnotes cited,
the body's top-level tables and its pictures.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORD = re.compile(r"[^\W_]+")
_TOC_STYLE = re.compile(r"^(toc|contents)\s*\d*$|^(toc|contents)\s*heading$", re.IGNORECASE)
_SPACES = tuple(f"{{{_W}}}{t}" for t in ("tab", "br", "cr", "ptab"))
_HYPHEN = f"{{{_W}}}noBreakHyphen"
_CONTENTS_TITLES = {"contents", "table of contents"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def words(text: str) -> Counter[str]:
    """The words that count: two or more characters, not a bare list or heading number."""
    # w.strip("ivxlcdm") is empty for a roman numeral; Counter counts in C
    return Counter(w for w in _WORD.findall(text.lower()) if len(w) > 1 and w.strip("ivxlcdm"))


@dataclass
class Inventory:
    words: Counter[str] = field(default_factory=Counter)
    tables: int = 0
    footnotes: int = 0
    endnotes: int = 0
    pictures: int = 0
    paragraphs: list[str] = field(default_factory=list)  # body and note text, one per paragraph

    @property
    def notes(self) -> int:
        return self.footnotes + self.endnotes


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _toc_styles(z: zipfile.ZipFile) -> set[str]:
    """Style ids of Word's contents paragraphs (TOC 1-9, TOC Heading, LibreOffice's Contents)."""
    try:
        root = etree.fromstring(z.read("word/styles.xml"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return set()
    out = set()
    for style in root.iter(_q(_W, "style")):
        sid = style.get(_q(_W, "styleId")) or ""
        name_el = style.find(_q(_W, "name"))
        name = name_el.get(_q(_W, "val")) if name_el is not None else ""
        if _TOC_STYLE.match(sid) or _TOC_STYLE.match(name or ""):
            out.add(sid)
    return out


def _skipped(el) -> bool:
    """Inside a markup-compatibility fallback (the same content said twice)."""
    parent = el.getparent()
    while parent is not None:
        if parent.tag == _q(_MC, "Fallback"):
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p, toc: set[str]) -> str:
    ppr = p.find(_q(_W, "pPr"))
    style = ppr.find(_q(_W, "pStyle")) if ppr is not None else None
    if style is not None and style.get(_q(_W, "val")) in toc:
        return ""
    parts: list[str] = []
    field_depth = 0  # inside a TOC field's result
    for el in p.iter(_q(_W, "t"), _q(_W, "fldChar"), _q(_W, "instrText"), *_SPACES, _HYPHEN):
        if el.tag == _q(_W, "fldChar"):
            kind = el.get(_q(_W, "fldCharType"))
            if kind == "end" and field_depth:
                field_depth -= 1
            continue
        if el.tag == _q(_W, "instrText"):
            if (el.text or "").strip().upper().startswith("TOC"):
                field_depth += 1
            continue
        if el.tag in _SPACES:
            parts.append(" ")
            continue
        if el.tag == _HYPHEN:
            parts.append("-")
            continue
        if not field_depth:
            parts.append(el.text or "")
    return "".join(parts)


def _text(root, toc: set[str], into: list[str]) -> str:
    out = []
    for p in root.iter(_q(_W, "p")):
        if _skipped(p):
            continue
        # A paragraph inside another (a text box) is counted on its own.
        text = _paragraph_text(_shallow(p), toc)
        if " ".join(text.split()).lower() in _CONTENTS_TITLES:
            continue  # the title of Word's contents, which the import drops with it
        out.append(text)
        if text.strip():
            into.append(" ".join(text.split()))
    return "\n".join(out)


def _shallow(p):
    """The paragraph without the paragraphs nested in it (text boxes)."""
    nested = [q for q in p.iter(_q(_W, "p")) if q is not p]
    if not nested:
        return p
    copy = etree.fromstring(etree.tostring(p), _PARSER)
    for box in list(copy.iter(_q(_W, "txbxContent"))):
        box.getparent().remove(box)
    return copy


def inventory(data: bytes) -> Inventory:
    """Count what a .docx holds (a damaged part counts as empty)."""
    inv = Inventory()
    with zipfile.ZipFile(BytesIO(data)) as z:
        names = set(z.namelist())
        toc = _toc_styles(z)
        try:
            doc = etree.fromstring(z.read("word/document.xml"), _PARSER)
        except (KeyError, etree.XMLSyntaxError):
            return inv
        body = doc.find(_q(_W, "body"))
        if body is None:
            return inv
        inv.words = words(_text(body, toc, inv.paragraphs))
        inv.tables = sum(
            1
            for t in body.iter(_q(_W, "tbl"))
            if not _skipped(t) and not any(a.tag == _q(_W, "tbl") for a in t.iterancestors())
        )
        inv.footnotes = len({r.get(_q(_W, "id")) for r in body.iter(_q(_W, "footnoteReference"))})
        inv.endnotes = len({r.get(_q(_W, "id")) for r in body.iter(_q(_W, "endnoteReference"))})
        inv.pictures = sum(1 for b in body.iter(_q(_A, "blip")) if not _skipped(b)) + sum(
            1 for v in body.iter(_q(_V, "imagedata")) if not _skipped(v)
        )
        for part, tag, ref in (
            ("word/footnotes.xml", "footnote", "footnoteReference"),
            ("word/endnotes.xml", "endnote", "endnoteReference"),
        ):
            if part not in names:
                continue
            cited = {r.get(_q(_W, "id")) for r in body.iter(_q(_W, ref))}
            try:
                root = etree.fromstring(z.read(part), _PARSER)
            except etree.XMLSyntaxError:
                continue
            for note in root.iter(_q(_W, tag)):
                if note.get(_q(_W, "id")) in cited:
                    inv.words.update(words(_text(note, toc, inv.paragraphs)))
    return inv


def missing_words(inv: Inventory, *texts: str) -> Counter[str]:
    """The file's words that none of the texts (the import's Markdown, title) carries."""
    have: Counter[str] = Counter()
    for text in texts:
        have.update(words(text or ""))
    return inv.words - have


def unplaced_paragraphs(inv: Inventory, missing: Counter[str]) -> list[str]:
    """The file's paragraphs holding a word the import lost, in order."""
    if not missing:  # the usual case: no paragraph to look through
        return []
    return [p for p in inv.paragraphs if any(w in missing for w in words(p))]
