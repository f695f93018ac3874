"""Every modal question and message box goes through here, so tests can answer them."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

log = logging.getLogger(__name__)


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, *, ok: str = "OK") -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    # A long question wraps, and a title being renamed shows whole: the dialog's own size
    # was either as wide as the question or too narrow for the text.
    for child in dialog.findChildren(QLabel):
        child.setWordWrap(True)
    width = dialog.fontMetrics().horizontalAdvance(text or "x" * 40) + 60
    dialog.resize(min(max(420, width), 720), dialog.sizeHint().height())
    ok = dialog.exec() == QDialog.DialogCode.Accepted
    value = dialog.textValue()
    dialog.deleteLater()
    return value if ok else None


def crash(parent: QWidget | None, exc: BaseException) -> None:
    """An unexpected failure: logged in full, shown with the traceback as details."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("Unexpected error\n%s", details)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("CNE Workbench — unexpected error")
    box.setText(
        "Something went wrong inside CNE Workbench. Your typing is kept and saving will be "
        "retried.\n\nThe details below are also in the log file."
    )
    box.setInformativeText(f"{type(exc).__name__}: {exc}")
    box.setDetailedText(details)
    box.exec()
