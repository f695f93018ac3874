"""A varied workspace for the dashboard's golden figures (made the same way on every run)."""

from __future__ import annotations

import random

from workbench import directory, documents, sections
from workbench.authority.identity import acting_as
from workbench.authority.rulings import no_coordination_required
from workbench.coordination import comments, positions, requests
from workbench.coordination.publication import publish

ORGS = ["USCG", "CBP", "ICE", "DEA", "TXDPS", "AZDPS"]


def build(ws, clock) -> None:
    """Documents in every stage, requests due on either side of weekends and holidays, open
    and adjudicated comments of every type, positions, a published and a deleted document."""
    rng = random.Random(20261102)
    for code in ("TXDPS", "AZDPS"):
        directory.add_organization(ws, code, f"{code} agency", "slt")
    directory.add_person(ws, "Dana Director", organization="CNE", roles=["director"])
    docs = []
    for i in range(8):
        due = f"2026-{11 + i % 2:02d}-{3 + 3 * i:02d}" if i % 3 else None
        doc = documents.create_document(ws, "strategy", f"Strategy {i:02d}", due_date=due)
        # The seventh is CNE's own (no equities), published without coordination.
        owners = [] if i == 6 else None
        parts = [
            sections.add_section(
                ws, doc, heading=f"Part {j}", body=f"Text {j}.",
                equities=owners if owners is not None else rng.sample(ORGS[:4], k=2),
            )
            for j in range(3)
        ]  # fmt: skip
        docs.append((doc, parts))
    for doc, parts in docs[:6]:
        asked = rng.sample(ORGS, k=3)
        for code in asked:
            rid = requests.create_request(
                ws,
                doc,
                code,
                section_ids=parts,
                suspense_date=f"2026-11-{rng.randint(4, 20):02d}",
                send=True,
            )
            if rng.random() < 0.3:
                requests.mark_returned(ws, rid)
        for _ in range(rng.randint(3, 12)):
            kind = rng.choice("CSA")
            cid = comments.add_comment(
                ws,
                doc,
                organization_code=rng.choice(asked),
                type=kind,
                section_id=rng.choice(parts),
                comment_text="A point to weigh.",
                critical_ground="law" if kind == "C" else None,
            )
            if rng.random() < 0.4:
                comments.adjudicate_comment(ws, cid, "accepted")
        if rng.random() < 0.5:
            positions.record_position(ws, doc, asked[0], "concur", by_name="Liaison")
        clock.advance(days=1)
    published, _ = docs[6]
    with acting_as(ws, "Dana Director"):
        no_coordination_required(ws, published, reason="CNE's own figures.")
        publish(ws, published)
    documents.delete_document(ws, docs[7][0])
    clock.advance(days=9)
