"""The dashboard a window keeps between refreshes: only changed documents are read again, and
the figures (their order included) are always those a full read gives."""

from __future__ import annotations

import json
import random
from pathlib import Path

import dashboard_golden

from workbench import audit, dashboard, directory, documents, sections
from workbench.coordination import closures, comments, positions, requests
from workbench.errors import WorkbenchError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def same(live_board, ws) -> None:
    full = dashboard.dashboard(ws)
    assert live_board == full
    assert json.dumps(live_board.as_dict()) == json.dumps(full.as_dict())
    assert live_board.markings == full.markings


def test_refreshed_after_every_write_of_the_golden_workspace(ws, clock, monkeypatch):
    reader = ws.for_thread()  # the window's reader thread has its own connection
    live = dashboard.LiveDashboard()
    read: list[int] = []
    record = audit.record

    def check() -> None:
        board = live.refresh(reader)
        same(board, reader)
        read.append(live.documents_read)

    def recording(w, *args, **kwargs):
        record(w, *args, **kwargs)
        w.after_commit(check)  # every use-case's commit, as the window's refresh follows it

    monkeypatch.setattr(audit, "record", recording)
    dashboard_golden.build(ws, clock)
    golden = json.loads((FIXTURES / "dashboard" / "golden.json").read_text())
    assert json.dumps(live.refresh(reader).as_dict()) == json.dumps(golden)
    # Most refreshes read one document again, not all eight.
    assert len(read) > 50 and sorted(read)[len(read) // 2] == 1
    reader.close()


def test_each_kind_of_write_is_seen_and_a_new_day_reads_everything(ws, clock):
    rng = random.Random(7)
    directory.add_organization(ws, "TXDPS", "Texas DPS", "slt")
    docs = []
    for i in range(6):
        doc = documents.create_document(
            ws, "strategy", f"Strategy {i}", due_date=f"2026-11-{10 + i:02d}"
        )
        parts = [sections.add_section(ws, doc, heading=f"Part {j}") for j in range(2)]
        docs.append((doc, parts))
    live = dashboard.LiveDashboard()
    same(live.refresh(ws), ws)
    made: list[int] = []
    asked: list[int] = []

    def some_doc():
        return rng.choice(docs)

    writes = [
        lambda: made.append(
            comments.add_comment(
                ws, (d := some_doc())[0], organization_code=rng.choice(["USCG", "TXDPS"]),
                type=rng.choice("CSA"), section_id=d[1][0], comment_text="A point.",
                critical_ground="law",
            )
        ),
        lambda: made and comments.adjudicate_comment(ws, rng.choice(made), "accepted"),
        lambda: asked.append(
            requests.create_request(
                ws, some_doc()[0], rng.choice(["CBP", "TXDPS", "ICE"]),
                suspense_date=f"2026-11-{rng.randint(3, 20):02d}", send=True,
            )
        ),
        lambda: asked and requests.mark_returned(ws, rng.choice(asked)),
        lambda: asked and requests.withdraw_request(ws, rng.choice(asked), "Not needed."),
        lambda: documents.rename_document(ws, some_doc()[0], f"Renamed {rng.random():.6f}"),
        lambda: documents.update_document(ws, some_doc()[0], due_date="2026-12-01"),
        lambda: positions.record_position(ws, some_doc()[0], "USCG", "concur", by_name="Lee"),
        lambda: closures.add_closure(ws, f"2026-11-{rng.randint(3, 27):02d}", "Storm"),
        lambda: clock.advance(days=1),
    ]  # fmt: skip
    for _step in range(60):
        try:
            rng.choice(writes)()
        except WorkbenchError:  # refused (a request already returned...): nothing changed
            pass
        same(live.refresh(ws), ws)
    # A document deleted and one made leave and join the list in title order.
    documents.delete_document(ws, docs[0][0])
    documents.create_document(ws, "sop", "AAA first of all")
    board = live.refresh(ws)
    same(board, ws)
    assert board.documents[0].title == "AAA first of all"
    assert docs[0][0] not in {d.id for d in board.documents}


def test_a_write_to_one_document_leaves_the_others_as_they_were(ws):
    docs = [documents.create_document(ws, "strategy", f"Strategy {i}") for i in range(5)]
    part = sections.add_section(ws, docs[2], heading="Part")
    live = dashboard.LiveDashboard()
    before = live.refresh(ws)
    assert live.refresh(ws) is before  # nothing written: the same board
    comments.add_comment(
        ws, docs[2], organization_code="USCG", type="C", section_id=part,
        comment_text="Stop.", critical_ground="law",
    )  # fmt: skip
    after = live.refresh(ws)
    assert live.documents_read == 1
    kept = [a is b for a, b in zip(before.documents, after.documents, strict=True)]
    assert kept == [True, True, False, True, True]
    assert after.documents[2].open_critical == {"USCG": 1}
    assert after.open_comments_by_org == {"USCG": {"C": 1, "S": 0, "A": 0}}
    same(after, ws)


def test_another_programs_write_is_seen(ws):
    doc = documents.create_document(ws, "strategy", "Strategy")
    live = dashboard.LiveDashboard()
    live.refresh(ws)
    # A raw write by another connection (no use-case, no audit entry): the triggers note it.
    other = ws.for_thread()
    with other.db.atomic():
        other.db.execute("UPDATE documents SET title = 'Renamed' WHERE id = ?", [doc])
    other.close()
    board = live.refresh(ws)
    assert [d.title for d in board.documents] == ["Renamed"]
    assert live.documents_read == 1
    same(board, ws)
