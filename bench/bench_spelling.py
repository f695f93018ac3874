"""Spell checking's cost on the editor: highlighting a long section with and without it.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_spelling.py [--copies 20] [--runs 7]
Prints the best of N full highlights of the SPSS demo text repeated --copies times (about
100 lines a copy), without the checker (the baseline) and with it, and their ratio. While
typing only the edited line is checked again; a full highlight happens when a section opens.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_highlight(text: str, speller, runs: int) -> float:
    from PySide6.QtGui import QTextDocument

    from ui.markdown_highlighter import MarkdownHighlighter

    best = float("inf")
    for _ in range(runs):
        doc = QTextDocument()
        doc.setPlainText(text)
        start = time.perf_counter()
        MarkdownHighlighter(doc, None, speller)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from workbench.spelling import Checker

    app = QApplication(sys.argv[:1])  # noqa: F841 (kept alive for the documents)
    text = (ROOT / "resources/demo/05-spss.md").read_text(encoding="utf-8") * args.copies
    checker = Checker()
    checker.misspelled(text)  # warm: the words seen before, as while typing
    base = best_highlight(text, None, args.runs)
    spell = best_highlight(text, checker, args.runs)
    lines = text.count("\n")
    print(
        f"{lines} lines: highlight {base * 1000:.1f} ms without spelling, "
        f"{spell * 1000:.1f} ms with it: ratio {spell / base:.2f}"
    )


if __name__ == "__main__":
    main()
