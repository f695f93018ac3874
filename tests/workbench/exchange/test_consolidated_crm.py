"""The consolidated CRM (.xlsx): every comment in section order, wrapped, marked, text as text."""

from __future__ import annotations

import io

import pytest
from exchange_helpers import MARKING
from openpyxl import load_workbook

from workbench.coordination.comments import add_comment
from workbench.exchange.consolidated_crm import (
    CELL_LIMIT,
    WorkbookCancelled,
    crm_workbook_bytes,
    export_consolidated_crm,
)


def test_formula_text_stays_text(ws, review, tmp_path):
    sid = review.section_ids[2]
    add_comment(
        ws,
        review.doc_id,
        organization_code="CBP",
        type="S",
        section_id=sid,
        comment_text='=HYPERLINK("http://evil.example","click")',
    )
    add_comment(
        ws,
        review.doc_id,
        organization_code="USCG",
        type="A",
        section_id=review.section_ids[1],
        comment_text="Typo.",
    )
    out = export_consolidated_crm(ws, review.doc_id, tmp_path / "crm.xlsx")
    sheet = load_workbook(out)["CRM"]
    assert sheet["A1"].value == MARKING
    rows = list(sheet.iter_rows(min_row=4, max_row=5, values_only=True))
    # Sorted by section: §1.1 (USCG) before §2 (CBP), though CBP commented first.
    assert [(r[1], r[6]) for r in rows] == [("USCG", "1.1"), ("CBP", "2")]
    assert sheet["I5"].data_type == "s"
    assert sheet["I5"].value.startswith("=HYPERLINK")


def test_consolidated_crm_layout_styles_and_print_settings(ws, review, tmp_path):
    for i, org in enumerate(("CBP", "USCG", "CBP")):
        add_comment(
            ws,
            review.doc_id,
            organization_code=org,
            type="S",
            section_id=review.section_ids[i % 2],
            comment_text=f"Comment number {i} with enough words to wrap in its column.",
        )
    out = export_consolidated_crm(ws, review.doc_id, tmp_path / "crm.xlsx")
    sheet = load_workbook(out)["CRM"]
    assert sheet.oddHeader.center.text == MARKING and sheet.oddFooter.center.text == MARKING
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:N6"
    assert sheet["A2"].value.startswith("Comment resolution matrix") and sheet["A2"].font.b
    assert sheet["A1"].font.color.rgb.endswith("8B0000")
    heads = [c.value for c in sheet[3]]
    assert heads[:3] == ["Item", "Organization", "Reviewer"] and len(heads) == 14
    assert all(c.font.b for c in sheet[3])
    # Excel shows the width asked for (the file stores it with the cell padding added).
    assert 45 <= sheet.column_dimensions["I"].width < 46
    data = [row for row in sheet.iter_rows(min_row=4, max_row=6)]
    assert [r[8].value.split(" with")[0] for r in data] == [
        f"Comment number {i}" for i in (0, 2, 1)
    ]
    filled = [c for r in data for c in r if c.value not in (None, "")]
    assert len(filled) >= 3 * 6  # (an empty cell is not written: its column's format shows)
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in filled)
    assert sheet["A7"].value is None and sheet["A8"].value == MARKING


def test_text_longer_than_a_cell_says_where_it_was_cut(ws, review, tmp_path):
    long = "Boarding procedures. " * 2000  # 42,000 characters: more than a cell holds
    add_comment(
        ws,
        review.doc_id,
        organization_code="CBP",
        type="S",
        section_id=review.section_ids[0],
        comment_text="See the rationale.",
        rationale=long,
    )
    sheet = load_workbook(export_consolidated_crm(ws, review.doc_id, tmp_path / "crm.xlsx"))["CRM"]
    kept = sheet["J4"].value
    assert len(kept) == CELL_LIMIT and kept.endswith("the workspace has it all]")
    assert long.startswith(kept.split(" … [cut here")[0])


def test_ampersand_in_the_marking_prints_in_header_and_footer(ws, review, tmp_path):
    from workbench import documents

    documents.update_document(ws, review.doc_id, marking="UNCLASSIFIED//FOUO & LES")
    add_comment(
        ws, review.doc_id, organization_code="CBP", type="A",
        section_id=review.section_ids[0], comment_text="Typo.",
    )  # fmt: skip
    sheet = load_workbook(export_consolidated_crm(ws, review.doc_id, tmp_path / "crm.xlsx"))["CRM"]
    assert sheet.oddHeader.center.text == "UNCLASSIFIED//FOUO && LES"  # "&&" prints one "&"
    assert sheet["A1"].value == "UNCLASSIFIED//FOUO & LES"


def test_the_workbook_reports_progress_and_stops_when_cancelled(ws, review, tmp_path):
    for n in range(450):
        add_comment(
            ws, review.doc_id, organization_code="CBP", type="A",
            section_id=review.section_ids[n % 3], comment_text=f"Point {n}.",
        )  # fmt: skip
    seen: list[float] = []
    data = crm_workbook_bytes(ws, review.doc_id, progress=seen.append, cancelled=lambda: False)
    assert seen == sorted(seen) and seen[-1] == 1.0 and 0 < seen[0] < 1 and len(seen) >= 3
    assert load_workbook(io.BytesIO(data))["CRM"].max_row == 3 + 450 + 2
    asked: list[int] = []

    def cancel_on_second_ask() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(WorkbookCancelled):
        crm_workbook_bytes(ws, review.doc_id, cancelled=cancel_on_second_ask)
    assert len(asked) == 2  # it stopped at the second check, not at the end
