"""Shared workspace bench: the same large workspace as a file and on PostgreSQL, side by side.

- section save latency with ten concurrent writers on PostgreSQL (target p95 ≤ 20 ms), beside
  one writer on PostgreSQL and one writer on the file (SQLite has one writer at a time);
- search p95 on the 10,000-section corpus, PostgreSQL against FTS5 (target ≤ 2×);
- first paint of the 1,000-document workspace opened from the server against the file
  (target ≤ 1.5×).

Usage: .venv/bin/python bench/bench_shared.py [--writers 10] [--seconds 20] [--interval 0]
The server: CNE_BENCH_POSTGRES=postgresql://… (a superuser's maintenance database), or a
throwaway one started here (tests/pgserver.py) with fsync and synchronous commit ON, as a real
server runs. --interval 0 saves flat out; --interval 0.2 is a fast typist's autosave pace.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, cached_workspace, median, percentile, working_copy  # noqa: E402

TARGETS = {"save p95 ms, 10 writers": 20.0, "search p95 ratio": 2.0, "first paint ratio": 1.5}


# -- saves ------------------------------------------------------------------------------------
def _writer(location: str, section_ids: list[int], seconds: float, interval: float, seed: int,
            out) -> None:  # fmt: skip
    from workbench import sections
    from workbench.workspace import Workspace

    rng = random.Random(seed)
    ws = Workspace.open(location, actor=f"writer {seed}")
    times: list[float] = []
    deadline = time.monotonic() + seconds
    n = 0
    try:
        while time.monotonic() < deadline:
            sid = section_ids[n % len(section_ids)]
            body = f"Revision {n} by writer {seed}: " + " ".join(
                rng.choice(("cutter", "port", "corridor", "seizure", "liaison")) for _ in range(60)
            )
            t = time.perf_counter()
            sections.edit_section(ws, sid, body=body)
            times.append((time.perf_counter() - t) * 1000)
            n += 1
            if interval:
                time.sleep(rng.uniform(0.5, 1.5) * interval)
    finally:
        ws.close()
    out.put(times)


def saves(location: str, section_ids: list[int], writers: int, seconds: float,
          interval: float) -> dict:  # fmt: skip
    """Latency of edit_section from `writers` processes at once, each on its own sections."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    share = [section_ids[i::writers] for i in range(writers)]
    procs = [
        ctx.Process(target=_writer, args=(location, share[i], seconds, interval, i, queue))
        for i in range(writers)
    ]
    for p in procs:
        p.start()
    times: list[float] = []
    for _ in procs:
        times += queue.get(timeout=seconds + 120)
    for p in procs:
        p.join(30)
    return {
        "writers": writers,
        "saves": len(times),
        "saves_per_s": round(len(times) / seconds, 1),
        "p50_ms": round(median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "max_ms": round(max(times), 2),
    }


# -- search -----------------------------------------------------------------------------------
def _queries(path: str) -> dict[str, list[str]]:
    """What people search for: the commonest words, prefixes of long ones, pairs (from FTS5)."""
    from workbench.workspace import Workspace

    ws = Workspace.open(path, read_only=True)
    db = ws.db
    db.execute("CREATE VIRTUAL TABLE temp.v_sections USING fts5vocab(main, 'sections_fts', 'row')")
    common = [
        r["term"]
        for r in db.query(
            "SELECT term FROM temp.v_sections WHERE length(term) >= 3 ORDER BY doc DESC LIMIT 10"
        )
    ]
    longer = [
        r["term"]
        for r in db.query(
            "SELECT term FROM temp.v_sections WHERE length(term) >= 7 ORDER BY doc DESC LIMIT 8"
        )
    ]
    ws.close()
    return {
        "common word": common,
        "prefix": sorted({t[:n] for t in longer for n in (3, 4, 5)}),
        "two words": [f"{a} {b}" for a, b in zip(common, common[1:], strict=False)],
    }


def search_times(locations: dict[str, str], queries: dict[str, list[str]], runs: int) -> dict:
    """search.search timed on each engine, the engines taking turns query by query.

    Taking turns, both see the same load: two CPUs shared by others make a series measured
    a minute later a different machine.
    """
    from workbench import search
    from workbench.workspace import Workspace

    open_ws = {name: Workspace.open(where, read_only=True) for name, where in locations.items()}
    out: dict[str, dict] = {name: {} for name in locations}
    try:
        for kind, qs in queries.items():
            times: dict[str, list[float]] = {name: [] for name in locations}
            for q in qs:
                for ws in open_ws.values():
                    search.search(ws, q)  # warm: a workspace already open, its pages cached
                for _ in range(max(1, runs // len(qs))):
                    for name, ws in open_ws.items():
                        t = time.perf_counter()
                        search.search(ws, q)
                        times[name].append((time.perf_counter() - t) * 1000)
            for name in locations:
                out[name][kind] = {
                    "n": len(times[name]),
                    "p50_ms": round(median(times[name]), 2),
                    "p95_ms": round(percentile(times[name], 95), 2),
                }
        for name, ws in open_ws.items():
            hits = len(search.search(ws, queries["common word"][0], limit=1000).hits)
            out[name]["hits for the commonest word (limit 1000)"] = hits
    finally:
        for ws in open_ws.values():
            ws.close()
    return out


# -- first paint ------------------------------------------------------------------------------
def first_paint(location: str, runs: int) -> list[float]:
    from bench.bench_foundation import spawn

    spawn("first-paint", ["--mode", "app", "--workspace", location])  # warm caches
    return [
        spawn("first-paint", ["--mode", "app", "--workspace", location])["first_paint_s"]
        for _ in range(runs)
    ]


# -- the server -------------------------------------------------------------------------------
def server():
    """(admin URL, stop function): CNE_BENCH_POSTGRES, or a durable throwaway server."""
    url = os.environ.get("CNE_BENCH_POSTGRES")
    if url:
        return url, lambda: None
    from tests import pgserver

    temporary = pgserver.TemporaryServer(durable=True)
    return temporary.start(), temporary.stop


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--documents", type=int, default=1000)
    p.add_argument("--sections", type=int, default=10000)
    p.add_argument("--words", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--writers", type=int, default=10)
    p.add_argument("--seconds", type=float, default=20.0, help="each save series")
    p.add_argument("--interval", type=float, default=0.0, help="pause between a writer's saves")
    p.add_argument("--runs", type=int, default=200, help="timed searches per series")
    p.add_argument("--paints", type=int, default=5, help="first-paint runs per engine")
    p.add_argument("--only", nargs="*", choices=["saves", "search", "paint"])
    args = p.parse_args(argv)
    only = set(args.only or ["saves", "search", "paint"])
    facts = cached_workspace(args.documents, args.sections, args.words, args.seed)
    file_copy = working_copy(facts, "shared-file")
    admin, stop = server()
    report: dict = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "workspace": {k: facts[k] for k in ("documents", "sections", "words", "bytes")},
        "load_average_start": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    try:
        import psycopg

        from workbench.maintenance import copying

        dbname = f"cne_bench_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        import urllib.parse

        parts = urllib.parse.urlsplit(admin)
        url = urllib.parse.urlunsplit(parts._replace(path="/" + dbname))
        t = time.perf_counter()
        copied = copying.copy_workspace(file_copy, url)
        report["copy_to_postgresql_s"] = round(time.perf_counter() - t, 1)
        print(f"{copied.summary()} ({report['copy_to_postgresql_s']} s)", flush=True)
        rows = []
        if "search" in only:
            queries = _queries(str(file_copy))
            both = search_times({"fts5": str(file_copy), "postgresql": url}, queries, args.runs)
            fts5, pg = both["fts5"], both["postgresql"]
            report["search"] = {"fts5": fts5, "postgresql": pg}
            for name in queries:
                ratio = pg[name]["p95_ms"] / fts5[name]["p95_ms"]
                rows.append((f"search {name} p95", fts5[name]["p95_ms"], pg[name]["p95_ms"],
                             ratio, TARGETS["search p95 ratio"]))  # fmt: skip
        if "saves" in only:
            ids = facts["big_document_section_ids"]
            one_file = saves(str(file_copy), ids, 1, args.seconds, args.interval)
            one_pg = saves(url, ids, 1, args.seconds, args.interval)
            many_pg = saves(url, ids, args.writers, args.seconds, args.interval)
            report["saves"] = {"file_1": one_file, "postgresql_1": one_pg,
                               f"postgresql_{args.writers}": many_pg}  # fmt: skip
            rows.append(("save p95, 1 writer", one_file["p95_ms"], one_pg["p95_ms"],
                         one_pg["p95_ms"] / one_file["p95_ms"], None))  # fmt: skip
            rows.append((f"save p95, {args.writers} writers (PG) vs 1 (file)",
                         one_file["p95_ms"], many_pg["p95_ms"],
                         many_pg["p95_ms"] / one_file["p95_ms"], None))  # fmt: skip
            report["save_target_ms"] = TARGETS["save p95 ms, 10 writers"]
        if "paint" in only:
            file_runs = first_paint(str(file_copy), args.paints)
            pg_runs = first_paint(url, args.paints)
            report["first_paint_s"] = {"file": file_runs, "postgresql": pg_runs}
            a, b = median(file_runs) * 1000, median(pg_runs) * 1000
            rows.append(("first paint median", a, b, b / a, TARGETS["first paint ratio"]))
        report["load_average_end"] = os.getloadavg()
        print(f"\n{'figure':<44}{'file':>10}{'postgres':>10}{'ratio':>8}{'target':>8}")
        for name, a, b, ratio, target in rows:
            mark = "" if target is None else ("PASS" if ratio <= target else "FAIL")
            shown = "" if target is None else f"≤{target}"
            print(f"{name:<44}{a:>10.1f}{b:>10.1f}{ratio:>8.2f}{shown:>8}  {mark}")
        if "saves" in report:
            many = report["saves"][f"postgresql_{args.writers}"]
            ok = "PASS" if many["p95_ms"] <= TARGETS["save p95 ms, 10 writers"] else "FAIL"
            print(
                f"save p95 with {args.writers} concurrent writers: {many['p95_ms']} ms "
                f"({many['saves_per_s']} saves/s in all; target ≤ 20 ms)  {ok}"
            )
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    finally:
        stop()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_shared.json").write_text(json.dumps(report, indent=1))
    print(f"report: {OUT / 'bench_shared.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
