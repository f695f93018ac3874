"""The files of many review requests written in one go (Send for Review, bulk solicitation).

Each request gets the files a single export writes (the signed packet, the CRM workbook, the
Word review copy) with the same audit entries, but the workbook and the Word copy of a set of
sections are rendered once and filled in per request (`zip_template`), and each request's
packet is built once for all three. The files are staged and flushed to disk together at the
end (`files.StagedFiles`). Call only inside a use-case.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.coordination import requests as rq
from workbench.errors import WorkbenchError
from workbench.exchange.packets import (
    build_packet,
    packet_bytes,
    prepare_request_for_export,
    record_packet_sent,
)
from workbench.files import StagedFiles


class Cancelled(WorkbenchError):
    """The analyst cancelled; nothing was sent and no file was left behind."""


@dataclass(frozen=True)
class Written:
    """One request's files: the packet built for it, and (path, content) of each file."""

    packet: dict
    files: list[tuple[Path, bytes]]


class RequestFiles:
    """Writes requests' files, staged until `commit` puts them all in place (`discard` after a
    cancel or a failure leaves none behind)."""

    def __init__(self, ws):
        self.ws = ws
        self._files = StagedFiles()
        self._templates: dict = {}

    def _start(self, request_id: int) -> tuple[rq.ReviewRequest, dict]:
        req = prepare_request_for_export(self.ws, request_id)
        return req, build_packet(self.ws, request_id)

    def write(
        self,
        request_id: int,
        *,
        packet: Path | None = None,
        workbook: Path | None = None,
        word: Path | None = None,
    ) -> Written:
        """Write the files named (None: not wanted)."""
        req, data = self._start(request_id)
        out: list[tuple[Path, bytes]] = []
        if packet is not None:
            out.append(self._put(packet, packet_bytes(data)))
            record_packet_sent(self.ws, req, data, packet.name)
        if workbook is not None:
            from workbench.exchange.workbook import record_workbook_sent, request_workbook_bytes

            out.append(self._put(workbook, request_workbook_bytes(data, self._templates)))
            record_workbook_sent(self.ws, req, data, workbook.name)
        if word is not None:
            from workbench.word.review_copy import record_review_copy_sent, review_copy_bytes

            content = review_copy_bytes(self.ws, request_id, data, self._templates)
            out.append(self._put(word, content))
            record_review_copy_sent(self.ws, req, word.name)
        return Written(data, out)

    def put(self, path: Path, content: bytes | str) -> Path:
        """Another file of the batch (an e-mail, a cover list)."""
        return self._put(path, content)[0]

    def _put(self, path: Path, content: bytes | str) -> tuple[Path, bytes]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        self._files.stage(path, data)
        return path, data

    def commit(self) -> list[Path]:
        """Every file on disk under its name (before the use-case commits)."""
        return self._files.commit()

    def discard(self) -> None:
        self._files.discard()
