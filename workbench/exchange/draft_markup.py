"""A Word draft that still holds reviewers' comments or tracked changes: never flattened silently.

`import_draft` alone would apply every tracked change and drop every comment. Here the draft
is imported as the text stood before the changes, and each comment and change becomes a CRM
comment (the changes with their proposed wording), attributed to its author, for the
organization the analyst names.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.exchange.drafts import (
    MAX_DRAFT_BYTES,
    DraftPreview,
    docx_marking,
    import_draft,
    read_draft,
)
from workbench.exchange.formats import ExchangeError, read_limited
from workbench.exchange.word_markup import ReturnedWord, clean, parse_returned_word
from workbench.exchange.word_response import WordImportResult, import_word_response
from workbench.workspace import use_case

# Inserted text goes (w:ins, w:moveTo); deleted text comes back (w:del, w:moveFrom unwrapped).
_INSERTED = re.compile(
    r"<w:(ins|moveTo)\b(?=[\s>/])[^>]*/>|<w:(ins|moveTo)\b(?=[\s>/])[^>]*>.*?</w:\2>", re.S
)
_DELETED_TAG = re.compile(r"</?w:(?:del|moveFrom)\b(?=[\s>/])[^>]*?/?>")


def markup_in(path: str | os.PathLike) -> ReturnedWord | None:
    """The comments and tracked changes a .docx draft holds (None for other files)."""
    p = Path(path)
    if p.suffix.lower() != ".docx":
        return None
    return parse_returned_word(read_limited(p, MAX_DRAFT_BYTES, "Word draft"))


@dataclass(frozen=True)
class MarkedDraft:
    """A Word draft's reviewers' markup, for the Import Draft dialog to offer its choices."""

    markup: ReturnedWord
    original: DraftPreview  # the sections as the text stood before the tracked changes

    @property
    def authors(self) -> tuple[str, ...]:
        """Who made the comments and changes, in the order they first appear."""
        names = dict.fromkeys(clean(i.author) or "an unnamed reviewer" for i in self.markup.items)
        return tuple(names)

    def describe(self) -> str:
        m = self.markup
        text = _count(m.comment_count, "comment") + " and "
        text += _count(m.change_count, "tracked change")
        shown = self.authors[:3]
        more = len(self.authors) - len(shown)
        return text + " by " + ", ".join(shown) + (f" and {more} more" if more else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def read_marked_draft(path: str | os.PathLike) -> MarkedDraft | None:
    """The markup a .docx draft holds and the sections it would give before its changes, or
    None when it holds none (or is not a Word file): read off the UI thread, writes nothing."""
    found = markup_in(path)
    if found is None or not found.items:
        return None
    p = Path(path)
    data = read_limited(p, MAX_DRAFT_BYTES, "Word draft")
    with tempfile.TemporaryDirectory(prefix="cne-draft-") as tmp:
        unchanged = Path(tmp) / p.name
        unchanged.write_bytes(original_text(data))
        original = read_draft(unchanged)
    return MarkedDraft(found, original)


def describe(path: str | os.PathLike, found: ReturnedWord) -> str:
    return (
        f"{Path(path).name} holds {found.comment_count} comment(s) and {found.change_count} "
        "tracked change(s) from its reviewers"
    )


def original_text(data: bytes) -> bytes:
    """The same .docx with every tracked change rejected: the text as it was before them."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "word/document.xml":
                text = part.decode("utf-8")
                text = _INSERTED.sub("", text)
                text = _DELETED_TAG.sub("", text)
                text = re.sub(r"<w:delText\b", "<w:t", text).replace("</w:delText>", "</w:t>")
                part = text.encode("utf-8")
            dst.writestr(info, part)
    return out.getvalue()


@use_case
def import_draft_keeping_markup(
    ws,
    path: str | os.PathLike,
    organization_code: str,
    *,
    kind: str = "strategy",
    title: str | None = None,
    marking: str | None = None,
) -> tuple[int, WordImportResult]:
    """The draft as it stood before its tracked changes, with every comment and change in the
    CRM as the organization's: (document id, what the CRM received). One transaction."""
    p = Path(path)
    data = read_limited(p, MAX_DRAFT_BYTES, "Word draft")
    found = parse_returned_word(data)
    if not found.items:
        raise ExchangeError(f"{p.name} holds no comments or tracked changes; import it as is.")
    with tempfile.TemporaryDirectory(prefix="cne-draft-") as tmp:
        unchanged = Path(tmp) / p.name
        unchanged.write_bytes(original_text(data))
        doc_id = import_draft(
            ws,
            unchanged,
            kind=kind,
            title=title,  # else the Word title, as a plain import takes it
            marking=marking or docx_marking(data),
        )
    result = import_word_response(ws, p, organization_code=organization_code, document_id=doc_id)
    return doc_id, result
