"""build_docx: a document snapshot (as the PDF gets it) to a .docx, for exports and review copies.

The one Word writer of the workbench. `build_docx(snapshot, ...)` takes the dict that
`coordination.publication.document_snapshot` returns (or a published snapshot) and gives the
bytes of a .docx with:

- the sections as headings in Word's own Heading 1-9 styles, numbered by Word numbering
  definitions that give the app's numbers (1, 1.1, Tenet 3, Action Item 4, Appendix A, A.1);
  a number Word cannot generate is typed into the heading instead;
- each section wrapped in a bookmark (`hooks.section_bookmark`: section id, and revision id
  when the section dict carries `revision_id`);
- the handling marking at the top of every page (header) and the foot (footer, with the page);
- an optional cover, contents (a Word TOC field Word refreshes on opening), coordination record
  and CRM appendix tables;
- for a review copy, `review=ReviewBlock(...)`: a first page with the request, suspense and
  instructions in place of the cover;
- `properties`: custom document properties (see `hooks.PROPERTY_*`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Inches, Pt, RGBColor

from workbench.pdf.document import (
    DISPOSITION_LABELS,
    EVENT_LABELS,
    GROUND_LABELS,
    POSITION_LABELS,
    extension_parts,
    is_published,
    long_date,
    parse_time,
    short_date,
)
from workbench.pdf.templates import Cancelled
from workbench.word.hooks import section_bookmark
from workbench.word.markdown_docx import BodyWriter, Target
from workbench.word.ooxml import (
    Bookmarks,
    Numbering,
    add_field,
    clean,
    header_row,
    run_xml,
    set_custom_properties,
    set_numbering,
    update_fields_on_open,
)

AUTHOR = "DHS Office of Counternarcotics Enforcement"
CONTENTS_DEPTH = 2
MUTED = RGBColor(0x5A, 0x62, 0x70)
NON_CONCUR = RGBColor(0xA3, 0x1F, 0x1F)
# The PDF's redline colours (workbench.pdf.styles REDLINE_*).
INSERTED = RGBColor(0x1A, 0x4F, 0xA0)
DELETED = RGBColor(0xB3, 0x26, 0x1E)
MOVED = RGBColor(0x7A, 0x4D, 0x00)


@dataclass(frozen=True)
class ReviewBlock:
    """What a review copy's first page tells the reviewer."""

    request_id: int
    organization: str  # "USCG — U.S. Coast Guard"
    reviewer: str
    suspense_date: str  # ISO date
    instructions: str
    document_version: int


def _depth(section: dict) -> int:
    try:
        return max(0, int(section.get("depth") or 0))
    except (TypeError, ValueError):
        return 0


class _HeadingNumbers:
    """Which Word list (and level) gives each section its app number, simulated as Word counts."""

    def __init__(self, numbering: Numbering):
        self.narrative = numbering.heading_list("%1")
        self.appendix = numbering.heading_list("Appendix %1", "upperLetter")
        self.tenet = numbering.instance(numbering.abstract([_single("Tenet %1")], multilevel=False))
        self.action = numbering.instance(
            numbering.abstract([_single("Action Item %1")], multilevel=False)
        )
        self.counters: dict[int, list[int]] = {}
        self.appendix_depth: int | None = None

    def _count(self, num: int, level: int) -> list[int]:
        c = self.counters.setdefault(num, [0] * 9)
        c[level] += 1
        for i in range(level + 1, 9):
            c[i] = 0
        return c

    def assign(self, section: dict) -> tuple[int, int] | None:
        """(numId, ilvl) when Word's numbering prints exactly the app's number, else None."""
        number = str(section.get("number") or "")
        kind = section.get("kind") or "narrative"
        depth = min(_depth(section), 8)
        if not number:
            return None
        if kind == "tenet":
            text, choice = f"Tenet {self._peek(self.tenet, 0)}", (self.tenet, 0)
        elif kind == "action_item":
            text, choice = f"Action Item {self._peek(self.action, 0)}", (self.action, 0)
        elif kind == "appendix" and depth == 0:
            n = self._peek(self.appendix, 0)
            text, choice = f"Appendix {_letters(n)}", (self.appendix, 0)
            self.appendix_depth = 0
        elif number[:1].isalpha() and "." in number and not number.startswith(("Tenet", "Action")):
            c = self._peek_all(self.appendix, depth)
            text = ".".join([_letters(c[0])] + [str(x) for x in c[1 : depth + 1]])
            choice = (self.appendix, depth)
        else:
            c = self._peek_all(self.narrative, depth)
            text = ".".join(str(x) for x in c[: depth + 1])
            choice = (self.narrative, depth)
        if text != number:
            return None
        self._count(*choice)
        return choice

    def _peek(self, num: int, level: int) -> int:
        return self.counters.get(num, [0] * 9)[level] + 1

    def _peek_all(self, num: int, level: int) -> list[int]:
        c = list(self.counters.get(num, [0] * 9))
        c[level] += 1
        for i in range(level + 1, 9):
            c[i] = 0
        return c


