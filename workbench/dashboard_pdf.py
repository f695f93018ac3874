"""The coordination dashboard as a one-page landscape PDF, charts drawn with reportlab graphics."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from workbench.dashboard import Dashboard, dashboard
from workbench.directory import shown_names
from workbench.documents import DEFAULT_MARKING
from workbench.files import refuse_workspace_target, write_atomic

PAGE = landscape(letter)
MARGIN = 0.45 * inch
TYPE_COLORS = {
    "C": colors.HexColor("#b3261e"),
    "S": colors.HexColor("#e8a33d"),
    "A": colors.HexColor("#9aa5b1"),
}
TYPE_NAMES = {"C": "Critical", "S": "Substantive", "A": "Administrative"}
LATE = colors.HexColor("#b3261e")
HEADER_BG = colors.HexColor("#1f3a5f")
SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=7, leading=8.4)
SMALL_BOLD = ParagraphStyle("smallb", parent=SMALL, fontName="Helvetica-Bold")


def marking_line(board: Dashboard) -> str:
    """The handling marking for every page: the documents' own, or the default if none."""
    marks = list(board.markings) or [DEFAULT_MARKING]
    return marks[0] if len(marks) == 1 else " / ".join(marks)


def _urgency(d) -> tuple:
    return (-d.total_overdue, -d.total_critical, -d.total_substantive, -d.days_in_stage, d.title)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def comments_chart(
    board: Dashboard,
    width: float,
    height: float,
    top: int = 10,
    names: dict[str, str] | None = None,
) -> Drawing:
    """Open comments by organization: one stacked horizontal bar each, Critical first.
    `names`: what to print for a code (a local agency's name rather than its code)."""
    names = names or {}
    d = Drawing(width, height)
    data = list(board.open_comments_by_org.items())[:top]
    d.add(
        String(
            0, height - 10, "Open comments by organization", fontName="Helvetica-Bold", fontSize=9
        )
    )
    lx = 0
    for t in ("C", "S", "A"):
        d.add(Rect(lx, height - 24, 7, 7, fillColor=TYPE_COLORS[t], strokeColor=None))
        d.add(String(lx + 10, height - 23, TYPE_NAMES[t], fontName="Helvetica", fontSize=7))
        lx += 70
    if not data:
        d.add(String(0, height - 42, "No open comments.", fontName="Helvetica", fontSize=8))
        return d
    labels = [_fit(names.get(org, org), width / 3) for org, _ in data]
    label_w = max(48.0, max(stringWidth(t, "Helvetica", 7) for t in labels) + 6)
    chart_top = height - 34
    bar_h = min(14.0, (chart_top - 4) / len(data) - 3)
    biggest = max(sum(n.values()) for _, n in data) or 1
    scale = (width - label_w - 30) / biggest
    y = chart_top
    for label, (_org, counts) in zip(labels, data, strict=True):
        y -= bar_h + 3
        d.add(String(0, y + bar_h / 2 - 3, label, fontName="Helvetica", fontSize=7))
        x: float = label_w
        for t in ("C", "S", "A"):
            w = counts.get(t, 0) * scale
            if w:
                d.add(Rect(x, y, w, bar_h, fillColor=TYPE_COLORS[t], strokeColor=None))
            x += w
        d.add(
            String(
                x + 3,
                y + bar_h / 2 - 3,
                str(sum(counts.values())),
                fontName="Helvetica",
                fontSize=7,
            )
        )
    d.add(Line(label_w, y - 2, label_w, chart_top, strokeColor=colors.grey, strokeWidth=0.5))
    return d


def _fit(text: str, width: float) -> str:
    """The text cut with an ellipsis to fit `width` points at 7 pt Helvetica."""
    if stringWidth(text, "Helvetica", 7) <= width:
        return text
    while text and stringWidth(text + "…", "Helvetica", 7) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def header_fit(
    widths: list[float],
    head: list[str],
    padding: float = 6 * 2,
    body: Sequence[Sequence[str]] = (),
) -> list[float]:
    """Widen any column with a word wider than the column, in its header (bold) or its cells
    (reportlab would break it mid-word: "Day s", "Open C", "Coordinatio n"), taking the room
    from the first (widest) column, which wraps between words."""
    out = list(widths)
    for i, text in enumerate(head):
        words = [(w, SMALL_BOLD.fontName) for w in text.split()]
        words += [(w, SMALL.fontName) for row in body for w in str(row[i]).split()]
        need = max(stringWidth(w, font, SMALL.fontSize) for w, font in words)
        need += padding + 1.5  # reportlab breaks a word that fits to the last hundredth
        if i and out[i] < need:
            out[0] -= need - out[i]
            out[i] = need
    return out


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis ("Strateg" helps no one)."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—- ") + "…"


HEAD = [
    "Document",
    "Stage",
    "Days in stage",
    "Reviews out",
    "Overdue (workdays late)",
    "Open critical",
    "Open substantive",
]


