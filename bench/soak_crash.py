"""Crash soak: SIGKILL a child doing real work for many minutes, verifying after every kill.

    .venv/bin/python bench/soak_crash.py --minutes 10 [--seed N] [--folder DIR]

Prints one line per 50 kills and a summary; exit 1 on the first round that finds a problem
(the workspace and the report of committed actions are left in the folder to inspect).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))

import crashkit  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--max-delay", type=float, default=0.5, help="longest run before a kill")
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="cne-soak-"))
    print(f"Soaking for {args.minutes} min in {folder} (seed {args.seed})", flush=True)
    started = time.monotonic()

    def log(n, committed, problems):
        if n % 50 == 0 or problems:
            rate = n / (time.monotonic() - started)
            print(f"{n:>6} kills  {committed:>7} commits verified  {rate:.1f} kills/s", flush=True)
        for p in problems:
            print(f"  PROBLEM {p}", flush=True)

    verdict = crashkit.campaign(
        folder, seconds=args.minutes * 60, seed=args.seed, max_delay=args.max_delay, log=log
    )
    print(
        f"{verdict.kills} kills, {verdict.committed_checked} committed actions verified "
        f"after each; by kind: {dict(sorted(verdict.actions.items()))}"
    )
    if verdict.failures:
        print(f"FAILED: {verdict.failures[0]} (files kept in {folder})")
        return 1
    print("No problems: every kill left a sound workspace with every committed action in it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
