"""File → Check Workspace (or against a file) / Restore…, the quick check after opening, backups."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from ui import messages
from ui import settings as app_settings
from ui.maintenance.idle_backup import IdleBackup
from workbench.errors import StoreError, WorkbenchError
from workbench.maintenance import backups, opening_check
from workbench.maintenance.check import CheckReport, check_workspace

log = logging.getLogger(__name__)

SETTING_ON_CLOSE = "backups/onClose"
SETTING_KEEP = "backups/keep"


def backup_settings() -> tuple[bool, int]:
    """(back up on close?, how many to keep) from the app's preferences."""
    s = app_settings.settings()
    on_close = str(s.value(SETTING_ON_CLOSE, "true")).lower() not in ("false", "0", "no")
    try:
        keep = max(1, int(s.value(SETTING_KEEP, backups.DEFAULT_KEEP)))
    except (TypeError, ValueError):
        keep = backups.DEFAULT_KEEP
    return on_close, keep


class _Checker(QObject):
    """Runs a check on a plain thread (it opens its own connections)."""

    done = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.running = False
        self._callbacks: list = []
        self.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, check, callback) -> None:
        self._callbacks.append(callback)
        if self.running:
            return
        self.running = True

        def work() -> None:
            try:
                result = check()
            except Exception as exc:  # reported on the UI thread, never lost in the thread
                result = exc
            self.done.emit(result)

        threading.Thread(target=work, name="workspace-check", daemon=True).start()

    def _deliver(self, result) -> None:
        self.running = False
        callbacks, self._callbacks = self._callbacks, []
        for cb in callbacks:
            cb(result)


class BackupList(QDialog):
    """Pick one of the workspace's backups, newest first."""

    def __init__(self, found: list[backups.Backup], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Choose the copy to go back to. The workspace as it is now will be kept as "
                "another backup first, so this can be undone.",
                self,
            )
        )
        self.list = QListWidget(self)
        self.list.setAccessibleName("Backups")
        for b in found:
            item = QListWidgetItem(b.label)
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(buttons)

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None


