"""History diff: a 3,000-word list with ten edits, word tokens with and without whitespace runs.

Run: .venv/bin/python bench/bench_diff.py   (prints seconds per diff and the ratio)
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import diffing  # noqa: E402

OLD_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)  # before: whitespace runs were tokens


def sample(rng: random.Random) -> tuple[str, str]:
    text = (Path(__file__).resolve().parent.parent / "resources/demo/05-spss.md").read_text()
    vocab = re.findall(r"\w+", text)
    words = [rng.choice(vocab) for _ in range(3000)]
    items = [" ".join(words[i : i + 12]) + "." for i in range(0, 3000, 12)]
    old = "- " + "\n- ".join(items)
    changed = list(items)
    for _ in range(10):
        k = rng.randrange(len(changed))
        changed[k] = changed[k].replace(" ", " revised ", 1)
    return old, "- " + "\n- ".join(changed)


def timed(old: str, new: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        diffing.diff_words(old, new)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    old, new = sample(random.Random(20261201))
    now = timed(old, new, 5)
    current = diffing._TOKEN
    diffing._TOKEN = OLD_TOKEN
    try:
        before = timed(old, new, 1)
    finally:
        diffing._TOKEN = current
    result = {"words": 3000, "edits": 10, "before_s": before, "now_s": now, "ratio": now / before}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
