"""Shared helpers for the reliability tests: file digests, a populated workspace, raw access."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

from workbench import documents, sections
from workbench.coordination import comments, requests
from workbench.workspace import Workspace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, tuple]:
    """Name -> (size, digest); files over 8 MB (sparse test files) by size and both ends."""
    out = {}
    for p in folder.iterdir():
        if not p.is_file():
            continue
        size = p.stat().st_size
        if size <= 8 << 20:
            out[p.name] = (size, digest(p))
        else:
            with open(p, "rb") as fh:
                head = fh.read(1 << 20)
                fh.seek(-(1 << 20), 2)
                out[p.name] = (size, hashlib.sha256(head + fh.read()).hexdigest())
    return out


def populate(ws: Workspace) -> dict[str, int]:
    """A document with sections, a review request out to USCG and one comment."""
    doc = documents.create_document(ws, "strategy", "Maritime Transit Zone Strategy")
    s1 = sections.add_section(ws, doc, heading="Interdiction", body="Stop SPSS vessels at sea.")
    s2 = sections.add_section(
        ws, doc, heading="Detection", body="Maritime patrol aircraft.", equities=["USCG"]
    )
    rid = requests.create_request(ws, doc, "USCG", send=True)
    cid = comments.add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="S",
        section_id=s2,
        comment_text="Incomplete: name the patrol assets.",
    )
    return {"doc": doc, "s1": s1, "s2": s2, "request": rid, "comment": cid}


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection that bypasses the app, to damage a file on purpose."""
    return sqlite3.connect(str(path))


ROOT = Path(__file__).resolve().parents[2]
HOLDER = """
import sys, time
sys.path.insert(0, {root!r})
from workbench.workspace import Workspace
ws = Workspace.open({path!r})
print("open", flush=True)
time.sleep(60)
"""


def hold(path: Path) -> subprocess.Popen:
    """Another CNE Workbench process with the workspace open; kill it when done."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT), path=str(path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "open"
    return proc
