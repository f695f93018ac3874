"""The recorded crash box is a test failure unless the test provoked it on purpose."""

from __future__ import annotations

import sys

import pytest

from ui import app


def _crash(recorder) -> None:
    try:
        raise KeyError("a slot blew up")
    except KeyError:
        app.excepthook(*sys.exc_info())


def test_an_unexpected_crash_box_fails_the_test(qtbot, dialogs):
    fresh = type(dialogs)()
    app.messages.crash = fresh.crash  # a second recorder, checked here instead of at teardown
    _crash(fresh)
    assert fresh.crashes() == [("crash", "KeyError", "'a slot blew up'")]
    with pytest.raises(pytest.fail.Exception, match="unexpected-error box"):
        fresh.fail_on_unexpected_crash()


def test_an_expected_crash_box_and_plain_errors_do_not(qtbot, dialogs):
    plain = type(dialogs)()
    plain.error(None, "Cannot open workspace", "not a workspace")
    plain.fail_on_unexpected_crash()
    dialogs.expect_crash()
    _crash(dialogs)
    dialogs.fail_on_unexpected_crash()
