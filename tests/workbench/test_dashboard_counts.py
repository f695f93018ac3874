"""The dashboard's open-comment counts, kept by triggers, against a scan of the comments."""

from __future__ import annotations

import collections
import json
import random
import shutil
from pathlib import Path

import dashboard_golden
import pytest

from workbench import dashboard, documents, sections
from workbench.coordination import comments
from workbench.workspace import Workspace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def scanned(ws) -> dict:
    """What the dashboard counted before the counts were kept: every open comment, scanned."""
    return dict(
        collections.Counter(
            ws.db.conn.execute(
                "SELECT document_id, organization_id, type FROM comments "
                "WHERE disposition IS NULL AND superseded_by_id IS NULL"
            )
        )
    )


@pytest.mark.parametrize("seed", range(4))
def test_counts_follow_every_kind_of_comment_write(ws, seed, monkeypatch):
    rng = random.Random(seed)
    docs = [documents.create_document(ws, "strategy", f"Strategy {i}") for i in range(3)]
    where = {d: [sections.add_section(ws, d, heading=f"Part {j}") for j in range(3)] for d in docs}
    made: list[int] = []
    for step in range(120):
        roll = rng.random()
        if roll < 0.45 or not made:
            doc = rng.choice(docs)
            kind = rng.choice("CSA")
            made.append(
                comments.add_comment(
                    ws, doc, organization_code=rng.choice(["USCG", "CBP", "ICE"]), type=kind,
                    section_id=rng.choice(where[doc]), comment_text=f"Point {step}.",
                    critical_ground="law" if kind == "C" else None,
                )
            )  # fmt: skip
        elif roll < 0.65:
            cid = rng.choice(made)
            if comments.comment(ws, cid).is_open:
                comments.adjudicate_comment(ws, cid, "rejected", "Out of scope.")
            else:
                comments.reopen_comment(ws, cid)
        elif roll < 0.75:  # a newer response supersedes a comment (as imports do)
            with ws.db.atomic():
                cid = made.pop(rng.randrange(len(made)))
                ws.db.execute("UPDATE comments SET superseded_by_id = id WHERE id = ?", [cid])
        elif roll < 0.85:  # type and organization corrected in place
            with ws.db.atomic():
                ws.db.execute(
                    "UPDATE comments SET type = 'S', critical_ground = NULL, "
                    "organization_id = (SELECT id FROM organizations WHERE code = 'DEA') "
                    "WHERE id = ?",
                    [rng.choice(made)],
                )
        elif roll < 0.9:
            with ws.db.atomic():
                cid = made.pop(rng.randrange(len(made)))
                ws.db.execute("DELETE FROM comment_replies WHERE comment_id = ?", [cid])
                ws.db.execute(
                    "UPDATE comments SET superseded_by_id = NULL WHERE superseded_by_id = ?", [cid]
                )
                ws.db.execute("DELETE FROM comments WHERE id = ?", [cid])
        else:
            with ws.db.atomic():  # moved to another document
                ws.db.execute(
                    "UPDATE comments SET document_id = ?, item_no = ? WHERE id = ?",
                    [rng.choice(docs), -1 - step, rng.choice(made)],
                )
        assert dashboard.open_comment_counts(ws) == scanned(ws), f"after step {step}"
    assert any(dashboard.open_comment_counts(ws).values())
    # The figures, their order included, are those the scan gave.
    kept = json.dumps(dashboard.dashboard(ws).as_dict())
    monkeypatch.setattr(dashboard, "open_comment_counts", scanned)
    assert kept == json.dumps(dashboard.dashboard(ws).as_dict())


def test_an_older_workspace_gets_its_counts_on_upgrade(tmp_path):
    path = tmp_path / "v1.cnew"
    shutil.copy(FIXTURES / "workspace_v1.cnew", path)
    ws = Workspace.open(path, actor="analyst.one")
    try:
        assert dashboard.open_comment_counts(ws) == scanned(ws)
    finally:
        ws.close()


def test_figures_are_those_the_dashboard_gave_before_counts_were_kept(ws, clock):
    # golden.json was written by the dashboard that scanned every open comment (before m013)
    # from the same workspace: documents in every stage, requests due either side of weekends
    # and holidays, comments open and adjudicated, positions, a published and a deleted one.
    dashboard_golden.build(ws, clock)
    golden = json.loads((FIXTURES / "dashboard" / "golden.json").read_text())
    assert dashboard.dashboard(ws).as_dict() == golden
    assert json.dumps(dashboard.dashboard(ws).as_dict()) == json.dumps(golden)  # order too
