"""Fixtures for the Word writer tests."""

from __future__ import annotations

import pytest
from word_helpers import Strategy, make_strategy


@pytest.fixture
def strategy(ws) -> Strategy:
    return make_strategy(ws)