def _single(text: str) -> str:
    return (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:suff w:val="space"/></w:lvl>'
    )


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


class DocxBuilder:
    """Builds one .docx from a snapshot; see the module docstring for what goes in."""

    def __init__(self, snapshot: dict, *, now: dt.datetime | None = None, figures=None):
        self.snap = snapshot
        self.info = snapshot.get("document") or {}
        self.sections = list(snapshot.get("sections") or ())
        self.doc = docx.Document()
        self.numbering = Numbering(self.doc)
        self.bookmarks = Bookmarks()
        # Which Word list numbers each heading (None: the number is typed), decided up front so
        # a cross-reference to a later section knows how its number prints.
        numbers = _HeadingNumbers(self.numbering)
        self.choices = [numbers.assign(s) for s in self.sections]
        targets = {}
        for section, choice in zip(self.sections, self.choices, strict=True):
            sid = _int(section.get("section_id"))
            if sid is not None:
                bookmark = section_bookmark(sid, _int(section.get("revision_id")))
                number = clean(section.get("number"))
                targets[sid] = Target(bookmark, number, choice is not None and bool(number))
        self.body = BodyWriter(
            self.doc, self.numbering, targets=targets, figures=figures, bookmarks=self.bookmarks
        )
        published = is_published(snapshot)
        when = parse_time(snapshot.get("published_at")) if published else None
        self.when = when or now or dt.datetime.now(dt.UTC)

    # -- frame -----------------------------------------------------------------------------
    def frame(self) -> None:
        marking = clean(self.info.get("marking")) or "UNCLASSIFIED"
        title = clean(self.info.get("title")) or "Untitled"
        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        sec = self.doc.sections[0]
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.add_run(marking).bold = True
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(marking).bold = True
        line = sec.footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = line.add_run(f"{title} — Version {self.info.get('version')} — Page ")
        run.font.size = Pt(8)
        add_field(line, "PAGE", "1", half_points=16)
        line.add_run(" of ").font.size = Pt(8)
        add_field(line, "NUMPAGES", "1", half_points=16)
        cp = self.doc.core_properties
        cp.title = title[:255]
        cp.subject = f"{clean(self.info.get('kind_label'))} — {marking}"[:255]
        cp.author = AUTHOR
        cp.last_modified_by = AUTHOR
        cp.keywords = marking[:255]
        cp.category = clean(self.info.get("kind_label"))[:255]
        cp.revision = max(1, int(self.info.get("version") or 1))
        stamp = self.when.astimezone(dt.UTC).replace(tzinfo=None)
        cp.created = stamp
        cp.modified = stamp
        cp.comments = "Written by CNE Workbench"

    def _facts(self, facts: list[tuple[str, str]]) -> None:
        table = self.doc.add_table(rows=0, cols=2)
        for label, value in facts:
            cells = table.add_row().cells
            r = cells[0].paragraphs[0].add_run(clean(label))
            r.bold = True
            r.font.color.rgb = MUTED
            cells[1].paragraphs[0].add_run(clean(value))

    def _page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cover(self) -> None:
        d = self.info
        for line in (
            "U.S. Department of Homeland Security",
            "Office of Counternarcotics Enforcement",
        ):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(line).bold = True
        kind = self.doc.add_paragraph(style="Subtitle")
        kind.add_run(clean(d.get("kind_label") or d.get("kind")))
        self.doc.add_paragraph(clean(d.get("title")) or "Untitled", style="Title")
        published = is_published(self.snap)
        facts = [
            ("Version", str(d.get("version") or "")),
            ("Date", long_date(self.snap["published_at"]) if published else long_date(self.when)),
            ("Status", "Published" if published else _status(d)),
            ("Lead", _org(d.get("lead"), d.get("lead_name"))),
            ("Co-lead", _org(d.get("co_lead"), d.get("co_lead_name"))),
        ]
        if d.get("due_date"):
            facts.append(("Due", long_date(str(d["due_date"]))))
        self._facts(facts)
        if published:
            by = f" by {self.snap['published_by']}" if self.snap.get("published_by") else ""
            notice = f"Approved for publication on {long_date(self.snap['published_at'])}{by}."
        else:
            notice = "Draft for coordination. Not approved for release."
        p = self.doc.add_paragraph()
        p.add_run(clean(notice)).italic = True
        self._page_break()

    def review_page(self, review: ReviewBlock) -> None:
        self.doc.add_paragraph(clean(self.info.get("title")) or "Untitled", style="Title")
        self.doc.add_paragraph(f"Review copy for {clean(review.organization)}", style="Subtitle")
        facts = [
            ("Review request", str(review.request_id)),
            ("Organization", review.organization),
            ("Reviewer", review.reviewer or "—"),
            ("Suspense", long_date(review.suspense_date) if review.suspense_date else "—"),
            ("Version", str(review.document_version)),
            ("Marking", clean(self.info.get("marking"))),
        ]
        self._facts(facts)
        p = self.doc.add_paragraph()
        p.add_run("Instructions").bold = True
        for line in (review.instructions or "").split("\n"):
            if line.strip():
                self.doc.add_paragraph(clean(line.strip()))
        if not (review.instructions or "").strip():
            self.doc.add_paragraph("Review the sections that follow.")
        p = self.doc.add_paragraph()
        p.add_run(
            "Comment in the margin and propose wording with Track Changes. Begin a comment "
            "with “Critical:”, “Substantive:” or “Administrative:” to give its type. A "
            "comment on the document as a whole goes on this page. Return "
            f"this file by {long_date(review.suspense_date) or 'the suspense'}."
        ).italic = True
        self._page_break()

    def contents(self, include_record: bool, include_crm: bool) -> None:
        self.doc.add_paragraph("Contents", style="TOC Heading")
        entries = [(s, _depth(s)) for s in self.sections if _depth(s) <= CONTENTS_DEPTH]
        titles = [(_title(s), depth) for s, depth in entries]
        if include_record:
            titles.append(("Coordination record", 0))
        if include_crm:
            titles.append(("Appendix: Comment Resolution Matrix", 0))
        titles = titles or [("(no sections)", 0)]
        # One field whose cached result is the list of headings: a reader that does not
        # refresh fields (LibreOffice converting to PDF) still shows the contents.
        first = self.doc.add_paragraph()
        p = first._p
        p.append(run_xml('<w:fldChar w:fldCharType="begin" w:dirty="true"/>'))
        p.append(
            run_xml('<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>')
        )
        p.append(run_xml('<w:fldChar w:fldCharType="separate"/>'))
        para = first
        for n, (text, depth) in enumerate(titles):
            if n:
                para = self.doc.add_paragraph()
            para.paragraph_format.left_indent = Pt(18 * depth)
            para.add_run(clean(text))
        para._p.append(run_xml('<w:fldChar w:fldCharType="end"/>'))
        update_fields_on_open(self.doc)
        self._page_break()

    # -- sections --------------------------------------------------------------------------
    def write_sections(self, progress=None, cancelled=None) -> None:
        total = max(1, len(self.sections))
        for index, section in enumerate(self.sections):
            if index % 25 == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled("cancelled")
                if progress is not None:
                    progress(0.9 * index / total)
            depth = _depth(section)
            heading = clean(section.get("heading"))
            number = clean(section.get("number"))
            p = self.body.paragraph(f"Heading {min(depth + 1, 9)}")
            choice = self.choices[index]
            if choice is not None:
                set_numbering(p, *choice)
                p.add_run(heading)
            else:
                p.add_run(f"{number} {heading}".strip() if number else heading)
            sid = section.get("section_id")
            bookmark = None
            if sid is not None:
                start, bookmark = self.bookmarks.start(
                    section_bookmark(int(sid), _int(section.get("revision_id")))
                )
                p._p.insert(1 if p._p.pPr is not None else 0, start)
            self.body.last = p._p
            self.body.write(section.get("body") or "")
            if bookmark is not None:
                self.body.last.addnext(Bookmarks.end(bookmark))

    # -- coordination record and CRM -------------------------------------------------------
    def _grid(self, headers: list[str], rows: list[list[str]], widths: list[float] | None = None):
        """A record table; widths (inches) per column, else Word's even split."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        for c, h in enumerate(headers):
            table.rows[0].cells[c].paragraphs[0].add_run(h).bold = True
        header_row(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for c, value in enumerate(row):
                lines = clean(value).split("\n")
                p = cells[c].paragraphs[0]
                p.add_run(lines[0])
                for extra in lines[1:]:
                    cells[c].add_paragraph(extra)
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=False):
                column.width = Inches(width)  # the grid, which LibreOffice reads
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=False):
                    cell.width = Inches(width)
        return table

    def coordination_record(self) -> None:
        self._page_break()
        self.doc.add_paragraph("Coordination record", style="Heading 1")
        coordination = self.snap.get("coordination") or {}
        version = self.info.get("version")
        if is_published(self.snap):
            intro = (
                f"Positions and decisions recorded for version {version}, frozen at "
                f"publication on {long_date(self.snap['published_at'])}."
            )
        else:
            intro = f"Positions and decisions recorded for draft version {version} as exported."
        self.doc.add_paragraph(intro)
        orgs = list(coordination.get("organizations") or ())
        if orgs:
            rows = []
            for org in orgs:
                position = org.get("position")
                label = org.get("position_label") or POSITION_LABELS.get(position or "", "")
                who = "\n".join(x for x in (org.get("by_name"), org.get("by_title")) if x)
                name = "\n".join(x for x in (org.get("code"), org.get("name")) if x)
                ver = org.get("document_version")
                rows.append(
                    [
                        name,
                        label or "No position",
                        who,
                        short_date(org.get("at")),
                        "" if ver is None else str(ver),
                    ]
                )
                for event in org.get("events") or ():
                    kind = event.get("kind") or ""
                    text = EVENT_LABELS.get(kind, kind.title())
                    if event.get("by_name"):
                        text += f" by {event['by_name']}"
                    if event.get("at"):
                        text += f", {short_date(event['at'])}"
                    if event.get("reason"):
                        text += f": {event['reason']}"
                    if event.get("signature"):
                        text += f" [{event['signature']}]"
                    rows.append(["↳", text, "", "", ""])
                for extension in org.get("extensions") or ():
                    rows.append(["↳", " ".join(extension_parts(extension)), "", "", ""])
            self._grid(
                ["Organization", "Position", "By", "Date", "Version"],
                rows,
                [1.6, 1.1, 1.8, 1.1, 0.9],
            )
        else:
            self.doc.add_paragraph("No organization recorded a position.")
        self.doc.add_paragraph("Waivers", style="Heading 2")
        waivers = list(coordination.get("waivers") or ())
        if waivers:
            rows = [
                [
                    w.get("organization") or "",
                    w.get("section_number") or "Whole document",
                    _signed(w),
                    short_date(w.get("at")),
                    w.get("reason") or "",
                ]
                for w in waivers
            ]
            self._grid(
                ["Organization", "Scope", "Waived by", "Date", "Reason"],
                rows,
                [1.3, 1.0, 1.3, 1.1, 1.8],
            )
        else:
            self.doc.add_paragraph("No review was waived.")
        rulings = list(coordination.get("rulings") or ())
        if rulings:
            # Approvals and "no coordination required", each with how it is signed (as the PDF).
            self.doc.add_paragraph("Approvals and rulings", style="Heading 2")
            self._grid(
                ["Decision", "By", "Date", "Reason"],
                [
                    [
                        r.get("what") or "",
                        _signed(r),
                        short_date(r.get("at")),
                        r.get("reason") or "",
                    ]
                    for r in rulings
                ],
                [1.7, 1.8, 1.1, 1.9],
            )
        changes = self.snap.get("since_last_approval")
        if isinstance(changes, dict):
            self.changes_since_approval(changes)

    def changes_since_approval(self, changes: dict) -> None:
        """The redline against the last published version, section by section, as the PDF's
        record prints it: insertions underlined in blue, deletions struck in red."""
        counts = changes.get("counts") or {}
        words = [
            f"{counts[k]} {k}"
            for k in ("changed", "added", "removed", "moved")
            if isinstance(counts.get(k), int) and counts[k]
        ]
        when = long_date(changes.get("published_at")) if changes.get("published_at") else ""
        self.doc.add_paragraph("What changed since the last approval", style="Heading 3")
        self.doc.add_paragraph(
            f"Compared with version {changes.get('version')}, the last one published"
            + (f" ({when})" if when else "")
            + ": "
            + (", ".join(words) + " sections." if words else "no section changed.")
            + " Insertions are underlined in blue, deletions struck through in red."
        )
        for section in changes.get("sections") or ():
            status = {"added": "added", "removed": "removed", "changed": "changed"}.get(
                section.get("status"), ""
            )
            if section.get("moved"):
                status = f"{status}, moved" if status else "moved"
            head = self.doc.add_paragraph()
            head.paragraph_format.keep_with_next = True
            head.add_run(clean(section.get("label"))).bold = True
            old, new = section.get("old_number"), section.get("number")
            if old and new and old != new:
                head.add_run(clean(f" (was {old})"))
            mark = head.add_run(clean(f" — {status}"))
            mark.font.color.rgb = MOVED if status == "moved" else MUTED
            if section.get("heading"):
                p = self.doc.add_paragraph()
                p.add_run("Heading: ")
                _redline_runs(p, section["heading"])
            for block in section.get("blocks") or ():
                _redline_runs(self.doc.add_paragraph(), block.get("runs"))
        if changes.get("more"):
            self.doc.add_paragraph(
                f"{changes['more']} more changed sections are not listed here; export the "
                "redline for all of them."
            )

    def crm_appendix(self) -> None:
        section = self.doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        self.doc.add_paragraph("Appendix: Comment Resolution Matrix", style="Heading 1")
        self.doc.add_paragraph(
            "Type: C Critical, S Substantive, A Administrative. Every comment received on "
            f"version {self.info.get('version')} and how CNE resolved it."
        )
        crm = list(self.snap.get("crm") or ())
        if not crm:
            self.doc.add_paragraph("No comments were received.")
            return
        rows = []
        for c in crm:
            source = "\n".join(
                x
                for x in (
                    c.get("organization"),
                    c.get("reviewer_name"),
                    c.get("reviewer_title"),
                    short_date(c.get("response_date")),
                )
                if x
            )
            location = c.get("section_number") or ""
            if c.get("quoted_passage"):
                location += f"\n“{c['quoted_passage']}”"
            rationale = c.get("rationale") or ""
            if c.get("critical_ground"):
                ground = GROUND_LABELS.get(c["critical_ground"], c["critical_ground"])
                rationale = f"Ground: {ground}" + (f"\n{rationale}" if rationale else "")
            disposition = (
                c.get("disposition_label")
                or DISPOSITION_LABELS.get(c.get("disposition") or "", "")
                or "Open"
            )
            if c.get("disposition_rationale"):
                disposition += f"\n{c['disposition_rationale']}"
            rows.append(
                [
                    "" if c.get("item_no") is None else str(c["item_no"]),
                    source,
                    c.get("type") or "",
                    location,
                    c.get("comment") or "",
                    rationale,
                    c.get("proposed_wording") or "",
                    disposition,
                ]
            )
        headers = ["No.", "Source", "Type", "Location", "Comment", "Rationale", "Proposed wording"]
        self._grid([*headers, "Disposition"], rows, [0.5, 1.25, 0.65, 1.05, 1.5, 1.25, 1.4, 1.3])

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def build_docx(
    snapshot: dict,
    *,
    include_cover: bool = True,
    include_contents: bool = True,
    include_record: bool = True,
    include_crm: bool = False,
    review: ReviewBlock | None = None,
    properties: dict[str, str] | None = None,
    now: dt.datetime | None = None,
    progress=None,
    cancelled=None,
    figures=None,
) -> bytes:
    """The .docx bytes of a snapshot. A review block replaces the cover with the request's
    first page; `now` dates a draft (a published snapshot is dated by its publication).
    figures: figure id -> stored image (media_type, data, width, height, alt, caption), as
    `workbench.figures.for_snapshot` gives them; a figure not given is named, not drawn.
    progress(fraction) is called as it goes; cancelled() is polled (raises `Cancelled`)."""
    b = DocxBuilder(snapshot, now=now, figures=figures)
    b.frame()
    if review is not None:
        b.review_page(review)
    elif include_cover:
        b.cover()
    if include_contents:
        b.contents(include_record, include_crm)
    b.write_sections(progress, cancelled)
    if include_record:
        b.coordination_record()
    if include_crm:
        b.crm_appendix()
    if properties:
        set_custom_properties(b.doc, properties)
    data = b.bytes()
    if progress is not None:
        progress(1.0)
    return data


def _redline_runs(paragraph, runs) -> None:
    """[op, text] runs written with the record's redline colours (text, not tracked changes:
    the record reports what was approved against what changed)."""
    for op, text in runs or ():
        lines = clean(text).split("\n")
        for k, line in enumerate(lines):
            if k:
                paragraph.add_run().add_break()
            if not line:
                continue
            run = paragraph.add_run(line)
            if op == "insert":
                run.font.underline = True
                run.font.color.rgb = INSERTED
            elif op == "delete":
                run.font.strike = True
                run.font.color.rgb = DELETED


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _signed(decision: dict) -> str:
    """Who decided, and how it is signed ("signed by …", "unsigned"), as the PDF record prints."""
    name = decision.get("by_name") or ""
    signature = decision.get("signature")
    return f"{name} [{signature}]" if signature else name


def _title(section: dict) -> str:
    return f"{section.get('number') or ''} {section.get('heading') or ''}".strip()


def _org(code: str | None, name: str | None) -> str:
    if code and name and name != code:
        return f"{code} — {name}"
    return code or name or "—"


def _status(doc: dict) -> str:
    status = doc.get("status") or "draft"
    labels = {"draft": "Draft", "in_coordination": "In coordination", "published": "Published"}
    return labels.get(status, str(status))
