"""Audit heads recorded in files that left the building (PDF, packet, backup), and comparing."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db import connection
from db.errors import StoreError
from workbench.audit import AuditHead, entry_hash_at
from workbench.errors import WorkbenchError

MAX_FILE_BYTES = 256 * 1024 * 1024
_PDF_HEAD = re.compile(
    rb"cne-workbench-export document=(\d+) version=(\d+) published=(\S+?) "
    rb"variant=\w+ audit=(\d+):([0-9a-f]{64})"
)


@dataclass(frozen=True)
class RecordedHead:
    head: AuditHead
    event: str  # what happened when it was recorded, e.g. "version 1 of document 3 was published"
    file_name: str


def _from_pdf(data: bytes, name: str) -> RecordedHead:
    m = _PDF_HEAD.search(data)
    if m is None:
        raise WorkbenchError(
            f"{name} records no audit head (it is a draft export, or was published before "
            "heads were recorded)."
        )
    head = AuditHead.parse(f"{int(m.group(4))}:{m.group(5).decode()}")
    if head is None:  # an entry count too large to be real
        raise WorkbenchError(f"{name} records a damaged audit head.")
    doc, version, when = int(m.group(1)), int(m.group(2)), m.group(3).decode()
    return RecordedHead(head, f"version {version} of document {doc} was published ({when})", name)


def _from_packet(data: bytes, name: str) -> RecordedHead:
    from workbench.exchange.formats import PACKET_FORMAT, parse_json

    value = parse_json(data, "review packet")
    if value.get("format") != PACKET_FORMAT:
        raise WorkbenchError(f"{name} is neither a PDF, a review packet nor a backup.")
    head = AuditHead.parse(value.get("audit_head"))
    if head is None:
        raise WorkbenchError(f"The packet {name} records no audit head (an older packet).")
    rid = value.get("request_id")
    return RecordedHead(head, f"the packet for review request {rid} was exported", name)


def _from_backup(path: Path) -> RecordedHead:
    try:
        connection._probe(path)
        db = connection.connect_read_only(path)
    except (StoreError, sqlite3.Error) as exc:
        raise WorkbenchError(f"{path.name} cannot be read as a backup ({exc}).") from None
    try:
        row = db.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
        digest = "0" * 64
        if row[0]:
            digest = db.execute("SELECT hash FROM audit_log WHERE id = ?", [row[1]]).fetchone()[0]
    except sqlite3.Error as exc:
        raise WorkbenchError(f"The backup {path.name} cannot be read ({exc}).") from None
    finally:
        db.close()
    head = AuditHead.parse({"entries": row[0], "hash": digest})
    if head is None:
        raise WorkbenchError(f"The backup {path.name} holds a damaged audit log.")
    taken = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    when = f" (file dated {taken:%Y-%m-%d %H:%M} UTC)"
    return RecordedHead(head, f"the backup {path.name} was taken{when}", path.name)


def recorded_head(path: str | os.PathLike) -> RecordedHead:
    """The audit head a PDF, packet or backup records; WorkbenchError when it holds none."""
    p = Path(path)
    if not p.is_file():
        raise WorkbenchError(f"There is no file {p}.")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise WorkbenchError(f"{p.name} is too large to compare against.")
    with p.open("rb") as fh:
        start = fh.read(16)
    if start.startswith(connection.SQLITE_MAGIC):
        return _from_backup(p)
    data = p.read_bytes()
    if start.startswith(b"%PDF"):
        return _from_pdf(data, p.name)
    return _from_packet(data, p.name)


def compare(reader, recorded: RecordedHead) -> list[str]:
    """Faults when the log no longer contains the recorded head (empty when it does)."""
    n, digest = recorded.head.entries, recorded.head.hash
    have = entry_hash_at(reader, n)
    if have is None:
        total = next(reader.db.query("SELECT count(*) AS n FROM audit_log"))["n"]
        return [
            f"The log has {total} entries, but {recorded.file_name} recorded {n} when "
            f"{recorded.event}: the workspace was rolled back to an older copy, or its log "
            "was cut."
        ]
    if have != digest:
        return [
            f"The log was rewritten after {recorded.event}: its entry {n} no longer matches "
            f"the head recorded in {recorded.file_name}."
        ]
    return []


def describe_match(recorded: RecordedHead) -> str:
    return (
        f"The log still holds the head recorded in {recorded.file_name} (entry "
        f"{recorded.head.entries}, when {recorded.event})."
    )
