"""Finding a quoted passage in Markdown source as the reader saw it (markup and spacing aside)."""

from __future__ import annotations

import re

# Inline markup a reader never sees: emphasis and code marks, link brackets, and the
# "(target)" of a link or image.
_MARK = set("*_`~")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
# A footnote citation "[^n]" (not its definition "[^n]:"): a reader sees a small number, and a
# passage taken from Word has nothing there at all.
CITATION = re.compile(r"\[\^[^\]\s]+\](?!:)")
# How a preview shows a citation ("[1]"), in a passage quoted from it.
_SHOWN_CITATION = re.compile(r"\[\d+\]")
# A line break inside a table cell, which a reader sees as one.
_CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _plain(body: str) -> tuple[str, list[int]]:
    """The text as read (markup dropped, whitespace runs as one space) and, for each of its
    characters, its index in `body`."""
    chars: list[str] = []
    where: list[int] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "[" and body.startswith("[^", i):
            citation = CITATION.match(body, i)
            if citation:
                i = citation.end()
                continue
        cell_break = _CELL_BREAK.match(body, i) if ch == "<" else None
        if cell_break:
            ch, i = " ", cell_break.end() - 1
        if ch == "]":
            target = _LINK_TARGET.match(body, i)
            i = target.end() if target else i + 1
            continue
        if ch in _MARK or ch == "[" or ch == "!" and body.startswith("![", i):
            i += 1
            continue
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
            i += 1
            continue
        chars.append(ch)
        where.append(i)
        i += 1
    return "".join(chars), where


def find_passage(body: str, passage: str) -> tuple[int, int] | None:
    """(start, end) in `body` of the passage a reader quoted from the rendered text, or None.

    An exact match wins. Otherwise bold, italic, code and link markup and line breaks are
    ignored; the span grows over markup that opens or closes right at its edges, so replacing
    it leaves no half of a `**bold**` behind."""
    passage = passage.strip()
    if not passage:
        return None
    at = body.find(passage)
    if at >= 0:
        return at, at + len(passage)
    plain, where = _plain(body)
    wanted, _ = _plain(_SHOWN_CITATION.sub("", passage))
    wanted = wanted.strip()
    if not wanted:
        return None
    hit = plain.find(wanted)
    if hit < 0:
        return None
    start, end = where[hit], where[hit + len(wanted) - 1] + 1
    while start > 0 and (body[start - 1] in _MARK or body[start - 1] == "["):
        start -= 1
    while end < len(body):
        target = _LINK_TARGET.match(body, end)
        if target:
            end = target.end()
        elif body[end] in _MARK:
            end += 1
        else:
            break
    return start, end


def keep_citations(replaced: str, wording: str) -> str:
    """`wording` with the footnote citations of the text it replaces that it lacks put back
    after the words they followed (else at its end): applying a reviewer's wording, taken from
    a Word file that has no "[^n]", must not cut a note from the sentence that cites it."""
    out = wording
    for citation in CITATION.finditer(replaced):
        mark = citation.group(0)
        if mark in out:
            continue
        before, _ = _plain(replaced[: citation.start()])
        words = before.split()
        at = -1
        for take in range(min(len(words), 8), 0, -1):  # the longest run of preceding words found
            tail = " ".join(words[-take:])
            found = out.find(tail)
            if found >= 0:
                at = found + len(tail)
                break
        if at < 0:
            stripped = out.rstrip()
            out = stripped + mark + out[len(stripped) :]
        else:
            out = out[:at] + mark + out[at:]
    return out
