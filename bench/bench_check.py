"""`workbench check` with full replay on 1,000 documents and 100,000 audit entries (<= 5 s).

Builds (once, cached in bench/out/) the large workspace of common.py plus coordination records
written the way the app writes them: comments with their `comment.add` entries, positions with
`position.record`, dispositions with `comment.adjudicate`, and section edits, until the log holds
100,000 entries. Then times the whole check (wall and CPU time: on a shared machine the wall
time mostly measures the other processes), and beside it, in the same run:
- the baseline: the check's steps before schema comparison and replay (integrity, foreign keys,
  search index, chain) on the same kind of snapshot;
- the chain hashed from payloads SQLite builds (the check's way) against `audit.verify_chain`
  building each payload in Python (the way before);
- replay's quick pass against explaining every row from the whole log (the way before).

    .venv/bin/python bench/bench_check.py [--entries 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

from common import OUT, cached_workspace, median, verdict

TARGET_S = 5.0


def _grow_log(path: Path, entries: int, seed: int = 0) -> dict:
    from workbench import audit
    from workbench.workspace import Workspace

    rng = random.Random(seed)
    ws = Workspace.open(path, actor="bench")
    db = ws.db
    counts = {"comments": 0, "positions": 0, "adjudications": 0, "edits": 0}
    sections = [
        (r["id"], r["document_id"]) for r in db.query("SELECT id, document_id FROM sections")
    ]
    orgs = [(r["id"], r["code"]) for r in db.query("SELECT id, code FROM organizations")]
    item = {}
    with db.atomic():
        have = before = next(db.query("SELECT count(*) AS n FROM audit_log"))["n"]
        while have < entries:
            sid, doc = rng.choice(sections)
            org_id, code = rng.choice(orgs)
            roll = rng.random()
            if roll < 0.3:
                item[doc] = item.get(doc, 0) + 1
                kind = rng.choice("CSA")
                cur = db.execute(
                    "INSERT INTO comments (document_id, item_no, organization_id, response_date, "
                    "type, section_id, comment, rationale, critical_ground, created_at, "
                    "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        doc,
                        item[doc],
                        org_id,
                        "2026-11-02",
                        kind,
                        sid,
                        f"Comment {have} on section {sid}.",
                        "Because.",
                        "policy" if kind == "C" else None,
                        ws.now(),
                        "bench",
                    ],
                )
                row = next(db.query("SELECT * FROM comments WHERE id = ?", [cur.lastrowid]))
                audit.record(
                    ws,
                    "comment.add",
                    "comment",
                    cur.lastrowid,
                    document_id=doc,
                    item_no=item[doc],
                    organization=code,
                    type=kind,
                    section_id=sid,
                    text_sha256=audit.comment_digest(row),
                )
                counts["comments"] += 1
                if rng.random() < 0.5:
                    db.execute(
                        "UPDATE comments SET disposition = 'accepted' WHERE id = ?",
                        [cur.lastrowid],
                    )
                    audit.record(
                        ws,
                        "comment.adjudicate",
                        "comment",
                        cur.lastrowid,
                        document_id=doc,
                        disposition="accepted",
                    )
                    counts["adjudications"] += 1
            elif roll < 0.4:
                position = rng.choice(["concur", "concur_with_comment", "non_concur"])
                cur = db.execute(
                    "INSERT INTO positions (document_id, organization_id, position, by_name, at, "
                    "document_version, recorded_by) VALUES (?, ?, ?, ?, ?, 1, 'bench')",
                    [doc, org_id, position, f"Liaison {code}", ws.now()],
                )
                audit.record(
                    ws,
                    "position.record",
                    "position",
                    cur.lastrowid,
                    document_id=doc,
                    organization=code,
                    position=position,
                    by_name=f"Liaison {code}",
                )
                counts["positions"] += 1
            else:
                audit.record(ws, "section.edit", "section", sid, document_id=doc, words=300)
                counts["edits"] += 1
            # Counted here rather than by count(*) per loop (that made building take minutes).
            have = before + sum(counts.values())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    counts["entries"] = have
    return counts


def _workspace(entries: int) -> tuple[Path, dict]:
    facts = cached_workspace()
    path = Path(facts["path"]).with_name(Path(facts["path"]).stem + f"-log{entries}.cnew")
    meta = path.with_suffix(".log.json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(facts["path"], partial)
    counts = _grow_log(partial, entries)
    partial.replace(path)
    meta.write_text(json.dumps(counts))
    return path, counts


def _timed(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w0, time.process_time() - c0, result


def _baseline(path: Path) -> None:
    """The check's steps before schema comparison and replay, on the same kind of snapshot."""
    from workbench.maintenance import check

    conn, tmp = check._snapshot(path)
    try:
        check._integrity(conn, False)
        check._foreign_keys(conn)
        check._search_index(conn)
        check._audit_chain(conn, check._Reader(conn))
    finally:
        conn.close()


