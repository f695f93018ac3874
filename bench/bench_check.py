"""`workbench check` with full replay on 1,000 documents and 100,000 audit entries (<= 5 s).

Builds (once, cached in bench/out/) the large workspace of common.py plus coordination records
written the way the app writes them: comments with their `comment.add` entries, positions with
`position.record`, dispositions with `comment.adjudicate`, and section edits, until the log holds
100,000 entries. Then times the whole check, and beside it, in the same run, the check as it was
before schema comparison and replay (integrity, foreign keys, search index, chain) as the
baseline.

    .venv/bin/python bench/bench_check.py [--entries 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
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
        have = next(db.query("SELECT count(*) AS n FROM audit_log"))["n"]
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
            have = next(db.query("SELECT count(*) AS n FROM audit_log"))["n"]
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


def _baseline(path: Path) -> float:
    """The check's steps before schema comparison and replay, on the same kind of snapshot."""
    from workbench import audit
    from workbench.maintenance import check

    t0 = time.perf_counter()
    conn, tmp = check._snapshot(path)
    try:
        check._integrity(conn, False)
        check._foreign_keys(conn)
        check._search_index(conn)
        audit.verify_chain(check._Reader(conn))
    finally:
        conn.close()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from workbench.maintenance import check, replay

    path, counts = _workspace(args.entries)
    full, base, replay_only = [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = check.check_workspace(path)
        full.append(time.perf_counter() - t0)
        if not report.ok:
            print("the bench workspace is not sound:", report.findings[:3])
            return 1
        base.append(_baseline(path))
        conn, _tmp = check._snapshot(path)
        t0 = time.perf_counter()
        replay.replay_faults(conn)
        replay_only.append(time.perf_counter() - t0)
        conn.close()
    result = {
        "workspace": counts,
        "check_full_s": round(median(full), 3),
        "baseline_old_steps_s": round(median(base), 3),
        "replay_alone_s": round(median(replay_only), 3),
        "ratio_full_to_baseline": round(median(full) / median(base), 2),
        "target_s": TARGET_S,
    }
    print(f"workspace: 1,000 documents, {counts['entries']:,} audit entries ({counts})")
    print(
        f"check (full replay)        {result['check_full_s']:.2f} s  target <= {TARGET_S} s  "
        f"{verdict(result['check_full_s'], TARGET_S)}"
    )
    print(
        f"baseline (old steps only)  {result['baseline_old_steps_s']:.2f} s  "
        f"ratio {result['ratio_full_to_baseline']:.2f}x"
    )
    print(f"replay alone               {result['replay_alone_s']:.2f} s")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "check-latest.json").write_text(json.dumps(result, indent=2))
    return 0 if result["check_full_s"] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
