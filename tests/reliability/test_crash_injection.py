"""SIGKILL at random moments during edits, coordination actions, imports and backups."""

from __future__ import annotations

import time

from crashkit import campaign

from db import connection


def test_the_record_survives_being_killed_at_random_moments(tmp_path):
    started = time.monotonic()
    verdict = campaign(tmp_path, seconds=15, seed=20261102)
    elapsed = time.monotonic() - started
    assert verdict.failures == []
    assert verdict.kills >= 20, verdict
    # The stream really exercised each kind of action (each count is a committed action).
    for action in ("edit", "comment", "adjudicate", "request", "position", "import"):
        assert verdict.actions.get(action, 0) >= 3, verdict.actions
    assert verdict.committed_checked > 100
    assert elapsed < 30
    # No stale lock: the last child died holding it, and the file opens for writing.
    assert not connection.held_by_this_process(tmp_path / "crash.cnew")
