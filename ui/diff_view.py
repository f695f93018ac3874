"""Revision diffs as HTML: insertions green and underlined, deletions red and struck through."""

from __future__ import annotations

from html import escape as _escape

from PySide6.QtWidgets import QTextBrowser

INS = "color:#1a7f37; background-color:rgba(26,127,55,0.12); text-decoration:underline;"
DEL = "color:#cf222e; background-color:rgba(207,34,46,0.10); text-decoration:line-through;"


def escape(text: str) -> str:
    # Lines inside a paragraph (list items, hard breaks) stay on their own lines.
    return _escape(text).replace("\n", "<br>")


STATUS = {"added": "added", "removed": "removed", "changed": "changed", "unchanged": ""}


def _words(ops) -> str:
    out = []
    for op in ops:
        text = escape(op.text)
        if op.op == "insert":
            out.append(f'<span style="{INS}">{text}</span>')
        elif op.op == "delete":
            out.append(f'<span style="{DEL}">{text}</span>')
        else:
            out.append(text)
    return "".join(out)


def _paragraph(p) -> str:
    if p.op == "equal":
        return f"<p>{escape(p.new)}</p>"
    if p.op == "insert":
        return f'<p><span style="{INS}">{escape(p.new)}</span></p>'
    if p.op == "delete":
        return f'<p><span style="{DEL}">{escape(p.old)}</span></p>'
    return f"<p>{_words(p.words)}</p>"


def render(diffs, *, show_unchanged: bool = False) -> str:
    """HTML for a list of SectionDiff; unchanged sections are collapsed to their heading."""
    parts = []
    changed = 0
    for d in diffs:
        number = d.number or d.old_number
        if d.status == "unchanged" and not show_unchanged:
            continue
        changed += d.status != "unchanged"
        if d.heading_words:
            heading = _words(d.heading_words)
        elif d.status == "removed":
            heading = f'<span style="{DEL}">{escape(d.old_heading)}</span>'
        elif d.status == "added":
            heading = f'<span style="{INS}">{escape(d.new_heading)}</span>'
        else:
            heading = escape(d.new_heading)
        moved = (
            f" <small>(was {escape(d.old_number)})</small>"
            if d.old_number and d.number and d.old_number != d.number
            else ""
        )
        tag = STATUS[d.status]
        tag = f' <small style="color:gray">— {tag}</small>' if tag else ""
        parts.append(f"<h3>{escape(number)} {heading}{moved}{tag}</h3>")
        parts.extend(_paragraph(p) for p in d.paragraphs)
    if not changed:
        parts.append("<p><i>No differences.</i></p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


class DiffView(QTextBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Differences")
        self.setOpenLinks(False)
        self.diffs: list = []

    def show_diffs(self, diffs, title: str = "") -> None:
        self.diffs = list(diffs)
        html = render(self.diffs)
        if title:
            html = html.replace("<body>", f"<body><p><b>{escape(title)}</b></p>", 1)
        self.setHtml(html)
