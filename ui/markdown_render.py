"""Markdown source to HTML for previews, with raw HTML disabled so typed markup stays text."""

from __future__ import annotations

PREVIEW_CSS = """
body { font-size: 10.5pt; line-height: 140%; }
h1 { font-size: 15pt; } h2 { font-size: 13pt; } h3 { font-size: 11.5pt; }
blockquote { margin-left: 12px; padding-left: 8px; color: #666; }
code { font-family: monospace; }
pre { font-family: monospace; }
"""


SCREEN_WIDTH = 420  # pixels a figure is shown at, at most, in a preview


def _figure_html(fid: int, alt: str, title: str, figures, figure_numbers, max_width) -> str:
    """A stored figure as an <img> the FigureBrowser answers, with its numbered caption."""
    from html import escape

    number = (figure_numbers or {}).get(fid)
    label = f"Figure {number}" if number else "Figure"
    image = figures.get(fid)
    if image is None:
        return f"<i>[{escape(label)}: {escape(alt)} — its image is not in this workspace]</i>"
    caption = " ".join((title or image.caption or "").split())
    width = max(1, min(max_width or SCREEN_WIDTH, int(image.width)))
    text = f"{label}. {caption}" if caption else f"{label}."
    return (
        f'<img src="figure:{fid}" width="{width}" alt="{escape(alt or image.alt)}">'
        f"<br/><i>{escape(text)}</i>"
    )


def _safe_inline(
    children, numbers, missing, figures=None, figure_numbers=None, max_width=None
) -> list:
    """Cross-references become their number; images become text, never a fetched resource.

    With `figures` (figure id -> FigureImage), a stored figure becomes an <img> naming
    figure:ID, which only ui.figure_view.FigureBrowser answers, from those bytes.
    """
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
            fid = figure_ref(src)
            if fid is not None and figures is not None:
                html = Token("html_inline", "", 0)
                html.content = _figure_html(fid, alt, title, figures, figure_numbers, max_width)
                out.append(html)
                continue
            label = "Figure" if fid is not None else "image"
            text = Token("text", "", 0)
            text.content = f"[{label}: {alt}{' — ' + title if title else ''}]"
            out.append(text)
            continue
        out.append(tok)
    return out


def _cell_breaks(children) -> list:
    """A literal <br> in a table cell is a line break there, as the PDF and Word print it
    (the GFM convention; the Word import writes a cell's paragraphs so)."""
    from markdown_it.token import Token

    from workbench.markdown_model import CELL_BREAK

    out = []
    for tok in children:
        if tok.type != "text" or not CELL_BREAK.search(tok.content):
            out.append(tok)
            continue
        for k, part in enumerate(CELL_BREAK.split(tok.content)):
            if k:
                out.append(Token("hardbreak", "br", 0))
            if part:
                text = Token("text", "", 0)
                text.content = part
                out.append(text)
    return out


def render(
    source: str,
    numbers: dict[int, str] | None = None,
    missing: str = "",
    figures=None,
    figure_numbers: dict[int, int] | None = None,
    max_width: int | None = None,
) -> str:
    """HTML for a section body, by the one Markdown configuration (workbench.markdown_model).

    Anything that looks like a tag is escaped, never interpreted; no image or file named in the
    text is ever loaded (an image prints as its alt text). numbers maps section id -> number for
    cross-references (None: unknown here, printed "§?"; a section not in it prints `missing`,
    by default as removed). figures / figure_numbers: see _safe_inline; a paragraph holding
    only a figure is centred; max_width (pixels) fits figures to the view showing them.
    """
    from workbench.markdown_model import parser

    md = parser()
    env: dict = {}
    tokens = md.parse(source or "", env)
    in_cell = False
    for n, tok in enumerate(tokens):
        if tok.type in ("td_open", "th_open", "td_close", "th_close"):
            in_cell = tok.type.endswith("_open")
        if tok.type == "inline":
            tok.children = _safe_inline(
                tok.children, numbers, missing, figures, figure_numbers, max_width
            )
            if in_cell:
                tok.children = _cell_breaks(tok.children)
            if (
                figures is not None
                and n
                and tokens[n - 1].type == "paragraph_open"
                and len(tok.children) == 1
                and tok.children[0].type == "html_inline"
            ):
                tokens[n - 1].attrSet("align", "center")
    html = md.renderer.render(tokens, md.options, env)
    from html import escape

    from workbench.markdown_model import uncited_footnotes

    for text in uncited_footnotes(source or "", env):
        html += f"<p><small><i>{escape(text)}</i></small></p>"
    return html


def document(
    heading: str,
    body: str,
    numbers: dict[int, str] | None = None,
    missing="",
    figures=None,
    figure_numbers: dict[int, int] | None = None,
    max_width: int | None = None,
) -> str:
    from html import escape

    title = f"<h2>{escape(heading)}</h2>" if heading.strip() else ""
    head = f"<head><style>{PREVIEW_CSS}</style></head>"
    text = render(body, numbers, missing, figures, figure_numbers, max_width)
    return f"<html>{head}<body>{title}{text}</body></html>"
