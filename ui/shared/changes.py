"""Others' changes to a shared workspace, as the server announces them (LISTEN/NOTIFY).

A thread of its own waits on the announcements (db.postgres.ChangeListener, its own
connection) and hands each batch to the UI thread; the window then refreshes what is open and
says who changed what. Nothing polls: an idle workspace costs one idle connection.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)
WAIT_S = 0.5  # how long each wait lasts, so the thread notices a close within half a second


class SharedChanges(QObject):
    """Emits `announced(list[dict])` on the UI thread for every batch of others' commits."""

    announced = Signal(object)
    _arrived = Signal(object)

    def __init__(self, address, parent=None):
        super().__init__(parent)
        from db.postgres import ChangeListener

        self._listener = ChangeListener(address)
        self.own_pids: set[int] = set()
        self._stop = threading.Event()
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._run, name="shared-changes", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                batch = self._listener.wait(WAIT_S)
            except Exception as exc:  # the server went away: the next write says so plainly
                if not self._stop.is_set():
                    log.warning("Stopped listening for others' changes: %s", exc)
                return
            if batch and not self._stop.is_set():
                self._arrived.emit(batch)

    def _deliver(self, batch: list[dict]) -> None:
        others = [n for n in batch if n.get("pid") not in self.own_pids]
        if others:
            self.announced.emit(others)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(WAIT_S * 4)
        try:
            self._listener.close()
        except Exception:
            pass


def describe(note: dict) -> str:
    """'Avery Lin edited section 12 at 10:42' from one announcement."""
    import datetime as dt

    verbs = {
        "section.edit": "edited",
        "section.add": "added",
        "section.delete": "deleted",
        "section.move": "moved",
        "comment.add": "commented on",
        "comment.adjudicate": "adjudicated",
        "document.create": "created",
        "document.publish": "published",
        "position.record": "recorded a position on",
    }
    action = str(note.get("action", ""))
    verb = verbs.get(action, action.replace(".", " ").replace("_", " "))
    entity = str(note.get("entity") or "")
    target = f" {entity.replace('_', ' ')} {note['entity_id']}" if note.get("entity_id") else ""
    when = ""
    try:
        at = dt.datetime.fromisoformat(str(note.get("at", "")).replace("Z", "+00:00"))
        when = f" at {at.astimezone():%H:%M}"
    except ValueError:
        pass
    return f"{note.get('actor') or 'Someone'} {verb}{target}{when}".strip()
