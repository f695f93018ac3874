"""Helpers for the Word tests: a maritime strategy with a Coast Guard review request."""

from __future__ import annotations

from dataclasses import dataclass

from workbench import directory, documents, sections
from workbench.coordination import requests as rq

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


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
