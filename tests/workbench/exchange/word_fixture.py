"""The workspace the committed LibreOffice Word fixtures were written against (fixed ids)."""

from __future__ import annotations

from dataclasses import dataclass

from workbench import directory, documents, sections
from workbench.coordination import requests

WORKSPACE_ID = "5a0c1f1e2d3b4a59b8e7c6d5e4f3a2b1"
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
