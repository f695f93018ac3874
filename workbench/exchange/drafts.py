"""Importing a Word (.docx) or Markdown draft as a new document, its headings becoming sections."""

from __future__ import annotations

import io
import os
import re
import zipfile
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
    r"\b(?:(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|TOP SECRET|CUI|CONTROLLED)"
    r"(?:\s*//\s*[A-Z][A-Z0-9 ,/\-]*[A-Z0-9])?"
    r"|FOR OFFICIAL USE ONLY|FOUO|LAW ENFORCEMENT SENSITIVE)\b"
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
    found_title = None
    figures = notes = 0
    if suffix == ".docx":
        data = read_limited(p, MAX_DRAFT_BYTES, "Word draft")
        found_marking = docx_marking(data)
        draft = read_word_draft(data)
        text, found_title = draft.markdown, draft.title
        figures, notes = draft.figures, draft.notes
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
    doc_id = create_document(ws, kind, title or found_title or _title_from(p), marking=chosen)
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
        figures=figures,
        notes=notes,
    )
    return doc_id
