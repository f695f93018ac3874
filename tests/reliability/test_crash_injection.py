"""SIGKILL at random moments during edits, coordination actions, imports and backups."""

from __future__ import annotations

import time

from crashkit import campaign

from db import connection

KINDS = ("edit", "comment", "adjudicate", "request", "position", "import")
MIN_KILLS = 40


def _enough(kills: int, actions: dict[str, int]) -> bool:
    return kills >= MIN_KILLS and all(actions.get(k, 0) >= 3 for k in KINDS)


def test_the_record_survives_being_killed_at_random_moments(tmp_path):
    started = time.monotonic()
    # Stops as soon as every kind of action has been killed around enough (about 10 s on an
    # idle machine); a loaded one gets up to a minute before the counts below judge it.
    verdict = campaign(tmp_path, seconds=60, seed=20261102, enough=_enough)
    assert time.monotonic() - started < 70
    assert verdict.failures == []
    assert verdict.kills >= 20, verdict
    # The stream really exercised each kind of action (each count is a committed action).
    for action in KINDS:
        assert verdict.actions.get(action, 0) >= 3, verdict.actions
    assert verdict.committed_checked > 50
    # No stale lock: the last child died holding it, and the file opens for writing.
    assert not connection.held_by_this_process(tmp_path / "crash.cnew")
