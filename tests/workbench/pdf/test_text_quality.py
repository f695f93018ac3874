"""PDF text quality: hyphenation, justification, URL breaks, column sizing, fallback fonts."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.workbench.pdf.conftest import make_snapshot
from workbench.pdf import build_pdf
from workbench.pdf import styles as st
from workbench.pdf.markdown_flowables import column_widths
from workbench.pdf.textblock import Run, TextBlock

PARAGRAPH = (
    "The Office of Counternarcotics Enforcement coordinates departmental counternarcotics "
    "policy, interdiction operations and intelligence sharing across components. "
) * 4


def lines_of(block: TextBlock, width: float) -> list[str]:
    block.wrap(width, 10_000)
    return ["".join(seg[1] for seg in line) for line in block.lines]


def test_body_text_is_justified_and_hyphenated_as_a_style():
    body = st.paragraph_styles()["body"]
    assert body.alignment == st.TA_JUSTIFY and body.hyphenationLang == "en_US"
    lines = lines_of(TextBlock([Run(PARAGRAPH)], body), 300)
    assert any(line.endswith("-") and not line.endswith(" -") for line in lines)
    joined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
    assert " ".join(joined.split()) == " ".join(PARAGRAPH.split())  # nothing lost or doubled
    block = TextBlock([Run(PARAGRAPH)], body)
    block.wrap(300, 10_000)
    assert all(block._justified(n) for n in range(len(block.lines) - 1))
    assert not block._justified(len(block.lines) - 1)  # the last line stays ragged


def test_a_long_word_in_a_narrow_column_breaks_at_syllables_not_anywhere():
    cell = st.paragraph_styles()["md_cell"]
    lines = lines_of(TextBlock([Run("Interoperability intergovernmental")], cell), 60)
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.rstrip("-") for line in lines).replace(" ", "") == (
        "Interoperabilityintergovernmental"
    )


def test_a_url_longer_than_a_line_breaks_after_its_separators():
    url = "https://www.dhs.gov/publication/counternarcotics-annual-report?year=2026&part=b"
    lines = lines_of(TextBlock([Run(url)], st.paragraph_styles()["body"]), 150)
    assert len(lines) > 1 and "".join(lines) == url
    assert all(line[-1] in "/.?&=#-_@:" for line in lines[:-1])


def test_table_columns_are_sized_to_their_content():
    cell = st.paragraph_styles()["md_cell"]
    rows = [
        [TextBlock([Run("USCG")], cell), TextBlock([Run(PARAGRAPH)], cell)],
        [TextBlock([Run("CBP")], cell), TextBlock([Run("Ports of entry")], cell)],
    ]
    narrow, wide = column_widths(rows, 468)
    assert narrow + wide == 468 and narrow < 60 < 400 < wide


def test_cjk_hangul_and_emoji_are_printed_and_kept_in_the_text_layer():
    snap = make_snapshot(published=False, sections_count=1)
    snap["sections"][0]["body"] = "中华人民共和国 ひらがな 대한민국 정부 😀👍🚢 ✅ done."
    reader = PdfReader(io.BytesIO(build_pdf(snap, include_contents=False)))
    text = "".join(page.extract_text() for page in reader.pages)
    for word in ("中华人民共和国", "ひらがな", "대한민국", "😀👍🚢", "✅"):
        assert word in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("DroidSansFallback" in f for f in fonts)
    assert any("NanumGothic" in f for f in fonts)
    assert any("Symbola" in f for f in fonts)
