"""Autosave of section text: debounced, written through the worker, retried until it sticks.

Unsaved text lives here, keyed by section, until the workspace confirms it; an editor
that comes back to a section shows the pending text rather than the stored one.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from workbench import sections
from workbench.errors import NotFound, WorkbenchError
from workbench.sections import EditConflict

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1000
RETRY_MS = (1000, 2000, 5000, 10000, 30000)

SAVED = "All changes saved"
SAVING = "Saving…"
UNSAVED = "Unsaved changes"


@dataclass(eq=False)
class Edit:
    section_id: int
    heading: str
    body: str


class Autosave(QObject):
    state_changed = Signal(str)
    saved = Signal(int)  # section id whose text reached the workspace
    # Someone else saved a section after its text was opened here (a sections.EditConflict):
    # the typing stays pending, unsent, until resolve() says what to save.
    conflict = Signal(object)

    def __init__(self, ops, parent=None):
        super().__init__(parent)
        self.ops = ops
        self._pending: dict[int, Edit] = {}
        self._in_flight: dict[int, Edit] = {}
        self._failures = 0
        self._last_error = ""
        self._refused = False
        # The stored text each section's editing started from (its content hash): a save
        # from an older text than the stored one is a conflict, not an overwrite.
        self._base: dict[int, str] = {}
        self._conflicted: dict[int, EditConflict] = {}
        self.state = SAVED
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush_now)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.flush_now)

    # -- what editors call -------------------------------------------------------------------
    def edit(self, section_id: int, heading: str, body: str) -> None:
        """The user changed a section's text; it will be written once typing pauses."""
        self._pending[section_id] = Edit(section_id, heading, body)
        if not self._retry.isActive():
            self._debounce.start()
        self._update_state()

    def opened(self, section_id: int, content_hash: str) -> None:
        """The editor shows the stored text with this hash (typing starts from it)."""
        if section_id not in self._pending and section_id not in self._in_flight:
            self._base[section_id] = content_hash

    def resolve(self, section_id: int, heading: str, body: str, base_hash: str) -> None:
        """After a conflict: save this text (merged, mine or theirs) over `base_hash`."""
        self._conflicted.pop(section_id, None)
        self._base[section_id] = base_hash
        self._pending[section_id] = Edit(section_id, heading, body)
        self._last_error = ""
        self.flush_now()

    def conflicts(self) -> list[EditConflict]:
        return list(self._conflicted.values())

    def pending_text(self, section_id: int) -> tuple[str, str] | None:
        edit = self._pending.get(section_id) or self._in_flight.get(section_id)
        return (edit.heading, edit.body) if edit else None

    @property
    def dirty(self) -> bool:
        return bool(self._pending or self._in_flight)

    def flush_now(self) -> None:
        """Send every pending edit to the worker now (switching sections, Save, closing)."""
        self._debounce.stop()
        self._retry.stop()
        for sid, edit in list(self._pending.items()):
            if sid in self._in_flight or sid in self._conflicted:
                continue  # its successor goes out when the write in flight returns
            self._submit(edit)
        self._update_state()

    def flush_sync(self, timeout: float = 10.0, attempts: int = 3) -> bool:
        """Write everything and wait, trying a failed write again; True when nothing typed
        remains unsaved."""
        deadline = time.monotonic() + timeout
        for _ in range(attempts):
            self.flush_now()
            self.ops.flush(max(0.0, deadline - time.monotonic()))
            if not self.dirty or time.monotonic() >= deadline:
                break
        return not self.dirty

    # -- internals ---------------------------------------------------------------------------
    def _submit(self, edit: Edit) -> None:
        del self._pending[edit.section_id]
        self._in_flight[edit.section_id] = edit
        self.ops.run(
            sections.edit_section,
            edit.section_id,
            heading=edit.heading,
            body=edit.body,
            expected_hash=self._base.get(edit.section_id),
            on_done=lambda new_hash, e=edit: self._done(e, new_hash),
            on_error=lambda exc, e=edit: self._failed(e, exc),
        )

    def _done(self, edit: Edit, new_hash: str | None = None) -> None:
        self._in_flight.pop(edit.section_id, None)
        if new_hash:
            self._base[edit.section_id] = new_hash
        self._failures = 0
        self._last_error = ""
        self.saved.emit(edit.section_id)
        if edit.section_id in self._pending and not self._debounce.isActive():
            self._submit(self._pending[edit.section_id])
        self._update_state()

    def _failed(self, edit: Edit, exc: BaseException) -> None:
        self._in_flight.pop(edit.section_id, None)
        if isinstance(exc, NotFound):
            # The section is gone (deleted elsewhere); nothing can hold this text any more.
            log.warning("Dropped an edit to missing section %s: %s", edit.section_id, exc)
            self._update_state()
            return
        # Keep the newest text: a later keystroke may already have replaced this edit.
        self._pending.setdefault(edit.section_id, edit)
        if isinstance(exc, EditConflict):
            # Not retried: saving would write over what the other person saved. The text
            # stays pending (closing asks) until the person resolves it.
            self._conflicted[edit.section_id] = exc
            self._last_error = str(exc)
            self._refused = True
            self._debounce.stop()
            self._update_state()
            self.conflict.emit(exc)
            return
        self._failures += 1
        self._last_error = str(exc) or type(exc).__name__
        log.warning(
            "Autosave of section %s failed (%s); retrying", edit.section_id, exc, exc_info=exc
        )
        self._debounce.stop()
        self._refused = isinstance(exc, WorkbenchError)
        if not self._refused:  # the text itself was refused: the next edit tries again
            self._retry.start(RETRY_MS[min(self._failures, len(RETRY_MS)) - 1])
        self._update_state()

    def _update_state(self) -> None:
        if self._conflicted:
            state = f"Not saved: {next(iter(self._conflicted.values()))} — merge to save"
        elif self._last_error and self._pending:
            then = "correct it to save" if self._refused else "retrying"
            state = f"Save failed: {self._last_error} — {then}"
        elif self._in_flight:
            state = SAVING
        elif self._pending:
            state = UNSAVED
        else:
            state = SAVED
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
