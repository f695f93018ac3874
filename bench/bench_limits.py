"""Closer to the limit: each figure beside its raw baseline measured in the same process and run.

At each scale (1x = 1,000 documents / 10,000 sections / 50,000 comments) it times, interleaved
with their baselines: search (common / rare / prefix / two words) against FTS5's own ranked
query, the publication gate of a 200-comment document against its comment query alone, the CRM
.xlsx of 1,000 comments against openpyxl writing the same rows, and the check after opening.
Prints ratio to baseline and, over several scales, the growth exponent log(t_n/t_1)/log(n).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_search import add_coordination  # noqa: E402
from bench.common import (  # noqa: E402
    OUT,
    add_comments,
    cached_variant,
    cached_workspace,
    percentile,
    working_copy,
)

TARGETS = {"search": 1.25, "gate": 3.0, "crm xlsx": 1.3, "dashboard ms": 250.0}
DASHBOARD_SQL = [
    "SELECT id, title, kind, status, version, due_date, created_at, marking FROM documents "
    "WHERE deleted_at IS NULL ORDER BY title COLLATE NOCASE",
    "SELECT entity_id, max(at) AS at FROM audit_log WHERE entity = 'document' "
    "AND action = 'document.new_version' GROUP BY entity_id",
    "SELECT q.document_id, min(q.sent_at) AS at FROM review_requests q "
    "JOIN documents d ON d.id = q.document_id AND q.document_version = d.version "
    "WHERE q.sent_at IS NOT NULL GROUP BY q.document_id",
    "SELECT document_id, max(published_at) AS at FROM publications GROUP BY document_id",
    "SELECT q.document_id, o.code, q.suspense_date, count(*) AS n FROM review_requests q "
    "JOIN organizations o ON o.id = q.organization_id WHERE q.status = 'sent' "
    "GROUP BY q.document_id, o.code, q.suspense_date",
    "SELECT document_id, organization_id, type, count(*) FROM comments "
    "WHERE disposition IS NULL AND superseded_by_id IS NULL "
    "GROUP BY document_id, organization_id, type",
]
TABLES = ["documents_fts", "sections_fts", "published_fts", "comments_fts", "studies_fts"]


def _p95(fn, runs: int) -> float:
    fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return percentile(out, 95)


def _pair(fig, base, runs: int) -> tuple[float, float]:
    """Interleaved: figure and baseline alternate, so load changes hit both alike."""
    fs, bs = [], []
    for _ in range(max(1, runs // 5)):
        fs.append(_p95(fig, 5))
        bs.append(_p95(base, 5))
    return percentile(fs, 50), percentile(bs, 50)


def statements_of(conn, fn) -> list[str]:
    """The reads `fn` makes, as SQL with its parameters filled in (SQLite's expanded text)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip()[:6].upper() in ("SELECT", "WITH M", "PRAGMA")]


def replay(conn, statements: list[str]) -> None:
    for sql in statements:
        conn.execute(sql).fetchall()


def measure(path: Path, big_doc: int, runs: int) -> dict:
    from openpyxl import Workbook

    from workbench import search
    from workbench.coordination import gate
    from workbench.coordination.facts import gate_comments
    from workbench.exchange.consolidated_crm import export_consolidated_crm
    from workbench.maintenance.opening_check import check_since_last_full
    from workbench.sections import section_numbers
    from workbench.workspace import Workspace

    ws = Workspace.open(path)
    conn = ws.db.conn
    conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'sections_fts', 'row')")
    common = conn.execute("SELECT term FROM temp.v ORDER BY doc DESC LIMIT 1").fetchone()[0]
    rare = conn.execute("SELECT term FROM temp.v ORDER BY doc LIMIT 1").fetchone()[0]
    second = conn.execute("SELECT term FROM temp.v ORDER BY doc DESC LIMIT 1 OFFSET 5").fetchone()
    queries = {
        "common": common,
        "rare": rare,
        "prefix": common[:3],
        "two words": f"{common} {second[0]}",
    }
    out: dict[str, dict] = {}
    for label, text in queries.items():
        fts = search.build_query(text).fts

        def raw(fts=fts):
            for t in TABLES:
                conn.execute(
                    f"SELECT rowid, rank FROM {t} WHERE {t} MATCH ? ORDER BY rank LIMIT 26", [fts]
                ).fetchall()

        f, b = _pair(lambda text=text: search.search(ws, text), raw, runs)
        out[f"search {label}"] = {"ms": f, "raw_ms": b, "target": TARGETS["search"]}

    # The gate runs again after every write, when nothing it read is remembered: measure it,
    # and its baselines, with the workspace's read cache emptied (a warm gate would flatter).
    def gate_after_write():
        ws._read_cache.clear()
        gate.publication_blockers(ws, big_doc)

    def gate_sql():
        ws._read_cache.clear()
        gate_comments(ws, big_doc, section_numbers(ws, big_doc))

    f, b = _pair(gate_after_write, gate_sql, runs)
    out["gate, 200 comments"] = {"ms": f, "raw_ms": b, "target": TARGETS["gate"]}
    # The same facts by SQL, all of them: every statement the gate runs, replayed and fetched
    # (its requests, their pinned sections, positions and waivers, not the comments alone).
    facts = statements_of(conn, gate_after_write)
    f, b = _pair(gate_after_write, lambda: replay(conn, facts), runs)
    out["gate, vs all its SQL"] = {"ms": f, "raw_ms": b, "target": TARGETS["gate"]}

    from workbench.coordination.comments import list_comments

    rows = [
        [c.item_no, c.organization, c.reviewer_name, c.reviewer_title, c.response_date, c.type]
        + [c.section_number, c.quoted_passage, c.comment, c.rationale, c.critical_ground or ""]
        + [c.proposed_wording, c.disposition or "", c.disposition_rationale]
        for c in list_comments(ws, big_doc + 1)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "crm.xlsx"

        def raw_xlsx():
            wb = Workbook(write_only=True)
            sheet = wb.create_sheet("CRM")
            for r in rows:
                sheet.append(r)
            wb.save(Path(tmp) / "raw.xlsx")

        f, b = _pair(lambda: export_consolidated_crm(ws, big_doc + 1, dest), raw_xlsx, 10)
    out[f"crm xlsx, {len(rows)} comments"] = {"ms": f, "raw_ms": b, "target": TARGETS["crm xlsx"]}

    from workbench import dashboard

    def dashboard_sql():
        # The dashboard's figures computed from the source rows by SQL alone: what each
        # refresh cost before the open comments were counted as they are written.
        for sql in DASHBOARD_SQL:
            conn.execute(sql).fetchall()
        dashboard.solicitation_rates(ws)

    f, b = _pair(lambda: dashboard.dashboard(ws), dashboard_sql, 10)
    out["dashboard, full read"] = {"ms": f, "raw_ms": b, "target": None}
    f, b, read = _dashboard_after_writes(ws, dashboard_sql, runs)
    out["dashboard after a write"] = {
        "ms": f,
        "raw_ms": b,
        "target": None,
        "target_ms": TARGETS["dashboard ms"],
        "documents_read": read,
    }
    ws.close()
    out["backup on close"] = close_backup(path)
    out["check after opening"] = {
        "ms": _p95(lambda: check_since_last_full(path), 5),
        "raw_ms": None,
        "target": None,
    }
    return out


def _dashboard_after_writes(ws, baseline, runs: int) -> tuple[float, float, list[int]]:
    """The window's dashboard refreshed after each of a series of writes (a comment added to
    a document, or one adjudicated: what a user does between refreshes), interleaved with the
    baseline. Only the refresh is timed. Returns p95 of both and the documents each read."""
    import random

    from workbench import dashboard
    from workbench.coordination import comments

    rng = random.Random(16)
    placed = ws.db.conn.execute(
        "SELECT document_id, id FROM sections WHERE deleted_at IS NULL AND id % 97 = 0"
    ).fetchall()
    live = dashboard.LiveDashboard()
    live.refresh(ws)
    made: list[int] = []
    refreshes, bases, read = [], [], []
    for i in range(max(10, runs)):
        if made and i % 3 == 2:
            comments.adjudicate_comment(ws, made.pop(), "accepted")
        else:
            doc, section = rng.choice(placed)
            made.append(
                comments.add_comment(
                    ws, doc, organization_code="USCG", type="S", section_id=section,
                    comment_text=f"Bench comment {i}.",
                )
            )  # fmt: skip
        t = time.perf_counter()
        live.refresh(ws)
        refreshes.append((time.perf_counter() - t) * 1000)
        read.append(live.documents_read)
        if i % 5 == 0:
            t = time.perf_counter()
            baseline()
            bases.append((time.perf_counter() - t) * 1000)
    return percentile(refreshes, 95), percentile(bases, 50), sorted(set(read))


def close_backup(path: Path) -> dict:
    """Closing after a change: the longest of three closes, beside a full copy of the file
    (what every close cost before it was bounded); then the copy in the background."""
    from db import connection
    from workbench import documents
    from workbench.maintenance import backups
    from workbench.workspace import Workspace

    closes = []
    for i in range(3):
        ws = Workspace.open(path)
        backups.backup_on_close(ws)
        documents.create_document(ws, "sop", f"Written before closing {i}")
        t = time.perf_counter()
        ws.close()
        closes.append((time.perf_counter() - t) * 1000)
    ws = Workspace.open(path)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        t = time.perf_counter()
        connection.backup_to(ws.db, Path(tmp) / "full.cnew")
        full = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    job = backups.BackgroundBackup(ws)
    job._thread.join()
    background = (time.perf_counter() - t) * 1000
    covered = not backups.needs_backup(ws)
    ws.close()
    shutil.rmtree(backups.folder_for(path), ignore_errors=True)
    return {
        "ms": max(closes),
        "raw_ms": full,
        "target": None,
        "target_ms": 1000.0,
        "background_ms": background,
        "covered_after_background": covered,
    }


COORDINATION_VERSION = 2  # bump when what prepare_coordination writes changes


def prepare_coordination(path: Path, n: int, big: int) -> None:
    """50,000 comments per 1x from the organizations each document was sent to, a
    200-comment document for the gate and a 1,000-comment one for the CRM export."""
    import sqlite3

    add_coordination(path, 50000 * n, 0)
    with sqlite3.connect(path) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM sections WHERE document_id = ?", [big])]
        other = [r[0] for r in c.execute("SELECT id FROM sections WHERE document_id = ?", [2])]
    add_comments(path, big, ids, 200)
    add_comments(path, 2, other, 1000, seed=1)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scales", type=int, nargs="*", default=[1, 4, 16])
    p.add_argument("--runs", type=int, default=50)
    args = p.parse_args(argv)
    by_scale = {}
    for n in args.scales:
        base = cached_workspace(1000 * n, 10000 * n, 300, 0)
        big = base["big_document_id"]
        print(f"{n}x: preparing (cached after the first run)…", flush=True)
        facts = cached_variant(
            base,
            f"coordination{COORDINATION_VERSION}",
            lambda path, n=n, big=big: prepare_coordination(path, n, big),
        )
        path = working_copy(facts, f"limits-{n}")
        print(f"{n}x: measuring…", flush=True)
        by_scale[n] = measure(path, big, args.runs)
    print(
        f"\n{'measure':<30}" + "".join(f"{f'{n}x ms':>10}{'raw':>8}{'ratio':>7}" for n in by_scale)
    )
    first, last = min(by_scale), max(by_scale)
    for name in by_scale[first]:
        line = f"{name:<30}"
        for n in by_scale:
            r = by_scale[n].get(name) or next(
                (v for k, v in by_scale[n].items() if k.split(",")[0] == name.split(",")[0]), None
            )
            ratio = r["ms"] / r["raw_ms"] if r and r["raw_ms"] else None
            line += f"{r['ms']:>10.2f}" + (
                f"{r['raw_ms']:>8.2f}{ratio:>7.2f}" if ratio else f"{'—':>8}{'':>7}"
            )
        if last > first:
            a, b = by_scale[first][name]["ms"], by_scale[last].get(name, {}).get("ms")
            if a and b:
                line += f"  growth {math.log(b / a) / math.log(last / first):.2f}"
        print(line)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "limits-latest.json").write_text(json.dumps(by_scale, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
