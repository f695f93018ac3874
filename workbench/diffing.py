"""Paragraph- and word-level differences between two texts (pure functions over strings)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# A word or a punctuation mark carries the whitespace before it, so an inserted phrase reads
# " and ashore" and the word before it stays equal. Whitespace as tokens of its own
# made thousands of identical " " tokens, and SequenceMatcher's work on those grew so fast that
# a 3,000-word list with ten edits took seconds to diff.
_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]|\s+", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class WordOp:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class ParagraphDiff:
    op: str  # "equal" | "insert" | "delete" | "replace"
    old: str
    new: str
    words: tuple[WordOp, ...] = field(default=())


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]


def diff_words(old: str, new: str) -> list[WordOp]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(WordOp("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(WordOp("insert", "".join(b[j1:j2])))
    return ops


def diff_text(old: str, new: str) -> list[ParagraphDiff]:
    """Paragraphs aligned first; replaced paragraphs paired one-to-one and diffed by word."""
    a, b = paragraphs(old), paragraphs(new)
    out: list[ParagraphDiff] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(ParagraphDiff("equal", p, p) for p in a[i1:i2])
        elif tag == "delete":
            out.extend(ParagraphDiff("delete", p, "") for p in a[i1:i2])
        elif tag == "insert":
            out.extend(ParagraphDiff("insert", "", p) for p in b[j1:j2])
        else:
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else ""
                n = news[k] if k < len(news) else ""
                if o and n:
                    out.append(ParagraphDiff("replace", o, n, tuple(diff_words(o, n))))
                elif o:
                    out.append(ParagraphDiff("delete", o, ""))
                else:
                    out.append(ParagraphDiff("insert", "", n))
    return out


def is_unchanged(diffs: list[ParagraphDiff]) -> bool:
    return all(d.op == "equal" for d in diffs)
