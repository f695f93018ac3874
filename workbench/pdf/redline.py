"""The redline PDF: a summary page of changed sections, then the text with insertions underlined
in colour, deletions struck and moved sections marked; the marking on every page."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import NextPageTemplate, PageBreak, Paragraph, Spacer, Table, TableStyle

from workbench.pdf import styles as st
from workbench.pdf.build import _fit
from workbench.pdf.document import parse_time
from workbench.pdf.markdown_flowables import esc
from workbench.pdf.templates import Layout, WorkbenchDoc, canvas_maker
from workbench.pdf.textblock import BREAK, Run, TextBlock

# The ops of workbench.redline (not imported: this package reads only what it is handed).
INSERT, DELETE = "insert", "delete"
INSERT_COLOR = st.REDLINE_INSERT
DELETE_COLOR = st.REDLINE_DELETE
MOVED_COLOR = st.REDLINE_MOVED
INSERT_BG = colors.HexColor("#e7eefb")
DELETE_BG = colors.HexColor("#fbe9e7")
_PLAIN_KINDS = {"paragraph", "bullet", "ordered"}
STATUS_WORDS = {"added": "Added", "removed": "Removed", "changed": "Changed", "unchanged": ""}


def _styles() -> dict[str, ParagraphStyle]:
    base = st.paragraph_styles()
    # A redline is read mark by mark: flush left and unhyphenated, so a struck or inserted
    # word is never split across lines (and a 200-page redline lays out in seconds).
    body = ParagraphStyle("rl-base", parent=base["body"], alignment=TA_LEFT, hyphenationLang="")
    return {
        "title": ParagraphStyle(
            "rl-title",
            parent=body,
            fontName=st.SANS_BOLD,
            fontSize=18,
            leading=22,
            spaceAfter=8,
            alignment=TA_LEFT,
            hyphenationLang="",
        ),
        "sub": ParagraphStyle(
            "rl-sub",
            parent=body,
            textColor=st.MUTED,
            spaceAfter=4,
            alignment=TA_LEFT,
            hyphenationLang="",
        ),
        "h": ParagraphStyle(
            "rl-h",
            parent=body,
            fontName=st.SANS_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            alignment=TA_LEFT,
            hyphenationLang="",
        ),
        "body": ParagraphStyle("rl-body", parent=body, spaceAfter=5),
        "code": ParagraphStyle("rl-code", parent=body, fontName=st.MONO, fontSize=8.5),
        "note": ParagraphStyle("rl-note", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("rl-cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
    }


def _span(mark) -> str:
    p = mark.piece
    if p.kind == "break":
        return "<br/>"
    if p.kind == "footnote":
        text = f"<super>[{esc(p.text)}]</super>"
    elif p.kind == "figure":
        caption = f" — {esc(p.title)}" if p.title else ""
        text = f"[Figure: {esc(p.text)}{caption}]"
    elif p.kind == "image":
        text = f"[image: {esc(p.text)}]"
    else:
        text = esc(p.text)
        if p.code:
            text = f'<font face="{st.MONO}">{text}</font>'
        if p.href:
            text += f" ({esc(p.href)})"
    if p.bold:
        text = f"<b>{text}</b>"
    if p.italic:
        text = f"<i>{text}</i>"
    if p.strike and mark.op != DELETE:
        text = f"<strike>{text}</strike>"
    if mark.op == INSERT:
        return f'<font color="{INSERT_COLOR}"><u>{text}</u></font>'
    if mark.op == DELETE:
        return f'<font color="{DELETE_COLOR}"><strike>{text}</strike></font>'
    return text


def markup(marks) -> str:
    """Reportlab markup for a run of marks; user text is escaped, so it prints literally."""
    return "".join(_span(m) for m in marks)


def _runs(marks) -> list[Run] | None:
    """Plain runs for text that did not change (None if any mark did): drawn as a TextBlock,
    which lays out a 200-page redline's unchanged text many times faster than markup does."""
    runs: list[Run] = []
    for mark in marks:
        if mark.op != "equal":
            return None
        p = mark.piece
        if p.kind == "break":
            runs.append(Run(BREAK))
            continue
        text = {
            "footnote": f"[{p.text}]",
            "figure": f"[Figure: {p.text}{' — ' + p.title if p.title else ''}]",
            "image": f"[image: {p.text}]",
        }.get(p.kind, p.text)
        if p.href:
            text += f" ({p.href})"
        runs.append(Run(text, p.bold, p.italic, p.code, p.strike))
    return runs


