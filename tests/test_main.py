"""main.py: no display is said in one line before Qt starts; both windows share one bootstrap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main

REPO = Path(__file__).resolve().parents[1]


def _run_without_display(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )


@pytest.mark.parametrize("args", [("open", "demo.cnew"), ("review", "x.cnereview")])
def test_no_display_is_one_plain_line_not_a_qt_abort(args):
    result = _run_without_display(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("workbench: there is no display") and "xvfb-run" in line


def test_command_line_commands_need_no_display(tmp_path):
    result = _run_without_display("new", str(tmp_path / "mine.cnew"))
    assert result.returncode == 0, result.stderr


def test_headless_platforms_and_a_display_count_as_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main.no_display() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert main.no_display() is not None
    monkeypatch.setenv("DISPLAY", ":99")
    assert main.no_display() is None


def test_review_window_starts_through_the_crash_handler(monkeypatch, qapp, tmp_path):
    from ui import app
    from ui import review as review_module

    shown = []
    monkeypatch.setattr(review_module.messages, "error", lambda *a: shown.append(a))
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    assert main.main(["review", str(tmp_path / "missing.cnereview")]) == 1
    assert sys.excepthook is app.excepthook
    assert shown and shown[0][1] == "Cannot open the review packet"
