"""Reading the audit head a file records."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.maintenance import heads


def _pdf(tmp_path, entries: str):
    path = tmp_path / "export.pdf"
    path.write_bytes(
        b"%PDF-1.4\n% cne-workbench-export document=3 version=1 published=2026-01-02 "
        b"variant=final audit=" + entries.encode() + b":" + b"a" * 64 + b"\n"
    )
    return path


def test_a_pdf_head_is_read(tmp_path):
    recorded = heads.recorded_head(_pdf(tmp_path, "12"))
    assert (recorded.head.entries, recorded.head.hash) == (12, "a" * 64)
    assert "version 1 of document 3" in recorded.event


def test_a_pdf_head_with_an_impossible_count_is_an_error_not_a_crash(tmp_path):
    with pytest.raises(WorkbenchError, match="damaged audit head"):
        heads.recorded_head(_pdf(tmp_path, "9" * 30))
