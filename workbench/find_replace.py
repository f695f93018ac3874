"""Find and replace across a document's sections (headings and bodies), in reading order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench import audit, sections
from workbench.errors import WorkbenchError
from workbench.workspace import use_case

FIELDS = ("heading", "body")


@dataclass(frozen=True)
class Match:
    section_id: int
    number: str
    field: str  # "heading" or "body"
    start: int
    end: int


def pattern(text: str, *, match_case: bool = False, whole_word: bool = False) -> re.Pattern:
    """The literal search text as a pattern; whole words stop at letters, digits and _."""
    if not text:
        raise WorkbenchError("Type the text to find.")
    core = re.escape(text)
    if whole_word:
        core = rf"(?<!\w){core}(?!\w)"
    return re.compile(core, 0 if match_case else re.IGNORECASE)


def _texts(ws, doc_id: int, overrides: dict[int, tuple[str, str]] | None):
    """(entry, heading, body) in reading order; `overrides` is text typed but not yet saved."""
    rows = {
        r["id"]: (r["heading"], r["body"])
        for r in ws.db.query(
            "SELECT id, heading, body FROM sections WHERE document_id = ? AND deleted_at IS NULL",
            [doc_id],
        )
    }
    rows.update(overrides or {})
    for entry in sections.outline(ws, doc_id):
        heading, body = rows.get(entry.id, (entry.heading, ""))
        yield entry, heading, body


def find_all(
    ws,
    doc_id: int,
    text: str,
    *,
    match_case: bool = False,
    whole_word: bool = False,
    overrides: dict[int, tuple[str, str]] | None = None,
) -> list[Match]:
    """Every occurrence in the document, heading before body, sections in reading order."""
    rx = pattern(text, match_case=match_case, whole_word=whole_word)
    found: list[Match] = []
    for entry, heading, body in _texts(ws, doc_id, overrides):
        for name, value in zip(FIELDS, (heading, body), strict=True):
            found.extend(
                Match(entry.id, entry.number, name, m.start(), m.end()) for m in rx.finditer(value)
            )
    return found


@dataclass(frozen=True)
class Replaced:
    count: int
    before: dict[int, tuple[str, str]]  # section id -> (heading, body) before the change
    after: dict[int, tuple[str, str]]


@use_case
def replace_all(
    ws,
    doc_id: int,
    text: str,
    replacement: str,
    *,
    match_case: bool = False,
    whole_word: bool = False,
) -> Replaced:
    """Replace every occurrence in the document's headings and bodies in one transaction."""
    rx = pattern(text, match_case=match_case, whole_word=whole_word)
    before: dict[int, tuple[str, str]] = {}
    after: dict[int, tuple[str, str]] = {}
    count = 0
    for entry, heading, body in _texts(ws, doc_id, None):
        # A function, so a backslash or "\1" in the replacement is taken literally.
        new_heading, n_heading = rx.subn(lambda _m: replacement, heading)
        new_body, n_body = rx.subn(lambda _m: replacement, body)
        if n_heading or n_body:
            count += n_heading + n_body
            before[entry.id] = (heading, body)
            after[entry.id] = (new_heading, new_body)
            sections.edit_section(ws, entry.id, heading=new_heading, body=new_body)
    if not count:
        raise WorkbenchError(f"“{text}” is not in this document.")
    audit.record(
        ws,
        "document.replace_all",
        "document",
        doc_id,
        find=text,
        replacement=replacement,
        count=count,
        sections=sorted(before),
    )
    return Replaced(count, before, after)


@use_case
def restore_texts(ws, doc_id: int, texts: dict[int, tuple[str, str]]) -> None:
    """Put sections' headings and bodies back as they were (undo and redo of a replace)."""
    for section_id, (heading, body) in texts.items():
        sections.edit_section(ws, section_id, heading=heading, body=body)
    audit.record(ws, "document.restore_texts", "document", doc_id, sections=sorted(texts))
