"""A command-line write shows in the open window within a second or two."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ui import lazy
from workbench import documents

ROOT = Path(__file__).resolve().parents[3]


def test_a_document_added_on_the_command_line_appears_in_the_window(qtbot, window, ws, tmp_path):
    from ui.roundtrip.install import install

    part = install(window)
    draft = tmp_path / "Port Security SOP.md"
    draft.write_text("# Scope\n\nScreening at ports of entry.\n", encoding="utf-8")
    # Another process, as a user at a terminal would run it while the app is open.
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import-draft", str(ws.path), str(draft)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    changed = []
    window.workspace_changed.connect(lambda: changed.append(1))
    qtbot.waitUntil(lambda: bool(changed), timeout=2500)
    lazy.drain()
    assert window.navigator.find_documents("Port Security SOP")
    # The window's own writes are announced once, not again by the watch.
    changed.clear()
    window.ops.run(documents.create_document, "sop", "Written in the window")
    window.ops.flush()
    qtbot.wait(50)
    count = len(changed)
    qtbot.wait(1600)
    assert len(changed) == count
    part.watch.timer.stop()
