"""When a workspace really is damaged: offer the newest backup that passes the check."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from ui import messages
from workbench.errors import StoreError, WorkbenchError
from workbench.maintenance import backups
from workbench.workspace import Workspace

log = logging.getLogger(__name__)


def _find_sound_backup(path: Path, parent) -> backups.Backup | None:
    """Check the backups newest first on a thread of their own; the window keeps painting."""
    found: dict[str, backups.Backup | None] = {}

    def run() -> None:
        try:
            found["backup"] = backups.newest_sound_backup(path)
        except Exception:  # a backup that cannot even be listed is simply not offered
            log.exception("Looking for a sound backup of %s failed", path)

    if not backups.list_backups(path):
        return None
    worker = threading.Thread(target=run, name="find-backup", daemon=True)
    progress = QProgressDialog(f"Looking for a sound backup of {path.name}…", "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowTitle("Checking backups")
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(400)
    worker.start()
    while worker.is_alive():
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        worker.join(0.05)
    progress.close()
    progress.deleteLater()
    return found.get("backup")


def offer_restore(
    path: str | Path, damage: str, parent=None, *, altered: bool = False
) -> Workspace | None:
    """Explain the damage; where a sound backup exists, offer to restore it and open that.

    altered: the file reads, but its schema is not the app's (a trigger or view someone added);
    the same offer stands, worded for a file that was tampered with rather than broken.
    """
    path = Path(path)
    good = _find_sound_backup(path, parent)
    if good is None:
        keep = (
            "Keep the file as evidence: workbench check lists everything that was changed."
            if altered
            else "Keep the file: someone may still recover it with SQLite's own tools."
        )
        messages.error(
            parent,
            "Cannot open workspace",
            f"{damage}\n\nNo backup of it passes the check. {keep}",
        )
        return None
    kind = "altered" if altered else "damaged"
    words = backups.signature_words(path, good.path)
    if not words.startswith(("signed", "sealed")):
        words = "not signed, so nothing shows it is unchanged since it was taken"
    if not messages.confirm(
        parent,
        f"Workspace was {kind}" if altered else "Workspace is damaged",
        f"{damage}\n\nThe newest backup that passes the check: {good.label}.\n\nIt is "
        f"{words}.\n\nRestore it? The {kind} file is kept among the backups, so nothing is "
        "thrown away.",
        ok="Restore backup",
    ):
        return None
    try:
        backups.restore_backup(path, good.path, allow_unsigned=True)
        return Workspace.open(path)
    except (StoreError, WorkbenchError, OSError) as exc:
        messages.error(parent, "Restore from Backup", f"{path.name} was not restored: {exc}")
        return None
