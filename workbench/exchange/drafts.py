"""Importing a Word (.docx) or Markdown draft as a new document, its headings becoming sections."""

from __future__ import annotations

import io
import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from workbench import audit
from workbench.documents import DEFAULT_MARKING, DOCUMENT_KINDS, create_document
from workbench.exchange.formats import ExchangeError, read_limited
from workbench.markdown_sections import nest, split_sections
from workbench.sections import SECTION_KINDS, add_section
from workbench.workspace import use_case

MAX_DRAFT_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_XML_PART = 5 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A US handling marking: a classification, then optional //caveats (e.g. FOR OFFICIAL USE ONLY).
_MARKING = re.compile(
    r"\b(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|CUI|CONTROLLED)"
    r"(?:\s*//\s*[A-Z][A-Z0-9 ,/\-]*[A-Z0-9])?"
)


# -- Word ---------------------------------------------------------------------------------
def _zip(data: bytes) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExchangeError(
            "This is not a readable Word document (.docx); it may be damaged or an older "
            ".doc file — save it as .docx and try again."
        ) from None
    if sum(i.file_size for i in infos) > MAX_UNZIPPED or len(infos) > 5_000:
        raise ExchangeError("The Word document unpacks to more than a draft can hold.")
    if "word/document.xml" not in z.namelist():
        raise ExchangeError("This is not a Word document (.docx).")
    return z


def _xml(z: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    info = z.getinfo(name)
    if info.file_size > MAX_XML_PART:
        return None
    data = z.read(name)
    # No DTDs at all: entity expansion and external entities are how XML parsers get abused.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ExchangeError("The Word document contains XML declarations it should not have.")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def docx_marking(data: bytes) -> str | None:
    """The handling marking printed in a .docx's headers or footers, if any."""
    z = _zip(data)
    parts = sorted(n for n in z.namelist() if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
    found: list[str] = []
    for name in parts:
        root = _xml(z, name)
        if root is None:
            continue
        for para in root.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in para.iter(f"{_W}t"))
            for m in _MARKING.finditer(" ".join(text.split()).upper()):
                found.append(m.group(0).strip())
    if not found:
        return None
    return max(found, key=len)


class _HtmlToMarkdown(HTMLParser):
    """mammoth's HTML to Markdown source; text stays text (no tag is ever passed through)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.line: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.prefix = ""
        self.in_cell = False

    def _flush(self, gap: bool = True) -> None:
        text = "".join(self.line).strip()
        self.line = []
        if text:
            self.out.append(self.prefix + text)
            if gap:
                self.out.append("")
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.prefix = "#" * int(tag[1]) + " "
        elif tag == "p" and not self.lists and not self.in_cell:
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush(gap=False)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush(gap=False)
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            indent = "   " * (len(self.lists) - 1)
            self.prefix = indent + (f"{kind[1]}. " if kind[0] == "ol" else "- ")
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag == "br":
            self.line.append("  \n")
        elif tag == "tr":
            self._flush()
        elif tag in ("td", "th"):
            self.in_cell = True
            if self.line:
                self.line.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p") and not self.lists:
            if not self.in_cell:
                self._flush()
        elif tag in ("ul", "ol"):
            self._flush(gap=False)
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self.out.append("")
        elif tag == "li":
            self._flush(gap=False)
        elif tag in ("strong", "b"):
            self.line.append("**")
        elif tag in ("em", "i"):
            self.line.append("*")
        elif tag in ("td", "th"):
            self.in_cell = False
        elif tag == "table":
            self._flush()

    def handle_data(self, data):
        text = " ".join(data.split("\n"))
        text = re.sub(r"([\\`*_])", r"\\\1", text)
        if not self.line and not self.prefix:
            text = re.sub(r"^(\s*)([#>+\-]|\d+[.)])", r"\1\\\2", text)
        self.line.append(text)

    def markdown(self) -> str:
        self._flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.out)).strip() + "\n"


def docx_to_markdown(data: bytes) -> str:
    import mammoth

    _zip(data)
    try:
        html = mammoth.convert_to_html(io.BytesIO(data)).value
    except Exception:  # mammoth raises many kinds of errors on damaged documents
        raise ExchangeError("The Word document could not be read; it may be damaged.") from None
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    return parser.markdown()


# -- the use-case -------------------------------------------------------------------------
def _title_from(path: Path) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", path.stem).split()) or "Imported draft"


@use_case
def import_draft(
    ws,
    path: str | os.PathLike,
    *,
    kind: str = "strategy",
    title: str | None = None,
    marking: str | None = None,
) -> int:
    """A new document from a .docx or Markdown file; returns its id.

    The marking is the one given, else the one in the Word headers/footers, else the default.
    """
    p = Path(path)
    if kind not in DOCUMENT_KINDS:
        raise ExchangeError(
            f"Unknown document kind {kind!r}; choose one of {', '.join(DOCUMENT_KINDS)}."
        )
    suffix = p.suffix.lower()
    found_marking = None
    if suffix == ".docx":
        data = read_limited(p, MAX_DRAFT_BYTES, "Word draft")
        found_marking = docx_marking(data)
        text = docx_to_markdown(data)
    elif suffix in (".md", ".markdown", ".txt"):
        data = read_limited(p, MAX_DRAFT_BYTES, "Markdown draft")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExchangeError(f"{p.name} is not UTF-8 text.") from None
        text = text.replace("\x00", "")
    else:
        raise ExchangeError(f"{p.name}: import a Word document (.docx) or a Markdown file (.md).")
    preamble, parsed = split_sections(text)
    if not parsed and not preamble.strip():
        raise ExchangeError(f"{p.name} has no text to import.")
    chosen = marking or found_marking or DEFAULT_MARKING
    doc_id = create_document(ws, kind, title or _title_from(p), marking=chosen)
    ids: list[int] = []
    if preamble.strip():
        add_section(ws, doc_id, heading="", body=preamble.strip())
    for sec, parent in nest(parsed):
        sec_kind = sec.attrs.get("kind", "narrative")
        ids.append(
            add_section(
                ws,
                doc_id,
                parent_id=ids[parent] if parent is not None else None,
                kind=sec_kind if sec_kind in SECTION_KINDS else "narrative",
                heading=sec.heading,
                body=sec.body,
            )
        )
    audit.record(
        ws,
        "exchange.draft_import",
        "document",
        doc_id,
        file=p.name,
        sections=len(ids) + bool(preamble.strip()),
        marking=chosen,
        marking_from_file=found_marking is not None and marking is None,
    )
    return doc_id
