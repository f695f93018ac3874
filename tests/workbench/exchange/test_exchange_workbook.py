"""CRM workbooks: export for a request, fill as a reviewer would, import with row-level errors."""

from __future__ import annotations

import pytest
from exchange_helpers import MARKING, resave_with_calc, snapshot
from openpyxl import load_workbook

from tests import libreoffice
from workbench.coordination.comments import list_comments
from workbench.coordination.positions import latest_positions
from workbench.exchange.responses import import_response
from workbench.exchange.workbook import WorkbookProblems, export_request_workbook


@pytest.fixture
def workbook(ws, review, tmp_path):
    return export_request_workbook(ws, review.request_id, tmp_path / "uscg.xlsx")


def _fill(path, rows, *, position="Non-concur", name="CAPT Ann Ruiz"):
    wb = load_workbook(path)
    resp = wb["Response"]
    resp["B9"], resp["B10"], resp["B11"] = name, "Chief, Maritime Law Enforcement", position
    sheet = wb["Comments"]
    for r, values in rows.items():
        for col, v in values.items():
            sheet[f"{col}{r}"] = v
    wb.save(path)


def test_exported_workbook_is_ready_to_fill(ws, review, workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames[0] == "Response"
    assert wb["Response"]["A1"].value == MARKING
    assert wb["Response"].oddHeader.center.text == MARKING
    comments = wb["Comments"]
    assert [c.value for c in comments[2]][:5] == [
        "Item",
        "Section",
        "Passage quoted",
        "Type",
        "Comment",
    ]
    assert [comments.cell(r, 2).value for r in (3, 4)] == ["1.1", "2"]
    validations = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in comments.data_validations.dataValidation
    }
    assert validations["D3"] == '"C,S,A"'
    assert validations["B3"].startswith("=Sections!")
    request = wb["Request"]
    assert request.sheet_state == "hidden" and request.protection.sheet
    token = ws.db.execute("SELECT token FROM review_requests").fetchone()[0]
    values = [(r[0].value, r[1].value) for r in request.iter_rows(max_col=2)]
    assert token not in [v for _, v in values]  # no secret in the hidden sheet
    sent = ws.db.execute("SELECT digest FROM exchange_packets").fetchone()[0]
    assert ("packet_digest", sent) in values


def test_filled_workbook_imports_like_a_response(ws, review, workbook):
    _fill(
        workbook,
        {
            3: {
                "C": "carry most cocaine",
                "D": "C",
                "E": "Go-fast vessels are omitted.",
                "G": "Contradiction of Executive Branch or Department policy",
            },
            4: {"D": "a", "E": "Typo: Pacific."},
        },
    )
    result = import_response(ws, workbook)
    assert (result.source, result.added) == ("workbook", 2)
    crit, admin = list_comments(ws, review.doc_id)
    assert (crit.type, crit.critical_ground, crit.section_number) == ("C", "policy", "1.1")
    assert (admin.type, admin.section_number, admin.reviewer_name) == ("A", "2", "CAPT Ann Ruiz")
    assert latest_positions(ws, review.doc_id)["USCG"].position == "non_concur"
    before = snapshot(ws)
    assert import_response(ws, workbook).already_imported
    assert snapshot(ws) == before


def test_invalid_rows_are_reported_by_row_and_column_and_nothing_imported(ws, review, workbook):
    _fill(
        workbook,
        {
            3: {"D": "X", "E": "Wrong type."},
            5: {"B": "9.9", "D": "S", "E": "Unknown section."},
            6: {"B": "2", "D": "C", "E": "Critical without a ground."},
        },
        position="Maybe",
    )
    before = snapshot(ws)
    with pytest.raises(WorkbookProblems) as err:
        import_response(ws, workbook)
    assert snapshot(ws) == before
    problems = err.value.problems
    assert "Response sheet, cell B11 (Position): 'Maybe' is not Concur" in problems[0]
    assert "Comments sheet, row 3, column D (Type): 'X' is not C, S or A" in problems
    assert (
        "Comments sheet, row 5, column B (Section): '9.9' is not a section sent for review"
        in problems
    )
    assert any(p.startswith("Comments sheet, row 6, column G (Critical ground)") for p in problems)
    assert "nothing was imported" in str(err.value)


