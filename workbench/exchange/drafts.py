"""Importing a Word (.docx) or Markdown draft as a new document, its headings becoming sections."""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

from workbench import audit
from workbench.documents import DEFAULT_MARKING, DOCUMENT_KINDS, create_document
from workbench.errors import WorkbenchError
from workbench.exchange.formats import ExchangeError, read_limited
from workbench.markdown_model import cross_reference
from workbench.markdown_sections import split_sections
from workbench.sections import SECTION_KINDS, add_section, edit_section
from workbench.workspace import use_case

MAX_DRAFT_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024
MAX_XML_PART = 5 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A US handling marking: a classification (or its portion letter before //), then optional
# //caveats (e.g. FOR OFFICIAL USE ONLY, SP-LEI); or a caveat alone (FOUO, LES).
_MARKING = re.compile(
    r"(?<![A-Z0-9/])(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|CUI|CONTROLLED"
    r"|(?:U|C|S|TS)(?=//))"
    r"(?://[A-Z][A-Z0-9 ,\-]*[A-Z0-9])*"
    r"|FOR OFFICIAL USE ONLY|FOUO|LAW ENFORCEMENT SENSITIVE)(?![A-Z0-9])"
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
            text = re.sub(r"\s*//\s*", "//", " ".join(text.split()).upper())
            for m in _MARKING.finditer(text):
                found.append(m.group(0).strip())
    if not found:
        return None
    return max(found, key=len)


def read_word_draft(data: bytes):
    """The Word draft read (workbench.word.reader): Markdown, title, figures, notes, tables."""
    from workbench.word.reader import read_docx

    _zip(data)
    try:
        return read_docx(data)
    except ExchangeError:
        raise
    except Exception:  # mammoth raises many kinds of errors on damaged documents
        raise ExchangeError("The Word document could not be read; it may be damaged.") from None


def docx_to_markdown(data: bytes) -> str:
    return read_word_draft(data).markdown


# -- the use-case -------------------------------------------------------------------------
def _title_from(path: Path) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", path.stem).split()) or "Imported draft"


@dataclass(frozen=True)
class DraftSection:
    level: int  # 0 for text before the first heading
    heading: str
    kind: str
    body: str
    anchors: tuple[str, ...] = ()  # Word bookmarks in the heading that the text links to


# A link to a place inside the Word file, as the reader writes it: [text](#bookmark).
_INTERNAL_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(#([A-Za-z_][\w.\-]*)\)")
# Link text that names a section by its number: "§2", "§ A.1", "2.1", "Section 3".
_NUMBER_TEXT = re.compile(
    r"^(?:§\s*\S.*|(?:section\s+)?[A-Z]?\d+(?:\.\d+)*|(?:section|appendix)\s+[A-Z0-9]+)$",
    re.IGNORECASE,
)


def cross_references(body: str, anchors: dict[str, int]) -> str:
    """Links to a heading's bookmark that print its number become cross-references to the
    section made from that heading; any other internal link keeps only its words."""

    def replace(m: re.Match) -> str:
        text, name = m[1], m[2]
        sid = anchors.get(name)
        if sid is not None and _NUMBER_TEXT.match(text.replace("\\", "").strip()):
            return cross_reference(sid)
        return text

    return _INTERNAL_LINK.sub(replace, body)


@dataclass(frozen=True)
class DraftPreview:
    """What importing a file would create (read without a workspace: the import's preview)."""

    name: str
    title: str
    marking: str | None  # found in the Word headers/footers
    sections: tuple[DraftSection, ...]
    figures: int = 0
    notes: int = 0
    tables: int = 0
    unplaced: int = 0  # Word paragraphs kept at the end (the conversion lost them in place)
    pictures: tuple = ()  # reader.WordImage of each figure:word-image-N the text names

    @property
    def unstorable(self) -> list[str]:
        """Why each picture that cannot become a stored figure cannot (its alt text is kept)."""
        return [why for image in self.pictures if (why := figure_data(image)[1])]

    def parsed(self):
        return [s for s in self.sections if s.level > 0]


def read_draft(path: str | os.PathLike) -> DraftPreview:
    """Read a .docx or Markdown draft into the sections it would become (one-line errors)."""
    p = Path(path)
    suffix = p.suffix.lower()
    found_marking = None
    found_title = None
    figures = notes = tables = unplaced = 0
    pictures: tuple = ()
    if suffix == ".docx":
        data = read_limited(p, MAX_DRAFT_BYTES, "Word draft")
        found_marking = docx_marking(data)
        draft = read_word_draft(data)
        text, found_title = draft.markdown, draft.title
        figures, notes, tables = draft.figures, draft.notes, draft.tables
        unplaced = draft.unplaced
        pictures = tuple(draft.images)
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
    out = []
    if preamble.strip():
        out.append(DraftSection(0, "", "narrative", preamble.strip()))
    for sec in parsed:
        kind = sec.attrs.get("kind", "narrative")
        kind = kind if kind in SECTION_KINDS else "narrative"
        names = tuple(x for x in sec.attrs.get("anchor", "").split(",") if x)
        out.append(DraftSection(sec.level, sec.heading, kind, sec.body, names))
    title = (found_title or _title_from(p))[:200].strip() or "Imported draft"
    return DraftPreview(
        p.name, title, found_marking, tuple(out), figures, notes, tables, unplaced, pictures
    )


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

    The title is the one given, else the Word Title paragraph or core title, else the file's
    name. The marking is the one given, else the one in the Word headers/footers, else the
    default.
    """
    p = Path(path)
    if kind not in DOCUMENT_KINDS:
        raise ExchangeError(
            f"Unknown document kind {kind!r}; choose one of {', '.join(DOCUMENT_KINDS)}."
        )
    draft = read_draft(p)
    found_marking, figures, notes = draft.marking, draft.figures, draft.notes
    chosen = marking or found_marking or DEFAULT_MARKING
    doc_id = create_document(ws, kind, title or draft.title, marking=chosen)
    placed = _store_pictures(ws, doc_id, draft, p.name)
    count = 0
    ids: list[int] = []
    levels: list[tuple[int, int]] = []  # (heading level, section id) of the open ancestors
    anchors: dict[str, int] = {}  # a Word bookmark in a heading -> the section made from it
    linking: list[tuple[int, str]] = []  # sections whose text links to such a bookmark
    for sec in draft.sections:
        sec = replace(sec, body=_PICTURE.sub(placed, sec.body))
        if sec.level == 0:
            sid = add_section(ws, doc_id, heading="", body=sec.body)
            if _INTERNAL_LINK.search(sec.body):
                linking.append((sid, sec.body))
            count += 1
            continue
        while levels and levels[-1][0] >= sec.level:
            levels.pop()
        sid = add_section(
            ws,
            doc_id,
            parent_id=levels[-1][1] if levels else None,
            kind=sec.kind,
            heading=sec.heading,
            body=sec.body,
        )
        ids.append(sid)
        levels.append((sec.level, sid))
        for name in sec.anchors:
            anchors.setdefault(name, sid)
        if _INTERNAL_LINK.search(sec.body):
            linking.append((sid, sec.body))
        count += 1
    for sid, body in linking:
        edit_section(ws, sid, body=cross_references(body, anchors))
    audit.record(
        ws,
        "exchange.draft_import",
        "document",
        doc_id,
        file=p.name,
        sections=count,
        marking=chosen,
        marking_from_file=found_marking is not None and marking is None,
        figures=figures,
        figures_stored=len(placed.stored),
        notes=notes,
    )
    return doc_id


# A picture the Word reader named: ![alt](figure:word-image-N) or with "caption".
_PICTURE = re.compile(
    r'!\[((?:[^\]\\]|\\.)*)\]\(figure:(word-image-\d+)(?:\s+"((?:[^"\\]|\\.)*)")?\)'
)


def figure_data(image) -> tuple[bytes | None, str]:
    """(bytes a figure can hold, "") or (None, why not): PNG, JPEG and SVG as they are; GIF,
    BMP and TIFF converted to PNG; linked, vector (EMF/WMF) or damaged pictures not."""
    from workbench import images

    if not image.data:
        return None, "the picture is not inside the file (linked or missing)"
    try:
        images.inspect(image.data)
        return image.data, ""
    except WorkbenchError as exc:
        first = str(exc)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(image.data)) as im:
            im.load()
            out = io.BytesIO()
            im.save(out, "PNG")
        images.inspect(out.getvalue())
        return out.getvalue(), ""
    except WorkbenchError as exc:
        return None, str(exc)
    except Exception:  # Pillow cannot read it (EMF, WMF, damaged)
        kind = (image.content_type or "").split("/")[-1].upper().removeprefix("X-")
        if not kind or kind in ("PNG", "JPEG", "SVG+XML"):
            return None, first  # damaged: the store's own words
        return None, f"{kind} pictures cannot be stored as figures (PNG, JPEG or SVG can)"


class _Placed:
    """Stores the draft's pictures as figures; called on each picture in the text."""

    def __init__(self):
        self.stored: dict[str, tuple[int, str]] = {}  # name -> (figure id, alt text stored)
        self.refused: dict[str, str] = {}

    def __call__(self, m: re.Match) -> str:
        alt, name, caption = m[1], m[2], m[3]
        if name in self.stored:
            fid, stored_alt = self.stored[name]
            title = f' "{caption}"' if caption else ""
            alt = alt or re.sub(r"([\\\[\]])", r"\\\1", stored_alt)
            return f"![{alt}](figure:{fid}{title})"
        why = self.refused.get(name, "the picture is not in the file")
        return f"*[Picture not imported: {alt or 'no alt text'} — {why}]*"


def _store_pictures(ws, doc_id: int, draft: DraftPreview, file_name: str) -> _Placed:
    from workbench.figures import add_figure

    placed = _Placed()
    captions: dict[str, tuple[str, str]] = {}
    for sec in draft.sections:
        for m in _PICTURE.finditer(sec.body):
            captions.setdefault(m[2], (m[1], (m[3] or "").replace('\\"', '"')))
    for n, image in enumerate(draft.pictures, 1):
        if image.name not in captions:
            continue  # not in the text (a picture in a header or a dropped part)
        data, why = figure_data(image)
        if data is None:
            placed.refused[image.name] = why
            continue
        alt, caption = captions[image.name]
        alt = re.sub(r"\\(.)", r"\1", alt).strip() or image.alt or f"Picture {n} of {file_name}"
        try:
            fid = add_figure(
                ws, doc_id, data, alt=alt, caption=caption, source_name=f"{file_name} picture {n}"
            )
            placed.stored[image.name] = (fid, alt)
        except WorkbenchError as exc:
            placed.refused[image.name] = str(exc)
    return placed