def _on_snapshot(path: Path, fn):
    from workbench.maintenance import check

    conn, _tmp = check._snapshot(path)
    try:
        return _timed(lambda: fn(conn, check._Reader(conn)))
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from workbench import audit
    from workbench.maintenance import check, replay, replay_quick

    path, counts = _workspace(args.entries)
    names = ("full", "baseline", "chain_sql", "chain_python", "replay_quick", "replay_every_row")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    load = os.getloadavg()[0]
    for _ in range(args.runs):
        w, c, report = _timed(lambda: check.check_workspace(path))
        if not report.ok:
            print("the bench workspace is not sound:", report.findings[:3])
            return 1
        wall["full"].append(w)
        cpu["full"].append(c)
        w, c, _ = _timed(lambda: _baseline(path))
        wall["baseline"].append(w)
        cpu["baseline"].append(c)
        steps = {
            "chain_sql": lambda conn, reader: check._audit_chain(conn, reader),
            "chain_python": lambda conn, reader: audit.verify_chain(reader),
            "replay_quick": lambda conn, reader: replay_quick.replay_faults(conn),
            "replay_every_row": lambda conn, reader: replay.replay_faults(conn),
        }
        for name, step in steps.items():
            w, c, found = _on_snapshot(path, step)
            assert found == [], found
            wall[name].append(w)
            cpu[name].append(c)
    med = {n: (round(median(wall[n]), 3), round(median(cpu[n]), 3)) for n in names}
    result = {
        "workspace": counts,
        "load_average": round(load, 1),
        "check_full_s": med["full"][0],
        "check_full_cpu_s": med["full"][1],
        "baseline_old_steps_s": med["baseline"][0],
        "baseline_old_steps_cpu_s": med["baseline"][1],
        "ratio_full_to_baseline_cpu": round(med["full"][1] / med["baseline"][1], 2),
        "chain_sql_cpu_s": med["chain_sql"][1],
        "chain_python_cpu_s": med["chain_python"][1],
        "replay_quick_cpu_s": med["replay_quick"][1],
        "replay_every_row_cpu_s": med["replay_every_row"][1],
        "target_s": TARGET_S,
    }
    print(f"workspace: 1,000 documents, {counts['entries']:,} audit entries ({counts})")
    print(f"load average at start {load:.1f} on {os.cpu_count()} cores; medians of {args.runs}")
    print(f"{'':28}{'wall':>8}{'CPU':>8}")
    rows = [
        ("check (full replay)", "full"),
        ("baseline (old steps)", "baseline"),
        ("chain, SQL payloads", "chain_sql"),
        ("chain, Python payloads", "chain_python"),
        ("replay, quick pass", "replay_quick"),
        ("replay, every row", "replay_every_row"),
    ]
    for label, name in rows:
        print(f"{label:28}{med[name][0]:7.2f}s{med[name][1]:7.2f}s")
    print(
        f"check CPU {med['full'][1]:.2f} s, target <= {TARGET_S} s: "
        f"{verdict(med['full'][1], TARGET_S)}; full/baseline CPU "
        f"{result['ratio_full_to_baseline_cpu']:.2f}x; chain SQL/Python CPU "
        f"{med['chain_sql'][1] / med['chain_python'][1]:.2f}x; replay quick/every-row CPU "
        f"{med['replay_quick'][1] / med['replay_every_row'][1]:.2f}x"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "check-latest.json").write_text(json.dumps(result, indent=2))
    return 0 if result["check_full_cpu_s"] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
