"""Exchange timings: importing a 1,000-comment response (≤ 1 s) and writing 160 packets (≤ 10 s).

Run: .venv/bin/python bench/bench_exchange.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import documents, sections  # noqa: E402
from workbench.coordination import requests as rq  # noqa: E402
from workbench.exchange.packets import export_packet  # noqa: E402
from workbench.exchange.responses import import_response  # noqa: E402
from workbench.exchange.review import ReviewSession  # noqa: E402
from workbench.exchange.solicit import ExternalReviewer, solicit  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

COMMENTS = 1_000
REVIEWERS = 160
SECTIONS = 40


def _document(ws) -> int:
    doc = documents.create_document(ws, "strategy", "Southwest Border Strategy")
    parent = None
    for n in range(SECTIONS):
        sid = sections.add_section(
            ws,
            doc,
            parent_id=parent if n % 4 else None,
            heading=f"Section {n}",
            body=f"Paragraph {n} on interdiction between the ports of entry. " * 40,
            equities=["CBP"],
        )
        if n % 4 == 0:
            parent = sid
    return doc


def bench_import(folder: Path) -> float:
    with Workspace.create(folder / "import.cnew") as ws:
        doc = _document(ws)
        rid = rq.create_request(ws, doc, "CBP", send=True)
        session = ReviewSession.open(export_packet(ws, rid, folder / "cbp.cnereview"))
        ids = [s.section_id for s in session.packet.sections]
        for n in range(COMMENTS):
            session.add_comment(
                ids[n % len(ids)],
                "SAC"[n % 3],
                f"Comment {n}: the text is incomplete.",
                quoted_passage="interdiction between the ports",
                rationale="Accuracy.",
                critical_ground="policy" if n % 3 == 2 else None,
                proposed_wording="interdiction at and between the ports",
            )
        session.set_reviewer("Deputy Commissioner")
        session.set_position("non_concur")
        response = session.export_response(folder / "cbp.cneresponse")
        start = time.perf_counter()
        result = import_response(ws, response)
        elapsed = time.perf_counter() - start
        assert result.added == COMMENTS
    return elapsed


def bench_packets(folder: Path) -> float:
    with Workspace.create(folder / "solicit.cnew") as ws:
        doc = _document(ws)
        reviewers = [
            ExternalReviewer(f"Official {n}", f"County {n % 60} Sheriff", f"o{n}@slt.example")
            for n in range(REVIEWERS)
        ]
        start = time.perf_counter()
        result = solicit(ws, doc, reviewers, folder / "packets")
        elapsed = time.perf_counter() - start
        assert len(result.packets) == REVIEWERS
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        imp = bench_import(folder)
        pk = bench_packets(folder)
    print(f"import a response with {COMMENTS:,} comments: {imp:.3f} s (limit 1 s)")
    print(f"solicit: write {REVIEWERS} packets ({SECTIONS} sections each): {pk:.3f} s (limit 10 s)")
    return 0 if imp <= 1.0 and pk <= 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())
