"""Helpers for the Word tests: a maritime strategy with a Coast Guard review request."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from workbench import directory, documents, sections
from workbench.coordination import requests as rq

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"

# A chart with a fill colour no other part of the export uses, and text in a font the machine
# may lack (set in the shipped faces).
CHART_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">'
    b'<rect x="10" y="10" width="380" height="180" rx="16" fill="#2e8b57"/>'
    b'<circle cx="320" cy="100" r="60" fill="#ffd700"/>'
    b'<text x="30" y="110" font-family="Arial" font-size="28" fill="white">Seizures</text></svg>'
)


@dataclass
class Strategy:
    doc_id: int
    request_id: int
    purpose: int
    threat: int
    operations: int


def make_strategy(ws, *, send: bool = True) -> Strategy:
    doc_id = documents.create_document(
        ws, "strategy", "Maritime Border and Transit Zone Strategy", marking=MARKING
    )
    purpose = sections.add_section(
        ws, doc_id, heading="Purpose", body="This strategy guides maritime interdiction."
    )
    threat = sections.add_section(
        ws,
        doc_id,
        parent_id=purpose,
        heading="Threat",
        body="Semi-submersibles carry **most** cocaine through the *transit zone*.",
        equities=["USCG"],
    )
    operations = sections.add_section(
        ws,
        doc_id,
        heading="Operations",
        body="| Asset | Area |\n|---|---|\n| Cutters | Eastern Pacific |\n\n"
        "1. Patrol.\n2. Interdict.\n\nSee [the plan](https://www.dhs.gov/plan).",
        equities=["USCG", "CBP"],
    )
    directory.add_person(
        ws,
        "Rear Admiral Jane Hale",
        title="Assistant Commandant for Operations",
        organization="USCG",
        email="jane.hale@uscg.example",
        roles=["liaison"],
    )
    rid = rq.create_request(
        ws,
        doc_id,
        "USCG",
        instructions="Review for accuracy.\nCheck the cutter counts.",
        suspense_date="2026-12-15",
        send=send,
    )
    return Strategy(doc_id, rid, purpose, threat, operations)


def png() -> bytes:
    """A 2x2 red PNG, made here so the tests need no image file."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