def _documents_table(
    board: Dashboard, width: float, max_rows: int, names: dict[str, str]
) -> tuple[Table, int]:
    docs = sorted(board.documents, key=_urgency)
    shown = docs[:max_rows]
    rows = [[Paragraph(f"<b>{h}</b>", SMALL_BOLD) for h in HEAD]]

    def name(code: str) -> str:
        return names.get(code, code)

    for d in shown:
        late = ", ".join(f"{name(o)} ({d.workdays_late.get(o, 0)})" for o in d.overdue)
        crit = ", ".join(f"{name(o)} {n}" for o, n in d.open_critical.items())
        subs = ", ".join(f"{name(o)} {n}" for o, n in d.open_substantive.items())
        rows.append(
            [
                Paragraph(_esc(_clip(d.title, 90)), SMALL),
                Paragraph(d.stage_label, SMALL),
                str(d.days_in_stage),
                str(d.total_outstanding or ""),
                Paragraph(f'<font color="#b3261e">{_esc(late)}</font>' if late else "", SMALL),
                Paragraph(_esc(crit), SMALL),
                Paragraph(_esc(subs), SMALL),
            ]
        )
    fractions = [0.27, 0.11, 0.07, 0.07, 0.18, 0.14, 0.16]
    # The short columns' words: stage names and figures must not break either.
    body = [["", d.stage_label, "", "", "", "", ""] for d in shown]
    widths = header_fit([f * width for f in fractions], HEAD, body=body)
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ced6")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("ALIGN", (2, 1), (3, -1), "RIGHT"),
    ]
    for i, d in enumerate(shown, start=1):
        if d.total_overdue or d.total_critical:
            style.append(("BACKGROUND", (0, i), (0, i), colors.HexColor("#fbe9e7")))
    table.setStyle(TableStyle(style))
    return table, len(docs) - len(shown)


def _small_table(rows, widths) -> Table:
    t = Table(rows, colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ced6")),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return t


def _draw_fitting(c, table: Table, x: float, top: float, width: float, bottom: float) -> float:
    _, h = table.wrapOn(c, width, top - bottom)
    table.drawOn(c, x, top - h)
    return top - h


def write_dashboard_pdf(ws, path, *, board: Dashboard | None = None) -> Path:
    """Write the dashboard on one page; rows that do not fit are counted, not spilled."""
    board = board or dashboard(ws)
    names = shown_names(ws)
    path = refuse_workspace_target(path)
    buffer = io.BytesIO()
    w, h = PAGE
    c = canvas.Canvas(buffer, pagesize=PAGE, pageCompression=1)
    c.setTitle(f"CNE coordination dashboard {board.today}")
    c.setAuthor("CNE Workbench")
    marking = marking_line(board)
    c.setFont("Helvetica-Bold", 8)
    c.drawCentredString(w / 2, h - 0.28 * inch, marking)
    c.drawCentredString(w / 2, 0.2 * inch, marking)
    c.setFillColor(HEADER_BG)
    c.rect(MARGIN, h - 0.78 * inch, w - 2 * MARGIN, 0.38 * inch, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(MARGIN + 8, h - 0.64 * inch, "CNE Coordination Dashboard")
    c.setFont("Helvetica", 9)
    overdue = sum(d.total_overdue for d in board.documents)
    late_docs = sum(1 for i in board.due if i.late and i.status != "published")
    c.drawRightString(
        w - MARGIN - 8,
        h - 0.64 * inch,
        f"As of {board.today}  ·  {len(board.documents)} documents  ·  "
        f"{overdue} overdue reviews  ·  {late_docs} late reports",
    )
    c.setFillColor(colors.black)
    top = h - 0.9 * inch
    bottom = 0.4 * inch
    left_w = (w - 2 * MARGIN) * 0.64
    right_x = MARGIN + left_w + 0.2 * inch
    right_w = w - MARGIN - right_x

    # Left: as many documents as fit, most urgent first.
    max_rows = 40
    while True:
        table, hidden = _documents_table(board, left_w, max_rows, names)
        _, th = table.wrapOn(c, left_w, top - bottom)
        if th <= top - bottom - 12 or max_rows <= 1:
            break
        max_rows -= 1
    end = _draw_fitting(c, table, MARGIN, top, left_w, bottom)
    if hidden:
        c.setFont("Helvetica-Oblique", 7)
        c.drawString(MARGIN, end - 9, f"…and {hidden} more documents (workbench dashboard --json)")

    # Right: chart, due dates, response rates.
    chart_h = 2.3 * inch
    chart = comments_chart(board, right_w, chart_h, names=names)
    renderPDF.draw(chart, c, right_x, top - chart_h)
    y = top - chart_h - 0.15 * inch
    if board.due:
        rows: list[list[object]] = [["Due", "Report / document", "Countdown"]]
        for i in board.due[:8]:
            rows.append([i.due_date, Paragraph(_esc(_clip(i.title, 90)), SMALL), i.state])
        t = _small_table(rows, [0.7 * inch, right_w - 1.7 * inch, 1.0 * inch])
        for n, i in enumerate(board.due[:8], start=1):
            if i.late:
                t.setStyle(
                    TableStyle(
                        [
                            ("TEXTCOLOR", (2, n), (2, n), LATE),
                            ("FONT", (2, n), (2, n), "Helvetica-Bold", 7),
                        ]
                    )
                )
        y = _draw_fitting(c, t, right_x, y, right_w, bottom) - 0.12 * inch
    if board.solicitations and y > bottom + 0.5 * inch:
        rows = [["Solicitation", "Answered", "Rate"]]
        room = int((y - bottom) / 11) - 1
        for s in board.solicitations[: max(1, room)]:
            rows.append(
                [
                    Paragraph(_esc(f"{_clip(s.title, 70)} — {s.label}"), SMALL),
                    f"{s.answered} of {s.asked}",
                    f"{s.rate:.0%}",
                ]
            )
        t = _small_table(rows, [right_w - 1.3 * inch, 0.8 * inch, 0.5 * inch])
        _draw_fitting(c, t, right_x, y, right_w, bottom)
    c.showPage()
    c.save()
    return write_atomic(path, buffer.getvalue())
