"""The workspace the committed LibreOffice Word fixtures were written against (fixed ids)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench import directory, documents, sections
from workbench.coordination import requests

WORKSPACE_ID = "5a0c1f1e2d3b4a59b8e7c6d5e4f3a2b1"
RETURNED = Path(__file__).resolve().parents[2] / "fixtures" / "word" / "returned_review_copy.docx"
REVIEWER = "Lt. Cmdr. Ana Ruiz"


@dataclass
class SentStrategy:
    doc: int
    purpose: int
    maritime: int
    ports: int
    request: int
    revisions: dict[int, int]  # section id -> revision id pinned in the request


def build(ws) -> SentStrategy:
    """A strategy sent to USCG, all three sections; the Word fixtures answer this request."""
    ws.db.execute("UPDATE meta SET value = ? WHERE key = 'workspace_id'", [WORKSPACE_ID])
    directory.add_person(ws, REVIEWER, title="Liaison", organization="USCG", roles=["liaison"])
    doc = documents.create_document(ws, "strategy", "SPSS Counternarcotics Strategy")
    purpose = sections.add_section(
        ws, doc, heading="Purpose", body="This strategy counters self-propelled semi-submersibles."
    )
    maritime = sections.add_section(
        ws,
        doc,
        heading="Maritime interdiction",
        body="SPSS vessels travel slowly.\n\nThey carry up to ten tons of cocaine.",
        equities=["USCG"],
    )
    ports = sections.add_section(
        ws,
        doc,
        heading="Ports of entry",
        body="Screening at ports of entry is done by CBP officers.\n\n"
        "| Port | Lanes |\n| --- | --- |\n| San Diego | 24 |",
        equities=["USCG", "CBP"],
    )
    rid = requests.create_request(
        ws, doc, "USCG", section_ids=[purpose, maritime, ports], send=True
    )
    pinned = {s.section_id: s.section_revision_id for s in requests.request(ws, rid).sections}
    # The copy comes back on 2026-11-07: its comments and changes are dated 2026-11-06, and a
    # returned file dated after today is refused (the tests' clock starts on 2026-11-02).
    ws.clock.advance(days=5)
    return SentStrategy(doc, purpose, maritime, ports, rid, pinned)


# -- files the import must refuse, changing nothing ----------------------------------------
def with_properties(tmp_path, **values) -> Path:
    """The returned copy with its custom properties changed (another workspace's, say)."""
    out = tmp_path / "altered.docx"
    with zipfile.ZipFile(RETURNED) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/custom.xml":
                text = data.decode()
                for old, new in values.items():
                    text = text.replace(old, new)
                data = text.encode()
            dst.writestr(info, data)
    return out


def zip_bomb(tmp_path) -> Path:
    out = tmp_path / "bomb.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (150 * 1024 * 1024) + b"/>")
    return out


def damaged(tmp_path) -> Path:
    out = tmp_path / "damaged.docx"
    out.write_bytes(RETURNED.read_bytes()[:3000])
    return out


# (make(tmp_path) -> the file, words the one-line refusal holds), by name
REFUSALS = {
    "other workspace": (
        lambda t: with_properties(t, **{WORKSPACE_ID: "0" * 32}),
        "another workspace",
    ),
    "other request": (
        lambda t: with_properties(
            t, **{">1</vt:lpwstr></property><property": ">99</vt:lpwstr></property><property"}
        ),
        "does not have",
    ),
    "damaged": (damaged, "not a readable Word document"),
    "zip bomb": (zip_bomb, "zip bomb"),
}
