"""Fixtures for the Word writer tests."""

from __future__ import annotations

import pytest
from word_helpers import Strategy, make_strategy, png


@pytest.fixture
def strategy(ws) -> Strategy:
    return make_strategy(ws)


@pytest.fixture
def png_bytes() -> bytes:
    return png()
