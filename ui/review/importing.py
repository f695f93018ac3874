"""Importing a response or filled CRM workbook from the main window, off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui import messages
from workbench.exchange.formats import RESPONSE_SUFFIX
from workbench.exchange.responses import ImportResult, import_response

FILE_FILTER = (
    f"Review responses, CRM workbooks and returned Word files (*{RESPONSE_SUFFIX} *.xlsx *.docx)"
    ";;All files (*)"
)


def ask_response_path(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Import review response", "", FILE_FILTER)
    return Path(path) if path else None


def import_response_file(
    parent: QWidget | None,
    ops,
    path: str | Path | None = None,
    on_done: Callable[[ImportResult], None] | None = None,
) -> bool:
    """Queue the import on the writer thread; the outcome is shown in plain words.

    Refusals (tampered, withdrawn, malformed…) come back as WorkbenchError and are shown as-is;
    nothing was written. Returns False when the user cancelled the file dialog.
    """
    chosen = Path(path) if path is not None else ask_response_path(parent)
    if chosen is None:
        return False
    from workbench.exchange.word_response import is_word_file

    if is_word_file(chosen) and hasattr(parent, "ops"):
        # Comments and tracked changes: a preview first, then the import (ui.roundtrip).
        from ui.roundtrip.word_import import open_word_import

        open_word_import(parent, chosen, on_done=on_done)
        return True

    def done(result: ImportResult) -> None:
        messages.info(parent, "Response imported", result.summary())
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        from workbench.errors import WorkbenchError

        if isinstance(exc, WorkbenchError):
            messages.error(parent, "Response not imported", f"{chosen.name}: {exc}")
        else:
            ops.report_error(exc)

    if hasattr(parent, "ops"):
        # From the window: a preview of what will arrive, per section, before anything is written.
        def previewed(preview) -> None:
            if preview.already_imported:
                messages.info(parent, "Response imported", preview.summary)
                return
            if messages.confirm(parent, "Import review response", preview.report(), ok="Import"):
                ops.run(
                    import_response, chosen, on_done=done, on_error=failed,
                    busy="Importing response…",
                )  # fmt: skip

        from workbench.exchange.response_preview import preview_response

        ops.run(
            preview_response, chosen, on_done=previewed, on_error=failed,
            busy="Reading the response…",
        )  # fmt: skip
        return True

    ops.run(import_response, chosen, on_done=done, on_error=failed, busy="Importing response…")
    return True
