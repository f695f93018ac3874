"""Ten writer processes on one shared workspace for a minute: edits, comments, adjudications
and positions at once. Every change a writer was told was saved is there, nothing is half
applied, the audit chain verifies and `check` passes."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import time
from pathlib import Path

from workbench import audit, documents, sections
from workbench.coordination import comments, positions, requests
from workbench.errors import WorkbenchError
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace

WRITERS = 10
SECONDS = float(os.environ.get("CNE_PG_WRITERS_SECONDS", "60"))
ORGS = ("USCG", "CBP", "ICE")


def _prepare(url: str) -> None:
    with Workspace.open(url, actor="setup") as ws:
        doc = documents.create_document(ws, "strategy", "Maritime Transit Zone Strategy")
        for n in range(2 * WRITERS):
            sections.add_section(
                ws, doc, heading=f"Section {n}", body="Draft text.", equities=[ORGS[n % 3]]
            )
        for org in ORGS:
            requests.create_request(ws, doc, org, send=True)


def _writer(url: str, n: int, deadline: float, report: str) -> None:
    rng = random.Random(n)
    actor = f"Writer {n}"
    ws = Workspace.open(url, actor=actor)
    doc = documents.list_documents(ws)[0].id
    mine = [s.id for s in sections.outline(ws, doc)][n::WRITERS]  # edits do not collide
    fd = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    i = 0
    while time.monotonic() < deadline:
        i += 1
        action = rng.choices(["edit", "comment", "adjudicate", "position"], [5, 3, 2, 1])[0]
        try:
            if action == "edit":
                sid = rng.choice(mine)
                sections.edit_section(ws, sid, body=f"Revision {i} by writer {n}.")
                table, row = "sections", sid
            elif action == "comment":
                outline = sections.outline(ws, doc)
                entry = rng.choice(outline)
                org = entry.equities[0] if entry.equities else rng.choice(ORGS)
                row = comments.add_comment(
                    ws, doc, organization_code=org, type=rng.choice("SA"), section_id=entry.id,
                    comment_text=f"Comment {i} from writer {n}.",
                )  # fmt: skip
                table = "comments"
            elif action == "adjudicate":
                open_ids = [
                    r["id"]
                    for r in ws.db.query(
                        "SELECT id FROM comments WHERE disposition IS NULL ORDER BY id DESC "
                        "LIMIT 20"
                    )
                ]
                if not open_ids:
                    continue
                row = rng.choice(open_ids)
                comments.adjudicate_comment(ws, row, "accepted")
                table = "comments"
            else:
                row = positions.record_position(
                    ws, doc, rng.choice(ORGS), "concur", by_name=f"Liaison {n}"
                )
                table = "positions"
        except WorkbenchError:
            continue  # refused (another writer adjudicated it first): nothing was saved
        last = next(
            ws.db.query(
                "SELECT id, hash FROM audit_log WHERE actor = ? ORDER BY id DESC LIMIT 1", [actor]
            )
        )
        line = {"writer": n, "action": action, "audit_id": last["id"], "hash": last["hash"]}
        line.update(table=table, row=row)
        os.write(fd, (json.dumps(line) + "\n").encode())
    os.close(fd)
    ws.close()


def test_ten_writers_for_a_minute_lose_nothing_and_half_apply_nothing(pg_databases, tmp_path):
    url = pg_databases.workspace()
    try:
        _prepare(url)
        report = tmp_path / "acknowledged.jsonl"
        deadline = time.monotonic() + SECONDS
        ctx = multiprocessing.get_context("fork")
        procs = [
            ctx.Process(target=_writer, args=(url, n, deadline, str(report)))
            for n in range(WRITERS)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join(SECONDS + 120)
            assert p.exitcode == 0, f"writer {p.name} ended with {p.exitcode}"
        acknowledged = [json.loads(line) for line in report.read_text().splitlines()]
        _verify(url, acknowledged, Path(report))
    finally:
        pg_databases.release(url)


def _verify(url: str, acknowledged: list[dict], report: Path) -> None:
    per_writer = {n: 0 for n in range(WRITERS)}
    kinds: dict[str, int] = {}
    for a in acknowledged:
        per_writer[a["writer"]] += 1
        kinds[a["action"]] = kinds.get(a["action"], 0) + 1
    assert all(n >= 5 for n in per_writer.values()), per_writer  # every writer got through
    assert all(kinds.get(k, 0) >= 5 for k in ("edit", "comment", "adjudicate", "position")), kinds
    with Workspace.open(url, actor="verifier") as ws:
        assert audit.verify_chain(ws) == []
        stored = {r["id"]: r["hash"] for r in ws.db.query("SELECT id, hash FROM audit_log")}
        for a in acknowledged:
            assert stored.get(a["audit_id"]) == a["hash"], f"acknowledged {a} was lost"
            found = ws.db.execute(f"SELECT 1 FROM {a['table']} WHERE id = ?", [a["row"]])
            assert found.fetchone(), f"{a['table']} row {a['row']} is missing"
        # Nothing half-applied or extra: each writer's entries are exactly what it was told.
        for n, count in per_writer.items():
            logged = ws.db.execute(
                "SELECT count(*) FROM audit_log WHERE actor = ?", [f"Writer {n}"]
            ).fetchone()[0]
            assert logged == count, f"writer {n}: {logged} entries, {count} acknowledged"
    result = check_workspace(url)
    assert result.ok, [f.message for f in result.findings]
