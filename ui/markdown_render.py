"""Markdown source to HTML for previews, with raw HTML disabled so typed markup stays text."""

from __future__ import annotations

PREVIEW_CSS = """
body { font-size: 10.5pt; line-height: 140%; }
h1 { font-size: 15pt; } h2 { font-size: 13pt; } h3 { font-size: 11.5pt; }
blockquote { margin-left: 12px; padding-left: 8px; color: #666; }
code { font-family: monospace; }
pre { font-family: monospace; }
"""


def _safe_inline(children, numbers, missing) -> list:
    """Cross-references become their number; images become text, never a fetched resource."""
    from markdown_it.token import Token

    from workbench.markdown_model import figure_ref, section_ref, section_sign

    out, skipping = [], False
    for tok in children or ():
        if skipping:
            skipping = tok.type != "link_close"
            continue
        if tok.type == "link_open" and section_ref(tok.attrs.get("href", "")) is not None:
            target = section_ref(tok.attrs.get("href", ""))
            text = Token("text", "", 0)
            if numbers is None:
                text.content = "§?"
            elif target in numbers:
                text.content = section_sign(numbers[target])
            else:
                text.content = missing or section_sign(None)
            out.append(text)
            skipping = True
            continue
        if tok.type == "image":
            src = str(tok.attrs.get("src", ""))
            alt = tok.content or "".join(c.content for c in tok.children or ())
            title = str(tok.attrs.get("title", "") or "")
            label = "Figure" if figure_ref(src) is not None else "image"
            text = Token("text", "", 0)
            text.content = f"[{label}: {alt}{' — ' + title if title else ''}]"
            out.append(text)
            continue
        out.append(tok)
    return out


def render(source: str, numbers: dict[int, str] | None = None, missing: str = "") -> str:
    """HTML for a section body, by the one Markdown configuration (workbench.markdown_model).

    Anything that looks like a tag is escaped, never interpreted; no image or file named in the
    text is ever loaded (an image prints as its alt text). numbers maps section id -> number for
    cross-references (None: unknown here, printed "§?"; a section not in it prints `missing`,
    by default as removed).
    """
    from workbench.markdown_model import parser

    md = parser()
    env: dict = {}
    tokens = md.parse(source or "", env)
    for tok in tokens:
        if tok.type == "inline":
            tok.children = _safe_inline(tok.children, numbers, missing)
    return md.renderer.render(tokens, md.options, env)


def document(heading: str, body: str, numbers: dict[int, str] | None = None, missing="") -> str:
    from html import escape

    title = f"<h2>{escape(heading)}</h2>" if heading.strip() else ""
    head = f"<head><style>{PREVIEW_CSS}</style></head>"
    return f"<html>{head}<body>{title}{render(body, numbers, missing)}</body></html>"
