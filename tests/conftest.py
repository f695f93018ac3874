"""Shared fixtures: a fresh workspace with a controllable clock."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.workspace import Workspace


class Clock:
    """A clock tests can move; starts on Monday 2026-11-02 09:00 UTC."""

    def __init__(self, start: dt.datetime | None = None):
        self.now = start or dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws_path(tmp_path):
    return tmp_path / "test.cnew"


@pytest.fixture
def ws(ws_path, clock):
    workspace = Workspace.create(ws_path, actor="analyst.one")
    workspace.clock = clock
    yield workspace
    workspace.close()


@pytest.fixture
def council(ws) -> None:
    """The Director and the USCG and CBP liaisons the coordination tests address."""
    from workbench import directory

    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    directory.add_person(
        ws,
        "Capt. Lee Odiña",
        title="Assistant Commandant for Operations",
        organization="USCG",
        roles=["liaison"],
    )
    directory.add_person(
        ws, "Pat Moreno", title="Deputy Commissioner", organization="CBP", roles=["liaison"]
    )
