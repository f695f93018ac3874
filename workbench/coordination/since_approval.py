"""What changed since the last approval: a version's redline against the last published one.

Recorded in the snapshot (so a publication freezes it with everything else) as plain data the
coordination record prints: each touched section with its changed blocks as runs of
(op, text), op "equal", "insert" or "delete". Only changed blocks are kept: the record says
what moved away from the approved text, the full redline is File → Export Redline….
"""

from __future__ import annotations

import json

from workbench.redline import (
    DELETE,
    EQUAL,
    INSERT,
    Side,
    _from_snapshot_sections,
    compare,
)

MAX_SECTIONS = 400  # a record lists at most this many changed sections, then says how many more


def _text(piece) -> str:
    if piece.kind == "break":
        return "\n"
    if piece.kind == "footnote":
        return f"[{piece.text}]"
    if piece.kind == "figure":
        return f"[Figure: {piece.text}]"
    if piece.kind == "image":
        return f"[image: {piece.text}]"
    return piece.text


def _runs(marks) -> list[list[str]]:
    out: list[list[str]] = []
    for mark in marks:
        text = _text(mark.piece)
        if not text:
            continue
        if out and out[-1][0] == mark.op:
            out[-1][1] += text
        else:
            out.append([mark.op, text])
    return out


def _block(change) -> dict:
    if change.kind == "table":
        runs: list[list[str]] = []
        for row in change.rows:
            if row.op == EQUAL:
                continue
            for k, cell in enumerate(row.cells):
                cell_runs = _runs(cell) or [[EQUAL, ""]]
                if row.op in (INSERT, DELETE):
                    cell_runs = [[row.op, text] for _, text in cell_runs]
                runs += ([[EQUAL, " | "]] if k else []) + cell_runs
            runs.append([EQUAL, "\n"])
        return {"op": change.op, "kind": "table", "runs": runs}
    if change.kind == "rule":
        return {"op": change.op, "kind": "rule", "runs": [[change.op, "―――"]]}
    return {"op": change.op, "kind": change.kind, "runs": _runs(change.marks)}


def changes_since(previous: dict, sections: list[dict]) -> dict:
    """The record of what changed from a published snapshot to these snapshot sections."""
    doc = previous.get("document") or {}
    version = doc.get("version")
    old = Side(
        f"v{version}",
        f"Published version {version}",
        str(previous.get("published_by") or ""),
        str(previous.get("published_at") or ""),
        version,
        _from_snapshot_sections(previous.get("sections") or ()),
    )
    new = Side("draft", "This version", "", "", None, _from_snapshot_sections(sections))
    red = compare(old, new)
    touched = list(red.changed)
    return {
        "version": version,
        "published_at": previous.get("published_at"),
        "counts": red.counts(),
        "more": max(0, len(touched) - MAX_SECTIONS),
        "sections": [
            {
                "label": s.label,
                "number": s.number,
                "old_number": s.old_number,
                "status": s.status,
                "moved": s.moved,
                "heading": _runs(s.heading)
                if any(m.op != EQUAL for m in s.heading) and s.status == "changed"
                else [],
                "blocks": [_block(b) for b in s.blocks if b.op != EQUAL],
            }
            for s in touched[:MAX_SECTIONS]
        ],
    }


def since_last_approval(ws, document_id: int, version: int, sections: list[dict]) -> dict | None:
    """The changes from the newest version published before `version`, or None if none was."""
    row = next(
        ws.db.query(
            "SELECT snapshot FROM publications WHERE document_id = ? AND version < ? "
            "ORDER BY version DESC LIMIT 1",
            [document_id, version],
        ),
        None,
    )
    if row is None:
        return None
    return changes_since(json.loads(row["snapshot"]), sections)
