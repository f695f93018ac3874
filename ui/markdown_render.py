"""Markdown source to HTML for previews, with raw HTML disabled so typed markup stays text."""

from __future__ import annotations

from functools import cache

PREVIEW_CSS = """
body { font-size: 10.5pt; line-height: 140%; }
h1 { font-size: 15pt; } h2 { font-size: 13pt; } h3 { font-size: 11.5pt; }
blockquote { margin-left: 12px; padding-left: 8px; color: #666; }
code { font-family: monospace; }
pre { font-family: monospace; }
"""


@cache
def _parser():
    # Imported on the first preview, not at start: markdown_it costs start-up time.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(source: str) -> str:
    """HTML for a section body; anything that looks like a tag is escaped, never interpreted."""
    return _parser().render(source)


def document(heading: str, body: str) -> str:
    from html import escape

    title = f"<h2>{escape(heading)}</h2>" if heading.strip() else ""
    head = f"<head><style>{PREVIEW_CSS}</style></head>"
    return f"<html>{head}<body>{title}{render(body)}</body></html>"
