"""The consolidated CRM: every organization's comments on a document in one .xlsx."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from workbench.coordination.comments import CRITICAL_GROUNDS, DISPOSITIONS, list_comments
from workbench.documents import document
from workbench.exchange.formats import ExchangeError, write_atomic
from workbench.sections import outline

HEADS = [
    ("Item", 7),
    ("Organization", 12),
    ("Reviewer", 22),
    ("Title", 22),
    ("Date", 11),
    ("Type", 7),
    ("Section", 10),
    ("Passage quoted", 30),
    ("Comment", 45),
    ("Rationale", 35),
    ("Critical ground", 28),
    ("Proposed wording", 35),
    ("Disposition", 18),
    ("Disposition rationale", 35),
]


class WorkbookCancelled(ExchangeError):
    """The person who asked for the workbook stopped it before it was written."""


CELL_LIMIT = 32_767  # characters Excel keeps in one cell
CUT_NOTE = " … [cut here: a spreadsheet cell holds 32,767 characters; the workspace has it all]"


def _fit(value):
    # Say where a cell's limit cut the text, never drop the end of a user's words silently.
    if isinstance(value, str) and len(value) > CELL_LIMIT:
        return value[: CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE
    return value


def export_consolidated_crm(ws, document_id: int, path: str | os.PathLike) -> Path:
    """Every organization's comments on a document in one .xlsx, in section order."""
    out = Path(path)
    if out.is_dir():
        raise ExchangeError(f"{out} is a folder; name the workbook file to write.")
    write_atomic(out, crm_workbook_bytes(ws, document_id))
    return out


def crm_workbook_bytes(
    ws,
    document_id: int,
    *,
    progress: Callable[[float], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The consolidated CRM workbook's bytes (the app writes them on a thread of its own):
    `progress(fraction)` hears how far it is; `cancelled()` true stops it (WorkbookCancelled).
    """
    doc = document(ws, document_id)
    # The whole document first, then section order (a deleted section's comments last).
    order: dict[int | None, int] = {e.id: i for i, e in enumerate(outline(ws, document_id))}
    order[None] = -1
    comments = sorted(
        list_comments(ws, document_id),
        key=lambda c: (order.get(c.section_id, len(order)), c.item_no),
    )
    buf = io.BytesIO()
    # Reviewer text is data: a leading "=" never becomes a formula, nor text a link or number.
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = wb.add_worksheet("CRM")
    banner = wb.add_format({"bold": True, "font_color": "#8B0000"})
    title = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#2F5D9B"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for col, (_head, width) in enumerate(HEADS):
        # The column's format applies to every data cell written without one of its own.
        sheet.set_column(col, col, width, wrap)
    marking = doc.marking.replace("&", "&&")
    sheet.set_header(f"&C{marking}")
    sheet.set_footer(f"&C{marking}")
    sheet.freeze_panes(3, 0)
    # Printed, the 14 columns fit across one landscape page and the headings repeat.
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    sheet.autofilter(2, 0, 2 + len(comments), len(HEADS) - 1)

    sheet.write_string(0, 0, doc.marking, banner)
    sheet.write_string(
        1, 0, f"Comment resolution matrix — {doc.title} (version {doc.version})", title
    )
    sheet.write_row(2, 0, [h for h, _ in HEADS], head)
    total = max(1, len(comments))
    for row, c in enumerate(comments, 3):
        if row % 200 == 0:
            if cancelled is not None and cancelled():
                raise WorkbookCancelled("The CRM workbook was cancelled: no file was written.")
            if progress is not None:
                progress(0.9 * (row - 3) / total)
        sheet.write_row(
            row,
            0,
            [
                c.item_no,
                _fit(c.organization),
                _fit(c.reviewer_name),
                _fit(c.reviewer_title),
                c.response_date,
                c.type,
                c.location or "(deleted)",
                _fit(c.quoted_passage),
                _fit(c.comment),
                _fit(c.rationale),
                CRITICAL_GROUNDS.get(c.critical_ground or "", ""),
                _fit(c.proposed_wording),
                DISPOSITIONS.get(c.disposition or "", ""),
                _fit(c.disposition_rationale),
            ],
        )
    sheet.write_string(len(comments) + 4, 0, doc.marking, banner)
    wb.close()
    if progress is not None:
        progress(1.0)
    return buf.getvalue()
