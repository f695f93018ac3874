"""CRM workbooks (.xlsx) for reviewers without the workbench, and the consolidated CRM export."""

from __future__ import annotations

import io
import os
import re
import secrets
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workbench import audit
from workbench.coordination.comments import (
    COMMENT_TYPES,
    CRITICAL_GROUNDS,
    DOCUMENT_LOCATION,
    comment_problems,
)
from workbench.coordination.positions import POSITIONS
from workbench.exchange.formats import ExchangeError, write_atomic
from workbench.exchange.packets import (
    build_packet,
    content_digest,
    prepare_request_for_export,
    record_sent,
)
from workbench.exchange.zip_template import Slots, ZipTemplate, template_key
from workbench.workspace import use_case

WORKBOOK_FORMAT = "cne-crm-workbook"
# The Section a reviewer chooses for a comment about the document as a whole; the other words
# reviewers write for one in a CRM are accepted too.
DOCUMENT = DOCUMENT_LOCATION
_DOCUMENT_WORDS = {DOCUMENT.casefold(), "the document as a whole", "whole document", "general"}
WHAT = "CRM workbook"
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_MEMBERS = 2_000
# Every row a workbook can hold (50,000) of the ten columns, and the other sheets' few.
MAX_CELLS = 600_000
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
BLANK_ROWS = 200
REQUEST_SHEET = "Request"
COMMENTS_SHEET = "Comments"
RESPONSE_SHEET = "Response"

# (header, width, reviewer fills it)
COMMENT_COLUMNS = [
    ("Item", 7, False),
    ("Section", 10, True),
    ("Passage quoted", 30, True),
    ("Type", 7, True),
    ("Comment", 45, True),
    ("Rationale", 35, True),
    ("Critical ground", 30, True),
    ("Proposed wording", 35, True),
    ("Disposition", 16, False),
    ("Disposition rationale", 30, False),
]
_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="2F5D9B")
_BANNER = Font(bold=True, color="8B0000")
_CNE_FILL = PatternFill("solid", fgColor="E7E9EC")
_WRAP = Alignment(wrap_text=True, vertical="top")


class WorkbookProblems(ExchangeError):
    """A filled workbook with rows to fix; each problem names its sheet, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:10])
        more = f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        super().__init__(
            f"The CRM workbook has {len(problems)} problem(s) to fix; nothing was imported: "
            f"{shown}{more}."
        )


# Where each part of the comment rule is filled in on the Comments sheet.
_RULE_COLUMNS = {"type": "Type", "comment": "Comment", "critical_ground": "Critical ground"}


def _put(cell, value) -> None:
    # Reviewer and document text is data; a leading "=" must never become a live formula.
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _marking(sheet, marking: str) -> None:
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    sheet.evenHeader.center.text = marking
    sheet.evenFooter.center.text = marking


# -- the request workbook ------------------------------------------------------------------
# What differs between two requests' workbooks of the same sections; everything else in a
# packet (the sections, marking, suspense, instructions) is rendered once per template.
_PER_REQUEST = ("request_id", "organization", "reviewer", "exported_at", "audit_head", "signature")


def _fit_to_width(sheet) -> None:
    """Printed one page wide, as many tall as it takes: a reviewer who prints the sheet gets
    each label beside its answer (Calc and Excel otherwise put column B on pages of its own)."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


@use_case
def export_request_workbook(ws, request_id: int, path: str | os.PathLike) -> Path:
    """A CRM workbook for one request: sections prefilled, lists validated, packet digest kept."""
    req = prepare_request_for_export(ws, request_id)
    packet = build_packet(ws, request_id)
    out = Path(path)
    if out.is_dir():
        raise ExchangeError(f"{out} is a folder; name the workbook file to write.")
    write_atomic(out, request_workbook_bytes(packet))
    record_workbook_sent(ws, req, packet, out.name)
    return out


