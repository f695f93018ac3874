"""The one Markdown configuration (preview, review window, PDF, redline, Word) and its inline model.

Section bodies are GFM-flavoured Markdown with four additions every reader and writer shares:

- tables: GFM pipe tables; a literal ``<br>`` inside a cell is a line break in that cell;
- footnotes: ``text[^1]`` cites ``[^1]: the note`` defined in the same section body; the PDF and
  Word number them through the whole document in citation order;
- figures: ``![alt text](figure:ID "Caption")`` names an image stored in the workspace
  (table ``figures``), never a path or URL;
- cross-references: ``[§](section:ID)`` names a section by id and is printed as that section's
  current number ("§3"), so it follows the section when the outline changes;
- list styles: a paragraph ``{type=a}`` (or ``{type="1 a i"}``, one style per nesting level:
  ``1`` ``a`` ``A`` ``i`` ``I``, ``-`` for as usual) right before a list numbers it a, b, c or
  i, ii, iii; the paragraph itself is not printed and each ordered list gets the attribute
  ``type`` (as HTML's ``<ol type="a">``). Anything else in braces stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

MAX_NESTING = 40
SECTION_SCHEME = "section:"
FIGURE_SCHEME = "figure:"
CELL_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ID = re.compile(r"[1-9][0-9]{0,17}")


LIST_TYPES = ("1", "a", "A", "i", "I")
_LIST_STYLE = re.compile(r'\{type=(?:"([-1aAiI](?: [-1aAiI])*)"|([-1aAiI]))\}')
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
_ROMAN += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def list_label(n: int, style: str = "1") -> str:
    """An ordered item's number in a list style: 3 -> "3", "c", "C", "iii", "III"."""
    if style in ("a", "A") and n > 0:
        out = ""
        while n > 0:
            n, rem = divmod(n - 1, 26)
            out = chr(97 + rem) + out
        return out.upper() if style == "A" else out
    if style in ("i", "I") and 0 < n < 4000:
        out = ""
        for value, letters in _ROMAN:
            while n >= value:
                out += letters
                n -= value
        return out.upper() if style == "I" else out
    return str(n)


def list_style_line(styles: list[str]) -> str:
    """The paragraph that gives a list its styles (by nesting level), or "" for plain numbers."""
    styles = [s if s in LIST_TYPES else "-" for s in styles]
    while styles and styles[-1] in ("-", "1"):
        styles.pop()
    if not styles:
        return ""
    return "{type=" + (styles[0] if len(styles) == 1 else '"' + " ".join(styles) + '"') + "}"


def _list_styles(state) -> None:
    """Core rule: a {type=...} paragraph right before a list styles it and is not printed."""
    tokens = state.tokens
    i = 0
    while i + 3 < len(tokens):
        t = tokens[i]
        if not (
            t.type == "paragraph_open"
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
            and tokens[i + 3].type in ("ordered_list_open", "bullet_list_open")
            and tokens[i + 3].level == t.level
        ):
            i += 1
            continue
        m = _LIST_STYLE.fullmatch(tokens[i + 1].content.strip())
        if m is None:
            i += 1
            continue
        styles = (m.group(1) or m.group(2)).split()
        depth = 0
        for tok in tokens[i + 3 :]:
            if tok.type in ("ordered_list_open", "bullet_list_open"):
                if tok.type == "ordered_list_open" and depth < len(styles):
                    if styles[depth] in LIST_TYPES[1:]:
                        tok.attrSet("type", styles[depth])
                depth += 1
            elif tok.type in ("ordered_list_close", "bullet_list_close"):
                depth -= 1
                if depth == 0:
                    break
        del tokens[i : i + 3]


