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


SHARED_KINDS = ("edit", "comment", "adjudicate", "request", "position")


def test_a_shared_workspace_survives_clients_killed_mid_transaction(tmp_path, pg_url):
    """The same stream against PostgreSQL: a client SIGKILLed inside a transaction leaves
    nothing half-done (the server rolls it back and releases its writer lock), and every
    acknowledged change is there, the chain verifying and `check` passing after each kill."""

    def enough(kills: int, actions: dict[str, int]) -> bool:
        return kills >= 30 and all(actions.get(k, 0) >= 2 for k in SHARED_KINDS)

    # A client connects to the server before it acts, and each kill is verified through the
    # server too: kills land up to two seconds in, for up to a minute and a half.
    verdict = campaign(
        tmp_path, seconds=90, seed=20261103, enough=enough, location=pg_url, max_delay=2.0
    )
    assert verdict.failures == []
    assert verdict.kills >= 20, verdict
    for action in SHARED_KINDS:
        assert verdict.actions.get(action, 0) >= 2, verdict.actions
    assert verdict.committed_checked > 20