def record_workbook_sent(ws, req, packet: dict, file_name: str) -> None:
    """Within a use-case: the workbook of `packet` went out as `file_name`."""
    sent = record_sent(ws, req.id, packet, "workbook")
    audit.record(
        ws,
        "exchange.workbook_export",
        "review_request",
        req.id,
        document_id=req.document_id,
        organization=req.organization,
        file=file_name,
        packet_sha256=sent,
    )


def request_workbook_bytes(packet: dict, templates: dict | None = None) -> bytes:
    """The .xlsx of a request's packet. `templates` (a dict kept across calls) renders each
    distinct set of sections once and fills in each request's own values."""
    shared = {k: v for k, v in packet.items() if k not in _PER_REQUEST}
    key = template_key("workbook", shared)
    template = None if templates is None else templates.get(key)
    if template is None:
        slots = Slots()
        data = _render_workbook(
            shared,
            request_id=slots.number("request"),
            organization=slots.text("organization"),
            reviewer=slots.text("reviewer"),
            packet_digest=slots.text("digest"),
        )
        template = ZipTemplate(data, slots)
        if templates is not None:
            templates[key] = template
    org = packet["organization"]
    return template.fill(
        {
            "request": packet["request_id"],
            "organization": f"{org['code']} — {org['name']}",
            "reviewer": packet["reviewer"]["name"],
            "digest": content_digest(packet),
        }
    )


