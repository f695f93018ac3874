"""The Word export against its golden structural dump (tests/fixtures/word/golden/export.txt).

A deliberate change to the writer regenerates it with tests/fixtures/word/make_golden.py
--pages DIR; look at the rendered pages before committing the new dump.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import word_golden as golden

from workbench.word.writer import build_docx

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "word" / "golden"
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


def test_export_matches_the_golden_dump():
    data = build_docx(golden.snapshot(), figures=golden.figures(), include_crm=True, now=NOW)
    want = (GOLDEN / "export.txt").read_text(encoding="utf-8")
    got = golden.dump(data)
    diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), lineterm=""))
    assert got == want, "the Word export changed (make_golden.py regenerates):\n" + diff


def test_the_dump_sees_what_users_rely_on():
    """The golden file itself holds the structure the issue asks for (so a regenerated dump
    that lost a footnote or a field would be noticed in review, and here)."""
    text = (GOLDEN / "export.txt").read_text(encoding="utf-8")
    assert "FOOTNOTE 1:  Coast Guard cutter reports, fiscal year 2026." in text
    assert "<link #cne_s30>§{REF cne_s30 \\r = 2}" in text
    assert 'num[0]=lowerLetter "%1." start=1 Screen cargo.' in text
    assert 'num[1]=lowerRoman "%2." start=1 Within DHS.' in text
    assert "Figure {SEQ Figure \\* ARABIC = 1}. The eastern Pacific corridor" in text
    assert '<picture descr="Map of the eastern Pacific corridor" 320x160px' in text
    assert '{TOC \\o "1-3" \\h \\z \\u = 1 Purpose…' in text
    assert text.count("HEADER1 **UNCLASSIFIED//FOR OFFICIAL USE ONLY**") == 1
    assert "P [Heading1] Appendix: Comment Resolution Matrix" in text
