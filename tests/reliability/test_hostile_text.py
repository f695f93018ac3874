"""Hostile text in every field people type into: kept exactly, or refused with a clear reason."""

from __future__ import annotations

import pytest
from helpers import populate

from workbench import audit, directory, documents, search, sections
from workbench.coordination import comments, positions
from workbench.errors import WorkbenchError
from workbench.maintenance.check import check_workspace

RTL = "אסטרטגיה לאומית למניעת הברחות — استراتيجية وطنية"
COMBINING = (
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324 e\u0301\u0301\u0301"
)
EMOJI = "🚤🛃 🇺🇸 👩🏽‍✈️ \U0001f9ea"
CONTROL = "tab\there\x0bvertical\x1bescape\u200bzero-width\u2028line-sep\ufeffbom"
LONE = "\u202eevil right-to-left override"
NASTY = [RTL, COMBINING, EMOJI, CONTROL, LONE, "NUL\x00in\x00the\x00middle"]
ONE_MB = ("Maritime interdiction " + RTL + " " + EMOJI + " ") * (1_048_576 // 120)


@pytest.fixture
def ids(ws):
    return populate(ws)


@pytest.mark.parametrize("text", NASTY + [ONE_MB], ids=lambda t: repr(t[:12]))
def test_section_text_is_kept_exactly_and_stays_searchable(ws, ids, text):
    new_hash = sections.edit_section(ws, ids["s1"], heading=text[:1000], body=text)
    got = sections.section(ws, ids["s1"])
    assert (got.heading, got.body) == (text[:1000], text)
    assert got.content_hash == new_hash == sections.content_hash(text[:1000], text)
    assert audit.verify_chain(ws) == []
    search.search(ws, text[:40])  # any text typed as a query is answered, never an error
    if text is ONE_MB:
        found = search.search(ws, "interdiction", kinds=["section"])
        assert ids["s1"] in {h.section_id for h in found.hits}
    assert check_workspace(ws.path).ok


def test_one_megabyte_in_the_search_box_is_answered(ws, ids):
    search.search(ws, ONE_MB)  # raising anything here fails the test


@pytest.mark.parametrize("query", ['"', "NEAR(", "a OR", "*", "-", "title:x", "\x00", ")(", "^"])
def test_search_syntax_typed_by_a_user_is_never_an_error(ws, ids, query):
    search.search(ws, query)


def test_a_one_megabyte_heading_or_title_is_refused_with_the_limit(ws, ids):
    with pytest.raises(WorkbenchError, match="at most 1000 characters"):
        sections.edit_section(ws, ids["s1"], heading=ONE_MB)
    with pytest.raises(WorkbenchError, match="at most"):
        documents.rename_document(ws, ids["doc"], ONE_MB)
    assert sections.section(ws, ids["s1"]).heading == "Interdiction"


@pytest.mark.parametrize("text", NASTY, ids=lambda t: repr(t[:12]))
def test_titles_and_names_take_any_script(ws, ids, text):
    documents.rename_document(ws, ids["doc"], "Strategy " + text)
    stored = documents.document(ws, ids["doc"]).title
    # Titles collapse runs of whitespace; everything else is kept.
    assert stored == " ".join(("Strategy " + text).split())
    pid = directory.add_person(ws, "Liaison " + text, title=text, organization="USCG")
    assert directory.person(ws, pid).title == text.strip()
    assert audit.verify_chain(ws) == []


@pytest.mark.parametrize("text", NASTY, ids=lambda t: repr(t[:12]))
def test_comments_keep_any_script_and_drop_nul(ws, ids, text):
    cid = comments.add_comment(
        ws,
        ids["doc"],
        organization_code="USCG",
        type="C",
        critical_ground="law",
        section_id=ids["s2"],
        comment_text=text,
        rationale=text,
        proposed_wording=text,
    )
    c = comments.comment(ws, cid)
    expected = text.replace("\x00", "").strip()
    assert (c.comment, c.rationale, c.proposed_wording) == (expected, expected, expected)
    comments.adjudicate_comment(ws, cid, "rejected", text + " — not adopted")
    positions.record_position(ws, ids["doc"], "USCG", "non_concur", by_name=text)
    assert audit.verify_chain(ws) == []


def test_a_one_megabyte_comment_is_refused_and_nothing_is_written(ws, ids):
    before = len(comments.list_comments(ws, ids["doc"]))
    with pytest.raises(WorkbenchError, match="too long"):
        comments.add_comment(
            ws,
            ids["doc"],
            organization_code="USCG",
            type="S",
            section_id=ids["s2"],
            comment_text=ONE_MB,
        )
    assert len(comments.list_comments(ws, ids["doc"])) == before