def _render_workbook(
    packet: dict, *, request_id: int, organization: str, reviewer: str, packet_digest: str
) -> bytes:
    marking = packet["marking"]
    wb = Workbook()
    resp = wb.active
    resp.title = RESPONSE_SHEET
    _marking(resp, marking)
    rows = [
        (marking, None),
        (packet["document_title"], None),
        ("Review request", request_id),
        ("Organization", organization),
        ("Suspense date", packet["suspense_date"]),
        ("Instructions", packet["instructions"]),
        (None, None),
        (
            "Fill in the three yellow cells and the Comments sheet, then return this file. "
            "On the Comments sheet, write each comment beside the section it concerns; for a "
            f'comment on the document as a whole, choose the Section "{DOCUMENT}" or leave '
            "the Section blank.",
            None,
        ),
        ("Reviewer name", reviewer),
        ("Reviewer title", ""),
        ("Position", ""),
        (None, None),
        (marking, None),
    ]
    for r, (label, value) in enumerate(rows, 1):
        _put(resp.cell(r, 1), label)
        _put(resp.cell(r, 2), value)
    for r in (1, 13):
        resp.cell(r, 1).font = _BANNER
    resp["A2"].font = Font(bold=True, size=14)
    yellow = PatternFill("solid", fgColor="FFF3B0")
    for r in (9, 10, 11):
        resp.cell(r, 1).font = Font(bold=True)
        resp.cell(r, 2).fill = yellow
    resp.column_dimensions["A"].width = 22
    resp.column_dimensions["B"].width = 70
    resp["B6"].alignment = _WRAP
    # The how-to line spans both columns so it reads whole, wrapped, on a laptop screen.
    resp.merge_cells("A8:B8")
    resp["A8"].alignment = _WRAP
    resp.row_dimensions[8].height = 48
    _fit_to_width(resp)
    positions = DataValidation(
        type="list", formula1='"' + ",".join(POSITIONS.values()) + '"', allow_blank=True
    )
    positions.error = "Choose Concur, Concur with comment or Non-concur."
    resp.add_data_validation(positions)
    positions.add("B11")

    secs = wb.create_sheet("Sections")
    _marking(secs, marking)
    _fit_to_width(secs)
    secs.page_setup.orientation = "landscape"  # the text as sent beside its number and hash
    for c, (head, width) in enumerate(
        [("Section", 10), ("Heading", 35), ("Text as sent", 90), ("Content hash", 20)], 1
    ):
        cell = secs.cell(1, c, head)
        cell.font, cell.fill = _HEAD, _HEAD_FILL
        secs.column_dimensions[get_column_letter(c)].width = width
    # The Section list's first choice: a comment about the document as a whole.
    whole = [(DOCUMENT, "The document as a whole", "(Not a section: the whole document.)", "")]
    listed = whole + [
        (s["number"], s["heading"], s["body"], s["content_hash"]) for s in packet["sections"]
    ]
    for r, values in enumerate(listed, 2):
        for c, v in enumerate(values, 1):
            _put(secs.cell(r, c), v)
            secs.cell(r, c).alignment = _WRAP
    n_sections = len(packet["sections"])

    com = wb.create_sheet(COMMENTS_SHEET)
    _marking(com, marking)
    _fit_to_width(com)
    com.page_setup.orientation = "landscape"  # ten columns of comment, passage and wording
    _put(com.cell(1, 1), marking)
    com.cell(1, 1).font = _BANNER
    for c, (head, width, _) in enumerate(COMMENT_COLUMNS, 1):
        cell = com.cell(2, c, head)
        cell.font, cell.fill = _HEAD, _HEAD_FILL
        com.column_dimensions[get_column_letter(c)].width = width
    com.freeze_panes = "A3"
    last = 2 + max(BLANK_ROWS, n_sections + 50)
    for r, s in enumerate(packet["sections"], 3):
        _put(com.cell(r, 2), s["number"])
    for r in range(3, last + 1):
        for c, (_, _, theirs) in enumerate(COMMENT_COLUMNS, 1):
            cell = com.cell(r, c)
            cell.alignment = _WRAP
            if not theirs:
                cell.fill = _CNE_FILL
    col = {h: get_column_letter(i) for i, (h, _, _) in enumerate(COMMENT_COLUMNS, 1)}
    checks = [
        (
            "Section",
            f"=Sections!$A$2:$A${len(listed) + 1}",
            f"Choose a section number sent, or {DOCUMENT} (or blank) for the document as a whole.",
        ),
        ("Type", '"C,S,A"', "C Critical, S Substantive or A Administrative."),
        (
            "Critical ground",
            f"=Lists!$A$1:$A${len(CRITICAL_GROUNDS)}",
            "Required for a Critical comment.",
        ),
    ]
    # The grounds contain commas, so the list lives in cells rather than in the formula.
    lists = wb.create_sheet("Lists")
    for r, label in enumerate(CRITICAL_GROUNDS.values(), 1):
        lists.cell(r, 1, label)
    lists.sheet_state = "hidden"
    for head, formula, message in checks:
        # Shown as the cell is chosen; a value off the list is questioned, not refused (the
        # import reads "Critical" for C, "General" for Document, and names what it cannot).
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="warning",
        )
        dv.error, dv.errorTitle, dv.prompt, dv.promptTitle = message, head, message, head
        com.add_data_validation(dv)
        dv.add(f"{col[head]}3:{col[head]}{last}")
    _put(com.cell(last + 2, 1), marking)
    com.cell(last + 2, 1).font = _BANNER

    meta = wb.create_sheet(REQUEST_SHEET)
    values = [
        ("format", WORKBOOK_FORMAT),
        ("version", 1),
        ("workspace_id", packet["workspace_id"]),
        ("request_id", request_id),
        ("document_id", packet["document_id"]),
        # Not a secret: which packet content it answers (a response to other text is refused).
        ("packet_digest", packet_digest),
    ]
    for r, (k, v) in enumerate(values, 1):
        meta.cell(r, 1, k)
        meta.cell(r, 2, v)
    for r, s in enumerate(packet["sections"], len(values) + 2):
        meta.cell(r, 1, "section")
        meta.cell(r, 2, s["number"])
        meta.cell(r, 3, s["section_id"])
    meta.protection.sheet = True
    meta.protection.password = secrets.token_hex(8)
    meta.sheet_state = "hidden"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- reading a filled workbook -------------------------------------------------------------
