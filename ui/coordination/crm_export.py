"""Export CRM…: the consolidated workbook (.xlsx) or CSV written on a thread of its own with
progress and Cancel, as the PDF and Word exports are (ui.export_job)."""

from __future__ import annotations

from pathlib import Path

from ui.export_job import ExportJob, run_with_progress
from workbench import documents

TITLE = "Export CRM"


class CrmExport(ExportJob):
    """One document's CRM: the consolidated workbook for .xlsx, else CSV with a byte-order mark
    (so Excel reads it as UTF-8), as `workbench crm` writes them."""

    thread_name = "crm-export"

    def __init__(self, ws, document_id: int, path: Path):
        super().__init__(ws, path)
        self.document_id = document_id

    def produce(self, ws):
        from workbench.coordination import publication
        from workbench.exchange.consolidated_crm import WorkbookCancelled, crm_workbook_bytes

        if self.path.suffix.lower() != ".xlsx":
            return ("\ufeff" + publication.crm_csv(ws, self.document_id)).encode("utf-8"), None
        try:
            data = crm_workbook_bytes(
                ws, self.document_id, progress=self.progress.emit, cancelled=self.is_cancelled
            )
        except WorkbookCancelled:
            return b"", None  # the job sees it was cancelled and writes nothing
        return data, None


def start(window, notice, document_id: int, path: Path) -> CrmExport:
    """Write the CRM off the UI thread; `notice` (the status bar) says where it went."""
    job = CrmExport(window.ws, document_id, path)
    title = documents.document(window.ws, document_id).title
    window.crm_export_progress = run_with_progress(
        window,
        job,
        title=TITLE,
        label=f"Writing the CRM of {title}…",
        object_name="crmExportProgress",
        on_done=lambda _result: notice(f"CRM exported to {path}"),
        cancelled_text="CRM export cancelled: no file was written.",
    )
    return job
