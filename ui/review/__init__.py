"""Review mode: open a review packet with no workspace, comment, and export a response."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui import messages
from workbench.errors import WorkbenchError
from workbench.exchange.formats import PACKET_SUFFIX
from workbench.exchange.review import ReviewSession

log = logging.getLogger(__name__)
USAGE = "Usage: workbench review PACKET"
windows: list = []  # open review windows, kept referenced so they are not collected


def open_packet(path: str | Path, parent: QWidget | None = None):
    """Open a packet in a review window (File → Open calls this); None if it cannot be read."""
    try:
        session = ReviewSession.open(path)
    except (WorkbenchError, OSError) as exc:
        log.warning("Could not open packet %s: %s", path, exc)
        messages.error(parent, "Cannot open the review packet", str(exc))
        return None
    from ui.review.window import ReviewWindow

    window = ReviewWindow(session)
    windows.append(window)
    window.destroyed.connect(lambda *_: windows.remove(window) if window in windows else None)
    window.show()
    return window


def run(argv: list[str]) -> int:
    """`workbench review PACKET`: the review window on its own, no workspace needed."""
    from ui.bootstrap import bootstrap

    app = bootstrap()  # the same crash handler and log as the main window
    args = argv[1:] if argv and argv[0] == "review" else argv
    if len(args) > 1:
        messages.error(None, "CNE Workbench", USAGE)
        return 2
    if args:
        path = args[0]
    else:
        path, _ = QFileDialog.getOpenFileName(
            None, "Open review packet", str(Path.home()), f"Review packets (*{PACKET_SUFFIX})"
        )
        if not path:
            return 0
    if open_packet(path) is None:
        return 1
    return app.exec()