def _block_flowables(change, sty, width) -> list:
    b = change.block
    plain = _runs(change.marks) if change.kind in _PLAIN_KINDS else None
    if change.kind == "rule":
        color = {INSERT: INSERT_COLOR, DELETE: DELETE_COLOR}.get(change.op, "#9aa3ad")
        return [Paragraph(f'<font color="{color}">― ― ―</font>', sty["body"])]
    if change.kind == "table":
        return [_table(change, sty, width)]
    if plain is not None and change.kind == "paragraph":
        return [TextBlock(plain, sty["body"])]
    text = markup(change.marks)
    if change.kind == "heading":
        return [Paragraph(f"<b>{text}</b>", sty["body"])]
    if change.kind in ("bullet", "ordered"):
        bullet = f"{b.marker}." if change.kind == "ordered" and b.marker else "•"
        style = ParagraphStyle(
            f"rl-li{b.level}",
            parent=sty["body"],
            leftIndent=18 * b.level,
            bulletIndent=18 * b.level - 12,
        )
        if plain is not None:
            return [TextBlock(plain, style, bullet)]
        return [Paragraph(text, style, bulletText=bullet)]
    if change.kind == "quote":
        style = ParagraphStyle("rl-q", parent=sty["body"], leftIndent=14, textColor=st.MUTED)
        return [Paragraph(text, style)]
    if change.kind == "code":
        return [Paragraph(text.replace("\n", "<br/>"), sty["code"])]
    if change.kind == "footnote":
        return [Paragraph(f"<super>[{esc(b.label)}]</super> {text}", sty["note"])]
    return [Paragraph(text, sty["body"])]