def test_a_workbook_for_text_never_sent_is_refused(ws, review, workbook):
    wb = load_workbook(workbook)
    wb["Request"]["B6"] = "0" * 64
    wb.save(workbook)
    _fill(workbook, {3: {"D": "S", "E": "Fine."}})
    before = snapshot(ws)
    with pytest.raises(Exception, match="answers text CNE never sent for review request"):
        import_response(ws, workbook)
    assert snapshot(ws) == before


def test_a_workbook_filled_then_saved_by_libreoffice_calc_imports(ws, review, tmp_path):
    # A reviewer without Excel answers in Calc, which rewrites the whole file in its own dialect
    # (shared strings, styles, the hidden protected Request sheet). Made at test time: the
    # packet digest in the workbook binds it to this workspace, so it cannot be committed.
    sent = export_request_workbook(ws, review.request_id, tmp_path / "uscg.xlsx")
    _fill(
        sent,
        {
            3: {
                "C": "carry most cocaine",
                "D": "C",
                "E": "Go-fast vessels are omitted.",
                "G": "Contradiction of Executive Branch or Department policy",
                "H": "=carry most cocaine and go-fast boats",
            },
            4: {"D": "A", "E": "Typo: Pacific."},
            7: {"B": "2", "D": "S", "E": "Name the cutters."},
            8: {"B": "Document", "D": "S", "E": "Say who leads the strategy."},
            9: {"D": "A", "E": "Spell out SPSS throughout."},  # no Section: the whole document
        },
        position="Concur with comment",
    )
    returned = resave_with_calc(sent, tmp_path)
    # Calc keeps the Section list, "Document" first.
    kept = load_workbook(returned)
    section_list = next(
        dv for dv in kept["Comments"].data_validations.dataValidation if "B3" in str(dv.sqref)
    )
    assert section_list.formula1.replace("$", "").endswith("Sections!A2:A4")
    assert section_list.showInputMessage and "or blank" in section_list.prompt
    assert [kept["Sections"].cell(r, 1).value for r in (2, 3, 4)] == ["Document", "1.1", "2"]
    result = import_response(ws, returned)
    assert (result.source, result.added) == ("workbook", 5)
    crm = {c.comment: c for c in list_comments(ws, review.doc_id)}
    crit = crm["Go-fast vessels are omitted."]
    assert (crit.type, crit.critical_ground, crit.section_number) == ("C", "policy", "1.1")
    assert crit.quoted_passage == "carry most cocaine"
    assert crit.proposed_wording == "=carry most cocaine and go-fast boats"  # text, not formula
    assert crm["Typo: Pacific."].section_number == "2"
    assert crm["Name the cutters."].section_number == "2"
    assert crm["Say who leads the strategy."].about_document
    assert crm["Spell out SPSS throughout."].about_document
    assert all(c.reviewer_name == "CAPT Ann Ruiz" for c in crm.values())
    assert latest_positions(ws, review.doc_id)["USCG"].position == "concur_with_comment"
    before = snapshot(ws)
    assert import_response(ws, returned).already_imported
    assert snapshot(ws) == before


