"""Take Offline: the document's own copy against the whole-workspace copy it replaced.

On the large generated workspace of common.py (1,000 documents, 10,000 sections by default),
takes the 500-section document offline (`offline.take_offline`: its rows, what they refer to,
the directory and the whole audit log) and, in the same run as the baseline, writes the whole
workspace the way Take Offline did before (`copying.copy_to_file` without a selection). Reports
the time of each, the files' sizes, and `workbench check`'s time on each file, with ratios.

    .venv/bin/python bench/bench_offline.py [--documents 1000] [--sections 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from common import BIG_DOCUMENT_TITLE, OUT, cached_workspace, median, working_copy


def _gone(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")):
        name.unlink(missing_ok=True)


def one_run(facts: dict, run: int) -> dict:
    from workbench import directory, documents, offline
    from workbench.authority import identity
    from workbench.maintenance import copying
    from workbench.maintenance.check import check_workspace
    from workbench.workspace import Workspace

    source = working_copy(facts, f"offline-source-{run}")
    whole, own = OUT / "scratch" / f"whole-{run}.cnew", OUT / "scratch" / f"own-{run}.cnew"
    for path in (whole, own):
        _gone(path)
    ws = Workspace.open(source, actor="bench")
    try:
        directory.add_person(ws, "Bench Analyst", organization="CNE", roles=["analyst"])
        identity.act_as(ws, "Bench Analyst")
        doc = documents.find_document(ws, BIG_DOCUMENT_TITLE).id
        t0 = time.perf_counter()
        copying.copy_to_file(ws, whole)  # the baseline: what Take Offline wrote before
        whole_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        offline.take_offline(ws, doc, own)
        own_s = time.perf_counter() - t0
    finally:
        ws.close()
    checks = {}
    for name, path in (("whole", whole), ("own", own)):
        t0 = time.perf_counter()
        report = check_workspace(path)
        checks[name] = time.perf_counter() - t0
        assert report.ok, report.lines()
    out = {
        "whole_copy_s": whole_s,
        "own_copy_s": own_s,
        "whole_bytes": whole.stat().st_size,
        "own_bytes": own.stat().st_size,
        "check_whole_s": checks["whole"],
        "check_own_s": checks["own"],
    }
    for path in (source, whole, own):
        _gone(path)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--sections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("CNE_WORKBENCH_IDENTITY", str(OUT / "identity.json"))
    facts = cached_workspace(args.documents, args.sections)
    runs = [one_run(facts, i) for i in range(args.runs)]
    fig = {k: median([r[k] for r in runs]) for k in runs[0]}
    print(f"workspace: {args.documents} documents, {args.sections} sections, {os.getloadavg()=}")
    print(
        f"take offline: own copy {fig['own_copy_s']:.2f} s, whole copy (baseline) "
        f"{fig['whole_copy_s']:.2f} s, ratio {fig['own_copy_s'] / fig['whole_copy_s']:.2f}"
    )
    print(
        f"file: own {fig['own_bytes'] / 1e6:.1f} MB, whole {fig['whole_bytes'] / 1e6:.1f} MB, "
        f"ratio {fig['own_bytes'] / fig['whole_bytes']:.2f}"
    )
    print(
        f"check: own {fig['check_own_s']:.2f} s, whole {fig['check_whole_s']:.2f} s, "
        f"ratio {fig['check_own_s'] / fig['check_whole_s']:.2f}"
    )
    print(json.dumps({"runs": runs}, indent=None)[:2000])


if __name__ == "__main__":
    main()