def _table(change, sty, width) -> Table:
    ncols = max((len(r.cells) for r in change.rows), default=1) or 1
    data, commands = (
        [],
        [
            ("GRID", (0, 0), (-1, -1), 0.5, st.TABLE_GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ],
    )
    for r, row in enumerate(change.rows):
        cells = [Paragraph(markup(c), sty["cell"]) for c in row.cells]
        cells += [""] * (ncols - len(cells))
        data.append(cells)
        if row.op == INSERT:
            commands.append(("BACKGROUND", (0, r), (-1, r), INSERT_BG))
        elif row.op == DELETE:
            commands.append(("BACKGROUND", (0, r), (-1, r), DELETE_BG))
        elif row.header:
            commands.append(("BACKGROUND", (0, r), (-1, r), st.TABLE_HEAD_BG))
    for c, align in enumerate(change.block.aligns):
        if align in ("right", "center"):
            commands.append(("ALIGN", (c, 0), (c, -1), align.upper()))
    t = Table(data, colWidths=[width / ncols] * ncols, splitByRow=1, hAlign="LEFT")
    t.setStyle(TableStyle(commands))
    t.spaceAfter = 6
    return t


def _summary(red, sty) -> list:
    counts = red.counts()
    flow = [
        Paragraph(f"Redline: {esc(red.title)}", sty["title"]),
        Paragraph(
            f"From <b>{esc(red.old.label)}</b> ({esc(red.old.at[:10])}) "
            f"to <b>{esc(red.new.label)}</b> ({esc(red.new.at[:10])})",
            sty["sub"],
        ),
        Paragraph(
            f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
            f"{counts['moved']} moved.",
            sty["sub"],
        ),
        Paragraph(
            f'Key: <font color="{INSERT_COLOR}"><u>inserted text</u></font> · '
            f'<font color="{DELETE_COLOR}"><strike>deleted text</strike></font> · '
            f'<font color="{MOVED_COLOR}"><b>[Moved]</b></font> a section moved in the outline.',
            sty["sub"],
        ),
        Spacer(1, 8),
        Paragraph("Changed sections", sty["h"]),
    ]
    rows = [["Section", "Heading", "Change"]]
    for s in red.changed:
        what = [STATUS_WORDS[s.status]] if STATUS_WORDS[s.status] else []
        if s.moved:
            what.append(f"Moved (was {s.old_number})")
        elif s.number and s.old_number and s.number != s.old_number:
            what.append(f"Renumbered (was {s.old_number})")
        rows.append(
            [
                Paragraph(esc(s.number or f"({s.old_number})"), sty["cell"]),
                Paragraph(markup(s.heading), sty["cell"]),
                Paragraph(esc(", ".join(what)), sty["cell"]),
            ]
        )
    if len(rows) == 1:
        flow.append(Paragraph("No section changed.", sty["body"]))
        return flow
    width = st.PAGE_SIZE[0] - 2 * st.MARGIN_X
    t = Table(rows, colWidths=[60, width - 200, 140], repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, st.TABLE_GRID),
                ("BACKGROUND", (0, 0), (-1, 0), st.TABLE_HEAD_BG),
                ("FONTNAME", (0, 0), (-1, 0), st.SANS_BOLD),
                ("FONTSIZE", (0, 0), (-1, 0), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    flow.append(t)
    return flow


def build_redline_pdf(red, *, progress=None, cancelled=None) -> bytes:
    """The redline PDF of `red` (a workbench.redline.Redline); progress and cancel as build_pdf."""
    layout = Layout(progress, cancelled)
    layout.check()
    sty = _styles()
    width = st.PAGE_SIZE[0] - 2 * st.MARGIN_X
    flow: list = [NextPageTemplate("body"), *_summary(red, sty), PageBreak()]
    for s in red.sections:
        number = s.number or s.old_number
        heading = markup(s.heading)
        tag = ""
        if s.status == "removed":
            tag = f' <font color="{DELETE_COLOR}" size="9">[Removed]</font>'
        elif s.status == "added":
            tag = f' <font color="{INSERT_COLOR}" size="9">[Added]</font>'
        if s.moved:
            was = esc(s.old_number)
            tag += f' <font color="{MOVED_COLOR}" size="9"><b>[Moved from {was}]</b></font>'
        hstyle = ParagraphStyle(
            f"rl-h{s.depth}", parent=sty["h"], fontSize=max(10.5, 13.5 - s.depth)
        )
        flow.append(Paragraph(f"{esc(number)}&nbsp;&nbsp;{heading}{tag}", hstyle))
        for change in s.blocks:
            flow.extend(_block_flowables(change, sty, width))
    for seq, f in enumerate(flow, 1):
        f._seq = seq
    layout.total = len(flow)
    marking = " ".join((red.marking or "UNCLASSIFIED").split())
    footer = _fit(f"Redline: {red.old.label} → {red.new.label}", st.PAGE_SIZE[0] / 2)
    buf = io.BytesIO()
    doc = WorkbenchDoc(
        buf,
        marking=marking,
        footer=footer,
        draft=False,
        layout=layout,
        title=f"Redline: {red.title}",
        author="DHS Office of Counternarcotics Enforcement",
        subject=f"{red.old.label} to {red.new.label} — {marking}",
        creator="CNE Workbench",
        producer="CNE Workbench (ReportLab)",
        lang="en-US",
    )
    when = parse_time(red.new.at) or dt.datetime.now(dt.UTC)
    doc.build(flow, canvasmaker=canvas_maker(layout, when))
    layout.report(1.0)
    return buf.getvalue()


__all__ = ["build_redline_pdf", "markup"]
