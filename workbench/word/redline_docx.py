"""The redline .docx: two states of a document as Word tracked changes (w:ins / w:del).

Built from `workbench.redline.Redline` (the structure the redline PDF uses too). Every insertion
and deletion carries the author and date of the newer side, so Word's Track Changes lists them
and the reader can accept or reject each one. A moved section is named in its heading's note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from workbench import audit
from workbench.redline import CHANGED, DELETE, EQUAL, INSERT, Redline
from workbench.word.ooxml import clean, header_row
from workbench.workspace import use_case

AUTHOR = "CNE Workbench"


class _Changes:
    """Numbers the w:ins / w:del elements and stamps them with one author and date."""

    def __init__(self, author: str, date: str):
        self.next_id = 1
        self.author = escape(clean(author) or AUTHOR, {'"': "&quot;"})
        self.date = date

    def _run(self, piece, deleted: bool) -> str:
        props = ""
        if getattr(piece, "bold", False):
            props += "<w:b/>"
        if getattr(piece, "italic", False):
            props += "<w:i/>"
        if getattr(piece, "strike", False):
            props += "<w:strike/>"
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        text = escape(clean(piece.text if piece.kind != "break" else ""))
        tag = "w:delText" if deleted else "w:t"
        if piece.kind == "break":
            return f"<w:r>{rpr}<w:br/></w:r>"
        if piece.kind == "footnote":
            text = escape(clean(f"[^{piece.text}]"))
        return f'<w:r>{rpr}<{tag} xml:space="preserve">{text}</{tag}></w:r>'

    def wrap(self, op: str, runs: str) -> str:
        if op == EQUAL:
            return runs
        tag = "w:ins" if op == INSERT else "w:del"
        out = f'<{tag} w:id="{self.next_id}" w:author="{self.author}" w:date="{self.date}">'
        self.next_id += 1
        return out + runs + f"</{tag}>"

    def marks(self, marks) -> str:
        return "".join(self.wrap(m.op, self._run(m.piece, m.op == DELETE)) for m in marks)

    def pieces(self, op: str, pieces) -> str:
        return self.wrap(op, "".join(self._run(p, op == DELETE) for p in pieces))


def _paragraph(doc, style: str | None, inner: str):
    p = doc.add_paragraph(style=style)
    for el in parse_xml(f"<w:p {nsdecls('w')}>{inner}</w:p>"):
        p._p.append(el)
    return p


_STYLE = {"quote": "Quote", "code": "No Spacing", "bullet": "List Bullet", "ordered": "List Number"}


def build_redline_docx(r: Redline, *, author: str | None = None) -> bytes:
    """The .docx of a redline, every change a tracked change by `author` (the newer side's)."""
    doc = docx.Document()
    when = r.new.at or dt.datetime.now(dt.UTC).isoformat()
    date = when[:19] + "Z" if len(when) >= 19 else when
    changes = _Changes(author or r.new.author or AUTHOR, date)
    sec = doc.sections[0]
    for part in (sec.header, sec.footer):
        para = part.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(clean(r.marking) or "UNCLASSIFIED").bold = True
    doc.core_properties.title = clean(r.title)[:255]
    doc.core_properties.subject = f"Redline: {clean(r.old.label)} → {clean(r.new.label)}"[:255]
    doc.add_paragraph(clean(r.title), style="Title")
    doc.add_paragraph(
        f"Changes from {clean(r.old.label)} to {clean(r.new.label)}", style="Subtitle"
    )
    counts = r.counts()
    doc.add_paragraph(
        f"Sections: {counts['added']} added, {counts['removed']} removed, "
        f"{counts['changed']} changed, {counts['moved']} moved. Review them with Word's "
        "Track Changes (Accept / Reject)."
    )
    for s in r.sections:
        op = {"added": INSERT, "removed": DELETE}.get(s.status, EQUAL)
        number = s.number or s.old_number
        head = changes.pieces(op, [_Text(f"{number} ")]) if number else ""
        head += (
            changes.marks(s.heading)
            if op == EQUAL
            else changes.pieces(op, [m.piece for m in s.heading])
        )
        p = _paragraph(doc, f"Heading {min(s.depth + 1, 9)}", head)
        if s.moved:
            p.add_run(f"  (moved; was {s.old_number})").italic = True
        for b in s.blocks:
            block_op = op if op != EQUAL else b.op
            kind = b.block.kind
            if kind == "table":
                _table(doc, changes, b, block_op)
                continue
            if kind == "rule":
                continue
            style = _STYLE.get(kind)
            if block_op == CHANGED or b.marks:
                inner = (
                    changes.marks(b.marks)
                    if block_op in (CHANGED, EQUAL)
                    else changes.pieces(block_op, [m.piece for m in b.marks])
                )
            else:
                inner = changes.pieces(block_op, b.block.pieces)
            _paragraph(doc, style, inner)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class _Text:
    """A plain piece (a section number) in the shape the run writer reads."""

    def __init__(self, text: str):
        self.text = text
        self.kind = "text"


def _table(doc, changes: _Changes, b, block_op: str) -> None:
    rows = list(b.rows) or [
        _Row(EQUAL if block_op == CHANGED else block_op, cells, i < b.block.header_rows)
        for i, cells in enumerate(b.block.rows)
    ]
    if not rows:
        return
    cols = max(len(r.cells) for r in rows) or 1
    table = doc.add_table(rows=len(rows), cols=cols)
    table.style = doc.styles["Table Grid"]
    for i, row in enumerate(rows):
        op = block_op if block_op in (INSERT, DELETE) else row.op
        for c, cell in enumerate(row.cells):
            para = table.cell(i, c).paragraphs[0]
            if op in (INSERT, DELETE):
                pieces = [getattr(x, "piece", x) for x in cell]
                inner = changes.pieces(op, pieces)
            else:
                inner = "".join(
                    changes.wrap(
                        getattr(x, "op", EQUAL),
                        changes._run(getattr(x, "piece", x), getattr(x, "op", EQUAL) == DELETE),
                    )
                    for x in cell
                )
            for el in parse_xml(f"<w:p {nsdecls('w')}>{inner}</w:p>"):
                para._p.append(el)
        if row.header:
            header_row(table.rows[i])
    doc.add_paragraph()


class _Row:
    def __init__(self, op, cells, header):
        self.op, self.cells, self.header = op, cells, header


@use_case
def export_redline_docx(ws, ref: str | int, old: str, new: str) -> tuple[Redline, bytes]:
    """The redline .docx of document `ref` from state `old` to `new` ("v1", "r12", "draft");
    recorded in the audit log as what left. The caller writes the bytes."""
    from workbench.redline import redline

    r = redline(ws, ref, old, new)
    data = build_redline_docx(r)
    audit.record(
        ws,
        "document.export_redline_docx",
        "document",
        r.document_id,
        old=r.old.spec,
        new=r.new.spec,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return r, data
