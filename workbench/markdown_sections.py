"""Splitting a Markdown text into a heading tree, keeping each section's body as Markdown source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

# A trailing attribute block on a heading, e.g. "## Maritime {kind=tenet equities=USCG,CBP}".
_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_NEWLINES = re.compile(r"\r\n?")
# Only the block structure is needed (where headings start and end): inline parsing of a
# 200-page draft was most of this function's time.
_BLOCKS = MarkdownIt("commonmark").disable("inline")


@dataclass
class ParsedSection:
    level: int
    heading: str
    body: str
    attrs: dict[str, str] = field(default_factory=dict)


def _parse_attrs(text: str) -> dict[str, str]:
    out = {}
    for part in text.split():
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def split_sections(text: str) -> tuple[str, list[ParsedSection]]:
    """(text before the first heading, sections in order with their heading levels)."""
    # Split lines exactly as markdown-it does: str.splitlines() also breaks on form feeds and
    # U+2028 (common in text pasted from Word), which would shift every line number after them.
    text = _NEWLINES.sub("\n", text)
    lines = text.split("\n")
    tokens = _BLOCKS.parse(text)
    heads = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map and tok.level == 0:
            inline = tokens[i + 1].content if i + 1 < len(tokens) else ""
            heads.append((tok.map[0], tok.map[1], int(tok.tag[1]), inline))
    preamble_end = heads[0][0] if heads else len(lines)
    preamble = "\n".join(lines[:preamble_end]).strip()
    sections = []
    for n, (_start, end, level, inline) in enumerate(heads):
        next_start = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = "\n".join(lines[end:next_start]).strip("\n")
        attrs = {}
        m = _ATTRS.search(inline)
        if m and "=" in m.group(1):  # "Budget {FY2026}" is a heading, not attributes
            attrs = _parse_attrs(m.group(1))
            inline = inline[: m.start()]
        sections.append(ParsedSection(level, inline.strip(), body.strip(), attrs))
    return preamble, sections


def nest(sections: list[ParsedSection]) -> list[tuple[ParsedSection, int | None]]:
    """Pair each section with the index of its parent (the nearest earlier shallower heading)."""
    out: list[tuple[ParsedSection, int | None]] = []
    stack: list[tuple[int, int]] = []  # (level, index)
    for i, s in enumerate(sections):
        while stack and stack[-1][0] >= s.level:
            stack.pop()
        out.append((s, stack[-1][1] if stack else None))
        stack.append((s.level, i))
    return out
