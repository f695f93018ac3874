"""The PDF's layout, page by page, against reviewed golden dumps (tests/workbench/pdf/golden/).

After a deliberate layout change: `.venv/bin/python -m tests.workbench.pdf.golden --png DIR`,
look at the pages in DIR, then commit the rewritten dumps with the change.
"""

from __future__ import annotations

import difflib

import pytest

from tests.workbench.pdf import golden


@pytest.mark.parametrize("case", golden.CASES)
def test_pdf_matches_its_golden_reference(case):
    expected = (golden.HERE / f"{case}.txt").read_text(encoding="utf-8")
    actual = golden.dump(golden.render(case))
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(True), actual.splitlines(True), "golden", "now", n=1
                )
            )[:60]
        )
        pytest.fail(
            f"The {case} PDF no longer matches its golden reference. If the change is meant, "
            "regenerate with `python -m tests.workbench.pdf.golden --png DIR`, look at the "
            f"pages and commit the dumps.\n{diff}",
            pytrace=False,
        )


def test_the_golden_document_is_rendered_the_same_twice():
    assert golden.render("document") == golden.render("document")