def test_a_workbook_padded_with_cells_is_refused_before_it_is_loaded(
    ws, review, workbook, tmp_path, monkeypatch
):
    """openpyxl builds an object for every cell of every sheet (~450 bytes each): a sheet of
    two million cells in an 8 MB file took a gigabyte and minutes before any check ran."""
    import zipfile

    from workbench.exchange import workbook as wbmod

    _fill(workbook, {3: {"D": "S", "E": "Fine."}})
    padded = tmp_path / "padded.xlsx"
    row = "".join(f'<x:c r="A{r}"><x:v>1</x:v></x:c>' for r in range(1, 3001))
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(padded, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":  # the Sections sheet, never read
                part = part.replace(
                    b"</sheetData>", f"<row r='900'>{row}</row>".encode() + b"</sheetData>"
                )
            dst.writestr(info, part)
    monkeypatch.setattr(wbmod, "MAX_CELLS", 4000)  # two million would make a slow test
    before = snapshot(ws)
    with pytest.raises(Exception, match=r"holds [\d,]+ cells; a CRM workbook holds at most 4,000"):
        import_response(ws, padded)
    assert snapshot(ws) == before
    assert import_response(ws, workbook).added == 1  # the same workbook, unpadded, imports


def test_the_section_list_offers_the_document_as_a_whole(workbook):
    wb = load_workbook(workbook)
    secs = wb["Sections"]
    assert [secs.cell(r, 1).value for r in (2, 3, 4)] == ["Document", "1.1", "2"]
    assert secs.cell(2, 2).value == "The document as a whole"
    section_list = next(
        dv for dv in wb["Comments"].data_validations.dataValidation if "B3" in str(dv.sqref)
    )
    assert section_list.formula1 == "=Sections!$A$2:$A$4"
    # Excel and Calc show the prompt as the cell is chosen; a value off the list is questioned.
    assert section_list.showInputMessage and section_list.showErrorMessage
    assert section_list.errorStyle == "warning"
    assert "or Document (or blank) for the document as a whole" in section_list.prompt
    how = wb["Response"]["A8"].value
    assert 'choose the Section "Document" or leave the Section blank' in how
    assert "A8:B8" in wb["Response"].merged_cells  # read whole, not cut at column B's edge


def test_a_row_on_the_document_imports_as_a_document_comment(ws, review, workbook):
    _fill(
        workbook,
        {
            7: {"B": "Document", "D": "C", "E": "Go-fast vessels are omitted throughout.",
                "G": "Violation of law"},
            # Reviewers write it in their own words too; a passage may come from any section.
            8: {"B": "general", "C": "two cutters", "D": "S", "E": "Name the cutters."},
        },
    )  # fmt: skip
    result = import_response(ws, workbook)
    assert result.added == 2
    crit, named = list_comments(ws, review.doc_id)
    assert crit.about_document and (crit.type, crit.critical_ground) == ("C", "law")
    assert crit.location == "Document" and crit.section_revision_id is None
    assert named.about_document and named.quoted_passage == "two cutters"


def test_a_row_with_no_section_is_about_the_document_as_a_whole(ws, review, workbook):
    # A reviewer writes a general remark in a row of its own and names no section.
    _fill(
        workbook,
        {
            3: {"D": "A", "E": "Typo."},  # beside the prefilled §1.1
            7: {"D": "S", "E": "Add a section on funding."},
            8: {"B": "9.9", "D": "S", "E": "Wrong number."},
        },
    )
    before = snapshot(ws)
    with pytest.raises(WorkbookProblems) as err:  # a section named but never sent is still named
        import_response(ws, workbook)
    assert snapshot(ws) == before
    assert err.value.problems == [
        "Comments sheet, row 8, column B (Section): '9.9' is not a section sent for review"
    ]
    _fill(workbook, {8: {"B": None, "D": None, "E": None}})
    assert import_response(ws, workbook).added == 2
    crm = {c.comment: c for c in list_comments(ws, review.doc_id)}
    assert crm["Add a section on funding."].about_document
    assert crm["Add a section on funding."].location == "Document"
    assert crm["Typo."].section_number == "1.1"


def test_a_document_row_quoting_text_never_sent_is_refused(ws, review, workbook):
    # §1 Purpose is in the document, but it was not sent to USCG.
    _fill(
        workbook,
        {7: {"B": "Document", "C": "guides maritime interdiction", "D": "S", "E": "Reword."}},
    )
    before = snapshot(ws)
    with pytest.raises(Exception, match="quotes a passage that is not in the text sent"):
        import_response(ws, workbook)
    assert snapshot(ws) == before


def test_each_printed_page_of_the_response_keeps_labels_beside_their_answers(
    workbook, review, tmp_path
):
    # Printed (here by LibreOffice, as a reviewer's Calc or Excel would), column B went to a
    # page of its own: "Reviewer name" on one sheet of paper, the yellow cell on another.
    pdf = libreoffice.convert(workbook, "pdf", tmp_path / "printed", profile=tmp_path / "lo")
    pages = libreoffice.pdf_text(pdf).split("\f")
    first = pages[0]
    assert "Suspense date" in first and "Review for accuracy." in first
    comments = next(p for p in pages if "Passage quoted" in p)
    assert "Proposed wording" in comments  # the Comments sheet's columns side by side
    sent = next(p for p in pages if "Text as sent" in p)
    assert "Content hash" in sent  # and the Sections sheet's
