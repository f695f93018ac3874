"""Round-trip timings: a returned Word file with 1,000 comments and 500 tracked changes (≤ 2 s),
and Send for Review to 160 reviewers with packets, workbooks, Word copies and e-mails (≤ 20 s),
and bulk solicitation of 160 with a workbook and a Word copy each (the same target).

A filled CRM workbook with 1,000 comments is imported too (same 2 s target). Each figure is
printed beside a baseline measured in the same run: importing a 1,000-comment .cneresponse
(the existing path), and writing 160 packets alone (bulk solicitation).

Run: .venv/bin/python bench/bench_roundtrip.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import directory, documents, sections  # noqa: E402
from workbench.coordination import requests as rq  # noqa: E402
from workbench.exchange import send_review as sr  # noqa: E402
from workbench.exchange.packets import export_packet  # noqa: E402
from workbench.exchange.responses import import_response  # noqa: E402
from workbench.exchange.review import ReviewSession  # noqa: E402
from workbench.exchange.solicit import ExternalReviewer, solicit  # noqa: E402
from workbench.exchange.word_response import import_word_response  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

COMMENTS, CHANGES, REVIEWERS, SECTIONS = 1_000, 500, 160, 40
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document(ws, equities=("CBP",)) -> int:
    doc = documents.create_document(ws, "strategy", "Southwest Border Strategy")
    for n in range(SECTIONS):
        sections.add_section(
            ws,
            doc,
            heading=f"Section {n}",
            body=f"Paragraph {n} on interdiction between the ports of entry. " * 40,
            equities=list(equities),
        )
    return doc


def _returned_word(ws, rid: int, path: Path) -> None:
    """A returned review copy as Word writes one: section bookmarks, comments, w:ins/w:del."""
    req = rq.request(ws, rid)
    when = ws.now()[:19] + "Z"  # reviewed today: inside the request's life
    paras, notes = [], []
    per = COMMENTS // len(req.sections)
    cid = 0
    for s in req.sections:
        paras.append(
            '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
            f'<w:bookmarkStart w:id="{s.section_id}" '
            f'w:name="cne_s{s.section_id}_r{s.section_revision_id}"/>'
            f"<w:r><w:t>Section {s.section_id}</w:t></w:r></w:p>"
        )
        for _n in range(per):
            paras.append(
                f'<w:p><w:commentRangeStart w:id="{cid}"/><w:r><w:t>interdiction between the '
                f'ports</w:t></w:r><w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference '
                f'w:id="{cid}"/></w:r>'
                + (
                    f'<w:del w:id="{cid}" w:author="Reviewer" w:date="{when}"><w:r>'
                    f'<w:delText>of entry</w:delText></w:r></w:del><w:ins w:id="{cid + 100000}" '
                    f'w:author="Reviewer" w:date="{when}"><w:r><w:t>of entry and '
                    "the coast</w:t></w:r></w:ins>"
                    if cid < CHANGES
                    else ""
                )
                + "</w:p>"
            )
            kind = "SAC"[cid % 3]
            text = f"{kind}: comment {cid}, the text is incomplete (policy)."
            notes.append(
                f'<w:comment w:id="{cid}" w:author="Reviewer {cid % 7}" '
                f'w:date="{when}"><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>'
                "</w:comment>"
            )
            cid += 1
        paras.append(f'<w:bookmarkEnd w:id="{s.section_id}"/>')
    props = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property pid="2" name="cne-workspace-id"><vt:lpwstr>{ws.workspace_id}</vt:lpwstr>'
        f'</property><property pid="3" name="cne-request-id"><vt:lpwstr>{rid}</vt:lpwstr>'
        "</property></Properties>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", f"<w:document {W}><w:body>{''.join(paras)}</w:body></w:document>"
        )
        z.writestr("word/comments.xml", f"<w:comments {W}>{''.join(notes)}</w:comments>")
        z.writestr("docProps/custom.xml", props)


def _filled_workbook(ws, rid: int, path: Path) -> Path:
    """The request's CRM workbook with a reviewer's 1,000 comments typed in."""
    from openpyxl import load_workbook

    from workbench.exchange.workbook import export_request_workbook

    export_request_workbook(ws, rid, path)
    wb = load_workbook(path)
    wb["Response"]["B9"], wb["Response"]["B11"] = "Deputy Director Ames", "Concur with comment"
    sheet = wb["Comments"]
    numbers = [sheet.cell(r, 2).value for r in range(3, 3 + SECTIONS)]
    for n in range(COMMENTS):
        r = 3 + n
        sheet.cell(r, 2, numbers[n % SECTIONS])
        sheet.cell(r, 4, "S")
        sheet.cell(r, 5, f"Comment {n}: the text is incomplete.")
    wb.save(path)
    return path


def bench_import(folder: Path) -> tuple[float, float, float]:
    with Workspace.create(folder / "import.cnew") as ws:
        doc = _document(ws)
        rid = rq.create_request(ws, doc, "CBP", send=True)
        session = ReviewSession.open(export_packet(ws, rid, folder / "cbp.cnereview"))
        ids = [s.section_id for s in session.packet.sections]
        for n in range(COMMENTS):
            session.add_comment(ids[n % len(ids)], "S", f"Comment {n}: the text is incomplete.")
        session.set_reviewer("Deputy Commissioner Lee", "CBP")
        session.set_position("concur_with_comment")
        response = session.export_response(folder / "cbp.cneresponse")
        started = time.perf_counter()
        import_response(ws, response)
        baseline = time.perf_counter() - started
        rid3 = rq.create_request(ws, doc, "ICE", section_ids=ids, send=True)
        workbook = _filled_workbook(ws, rid3, folder / "ice.xlsx")
        started = time.perf_counter()
        import_response(ws, workbook)
        filled = time.perf_counter() - started
        rid2 = rq.create_request(ws, doc, "USCG", section_ids=ids, send=True)
        word = folder / "returned.docx"
        _returned_word(ws, rid2, word)
        started = time.perf_counter()
        result = import_word_response(ws, word)
        took = time.perf_counter() - started
        assert len(result.comment_ids) == COMMENTS + CHANGES, len(result.comment_ids)
    return took, filled, baseline


def bench_send(folder: Path) -> tuple[float, float, float, bool]:
    with Workspace.create(folder / "send.cnew") as ws:
        codes = []
        for n in range(REVIEWERS):
            code = f"R{n:03d}"
            directory.add_organization(ws, code, f"Reviewer agency {n}", "slt")
            directory.add_person(
                ws, f"Liaison {n}", organization=code, roles=["liaison"], email=f"l{n}@agency.gov"
            )
            codes.append(code)
        doc = _document(ws, equities=())
        first = [e.id for e in sections.outline(ws, doc)][:10]
        started = time.perf_counter()
        solicit(
            ws,
            doc,
            [
                ExternalReviewer(f"Person {n}", f"Agency {n}", f"p{n}@x.gov")
                for n in range(REVIEWERS)
            ],
            folder / "packets",
            section_ids=first,
        )
        baseline = time.perf_counter() - started
        word = sr.word_copy_available()
        started = time.perf_counter()
        solicit(
            ws,
            doc,
            [
                ExternalReviewer(f"Person {n}", f"Agency {n}", f"p{n}@x.gov")
                for n in range(REVIEWERS)
            ],
            folder / "solicited",
            section_ids=first,
            workbook=True,
            word=word,
        )
        bulk = time.perf_counter() - started
        started = time.perf_counter()
        sr.send_for_review(
            ws,
            doc,
            [sr.Recipient(code, tuple(first)) for code in codes],
            folder / "sent",
            suspense_workdays=20,
            produce=sr.Produce(packet=True, workbook=True, word=word, email=True),
        )
        took = time.perf_counter() - started
    return took, bulk, baseline, word


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        imp, filled, imp_base = bench_import(folder)
        send, bulk, send_base, word = bench_send(folder)
    rows = [
        (f"import Word file ({COMMENTS} comments + {CHANGES} changes)", imp, 2.0, imp_base,
         f"import .cneresponse ({COMMENTS} comments)"),
        (f"import filled CRM workbook ({COMMENTS} comments)", filled, 2.0, imp_base,
         f"import .cneresponse ({COMMENTS} comments)"),
        (f"send for review to {REVIEWERS} (packet+workbook+{'Word+' if word else ''}e-mail)",
         send, 20.0, send_base, f"{REVIEWERS} packets alone (solicit)"),
        (f"bulk solicitation of {REVIEWERS} (packet+workbook+{'Word' if word else ''})",
         bulk, 20.0, send_base, f"{REVIEWERS} packets alone (solicit)"),
    ]  # fmt: skip
    failed = False
    for label, value, target, base, base_label in rows:
        ok = value <= target
        failed |= not ok
        print(
            f"{label}: {value:.2f} s (target {target:.0f} s, {'PASS' if ok else 'FAIL'}); "
            f"{value / base:.1f}x the baseline, {base_label}: {base:.2f} s"
        )
    if not word:
        print("note: the Word review copy is not in this build; the send figure excludes it")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
