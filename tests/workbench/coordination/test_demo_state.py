"""The demo's coordination state: SPSS blocked for exactly USCG's correction and CBP's review."""

import pytest

from workbench import demo, sections
from workbench.authority import rulings
from workbench.authority.identity import acting_as
from workbench.coordination import comments as cm
from workbench.coordination import positions as po
from workbench.coordination import publication as pub
from workbench.coordination.gate import publication_blockers
from workbench.documents import document, find_document
from workbench.undo import UndoStack
from workbench.workspace import Workspace


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.cnew")


@pytest.fixture
def demo_ws(demo_path, workspace_copy):
    with Workspace.open(workspace_copy(demo_path), actor="analyst") as ws:
        yield ws


def test_spss_is_blocked_by_uscg_critical_comment_and_cbp_review(demo_ws):
    spss = find_document(demo_ws, "Semi-Submersible")
    report = publication_blockers(demo_ws, spss.id)
    assert [(b.rule, b.organization) for b in report.blockers] == [
        ("critical", "USCG"),
        ("review", "CBP"),
    ]
    assert report.blockers[0].message == "USCG: Critical comment 1 on §4 has no disposition"
    critical = cm.comment(demo_ws, report.blockers[0].comment_id)
    assert "incomplete and inaccurate" in critical.comment
    assert report.blockers[1].message.startswith("CBP has not reviewed §6 (review request")


def test_doctrine_is_fully_coordinated_and_publishable(demo_ws):
    doctrine = find_document(demo_ws, "Doctrine")
    report = publication_blockers(demo_ws, doctrine.id)
    assert report.publishable
    assert len([e for e in sections.outline(demo_ws, doctrine.id) if e.kind == "tenet"]) == 8


def test_maritime_strategy_is_published(demo_ws):
    maritime = find_document(demo_ws, "Maritime Border")
    assert document(demo_ws, maritime.id).status == "published"
    assert pub.publications(demo_ws, maritime.id)[0].version == 1


def test_the_spss_walk_to_publication(demo_ws):
    """Adjudicate, revise, USCG concurs on the revision, waive CBP, publish."""
    spss = find_document(demo_ws, "Semi-Submersible").id
    director = "Harper Quillfeather"
    critical = publication_blockers(demo_ws, spss).blockers[0]
    UndoStack().perform(demo_ws, cm.AcceptAndApplyWording(critical.comment_id))
    after = [b.message for b in publication_blockers(demo_ws, spss).blockers]
    assert after[0].startswith("USCG has not reviewed §4 since it changed on")
    po.record_position(
        demo_ws,
        spss,
        "USCG",
        "concur",
        by_name="Rowan Tidewell",
        by_title="Assistant Commandant for Operations",
        section_ids=[critical.section_id],
    )
    remaining = publication_blockers(demo_ws, spss).blockers
    assert [(b.rule, b.organization) for b in remaining] == [("review", "CBP")]
    with acting_as(demo_ws, director):
        rulings.waive_review(
            demo_ws,
            spss,
            "CBP",
            reason="Landing-points section restates CBP's published guidance.",
        )
        pub.publish(demo_ws, spss)
    record = pub.published_snapshot(demo_ws, spss)["coordination"]
    assert record["waivers"][0]["organization"] == "CBP"
    uscg = next(o for o in record["organizations"] if o["code"] == "USCG")
    assert uscg["position"] == "concur"
    assert [e["kind"] for e in uscg["events"]] == ["cleared"]
