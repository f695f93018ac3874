"""Audit heads recorded in files that left the building (PDF, packet, backup), and comparing."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import connection
from workbench.audit import AuditHead, entry_hash_at
from workbench.authority import signed_heads
from workbench.authority.signed_heads import HeadSignature
from workbench.errors import WorkbenchError

MAX_FILE_BYTES = 256 * 1024 * 1024
_PDF_HEAD = re.compile(
    rb"cne-workbench-export document=(\d+) version=(\d+) published=(\S+?) "
    rb"variant=\w+ audit=(\d+):([0-9a-f]{64})"
    rb"(?: audit-key=([0-9a-f]{64}) audit-sig=([A-Za-z0-9+/=]+))?"
)


@dataclass(frozen=True)
class RecordedHead:
    head: AuditHead
    event: str  # what happened when it was recorded, e.g. "version 1 of document 3 was published"
    file_name: str
    # The signed head as the file carries it (None: the file records an unsigned head). A PDF
    # names only the key's fingerprint (`certificate_fp`) and leaves out the workspace id.
    signed: dict | None = None
    certificate_fp: str = ""
    problem: str = ""  # found while reading it (a backup changed after it was signed)


def recorded_head_in_pdf(data: bytes, name: str) -> RecordedHead:
    """The head a published PDF's bytes record; WorkbenchError when they record none."""
    return _from_pdf(data, name)


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
    event = f"version {version} of document {doc} was published ({when})"
    if m.group(6) is None:
        return RecordedHead(head, event, name)
    signed = {
        "entries": head.entries,
        "hash": head.hash,
        "event": signed_heads.publication_event(doc, version),
        "at": when,
        "signature": {"value": m.group(7).decode("ascii")},
    }
    return RecordedHead(head, event, name, signed, m.group(6).decode("ascii"))


def _from_packet(data: bytes, name: str) -> RecordedHead:
    from workbench.exchange.formats import PACKET_FORMAT, parse_json

    value = parse_json(data, "review packet")
    if value.get("format") != PACKET_FORMAT:
        raise WorkbenchError(f"{name} is neither a PDF, a review packet nor a backup.")
    head = AuditHead.parse(value.get("audit_head"))
    if head is None:
        raise WorkbenchError(f"The packet {name} records no audit head (an older packet).")
    rid = value.get("request_id")
    raw = value.get("audit_head")
    signed = raw if isinstance(raw, dict) and "signature" in raw else None
    return RecordedHead(head, f"the packet for review request {rid} was exported", name, signed)


def _from_backup(path: Path) -> RecordedHead:
    from workbench.maintenance import backup_seals

    head = backup_seals.log_head(path)
    seal = backup_seals.read_seal(path)
    taken = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    event = f"the backup {path.name} was taken (file dated {taken:%Y-%m-%d %H:%M} UTC)"
    if seal is None:
        return RecordedHead(head, event, path.name)
    problem = backup_seals.seal_problem(path, seal, head)
    recorded = AuditHead.parse(seal) or head
    return RecordedHead(recorded, event, path.name, seal, problem=problem)


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


def signature_of(reader, recorded: RecordedHead) -> HeadSignature:
    """Whether the head the file records is as it was signed, by this workspace's keys."""
    if recorded.signed is None:
        return HeadSignature(signed_heads.UNSIGNED)
    signed, cert = dict(recorded.signed), None
    if recorded.certificate_fp:
        # A PDF's head: the certificate and the workspace come from the workspace checked.
        cert = signed_heads.certificate_for(reader, recorded.certificate_fp)
        if cert is None:
            return HeadSignature(
                signed_heads.INVALID, reason="signed by a key this workspace does not know"
            )
        wid = next(reader.db.query("SELECT value FROM meta WHERE key = 'workspace_id'"), None)
        signed["workspace"] = wid["value"] if wid else ""
    return signed_heads.verify(reader, signed, certificate=cert)


def compare(reader, recorded: RecordedHead, signature: HeadSignature | None = None) -> list[str]:
    """Faults when the log no longer contains the recorded head (empty when it does), or when
    the head recorded in the file is not as it was signed."""
    faults = [recorded.problem] if recorded.problem else []
    signature = signature or signature_of(reader, recorded)
    if signature.state == signed_heads.INVALID:
        faults.append(
            f"The audit head recorded in {recorded.file_name} does not hold "
            f"({signature.reason}), so it cannot vouch for the log."
        )
    n, digest = recorded.head.entries, recorded.head.hash
    have = entry_hash_at(reader, n)
    if have is None:
        total = next(reader.db.query("SELECT count(*) AS n FROM audit_log"))["n"]
        return faults + [
            f"The log has {total} entries, but {recorded.file_name} recorded {n} when "
            f"{recorded.event}: the workspace was rolled back to an older copy, or its log "
            "was cut."
        ]
    if have != digest:
        return faults + [
            f"The log was rewritten after {recorded.event}: its entry {n} no longer matches "
            f"the head recorded in {recorded.file_name}."
        ]
    return faults


def describe_match(recorded: RecordedHead, signature: HeadSignature | None = None) -> str:
    words = f"; that head is {signature.describe()}" if signature is not None else ""
    return (
        f"The log still holds the head recorded in {recorded.file_name} (entry "
        f"{recorded.head.entries}, when {recorded.event}){words}."
    )


class HeadComparison:
    """A check's "against" step, one place for both engines: read the head a file recorded,
    compare the log with it, and say how it matched.

    `error` is why the file could not be read (reported as an "against" finding); `steps`
    adds the comparison only when a head was read; `note` describes the match when no
    "against" finding was made."""

    def __init__(self, against: str | os.PathLike | None):
        self.wanted = against is not None
        self.recorded: RecordedHead | None = None
        self.error = ""
        self._signature: HeadSignature | None = None
        if against is not None:
            try:
                self.recorded = recorded_head(against)
            except (WorkbenchError, OSError) as exc:
                self.error = str(exc)

    def steps(self, reader) -> list[tuple[str, Callable[[], list[str]]]]:
        """[("against", step)] when there is a head to compare, else nothing."""
        if self.recorded is None:
            return []
        recorded = self.recorded

        def compare_head() -> list[str]:
            self._signature = signature_of(reader, recorded)
            return compare(reader, recorded, self._signature)

        return [("against", compare_head)]

    def note(self, finding_checks) -> str:
        """How the log matched the file's head, once compared without an "against" finding."""
        if self.recorded is None or "against" in finding_checks:
            return ""
        return describe_match(self.recorded, self._signature)
