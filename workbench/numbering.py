"""Automatic section numbers (1, 1.1, Tenet 3, Action Item 4, Appendix A), derived from order."""

from __future__ import annotations

import string
from collections.abc import Iterable


def _appendix_letter(n: int) -> str:
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = string.ascii_uppercase[rem] + letters
    return letters


def number_tree(nodes: Iterable[tuple[int, int | None, str]]) -> dict[int, str]:
    """Numbers for (id, parent_id, kind) given in depth-first document order.

    Narrative numbers count only narrative siblings, so adding a tenet or an appendix never
    renumbers the narrative; tenets and action items count across the whole document.
    """
    numbers: dict[int, str] = {}
    child_counts: dict[int | None, int] = {}
    appendix_count = 0
    tenet_count = 0
    action_count = 0
    for sid, parent, kind in nodes:
        prefix = numbers.get(parent, "") if parent is not None else ""
        if kind == "tenet":
            tenet_count += 1
            numbers[sid] = f"Tenet {tenet_count}"
        elif kind == "action_item":
            action_count += 1
            numbers[sid] = f"Action Item {action_count}"
        elif kind == "appendix" and parent is None:
            appendix_count += 1
            numbers[sid] = f"Appendix {_appendix_letter(appendix_count)}"
        else:
            child_counts[parent] = child_counts.get(parent, 0) + 1
            n = child_counts[parent]
            if not prefix:
                numbers[sid] = str(n)
            else:
                base = prefix.removeprefix("Appendix ")
                numbers[sid] = f"{base}.{n}"
    return numbers


def reference(number: str) -> str:
    """How a number is cited in prose: §2.1 for narrative numbers, the name otherwise."""
    return f"§{number}" if number[:1].isdigit() else number