def _open(data: bytes):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
                raise ExchangeError("The CRM workbook unpacks to more than a workbook can hold.")
            if "xl/workbook.xml" not in z.namelist():
                raise ExchangeError("This is not a CRM workbook (it is another kind of file).")
            cells = _cell_count(z, infos)
            if cells > MAX_CELLS:
                raise ExchangeError(
                    f"The CRM workbook holds {cells:,} cells; a CRM workbook holds at most "
                    f"{MAX_CELLS:,}. Nothing was imported."
                )
        return load_workbook(io.BytesIO(data), data_only=True)
    except ExchangeError:
        raise
    except Exception:  # openpyxl and zipfile fail in many ways on damaged files
        raise ExchangeError(
            "This is not a readable CRM workbook (it is damaged, truncated, or another kind "
            "of file)."
        ) from None


def _cell_count(z: zipfile.ZipFile, infos) -> int:
    """Cells in every sheet, counted in the XML before openpyxl builds an object for each of
    them (about 450 bytes a cell: two million cells in an 8 MB file took a gigabyte)."""
    count = 0
    for info in infos:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with z.open(info) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                text = tail + chunk
                count += len(_CELL_TAG.findall(text))
                tail = text[-16:]
                count -= len(_CELL_TAG.findall(tail))  # counted again with the next chunk
    return count


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


class _Formulas:
    """What a reviewer typed in a cell that Excel or Calc turned into a formula and shows as an
    error ("=add the go-fast boats" gives #NAME?): the words, read on demand."""

    def __init__(self, data: bytes):
        self.data = data
        self.sheet: Any = None

    def typed(self, row: int, column: int) -> str:
        if self.sheet is None:
            self.sheet = load_workbook(io.BytesIO(self.data))[COMMENTS_SHEET]
        value = self.sheet.cell(row, column).value
        return _text(value) if isinstance(value, str) else ""


def _lookup(label: str, table: dict[str, str]) -> str | None:
    key = label.strip().casefold()
    for k, v in table.items():
        if key in (k.casefold(), v.casefold()):
            return k
    return None


