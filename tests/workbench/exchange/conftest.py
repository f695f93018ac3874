"""Fixtures for exchange tests: a maritime strategy out for review with the Coast Guard."""

from __future__ import annotations

import pytest
from exchange_helpers import Review, make_review


@pytest.fixture
def review(ws) -> Review:
    return make_review(ws)