@cache
def parser():
    """The shared markdown-it parser: CommonMark + tables + strikethrough + footnotes, no HTML,
    and list styles (see the module's docstring)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING, "typographer": False})
    md = md.enable(["table", "strikethrough"]).use(footnote_plugin)
    md.core.ruler.push("list_styles", _list_styles)
    return md


def parse(source: str):
    return parser().parse(source or "")


def uncited_footnotes(source: str, env: dict) -> list[str]:
    """Notes defined but never cited, as typed ("[^a]: text"); markdown-it drops them.

    env is the one the source was parsed with. Every writer prints them after the text, so a
    note whose mark was deleted is never lost silently.
    """
    refs = (env.get("footnotes") or {}).get("refs") or {}
    labels = [key[1:] for key, ref in refs.items() if ref == -1]
    if not labels:
        return []
    lines = (source or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for label in labels:
        head = f"[^{label}]:"
        for n, line in enumerate(lines):
            if line.lstrip().startswith(head):
                text = [line.strip()]
                for more in lines[n + 1 :]:
                    if not more.startswith(("    ", "\t")):
                        break
                    text.append(more.strip())
                out.append(" ".join(text))
                break
    return out


def _scheme_id(href: str, scheme: str) -> int | None:
    if not href.startswith(scheme):
        return None
    rest = href[len(scheme) :]
    return int(rest) if _ID.fullmatch(rest) else None


def section_ref(href: str) -> int | None:
    """The section id a cross-reference link names, else None."""
    return _scheme_id(str(href or ""), SECTION_SCHEME)


def figure_ref(src: str) -> int | None:
    """The figure id an image names, else None (a path or URL is never opened)."""
    return _scheme_id(str(src or ""), FIGURE_SCHEME)


def cross_reference(section_id: int) -> str:
    """The Markdown the editor inserts for a cross-reference to a section."""
    return f"[§]({SECTION_SCHEME}{int(section_id)})"


def figure_markdown(figure_id: int, alt: str, caption: str) -> str:
    """The Markdown the editor inserts for a stored figure."""
    alt = " ".join(alt.split()).replace("]", ")").replace("[", "(")
    caption = " ".join(caption.split()).replace('"', "”")
    return f'![{alt}]({FIGURE_SCHEME}{int(figure_id)} "{caption}")'


def section_sign(number: str | None) -> str:
    """How a cross-reference prints: the section's current number, or a plain note if gone."""
    return f"§{number}" if number else "§[section removed]"


@dataclass(frozen=True)
class Piece:
    """One run of inline text with its formatting; what every writer renders.

    kind: "text" | "break" (hard line break) | "footnote" (text is the label as cited; the
    writer numbers it) | "xref" (target = section id; text is what prints now) | "figure"
    (target = figure id, text = alt, title = caption) | "image" (a path or URL: printed as its
    alt text, never fetched).
    """

    text: str
    kind: str = "text"
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str = ""
    target: int | None = None
    title: str = ""


def pieces(children, numbers: dict[int, str] | None = None) -> list[Piece]:
    """The inline pieces of one markdown-it inline token; numbers maps section id -> number."""
    out: list[Piece] = []
    bold = italic = strike = 0
    links: list[str] = []
    skip_link_text = 0

    def add(text: str, **kw) -> None:
        if text or kw.get("kind", "text") != "text":
            out.append(
                Piece(
                    text,
                    bold=bold > 0,
                    italic=italic > 0,
                    strike=strike > 0,
                    href=links[-1] if links else "",
                    **kw,
                )
            )

    for tok in children or ():
        kind = tok.type
        if skip_link_text and kind not in ("link_close",):
            continue
        if kind == "text":
            add(tok.content)
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("", kind="break")
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("s_open", "s_close"):
            strike += 1 if kind == "s_open" else -1
        elif kind == "code_inline":
            add(tok.content, code=True)
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            target = section_ref(href)
            if target is not None:
                number = (numbers or {}).get(target)
                out.append(Piece(section_sign(number), kind="xref", target=target))
                skip_link_text = 1
                links.append("")
            else:
                links.append(href)
        elif kind == "link_close":
            if links:
                links.pop()
            skip_link_text = 0
        elif kind == "footnote_ref":
            add(str(tok.meta.get("label", "")), kind="footnote")
        elif kind == "image":
            alt = tok.content or "".join(c.content for c in tok.children or ())
            src = str(tok.attrs.get("src", ""))
            title = str(tok.attrs.get("title", "") or "")
            fid = figure_ref(src)
            if fid is not None:
                add(alt, kind="figure", target=fid, title=title)
            else:
                add(alt or "image", kind="image", title=title)
        else:  # html_inline and anything newer: the source text, shown as typed
            add(tok.content)
    return out


