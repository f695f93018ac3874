"""A strategy with maritime (USCG) and port (CBP) sections, a Director and two liaisons."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from workbench import documents, sections


@dataclass
class Strategy:
    doc: int
    intro: int
    maritime: int
    ports: int


@pytest.fixture
def strategy(ws, council) -> Strategy:
    doc = documents.create_document(ws, "strategy", "SPSS Counternarcotics Strategy")
    intro = sections.add_section(ws, doc, heading="Purpose", body="Why this strategy exists.")
    maritime = sections.add_section(
        ws,
        doc,
        heading="Maritime interdiction",
        body="SPSS vessels travel slowly.\n\nThey carry up to ten tons.",
        equities=["USCG"],
    )
    ports = sections.add_section(
        ws, doc, heading="Ports of entry", body="Screening at ports.", equities=["CBP"]
    )
    return Strategy(doc, intro, maritime, ports)