class Maintenance(QObject):
    """The maintenance part of one main window."""

    check_finished = Signal(object)  # a CheckReport (or the error that stopped the check)
    verify_finished = Signal(object)  # a VerifyResult (or the error that stopped it)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.ws = window.ws
        self.checker = _Checker(self)
        self.verifier = _Checker(self)  # File > Verify PDF: its own thread and result
        self.last_report: CheckReport | None = None
        self.idle_backup: IdleBackup | None = None
        self.choose_backup = self._ask_backup  # tests replace the dialog
        self.choose_against = self._ask_against
        self.choose_pdf = self._ask_pdf

    # -- opening -------------------------------------------------------------------------------
    def after_open(self) -> None:
        if self.ws.read_only:
            self._show_read_only()
        else:
            on_close, keep = backup_settings()
            if on_close:
                backups.backup_on_close(self.ws, keep)
                # Copies a large workspace once changes rest, so closing need not wait for it.
                self.idle_backup = IdleBackup(self.window, keep)
        # Only what changed since the last full check: a few hundred ms at most at any size.
        path = self.ws.path
        self.checker.start(lambda: opening_check.check_since_last_full(path), self._quick_done)

    def _show_read_only(self) -> None:
        label = QLabel(f"Read-only: {self.ws.read_only_reason}", self.window)
        label.setObjectName("readOnlyBanner")
        label.setAccessibleName("Read-only")
        self.window.statusBar().addPermanentWidget(label)
        self.window.setWindowTitle(self.window.windowTitle() + " (read-only)")
        editor = getattr(self.window, "editor", None)
        for field in (getattr(editor, "heading", None), getattr(editor, "body", None)):
            if field is not None:
                field.setReadOnly(True)  # typing that can never be saved would only be lost
        messages.info(
            self.window,
            "Opened read-only",
            f"{self.ws.path.name} was opened read-only because {self.ws.read_only_reason}. "
            "You can read and export, but changes cannot be saved.",
        )

    def _quick_done(self, result) -> None:
        self._finished(result, quiet_when_ok=True)

    def _finished(self, result, *, quiet_when_ok: bool) -> None:
        if isinstance(result, BaseException):
            log.error("The workspace check failed", exc_info=result)
            messages.error(self.window, "Check workspace", f"The check could not run: {result}")
            self.check_finished.emit(result)
            return
        self.last_report = result
        if result.ok:
            self.window.statusBar().showMessage("Workspace checked: no problems found.", 8000)
            if not quiet_when_ok:
                lines = result.lines() + ([result.against] if result.against else [])
                messages.info(self.window, "Check workspace", "\n".join(lines))
        else:
            log.error("Workspace check found damage: %s", result.findings)
            messages.error(
                self.window,
                "This workspace is damaged",
                result.summary()
                + "\n\n"
                + "\n".join(result.lines())
                + "\n\nKeep working only if you must. Use File → Restore from Backup… to go "
                "back to an undamaged copy (the current file is kept).",
            )
        self.check_finished.emit(result)

    # -- actions -------------------------------------------------------------------------------
    def check_now(self) -> None:
        self.window.statusBar().showMessage("Checking the workspace…")
        path, through = self.ws.path, opening_check.newest_audit_id(self.ws)

        def done(report) -> None:
            if isinstance(report, CheckReport) and report.ok and not self.ws.read_only:
                # The next opening checks only what changes after this point.
                self.window.ops.run(opening_check.note_full_check, through)
            self._finished(report, quiet_when_ok=False)

        self.checker.start(lambda: check_workspace(path), done)

    def _ask_against(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self.window,
            "Check Against a Published PDF, Packet or Backup",
            str(self.ws.path.parent),
            "Evidence (*.pdf *.cnereview *.cnew);;All files (*)",
        )
        return Path(name) if name else None

    def check_against(self) -> None:
        """Full check, plus: does the log still hold the head a PDF, packet or backup recorded?"""
        chosen = self.choose_against()
        if chosen is None:
            return
        self.window.statusBar().showMessage(f"Checking the workspace against {chosen.name}…")
        path = self.ws.path
        self.checker.start(
            lambda: check_workspace(path, against=chosen),
            lambda r: self._finished(r, quiet_when_ok=False),
        )

    def _ask_pdf(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self.window, "Verify a PDF", str(self.ws.path.parent), "PDF files (*.pdf)"
        )
        return Path(name) if name else None

    def verify_pdf_file(self) -> None:
        """Is this PDF exactly a published version (and does its signature count)?"""
        chosen = self.choose_pdf()
        if chosen is None:
            return
        path = self.ws.path
        self.window.statusBar().showMessage(f"Verifying {chosen.name}…")

        def verify():
            from workbench.pdf_verify import verify_pdf
            from workbench.workspace import Workspace

            data = chosen.read_bytes()
            with Workspace.open(path, read_only=True) as reader:  # this thread's own handle
                return verify_pdf(reader, data)

        self.verifier.start(verify, self._verified)

    def _verified(self, result) -> None:
        self.window.statusBar().clearMessage()
        if isinstance(result, OSError):
            messages.error(self.window, "Verify PDF", f"The file could not be read: {result}")
        elif isinstance(result, BaseException):
            log.error("Verifying a PDF failed", exc_info=result)
            messages.error(self.window, "Verify PDF", f"The file could not be verified: {result}")
        elif result.exact:
            messages.info(self.window, "Verify PDF", result.message)
        elif result.status == "published":
            # The bytes are a published version, but the audit head they record does not hold.
            messages.error(
                self.window, "Verify PDF: the audit log does not vouch for it", result.message
            )
        else:
            messages.error(self.window, "Verify PDF: not a published version", result.message)
        self.verify_finished.emit(result)

    def back_up_now(self) -> None:
        _, keep = backup_settings()

        def done(path) -> None:
            self.window.statusBar().showMessage(f"Backed up to {path}", 8000)

        # On the writer thread: it must not overlap a change being saved.
        self.window.ops.run(lambda w: backups.take_backup(w, "manual", keep=keep), on_done=done)

    def _ask_backup(self, found: list[backups.Backup]) -> Path | None:
        dialog = BackupList(found, self.window)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def restore(self):
        """Close this window, put the chosen backup in place, and open it in a new window."""
        path = self.ws.path
        found = backups.list_backups(path)
        if not found:
            messages.info(
                self.window,
                "Restore from Backup",
                f"There are no backups of {path.name} yet (they are kept in "
                f"{backups.folder_for(path)}).",
            )
            return None
        chosen = self.choose_backup(found)
        if chosen is None:
            return None
        try:
            # Refused here, before the window closes: a backup changed after it was signed.
            signature = backups.check_signature(path, chosen, allow_unsigned=True)
        except (StoreError, WorkbenchError, OSError) as exc:
            messages.error(self.window, "Restore from Backup", str(exc))
            return None
        if signature.holds:
            vouch = f"The backup is {signature.describe()}: it is as it was taken."
        else:
            vouch = (
                "This backup is not signed, so nothing shows it is unchanged since it was "
                "taken. Restore it only if you trust where it came from."
            )
        if not messages.confirm(
            self.window,
            "Restore from Backup",
            f"Replace {path.name} with the backup {chosen.name}?\n\n{vouch}\n\nChanges made "
            "since then will no longer be in the workspace; the current file is kept as a "
            "backup.",
            ok="Restore",
        ):
            return None
        if not self.window.autosave.flush_sync(timeout=10.0):
            messages.error(
                self.window,
                "Restore from Backup",
                "Some typing could not be saved yet, so nothing was restored. Try again.",
            )
            return None
        app = QApplication.instance()
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # this window closes before the new one opens
        try:
            if not self.window.close():
                return None
            try:
                result = backups.restore_backup(path, chosen, allow_unsigned=True)
                note = f"{path.name} was restored from {chosen.name}." + (
                    f"\n\nThe file it replaced was kept as {result.kept_current_as}."
                    if result.kept_current_as
                    else ""
                )
            except (StoreError, WorkbenchError, OSError) as exc:
                log.error("Restore of %s from %s failed: %s", path, chosen, exc)
                note = f"Nothing was restored: {exc}"
            new = self.window.reopen(path) if self.window.reopen else None
            if new is None:
                return None
            messages.info(new, "Restore from Backup", note)
            return new
        finally:
            app.setQuitOnLastWindowClosed(quit_on_close)


def _file_menu(window):
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "File":
            return action.menu()
    return None


def install(main_window) -> Maintenance:
    """Add the File menu entries, start the quick check, and back up on close (if enabled)."""
    part = Maintenance(main_window)
    menu = _file_menu(main_window)
    if menu is not None:
        before = next(
            (a for a in menu.actions() if a.text().replace("&", "").startswith("Close")), None
        )
        entries = [
            ("Chec&k Workspace", "checkWorkspace", part.check_now),
            ("Check &Against a File…", "checkAgainst", part.check_against),
            ("Verify PD&F…", "verifyPdf", part.verify_pdf_file),
            ("&Back Up Now", "backUpNow", part.back_up_now),
            ("Restore from Back&up…", "restoreFromBackup", part.restore),
        ]
        for text, name, slot in entries:
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _=False, s=slot: s())
            if before is not None:
                menu.insertAction(before, action)
        if before is not None:
            menu.insertSeparator(before)
    part.after_open()
    return part