def split_cell_breaks(items: list[Piece]) -> list[Piece]:
    """A literal <br> inside a table cell is a line break there (the GFM convention)."""
    out: list[Piece] = []
    for p in items:
        if p.kind != "text" or "<" not in p.text:
            out.append(p)
            continue
        parts = CELL_BREAK.split(p.text)
        for k, part in enumerate(parts):
            if k:
                out.append(Piece("", kind="break"))
            if part:
                out.append(Piece(part, bold=p.bold, italic=p.italic, strike=p.strike, href=p.href))
    return out


@dataclass(frozen=True)
class Block:
    """One block of a section body, in reading order.

    kind: "paragraph" | "heading" | "bullet" | "ordered" | "quote" | "code" | "table" |
    "figure" | "rule" | "footnote" (a note's text; label says which). level is the list or
    heading depth; marker is an ordered item's number. A table has rows of cells of pieces,
    the first header_rows of them the header, and one alignment per column
    ("", "left", "center", "right"). source is the block's Markdown as typed.
    """

    kind: str
    pieces: tuple[Piece, ...] = ()
    level: int = 0
    marker: str = ""
    label: str = ""
    rows: tuple[tuple[tuple[Piece, ...], ...], ...] = ()
    header_rows: int = 0
    aligns: tuple[str, ...] = ()
    source: str = ""


def blocks(source: str, numbers: dict[int, str] | None = None) -> list[Block]:
    """The blocks of a section body (numbers: section id -> current number, for §-refs)."""
    if not source or not source.strip():
        return []
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Block] = []
    lists: list[list] = []  # [ordered, next number]
    quote = 0
    heading = 0
    footnote = ""
    table: dict | None = None
    marker = ""

    def src(tok) -> str:
        return "\n".join(lines[tok.map[0] : tok.map[1]]).strip() if tok.map else ""

    for tok in parse(source):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            start = tok.attrs.get("start", 1)
            number = int(start) if str(start).isdigit() else 1
            lists.append([t == "ordered_list_open", number, str(tok.attrs.get("type", "1"))])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open" and lists:
            marker = list_label(lists[-1][1], lists[-1][2]) if lists[-1][0] else ""
            lists[-1][1] += 1
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "heading_open":
            heading = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 3
            last_src = src(tok)
        elif t == "heading_close":
            heading = 0
        elif t == "footnote_open":
            footnote = str(tok.meta.get("label", ""))
        elif t == "footnote_close":
            footnote = ""
        elif t == "paragraph_open":
            last_src = src(tok)
        elif t == "table_open":
            table = {"rows": [], "aligns": [], "head": 0, "source": src(tok)}
        elif t == "thead_close" and table is not None:
            table["head"] = len(table["rows"])
        elif t == "tr_open" and table is not None:
            table["rows"].append([])
        elif t in ("th_open", "td_open") and table is not None:
            if len(table["rows"]) == 1:
                style = str(tok.attrs.get("style", ""))
                table["aligns"].append(style.removeprefix("text-align:"))
        elif t == "table_close" and table is not None:
            width = max((len(r) for r in table["rows"]), default=0)
            rows = tuple(
                tuple(tuple(r[c]) if c < len(r) else () for c in range(width))
                for r in table["rows"]
            )
            aligns = tuple(table["aligns"]) + ("",) * (width - len(table["aligns"]))
            out.append(
                Block(
                    "table",
                    rows=rows,
                    header_rows=table["head"],
                    aligns=aligns,
                    source=table["source"],
                )
            )
            table = None
        elif t == "inline":
            items = pieces(tok.children, numbers)
            if table is not None:
                table["rows"][-1].append(split_cell_breaks(items))
                continue
            if footnote:
                out.append(Block("footnote", tuple(items), label=footnote, source=src(tok)))
            elif heading:
                out.append(Block("heading", tuple(items), level=heading, source=last_src))
            elif lists:
                kind = "ordered" if lists[-1][0] else "bullet"
                out.append(
                    Block(kind, tuple(items), level=len(lists), marker=marker, source=last_src)
                )
                marker = ""
            elif len(items) == 1 and items[0].kind == "figure":
                out.append(Block("figure", tuple(items), source=last_src))
            else:
                out.append(
                    Block(
                        "quote" if quote else "paragraph",
                        tuple(items),
                        level=quote,
                        source=last_src,
                    )
                )
        elif t in ("fence", "code_block"):
            out.append(
                Block("code", (Piece(tok.content.rstrip("\n"), code=True),), source=src(tok))
            )
        elif t == "hr":
            out.append(Block("rule", source=src(tok)))
    return out
