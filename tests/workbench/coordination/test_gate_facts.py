"""The gate reads its comments by SQL (coordination/facts.py): its reasons stay exactly those
it gave when it loaded every comment of the document into objects."""

from __future__ import annotations

import pytest

from workbench import demo, documents, sections
from workbench.coordination import comments as cm
from workbench.coordination import facts, gate
from workbench.coordination import positions as po
from workbench.workspace import Workspace


def _every_comment(ws, document_id, numbers):
    """The gate's former data: every live comment of the document, loaded into objects."""
    return [
        facts.GateComment(
            c.id, c.item_no, c.type, c.organization, c.section_id, c.request_id,
            c.reference, c.is_open,
        )
        for c in cm.list_comments(ws, document_id)
    ]  # fmt: skip


def _both(ws, doc, monkeypatch) -> tuple[gate.GateReport, gate.GateReport]:
    fast = gate.publication_blockers(ws, doc)
    with monkeypatch.context() as m:
        m.setattr(gate, "gate_comments", _every_comment)
        reference = gate.publication_blockers(ws, doc)
    return fast, reference


def test_every_reason_on_the_demo_documents_is_unchanged(tmp_path, monkeypatch):
    ws = Workspace.open(demo.write_demo(tmp_path / "demo.cnew"))
    try:
        docs = documents.list_documents(ws)
        assert docs
        total = 0
        for d in docs:
            fast, reference = _both(ws, d.id, monkeypatch)
            assert fast == reference, d.title
            total += len(fast.items)
        assert total > 3  # the demo has reasons of several kinds to compare
    finally:
        ws.close()


@pytest.mark.parametrize("disposition", [None, "rejected", "accepted"])
def test_comments_of_every_kind_and_disposition_give_the_same_reasons(
    ws, strategy, monkeypatch, disposition
):
    made = []
    for i, (kind, org, section) in enumerate(
        [
            ("C", "USCG", strategy.maritime),
            ("S", "CBP", strategy.ports),
            ("A", "USCG", strategy.maritime),
            ("C", "CBP", strategy.ports),
            ("S", "USCG", strategy.intro),
        ]
    ):
        made.append(
            cm.add_comment(
                ws,
                strategy.doc,
                organization_code=org,
                type=kind,
                section_id=section,
                critical_ground="law" if kind == "C" else None,
                comment_text=f"Comment {i}",
            )
        )
    if disposition:
        for cid in made[::2]:
            cm.adjudicate_comment(ws, cid, disposition, "Reason.")
    po.record_position(ws, strategy.doc, "CBP", "non_concur", by_name="Pat Moreno")
    sections.delete_section(ws, strategy.intro)  # a comment on a deleted section
    fast, reference = _both(ws, strategy.doc, monkeypatch)
    assert fast == reference
    assert any(i.rule in ("critical", "nonconcurrence") for i in fast.items)


def _held_up(ws) -> set[int]:
    """The exact rule, document by document: in coordination with a non-concurrence pending
    (a Critical comment open) or standing."""
    return {
        d.id
        for d in documents.list_documents(ws)
        if d.status == "in_coordination"
        and any(n.state in ("pending", "standing") for n in po.nonconcurrences(ws, d.id))
    }


def test_blocked_documents_follow_the_non_concurrence_rule(ws, strategy):
    from workbench.authority import rulings
    from workbench.authority.identity import acting_as
    from workbench.coordination import requests as rq

    def blocked() -> set[int]:
        quick = set(facts.blocked_documents(ws))
        assert quick == _held_up(ws)
        return quick

    critical = cm.add_comment(
        ws,
        strategy.doc,
        organization_code="USCG",
        type="C",
        section_id=strategy.maritime,
        comment_text="Boarding a sinking vessel risks lives.",
        critical_ground="safety",
    )
    assert blocked() == set()  # a draft: nothing is held up yet
    rq.create_request(ws, strategy.doc, "USCG", send=True)
    assert blocked() == {strategy.doc}
    assert facts.blocked_documents(ws)[strategy.doc] == "1 open Critical comment"
    cm.adjudicate_comment(ws, critical, "rejected", "Boarding teams do not enter.")
    assert blocked() == {strategy.doc}
    assert "USCG non-concurs" in facts.blocked_documents(ws)[strategy.doc]
    with acting_as(ws, "Dana Reyes"):
        rulings.override_nonconcurrence(ws, strategy.doc, "USCG", reason="Decided in Council.")
    assert blocked() == set()
    po.record_position(ws, strategy.doc, "CBP", "non_concur", by_name="Pat Moreno")
    assert blocked() == {strategy.doc}
    with acting_as(ws, "Pat Moreno"):
        rulings.withdraw_nonconcurrence(ws, strategy.doc, "CBP", reason="Withdrawn by letter.")
    assert blocked() == set()


def test_blocked_documents_on_the_demo(tmp_path):
    ws = Workspace.open(demo.write_demo(tmp_path / "demo.cnew"))
    try:
        found = facts.blocked_documents(ws)
        assert set(found) == _held_up(ws)
        [spss] = [d for d in documents.list_documents(ws) if "Semi-Submersible" in d.title]
        assert found == {spss.id: "1 open Critical comment"}
    finally:
        ws.close()
