"""A document snapshot (see coordination.publication) turned into the flowables of its PDF."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    FrameBG,
    Indenter,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from workbench.pdf import styles as st
from workbench.pdf.figures import FigureNumbers
from workbench.pdf.markdown_flowables import esc, markdown_flowables, para
from workbench.pdf.templates import Bookmark, ContentsEntry, Heading, Layout
from workbench.pdf.textblock import Run, TextBlock

BODY_WIDTH = st.PAGE_SIZE[0] - 2 * st.MARGIN_X
LANDSCAPE_WIDTH = st.LANDSCAPE_SIZE[0] - 2 * st.MARGIN_X
TENET_PAD = 10
NUMBER_GAP = "\u00a0\u00a0"  # between a section number and its heading; never broken
CONTENTS_DEPTH = 2  # deeper sections are bookmarked but not listed in the contents

POSITION_LABELS = {
    "concur": "Concur",
    "concur_with_comment": "Concur with comment",
    "non_concur": "Non-concur",
}
EVENT_LABELS = {"cleared": "Cleared", "withdrawn": "Withdrawn", "overridden": "Overridden"}
TYPE_LABELS = {"C": "Critical", "S": "Substantive", "A": "Administrative"}
GROUND_LABELS = {
    "law": "violation of law",
    "policy": "contradiction of Executive Branch or Department policy",
    "safety": "unnecessary risk to safety, life, limb or materiel",
    "waste": "waste or abuse of appropriations",
    "burden": "unreasonable burden on a component's resources",
}
DISPOSITION_LABELS = {
    "accepted": "Accepted",
    "accepted_with_modification": "Accepted with modification",
    "rejected": "Rejected",
}


def parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def long_date(value) -> str:
    if isinstance(value, str):
        parsed = parse_time(value)
        if parsed is None:
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        value = parsed
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def short_date(value: str | None) -> str:
    if not value:
        return ""
    return str(value)[:10]


def extension_parts(extension: dict) -> tuple[str, str]:
    """A suspense extension as the coordination record prints it: (label, the rest), e.g.
    ("Suspense extended", "from 2026-11-16 to 2026-11-30 by J. Inkwell, 2026-11-10: reason")."""
    rest = f"from {short_date(extension.get('old'))} to {short_date(extension.get('new'))}"
    if extension.get("by"):
        rest += f" by {extension['by']}"
    if extension.get("at"):
        rest += f", {short_date(extension['at'])}"
    if extension.get("reason"):
        rest += f": {extension['reason']}"
    return "Suspense extended", rest


def is_published(snapshot: dict) -> bool:
    return bool(snapshot.get("published_at"))


def section_title(section: dict) -> str:
    return f"{section.get('number') or ''} {section.get('heading') or ''}".strip()


class StoryBuilder:
    """Builds the flowables; `layout` collects pages for the deferred contents numbers."""

    def __init__(self, snapshot: dict, layout: Layout, *, draft_date: dt.date, figures=None):
        self.snap = snapshot
        self.doc = snapshot.get("document") or {}
        self.layout = layout
        self.styles = st.paragraph_styles()
        self.draft_date = draft_date
        self.sections = list(snapshot.get("sections") or ())
        self.numbers = {s.get("section_id"): str(s.get("number") or "") for s in self.sections}
        self.notes = {"count": 0}  # footnotes are numbered through the document
        self.figures = dict(figures or {})  # figure id -> workbench.figures.FigureImage
        self.figure_numbers = FigureNumbers()  # so are figures
        self.coordination = snapshot.get("coordination") or {}
        self.crm = list(snapshot.get("crm") or ())
        self._last_level = 0

    # -- the whole story -------------------------------------------------------------------
    def story(self, *, include_crm: bool, include_contents: bool = True) -> list[Flowable]:
        flow: list[Flowable] = []
        flow += self.cover()
        flow += [NextPageTemplate("body"), PageBreak()]
        if include_contents:
            flow += self.contents(include_crm)
            flow.append(PageBreak())
        for index, section in enumerate(self.sections):
            if index % 25 == 0:
                self.layout.check()
                self.layout.report(0.15 * index / max(1, len(self.sections)))
            flow += self.section(index, section)
        flow.append(PageBreak())
        flow += self.coordination_record()
        if include_crm:
            flow += [NextPageTemplate("landscape"), PageBreak()]
            flow += self.crm_appendix()
        return flow

    # -- cover -----------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        s = self.styles
        d = self.doc
        published = is_published(self.snap)
        date = (
            long_date(self.snap.get("published_at"))
            if published
            else long_date(dt.datetime.combine(self.draft_date, dt.time()))
        )
        status = "Published" if published else _status_label(d)
        facts = [
            ("Version", str(d.get("version") or "")),
            ("Date", date),
            ("Status", status),
            ("Lead", _organization(d.get("lead"), d.get("lead_name"))),
            ("Co-lead", _organization(d.get("co_lead"), d.get("co_lead_name"))),
        ]
        if d.get("due_date"):
            facts.append(("Due", long_date(str(d["due_date"]))))
        rows = [
            [para(label, s["title_page_fact_label"]), para(value, s["title_page_fact"])]
            for label, value in facts
        ]
        table = Table(rows, colWidths=[110, 230], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (1, 0), (1, -1), 12),
                    ("LINEBEFORE", (1, 0), (1, -1), 0.6, st.RULE),
                ]
            )
        )
        if published:
            notice = (
                f"Approved for publication on {long_date(self.snap['published_at'])}"
                + (f" by {self.snap['published_by']}" if self.snap.get("published_by") else "")
                + (
                    f" ({self.snap['published_signature']})"
                    if self.snap.get("published_signature")
                    else ""
                )
                + "."
            )
        else:
            notice = "Draft for coordination. Not approved for release."
        return [
            Bookmark("cover", "Cover", self.layout),
            para("U.S. Department of Homeland Security", s["title_page_org"]),
            para("Office of Counternarcotics Enforcement", s["title_page_org"]),
            para(d.get("kind_label") or d.get("kind") or "", s["title_page_kind"]),
            para(d.get("title") or "Untitled", s["title_page_title"]),
            table,
            para(notice, s["title_page_notice"]),
        ]

    # -- contents --------------------------------------------------------------------------
    def contents(self, include_crm: bool) -> list[Flowable]:
        s = self.styles
        flow: list[Flowable] = [
            Heading(
                Paragraph("Contents", s["contents_title"]), "contents", "Contents", 0, self.layout
            )
        ]
        for index, section in enumerate(self.sections):
            depth = _depth(section)
            if depth > CONTENTS_DEPTH:
                continue
            text = TextBlock(_numbered(section), s[f"toc{depth}"])
            flow.append(ContentsEntry(text, f"sec{index}", self.layout))
        flow.append(
            ContentsEntry(TextBlock([Run("Coordination record")], s["toc0"]), "record", self.layout)
        )
        if include_crm:
            crm = TextBlock([Run("Appendix: Comment Resolution Matrix")], s["toc0"])
            flow.append(ContentsEntry(crm, "crm", self.layout))
        return flow

    # -- sections --------------------------------------------------------------------------
    def section(self, index: int, section: dict) -> list[Flowable]:
        s = self.styles
        kind = section.get("kind") or "narrative"
        depth = _depth(section)
        key = f"sec{index}"
        title = section_title(section) or "Section"
        # Outline levels may deepen by one at a time only; a malformed snapshot must not
        # make reportlab refuse the bookmark tree.
        level = min(depth, self._last_level + 1)
        self._last_level = level
        number = str(section.get("number") or "")
        heading = str(section.get("heading") or "")
        body = section.get("body") or ""
        flow: list[Flowable] = []
        if kind in ("tenet", "action_item"):
            bg = st.TENET_BG if kind == "tenet" else st.ACTION_BG
            inner = BODY_WIDTH - 2 * TENET_PAD
            label = TextBlock([Run(number.upper())], s["tenet_label"])
            head = TextBlock([Run(heading or number)], s["tenet_heading"])
            # The band's top edge travels with the heading, never left alone at a page foot.
            band = FrameBG(color=bg, start=True, strokeWidth=None)
            top = Spacer(1, 8)
            band.keepWithNext = top.keepWithNext = 1
            flow += [
                Spacer(1, 8),
                band,
                top,
                label,
                Heading(head, key, title, level, self.layout),
                Indenter(TENET_PAD, TENET_PAD),
                *self.body(body, inner),
                Indenter(-TENET_PAD, -TENET_PAD),
                Spacer(1, 4),
                FrameBG(start=False),
                Spacer(1, 8),
            ]
            return flow
        if kind == "appendix" and depth == 0:
            flow.append(PageBreak())
        style = s[f"h{min(depth + 1, 3)}"]
        flow.append(Heading(TextBlock(_numbered(section), style), key, title, level, self.layout))
        flow += self.body(body, BODY_WIDTH)
        return flow

    def body(self, source: str, width: float) -> list[Flowable]:
        return markdown_flowables(
            source,
            width,
            self.numbers,
            self.notes,
            self.figures,
            self.figure_numbers,
            self.layout.footnotes,
        )

    # -- coordination record ---------------------------------------------------------------
    def coordination_record(self) -> list[Flowable]:
        s = self.styles
        cell, head = s["cell"], s["cell_head"]
        version = self.doc.get("version")
        if is_published(self.snap):
            intro = (
                f"Positions and decisions recorded for version {version}, frozen at publication "
                f"on {long_date(self.snap['published_at'])}."
            )
        else:
            intro = f"Positions and decisions recorded for draft version {version} as exported."
        flow: list[Flowable] = [
            Heading(
                Paragraph("Coordination record", s["h1"]),
                "record",
                "Coordination record",
                0,
                self.layout,
            ),
            para(intro, s["record_note"]),
            Spacer(1, 6),
        ]
        orgs = list(self.coordination.get("organizations") or ())
        non_concur = ParagraphStyle(
            "non_concur", parent=cell, textColor=st.NON_CONCUR, fontName=st.SANS_BOLD
        )
        if orgs:
            rows: list[list] = [
                [Paragraph(h, head) for h in ("Organization", "Position", "By", "Date", "Version")]
            ]
            commands: list[tuple] = []
            for org in orgs:
                position = org.get("position")
                label = org.get("position_label") or POSITION_LABELS.get(position or "", "")
                if not label:
                    label = "No position"
                pos_style = non_concur if position == "non_concur" else cell
                who = esc(org.get("by_name") or "")
                if org.get("by_title"):
                    who += f'<br/><font color="#5a6270">{esc(org["by_title"])}</font>'
                if org.get("authentication"):
                    who += f"<br/><i>{esc(org['authentication'])}</i>"
                name = f"<b>{esc(org.get('code') or '')}</b>"
                if org.get("name"):
                    name += f"<br/>{esc(org['name'])}"
                ver = org.get("document_version")
                rows.append(
                    [
                        Paragraph(name, cell),
                        para(label, pos_style),
                        Paragraph(who, cell),
                        para(short_date(org.get("at")), cell),
                        para("" if ver is None else str(ver), cell),
                    ]
                )
                for event in org.get("events") or ():
                    kind = event.get("kind") or ""
                    text = f"<b>{esc(EVENT_LABELS.get(kind, kind.title()))}</b>"
                    if event.get("by_name"):
                        text += f" by {esc(event['by_name'])}"
                        if event.get("by_title"):
                            text += f" ({esc(event['by_title'])})"
                    if event.get("at"):
                        text += f", {esc(short_date(event['at']))}"
                    if event.get("reason"):
                        text += f": {esc(event['reason'])}"
                    if event.get("signature"):
                        text += f" [{esc(event['signature'])}]"
                    r = len(rows)
                    rows.append([Paragraph("↳", cell), Paragraph(text, cell), "", "", ""])
                    commands.append(("SPAN", (1, r), (4, r)))
                    commands.append(("LINEABOVE", (1, r), (4, r), 0.25, st.TABLE_GRID))
                for extension in org.get("extensions") or ():
                    label, rest = extension_parts(extension)
                    r = len(rows)
                    text = f"<b>{esc(label)}</b> {esc(rest)}"
                    rows.append([Paragraph("↳", cell), Paragraph(text, cell), "", "", ""])
                    commands.append(("SPAN", (1, r), (4, r)))
                    commands.append(("LINEABOVE", (1, r), (4, r), 0.25, st.TABLE_GRID))
            flow.append(_grid(rows, [112, 88, 150, 66, 52], commands))
        else:
            flow.append(para("No organization recorded a position.", s["body"]))
        waivers = list(self.coordination.get("waivers") or ())
        flow.append(Paragraph("Waivers", s["h3"]))
        if waivers:
            rows = [
                [
                    Paragraph(h, head)
                    for h in ("Organization", "Scope", "Waived by", "Date", "Reason")
                ]
            ]
            for w in waivers:
                scope = w.get("section_number")
                rows.append(
                    [
                        para(w.get("organization") or "", cell),
                        para(scope if scope else "Whole document", cell),
                        para(
                            (w.get("by_name") or "")
                            + (f" [{w['signature']}]" if w.get("signature") else ""),
                            cell,
                        ),
                        para(short_date(w.get("at")), cell),
                        para(w.get("reason") or "", cell),
                    ]
                )
            flow.append(_grid(rows, [80, 80, 100, 66, 142]))
        else:
            flow.append(para("No review was waived.", s["body"]))
        rulings = list(self.coordination.get("rulings") or ())
        if rulings:
            # Approvals and "no coordination required", each with how it is signed.
            flow.append(Paragraph("Approvals and rulings", s["h3"]))
            rows = [[Paragraph(h, head) for h in ("Decision", "By", "Date", "Reason")]]
            for r in rulings:
                rows.append(
                    [
                        para(r.get("what") or "", cell),
                        para(
                            (r.get("by_name") or "")
                            + (f" [{r['signature']}]" if r.get("signature") else ""),
                            cell,
                        ),
                        para(short_date(r.get("at")), cell),
                        para(r.get("reason") or "", cell),
                    ]
                )
            flow.append(_grid(rows, [130, 130, 66, 142]))
        changes = self.snap.get("since_last_approval")
        if isinstance(changes, dict):
            flow += self.changes_since_approval(changes)
        return flow

    def changes_since_approval(self, changes: dict) -> list[Flowable]:
        """The redline against the last published version, section by section."""
        s = self.styles
        counts = changes.get("counts") or {}
        words = [
            f"{counts[k]} {k}"
            for k in ("changed", "added", "removed", "moved")
            if isinstance(counts.get(k), int) and counts[k]
        ]
        when = long_date(changes.get("published_at")) if changes.get("published_at") else ""
        intro = (
            f"Compared with version {changes.get('version')}, the last one published"
            + (f" ({when})" if when else "")
            + ": "
            + (", ".join(words) + " sections." if words else "no section changed.")
            + " Insertions are underlined in blue, deletions struck through in red."
        )
        flow: list[Flowable] = [
            Paragraph("What changed since the last approval", s["h3"]),
            para(intro, s["record_note"]),
        ]
        colours = {"insert": st.REDLINE_INSERT, "delete": st.REDLINE_DELETE}

        def markup(runs) -> str:
            out = []
            for op, text in runs or ():
                piece = esc(text).replace("\n", "<br/>")
                if op == "insert":
                    piece = f'<font color="{colours[op]}"><u>{piece}</u></font>'
                elif op == "delete":
                    piece = f'<font color="{colours[op]}"><strike>{piece}</strike></font>'
                out.append(piece)
            return "".join(out)

        status_words = {"added": "added", "removed": "removed", "changed": "changed"}
        for section in changes.get("sections") or ():
            status = status_words.get(section.get("status"), "")
            if section.get("moved"):
                status = f"{status}, moved" if status else "moved"
            head = f"<b>{esc(section.get('label'))}</b>"
            old_number = section.get("old_number")
            if old_number and section.get("number") and old_number != section.get("number"):
                head += f" (was {esc(section['old_number'])})"
            colour = st.REDLINE_MOVED if status == "moved" else "#5a6270"
            head += f' — <font color="{colour}">{esc(status)}</font>'
            flow.append(Paragraph(head, s["record_change_head"]))
            if section.get("heading"):
                flow.append(Paragraph("Heading: " + markup(section["heading"]), s["record_change"]))
            for block in section.get("blocks") or ():
                text = markup(block.get("runs"))
                if text:
                    flow.append(Paragraph(text, s["record_change"]))
        if changes.get("more"):
            flow.append(
                para(
                    f"{changes['more']} more changed sections are not listed here; export the "
                    "redline for all of them.",
                    s["record_note"],
                )
            )
        return flow

    # -- CRM -------------------------------------------------------------------------------
    def crm_appendix(self) -> list[Flowable]:
        s = self.styles
        cell, head = s["cell_small"], s["cell_small_head"]
        flow: list[Flowable] = [
            Heading(
                Paragraph("Appendix: Comment Resolution Matrix", s["h1"]),
                "crm",
                "Appendix: Comment Resolution Matrix",
                0,
                self.layout,
            ),
            para(
                "Type: C Critical, S Substantive, A Administrative. Every comment received on "
                f"version {self.doc.get('version')} and how CNE resolved it.",
                s["record_note"],
            ),
            Spacer(1, 6),
        ]
        if not self.crm:
            flow.append(para("No comments were received.", s["body"]))
            return flow
        titles = (
            "No.",
            "Source",
            "Type",
            "Location",
            "Comment",
            "Rationale",
            "Proposed wording",
            "Disposition",
        )
        rows: list[list] = [[Paragraph(t, head) for t in titles]]
        for c in self.crm:
            source = f"<b>{esc(c.get('organization') or '')}</b>"
            for extra in (
                c.get("reviewer_name"),
                c.get("reviewer_title"),
                short_date(c.get("response_date")),
            ):
                if extra:
                    source += f"<br/>{esc(extra)}"
            location = esc(c.get("section_number") or "")
            if c.get("quoted_passage"):
                location += f"<br/><i>“{_lines(c['quoted_passage'])}”</i>"
            rationale = _lines(c.get("rationale"))
            if c.get("critical_ground"):
                ground = GROUND_LABELS.get(c["critical_ground"], c["critical_ground"])
                rationale = f"<b>Ground:</b> {esc(ground)}" + (
                    f"<br/>{rationale}" if rationale else ""
                )
            disposition = esc(
                c.get("disposition_label")
                or DISPOSITION_LABELS.get(c.get("disposition") or "", "")
                or "Open"
            )
            disposition = f"<b>{disposition}</b>"
            if c.get("disposition_rationale"):
                disposition += f"<br/>{_lines(c['disposition_rationale'])}"
            rows.append(
                [
                    para(c.get("item_no") if c.get("item_no") is not None else "", cell),
                    Paragraph(source, cell),
                    para(c.get("type") or "", cell),
                    Paragraph(location, cell),
                    Paragraph(_lines(c.get("comment")), cell),
                    Paragraph(rationale, cell),
                    Paragraph(_lines(c.get("proposed_wording")), cell),
                    Paragraph(disposition, cell),
                ]
            )
        widths = [30, 92, 36, 72, 140, 106, 90, 82]
        scale = LANDSCAPE_WIDTH / sum(widths)
        flow.append(_grid(rows, [w * scale for w in widths], small=True))
        return flow


def _organization(code: str | None, name: str | None) -> str:
    # Snapshots carry the code; a name is shown too when the snapshot has one.
    if code and name and name != code:
        return f"{code} — {name}"
    return code or name or "—"


def _numbered(section: dict) -> list[Run]:
    number = str(section.get("number") or "")
    heading = str(section.get("heading") or "")
    if number and heading:
        return [Run(number + NUMBER_GAP), Run(heading)]
    return [Run(number or heading)]


def _lines(text) -> str:
    return esc(text).replace("\n", "<br/>")


def _depth(section: dict) -> int:
    try:
        return max(0, int(section.get("depth") or 0))
    except (TypeError, ValueError):
        return 0


def _status_label(doc: dict) -> str:
    status = doc.get("status") or "draft"
    return {"draft": "Draft", "in_coordination": "In coordination", "published": "Published"}.get(
        status, str(status)
    )


def _grid(rows, widths, commands=(), *, small: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
    pad = 3 if small else 4
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, st.TABLE_GRID),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, st.TABLE_GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.25, st.TABLE_GRID),
                ("BACKGROUND", (0, 0), (-1, 0), st.TABLE_HEAD_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                *commands,
            ]
        )
    )
    table.spaceAfter = 10
    return table
