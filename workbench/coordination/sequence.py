"""One counter for the order of coordination events (positions given, comments adjudicated)."""

from __future__ import annotations


def next_seq(ws) -> int:
    """The next number in the workspace's coordination order; call inside the use-case."""
    row = ws.db.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'coordination_seq' "
        "RETURNING CAST(value AS INTEGER)"
    ).fetchone()
    if row is None:  # a workspace whose meta lost the row: start after everything recorded
        ws.db.execute(
            "INSERT INTO meta (key, value) VALUES ('coordination_seq', "
            "(SELECT coalesce(max(seq), 0) + 1 FROM positions))"
        )
        return next_seq(ws)
    return row[0]
