"""build_pdf: what a reader of the exported PDF sees, page by page."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.workbench.pdf.conftest import HOSTILE, make_snapshot, pages_text, placed_text
from workbench.pdf import Cancelled, build_pdf
from workbench.pdf.templates import DRAFT_NOTICE

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@pytest.fixture(scope="module")
def published_pdf() -> bytes:
    return build_pdf(make_snapshot(published=True), include_crm=True)


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return build_pdf(make_snapshot(published=False), include_crm=True)


def test_cover_names_the_document(published_pdf):
    cover = pages_text(published_pdf)[0]
    for expected in (
        "Maritime Border Counternarcotics Strategy",
        "Strategy",
        "Version\n3",
        "November 20, 2026",
        "Published",
        "Lead\nCNE",
        "Co-lead\nDOJ",
        "Approved for publication on November 20, 2026 by Dana Reyes.",
    ):
        assert expected in cover


def test_contents_page_numbers_match_where_each_section_starts(published_pdf):
    texts = pages_text(published_pdf)
    contents = texts[1]
    entries = re.findall(r"^\s*((?:\d+(?:\.\d+)*|Tenet \d+)  .+?)\n(\d+)$", contents, re.M)
    titles = [t for t, _ in entries]
    assert titles == [
        "1  Chapter heading 1",
        "1.1  Subsection heading 1",
        "2  Chapter heading 2",
        "2.1  Subsection heading 2",
        "3  Chapter heading 3",
        "3.1  Subsection heading 3",
        "Tenet 1  Unity of effort",
    ]
    for title, page in entries:
        number, heading = title.split("  ", 1)
        starts = (
            rf"^{re.escape(number)}\s+{re.escape(heading)}$",
            rf"^{number.upper()}\s+{heading}$",
        )
        first = next(
            i + 1
            for i, text in enumerate(texts)
            if i > 1 and any(re.search(pattern, text, re.M) for pattern in starts)
        )
        assert int(page) == first, title
    # The pages really differ (the long chapters push later sections onto later pages).
    assert len({p for _, p in entries}) >= 3
    record = re.search(r"Coordination record\n(\d+)", contents)
    crm = re.search(r"Appendix: Comment Resolution Matrix\n(\d+)", contents)
    assert texts[int(record.group(1)) - 1].startswith("Coordination record")
    assert texts[int(crm.group(1)) - 1].startswith("Appendix: Comment Resolution Matrix")


def test_bookmarks_follow_the_section_tree(published_pdf):
    reader = PdfReader(io.BytesIO(published_pdf))
    outline = reader.outline
    top = [item["/Title"] for item in outline if not isinstance(item, list)]
    assert top[:3] == ["Cover", "Contents", "1 Chapter heading 1"]
    assert "Coordination record" in top and "Appendix: Comment Resolution Matrix" in top
    nested = next(item for item in outline if isinstance(item, list))
    assert nested[0]["/Title"] == "1.1 Subsection heading 1"


def test_marking_at_top_and_bottom_of_every_page_and_page_n_of_m(published_pdf):
    reader = PdfReader(io.BytesIO(published_pdf))
    total = len(reader.pages)
    assert total >= 6
    for n, page in enumerate(reader.pages, 1):
        height = float(page.mediabox.height)
        ys = [y for text, _, y, _ in placed_text(page) if text == MARKING]
        assert any(y > height - 40 for y in ys), f"no marking at the top of page {n}"
        assert any(y < 40 for y in ys), f"no marking at the bottom of page {n}"
        assert f"Page {n} of {total}" in page.extract_text()


def test_draft_has_watermark_and_notice_on_every_page(draft_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    for page in reader.pages:
        runs = placed_text(page)
        assert any(text == "DRAFT" and rotated for text, _, _, rotated in runs)
        assert DRAFT_NOTICE in page.extract_text()


def test_published_version_has_neither_watermark_nor_draft_notice(published_pdf):
    reader = PdfReader(io.BytesIO(published_pdf))
    for page in reader.pages:
        assert not any(text == "DRAFT" for text, *_ in placed_text(page))
        assert "DRAFT" not in page.extract_text()


def test_coordination_record_rows(published_pdf):
    texts = pages_text(published_pdf)
    record = next(t for t in texts if t.startswith("Coordination record"))
    flat = " ".join(record.split())
    assert "USCG U.S. Coast Guard Concur Capt. Lee Odiña Assistant Commandant for Operations" in (
        flat
    )
    assert "2026-11-10 3" in flat
    assert "CBP U.S. Customs and Border Protection Non-concur Pat Moreno" in flat
    assert "Overridden by Dana Reyes (Director), 2026-11-18: Port screening stays as written." in (
        flat
    )
    assert "FLETC 2 Dana Reyes 2026-11-19 No training equities." in flat


def test_crm_appendix_only_when_asked():
    plain = " ".join(pages_text(build_pdf(make_snapshot())))
    assert "Comment Resolution Matrix" not in plain
    with_crm = pages_text(build_pdf(make_snapshot(), include_crm=True))
    appendix = " ".join(with_crm[-1].split())
    assert "Appendix: Comment Resolution Matrix" in appendix
    assert "Incomplete and inaccurate." in appendix
    assert "Accepted with modification Reworded." in appendix
    reader = PdfReader(io.BytesIO(build_pdf(make_snapshot(), include_crm=True)))
    last = reader.pages[-1]
    assert float(last.mediabox.width) > float(last.mediabox.height)  # landscape


def test_same_published_snapshot_gives_identical_bytes():
    first = build_pdf(make_snapshot(), include_crm=True)
    second = build_pdf(make_snapshot(), include_crm=True)
    assert first == second
    assert build_pdf(make_snapshot()) != first  # and the variants differ
    info = PdfReader(io.BytesIO(first)).metadata
    assert info["/CreationDate"].startswith("D:20261120150000")


def _hostile_snapshot() -> dict:
    snap = make_snapshot(published=False, sections_count=1)
    body = "\n\n".join(HOSTILE)
    body += (
        "\n\n[link](javascript:alert(1)) and [site](https://evil.example/x) and ![pw](/etc/passwd)"
    )
    snap["sections"][0]["body"] = body
    snap["sections"][0]["heading"] = "<b>Heading & <i>"
    # Outside Markdown even entity references stay as typed.
    snap["document"]["title"] = 'Title <font size="90"> &nbsp;&lt;'
    snap["coordination"]["organizations"][0]["by_name"] = "<a href='file:///etc/passwd'>x</a>"
    snap["crm"][0]["comment"] = "<img src='/etc/passwd'/> <b>"
    return snap


def test_hostile_text_appears_literally_and_makes_no_link():
    data = build_pdf(_hostile_snapshot(), include_crm=True)
    text = " ".join(" ".join(pages_text(data)).split())
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text
    assert "<b>Heading & <i>" in text
    assert 'Title <font size="90"> &nbsp;&lt;' in text
    assert "<a href='file:///etc/passwd'>x</a>" in text
    assert "<img src='/etc/passwd'/> <b>" in text
    assert "[link](javascript:alert(1))" in text
    assert "site (https://evil.example/x)" in text
    assert "[image: pw] (/etc/passwd)" in text
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            # The only links are the contents' jumps inside the document.
            assert action is None or action.get_object().get("/S") == "/GoTo"
            assert "/URI" not in str(annot) and "/JavaScript" not in str(annot)
    assert b"/URI" not in data and b"/Launch" not in data and b"/JavaScript" not in data


def test_markdown_renders_structure_not_source():
    snap = make_snapshot(published=False, sections_count=1)
    snap["sections"][0]["body"] = (
        "Plain *emphasis* and **strong** and `code`.\n\n"
        "- first bullet\n- second bullet\n\n"
        "3. third\n4. fourth\n\n"
        "> quoted words\n\n"
        "| Component | Assets |\n|---|--:|\n| USCG | 42 |\n"
    )
    data = build_pdf(snap)
    body = pages_text(data)[2]
    assert "Plain emphasis and strong and code." in body
    assert "• first bullet" in body and "• second bullet" in body
    assert "3. third" in body and "4. fourth" in body
    assert "quoted words" in body and "> quoted" not in body
    assert "Component" in body and "USCG" in body and "|" not in body
    fonts = PdfReader(io.BytesIO(data)).pages[2]["/Resources"]["/Font"].get_object()
    faces = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono"} <= faces


def test_unicode_names_are_embedded_and_extractable():
    snap = make_snapshot(sections_count=1)
    snap["sections"][0]["body"] = "Odiña, Łódź, Ελληνικά, Кириллица, Ørsted — “quotes” €5"
    text = pages_text(build_pdf(snap))[2]
    assert "Odiña, Łódź, Ελληνικά, Кириллица, Ørsted — “quotes” €5" in text


def test_progress_reaches_one_and_cancel_stops_the_export():
    seen: list[float] = []
    build_pdf(make_snapshot(), progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 3
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(Cancelled):
        build_pdf(make_snapshot(), cancelled=cancelled)


def test_broken_snapshot_values_do_not_fail_the_export():
    snap = make_snapshot(published=False, sections_count=1)
    snap["sections"][0]["body"] = "nul \x00 byte, lone \ud800 surrogate, " + "x" * 3000
    snap["sections"][0]["depth"] = 3  # a jump the outline cannot take directly
    snap["coordination"] = {}
    snap["crm"] = []
    data = build_pdf(snap, include_crm=True)
    text = " ".join(pages_text(data))
    assert "byte, lone surrogate," in text and text.count("x" * 60) >= 30


def test_pathological_markdown_loses_no_text():
    snap = make_snapshot(published=False, sections_count=1)
    nested = "".join("  " * i + f"- level {i}\n" for i in range(60))
    cell = "cellword " * 900  # taller than a page inside one table cell
    snap["sections"][0]["body"] = "\n\n".join(
        [
            nested,
            ">" * 45 + " deep quote",
            f"| a | b |\n|---|---|\n| {cell} | x |",
            "Closing paragraph after it all.",
        ]
    )
    snap["crm"][0]["comment"] = "crmword " * 1500
    text = " ".join(pages_text(build_pdf(snap, include_crm=True)))
    for expected in ("level 0", "level 59", "deep quote", "Closing paragraph after it all."):
        assert expected in text
    assert text.count("cellword") == 900 and text.count("crmword") == 1500


def test_identical_bytes_in_another_process(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    snap = make_snapshot()
    (tmp_path / "snap.json").write_text(json.dumps(snap))
    script = (
        "import json, sys; from workbench.pdf import build_pdf; "
        f"snap = json.load(open({str(tmp_path / 'snap.json')!r})); "
        "sys.stdout.buffer.write(build_pdf(snap, include_crm=True))"
    )
    root = Path(__file__).resolve().parents[3]
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        check=True,
        cwd=root,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert other == build_pdf(snap, include_crm=True)


def test_contents_spanning_pages_still_point_at_the_right_pages():
    data = build_pdf(make_snapshot(sections_count=45))
    texts = pages_text(data)
    contents = "\n".join(t for t in texts[1:4] if not t.startswith("1  Chapter heading 1\n"))
    entries = dict(re.findall(r"^\s*(\d+  Chapter heading \d+)\n(\d+)$", contents, re.M))
    assert len(entries) == 45
    first_body = next(i for i, t in enumerate(texts) if t.startswith("1  Chapter heading 1\n"))
    assert first_body >= 3  # the contents took more than one page
    for n in (1, 2, 23, 44, 45):
        page = int(entries[f"{n}  Chapter heading {n}"])
        assert re.search(rf"^{n}\s+Chapter heading {n}$", texts[page - 1], re.M), n