def read_filled_workbook(data: bytes) -> dict:
    """The response body of a filled workbook; WorkbookProblems lists rows to fix."""
    wb = _open(data)
    names = wb.sheetnames
    if REQUEST_SHEET not in names or COMMENTS_SHEET not in names or RESPONSE_SHEET not in names:
        raise ExchangeError("This workbook is not a CRM workbook exported by CNE Workbench.")
    meta: dict[str, object] = {}
    section_ids: dict[str, int] = {}
    # Never past a sheet's last row: openpyxl makes a cell for every place it is asked about
    # (50,000 rows x 10 columns took 12 s), whatever the file holds.
    meta_sheet = wb[REQUEST_SHEET]
    for row in meta_sheet.iter_rows(
        min_row=1, max_row=min(meta_sheet.max_row, 10_000), values_only=True
    ):
        if not row or row[0] is None:
            continue
        if row[0] == "section" and len(row) >= 3:
            if isinstance(row[2], int):
                section_ids[_text(row[1])] = row[2]
        else:
            meta[str(row[0])] = row[1] if len(row) > 1 else None
    if meta.get("format") != WORKBOOK_FORMAT:
        raise ExchangeError("This workbook is not a CRM workbook exported by CNE Workbench.")
    sent = meta.get("packet_digest")
    if not isinstance(sent, str) or not all(
        isinstance(meta.get(k), int) for k in ("request_id", "document_id")
    ):
        raise ExchangeError("The CRM workbook's protected Request sheet was damaged.")

    problems: list[str] = []
    resp = wb[RESPONSE_SHEET]
    fields: dict[str, tuple[str, str]] = {}
    for row in resp.iter_rows(min_row=1, max_row=min(resp.max_row, 100)):
        label = _text(row[0].value) if row else ""
        if label in ("Reviewer name", "Reviewer title", "Position") and len(row) > 1:
            fields[label] = (_text(row[1].value), row[1].coordinate)
    name, name_at = fields.get("Reviewer name", ("", "B9"))
    title, _ = fields.get("Reviewer title", ("", "B10"))
    pos_text, pos_at = fields.get("Position", ("", "B11"))
    if not name:
        problems.append(f"Response sheet, cell {name_at} (Reviewer name): enter who answers")
    position = _lookup(pos_text, POSITIONS) if pos_text else None
    if position is None:
        problems.append(
            f"Response sheet, cell {pos_at} (Position): "
            + (f"{pos_text!r} is not " if pos_text else "choose ")
            + "Concur, Concur with comment or Non-concur"
        )

    sheet = wb[COMMENTS_SHEET]
    header_row, cols = None, {}
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=5, values_only=True), 1):
        heads = [_text(v) for v in row]
        if "Comment" in heads and "Type" in heads and "Section" in heads:
            header_row = r
            cols = {h: i for i, h in enumerate(heads) if h}
            break
    if header_row is None:
        raise ExchangeError("The Comments sheet has lost its header row (Section, Type, Comment).")

    def at(r: int, head: str) -> str:
        return f"Comments sheet, row {r}, column {get_column_letter(cols[head] + 1)} ({head})"

    formulas = _Formulas(data)
    if sheet.max_row > 50_000:
        problems.append(f"Comments sheet: {sheet.max_row:,} rows; a workbook holds at most 50,000")
    comments: list[dict[str, object]] = []
    filled_heads = [h for h, _, reviewer in COMMENT_COLUMNS if reviewer and h != "Section"]
    for r, row in enumerate(
        sheet.iter_rows(
            min_row=header_row + 1, max_row=min(sheet.max_row, 50_000), values_only=True
        ),
        header_row + 1,
    ):
        get = {h: _text(row[i]) if i < len(row) else "" for h, i in cols.items()}
        for h, i in cols.items():
            if get[h] in ERROR_CODES:  # text the spreadsheet took for a formula it cannot compute
                get[h] = formulas.typed(r, i + 1) or get[h]
        if not any(get.get(h) for h in filled_heads):
            continue  # a prefilled section with nothing said about it
        if len(comments) >= 10_000:
            problems.append("Comments sheet: more than 10,000 comments")
            break
        number = get.get("Section", "")
        # A comment with no section named is about the document as a whole, as a reviewer in
        # a spreadsheet writes one in a row of its own (and as a Word comment outside every
        # section is); the preview lists it under "The document as a whole" before it imports.
        about_document = not number or number.casefold() in _DOCUMENT_WORDS
        if not about_document and number not in section_ids:
            problems.append(f"{at(r, 'Section')}: {number!r} is not a section sent for review")
        ctype = _lookup(get.get("Type", ""), COMMENT_TYPES) if get.get("Type") else None
        ground = None
        if ctype == "C" and "Critical ground" in cols:
            ground = _lookup(get.get("Critical ground", ""), CRITICAL_GROUNDS)
        for field, message in comment_problems(ctype, get.get("Comment", ""), ground):
            column = _RULE_COLUMNS[field] if _RULE_COLUMNS[field] in cols else "Type"
            if field == "type" and get.get("Type"):
                message = f"{get.get('Type')!r} is not C, S or A"
            problems.append(f"{at(r, column)}: {message}")
        comments.append(
            {
                "client_id": f"row-{r}",
                "section_id": None if about_document else section_ids.get(number, 0),
                "type": ctype or "S",
                "quoted_passage": get.get("Passage quoted", ""),
                "location_detail": "",
                "comment": get.get("Comment", ""),
                "rationale": get.get("Rationale", ""),
                "critical_ground": ground,
                "proposed_wording": get.get("Proposed wording", ""),
            }
        )
    if problems:
        raise WorkbookProblems(problems)
    body = {
        "workspace_id": str(meta.get("workspace_id") or ""),
        "request_id": meta["request_id"],
        "document_id": meta["document_id"],
        "response_id": "workbook",
        "sequence": 0,
        "created_at": "",
        "reviewer_name": name,
        "reviewer_title": title,
        "position": position,
        "comments": comments,
        "packet_digest": sent,
    }
    return body
