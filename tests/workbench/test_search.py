"""Full-text search: ranking, snippets, an index kept current by triggers, hostile queries."""

from __future__ import annotations

import sqlite3

import pytest

from db import connection
from workbench import directory, documents, search, sections
from workbench.authority.identity import acting_as
from workbench.authority.rulings import no_coordination_required
from workbench.coordination import comments
from workbench.coordination.publication import publish
from workbench.errors import WorkbenchError
from workbench.workspace import Workspace


def _doc(ws, title="Maritime Border and Transit Zone Strategy", **kw):
    return documents.create_document(ws, "strategy", title, **kw)


def _kinds_ids(results):
    return [(h.kind, h.id) for h in results.hits]


def test_ranks_heading_matches_above_passing_mentions(ws):
    doc = _doc(ws)
    passing = sections.add_section(
        ws,
        doc,
        heading="Partners",
        body="Agencies coordinate patrols. Vessels are one concern among many others listed "
        "in this long paragraph about partners, training, budgets and interagency meetings.",
    )
    focused = sections.add_section(
        ws, doc, heading="Self-propelled semi-submersible vessels", body="Vessels built to hide."
    )
    hits = search.search(ws, "vessels", kinds=["section"]).hits
    assert [h.section_id for h in hits] == [focused, passing]
    assert hits[0].score > hits[1].score > 0
    assert hits[0].document_id == doc
    assert hits[0].context == "Maritime Border and Transit Zone Strategy"


def test_snippet_highlights_every_term_and_escapes_html(ws):
    doc = _doc(ws)
    sections.add_section(
        ws, doc, heading="Bulk cash", body="Couriers <script> carry bulk currency north."
    )
    hit = search.search(ws, "bulk curr", kinds=["section"]).hits[0]
    assert hit.snippet_text() == "Couriers <script> carry [bulk] [currency] north."
    assert hit.title == "Bulk cash"
    assert "<b>currency</b>" in hit.snippet_html()
    assert "&lt;script&gt;" in hit.snippet_html()


def _filler(n: int, seed: int) -> str:
    words = ("agency", "budget", "training", "meeting", "region", "partner", "report", "plan")
    return " ".join(words[(i * 7 + seed) % len(words)] for i in range(n))


def test_a_long_sections_snippet_is_the_passage_around_its_match(ws):
    # The match far into a long section: a short passage around it, ellipses on both sides.
    doc = _doc(ws)
    body = _filler(150, 1) + " Couriers carry bulk <cash> north by road. " + _filler(150, 2)
    sections.add_section(ws, doc, heading="Routes", body=body)
    snippet = search.search(ws, "bulk", kinds=["section"]).hits[0].snippet_text()
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "[bulk] <cash>" in snippet and len(snippet.split()) <= 20
    snippet = search.search(ws, "routes", kinds=["section"]).hits[0].snippet_text()
    assert snippet == "[Routes]"  # the heading is the column that matches


def test_a_snippet_finds_its_match_past_look_alikes_and_accents(ws):
    doc = _doc(ws)
    # "cashew" starts like the query's word but is not it; the real match is far on.
    early = sections.add_section(
        ws, doc, heading="Trade", body="Cashew exports. " + _filler(120, 3) + " Bulk cash seized."
    )
    # The query has no accent; the text has one (the index folds accents).
    accented = sections.add_section(
        ws,
        doc,
        heading="Liaison",
        body=_filler(120, 4) + " Capt. Odiña met the team. " + _filler(60, 5),
    )
    hit = search.search(ws, "cash seized", kinds=["section"]).hits[0]
    assert hit.section_id == early and "[cash] [seized]" in hit.snippet_text().lower()
    hit = search.search(ws, "odina", kinds=["section"]).hits[0]
    assert hit.section_id == accented and "[Odiña]" in hit.snippet_text()


def test_words_far_apart_still_give_a_passage_with_a_highlighted_word(ws):
    # Every word must be in the section, not in one passage: the snippet shows a match anyway
    # (ts_headline, asked for a passage holding all of them, showed the first words bare).
    doc = _doc(ws)
    body = _filler(40, 6) + " Bulk cash moves north. " + _filler(200, 7) + " It was seized. "
    sections.add_section(ws, doc, heading="Routes", body=body + _filler(40, 8))
    snippet = search.search(ws, "cash seized", kinds=["section"]).hits[0].snippet_text()
    assert "[cash]" in snippet.lower() or "[seized]" in snippet.lower(), snippet


def test_last_word_is_a_prefix_and_all_words_must_match(ws):
    doc = _doc(ws)
    a = sections.add_section(ws, doc, heading="Fentanyl interdiction", body="")
    sections.add_section(ws, doc, heading="Fentanyl precursors", body="")
    assert [h.section_id for h in search.search(ws, "fentanyl inter").hits] == [a]
    # Only the word being typed is a prefix: "interdict" alone is not a whole word.
    assert search.search(ws, "interdict fentanyl").hits == ()


def test_index_follows_edit_delete_restore(ws):
    doc = _doc(ws)
    sid = sections.add_section(ws, doc, heading="Go-fast boats", body="Old wording.")
    assert _kinds_ids(search.search(ws, "wording", kinds=["section"])) == [("section", sid)]
    sections.edit_section(ws, sid, body="Panga boats off the Pacific coast.")
    assert search.search(ws, "wording").hits == ()
    assert [h.section_id for h in search.search(ws, "panga").hits] == [sid]
    parent, index = sections.location(ws, sid)
    sections.delete_section(ws, sid)
    assert search.search(ws, "panga").hits == ()
    sections.restore_section(ws, sid, parent, index)
    assert [h.section_id for h in search.search(ws, "panga").hits] == [sid]


def test_deleted_and_renamed_documents(ws):
    doc = _doc(ws, "Northern Border Strategy")
    sections.add_section(ws, doc, heading="Ports of entry", body="Northern crossings.")
    documents.rename_document(ws, doc, "Northern Border Counternarcotics Strategy")
    hits = search.search(ws, "counternarcotics").hits
    assert _kinds_ids(search.search(ws, "counternarcotics")) == [("document", doc)]
    assert hits[0].title == "Northern Border Counternarcotics Strategy"
    documents.delete_document(ws, doc)
    assert search.search(ws, "northern").hits == ()
    documents.restore_document(ws, doc)
    assert {h.kind for h in search.search(ws, "northern").hits} == {"document", "section"}


def test_comments_indexed_and_filtered_by_organization_and_status(ws):
    doc = _doc(ws)
    sid = sections.add_section(ws, doc, heading="Maritime", body="Patrol areas.", equities=["USCG"])
    c1 = comments.add_comment(
        ws,
        doc,
        organization_code="USCG",
        type="S",
        section_id=sid,
        comment_text="Incomplete and inaccurate description of cutter availability.",
    )
    c2 = comments.add_comment(
        ws,
        doc,
        organization_code="CBP",
        type="A",
        section_id=sid,
        comment_text="Typo in cutter.",
    )
    assert {h.id for h in search.search(ws, "cutter", kinds=["comment"]).hits} == {c1, c2}
    uscg = search.search(ws, "cutter", kinds=["comment"], organization="uscg").hits
    assert [h.id for h in uscg] == [c1]
    assert uscg[0].organization == "USCG" and uscg[0].status == "open"
    comments.adjudicate_comment(ws, c2, "accepted")
    open_only = search.search(ws, "cutter", kinds=["comment"], status="open").hits
    assert [h.id for h in open_only] == [c1]
    # A section found by its equities when filtering on an organization that is not lead.
    assert [h.section_id for h in search.search(ws, "patrol", organization="USCG").hits] == [sid]
    assert search.search(ws, "patrol", organization="CBP").hits == ()


def _director(ws):
    directory.add_person(ws, "Dana Director", organization="CNE", roles=["director"])


def test_published_text_indexed_on_publication_and_kept_after_edit(ws):
    _director(ws)
    doc = _doc(ws)
    sid = sections.add_section(ws, doc, heading="Transit zone", body="Eastern Pacific routes.")
    with acting_as(ws, "Dana Director"):
        no_coordination_required(ws, doc, reason="Internal.")
        publish(ws, doc)
    documents.start_next_version(ws, doc)
    sections.edit_section(ws, sid, body="Caribbean routes.")
    published = search.search(ws, "eastern pacific", kinds=["published"]).hits
    assert len(published) == 1
    assert (published[0].document_id, published[0].section_id, published[0].version) == (
        doc,
        sid,
        1,
    )
    # The live draft no longer says it; the frozen version still does.
    assert search.search(ws, "eastern", kinds=["section"]).hits == ()
    assert [h.kind for h in search.search(ws, "caribbean").hits] == ["section"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"bulk cash',
        "bulk AND OR NOT",
        "NEAR(bulk cash)",
        "title:bulk",
        "*",
        "bulk*",
        "^bulk",
        "-bulk",
        "(((",
        ")",
        "'; DROP TABLE sections; --",
        "\x00bulk",
        "bulk\\",
        "+",
        "a" * 5000,
        "𝔘nicode ☃ bulk",
        "I&A",
        "",
        "   ",
    ],
)
def test_hostile_queries_never_raise(ws, text):
    doc = _doc(ws)
    sections.add_section(ws, doc, heading="Bulk cash", body="Bulk Cash Smuggling Center; I&A.")
    results = search.search(ws, text)
    assert isinstance(results.hits, tuple)
    if not results.hits:
        assert results.hint


def test_hostile_queries_find_what_is_there(ws):
    doc = _doc(ws)
    sid = sections.add_section(ws, doc, heading="Bulk cash", body="Reviewed by I&A analysts.")
    for text in ('"bulk cash', "bulk AND cash", "NEAR(bulk", "(bulk)", "-bulk", "I&A", "bulk*"):
        assert sid in {h.section_id for h in search.search(ws, text).hits}, text
    assert search.search(ws, '"bulk cash').hint == "An unmatched quotation mark was ignored."
    assert "operators are ignored" in search.search(ws, "bulk AND cash").hint


def test_phrases_in_balanced_quotes(ws):
    doc = _doc(ws)
    a = sections.add_section(ws, doc, heading="", body="bulk cash smuggling")
    sections.add_section(ws, doc, heading="", body="cash moved in bulk")
    assert [h.section_id for h in search.search(ws, '"bulk cash"').hits] == [a]


def test_unknown_filters_are_user_errors(ws):
    with pytest.raises(WorkbenchError, match="Unknown kind"):
        search.search(ws, "x", kinds=["memo"])
    with pytest.raises(WorkbenchError, match="Unknown status"):
        search.search(ws, "x", status="lost")


def test_limit_reports_more(ws):
    doc = _doc(ws)
    for i in range(5):
        sections.add_section(ws, doc, heading=f"Heroin {i}", body="")
    results = search.search(ws, "heroin", limit=3)
    assert len(results.hits) == 3 and results.more


def test_migration_backfills_index_of_older_workspace(tmp_path):
    path = tmp_path / "old.cnew"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA application_id={connection.APPLICATION_ID}")
    raw.close()
    old = connection.connect(path)
    connection.migrate(old, stop_before="m005_search")
    old.execute("INSERT INTO meta (key, value) VALUES ('workspace_id', 'x')")
    old.execute(
        "INSERT INTO documents (kind, title, marking, created_at, updated_at) "
        "VALUES ('study', 'Criminal proceeds study', 'U', 't', 't')"
    )
    old.execute(
        "INSERT INTO sections (document_id, position, heading, body, content_hash, created_at, "
        "updated_at, changed_at) VALUES (1, 0, 'Proceeds', 'Bulk cash couriers', 'h', 't', 't', "
        "'t')"
    )
    old.execute(
        "INSERT INTO sections (document_id, position, heading, body, content_hash, created_at, "
        "updated_at, changed_at, deleted_at) VALUES (1, 1, 'Gone', 'Bulk gone', 'h', 't', 't', "
        "'t', 't')"
    )
    old.execute(
        "INSERT INTO publications (document_id, version, published_at, published_by, snapshot) "
        "VALUES (1, 1, 't', 'D', ?)",
        [
            '{"sections": [{"section_id": 1, "number": "1", "heading": "Proceeds", '
            '"body": "Laundered through casinos"}]}'
        ],
    )
    old.conn.commit()
    old.close()
    ws = Workspace.open(path)
    try:
        assert ws.migrated_backup
        assert [h.kind for h in search.search(ws, "bulk").hits] == ["section"]
        assert [h.kind for h in search.search(ws, "casinos").hits] == ["published"]
        assert [h.kind for h in search.search(ws, "proceeds study").hits] == ["document"]
    finally:
        ws.close()


@pytest.mark.sqlite_only
def test_a_common_word_is_ranked_over_all_its_matches_as_fts5_ranks_them(ws):
    # More matches than any window: the best match is the oldest row, and must still win.
    doc = _doc(ws, title="Annex")
    best = sections.add_section(ws, doc, heading="Interdiction interdiction", body="Interdiction.")
    with ws.db.atomic():  # the store applies the search index's queue as it commits
        ws.db.conn.executemany(
            "INSERT INTO sections (document_id, position, kind, heading, body, content_hash, "
            "created_at, updated_at, changed_at) VALUES (?, ?, 'narrative', ?, ?, '', '', '', '')",
            [
                (doc, 10 + i, f"Part {i}", f"Patrol report {i} mentions interdiction once " * 3)
                for i in range(900)
            ],
        )
    own = [
        r[0]
        for r in ws.db.conn.execute(
            "SELECT rowid FROM sections_fts WHERE sections_fts MATCH 'interdiction' "
            "ORDER BY rank, rowid LIMIT 25"
        )
    ]
    found = search.search(ws, "interdiction", kinds=["section"])
    assert [h.section_id for h in found.hits] == own
    assert found.hits[0].section_id == best and found.more
    assert all("[interdiction]" in h.snippet_text().lower() for h in found.hits)
    assert "newest" not in found.hint


@pytest.mark.sqlite_only
def test_every_kind_merged_in_fts5_order_with_each_hits_own_snippet(ws):
    # Documents, sections and comments all match; one document is deleted. The hits are
    # FTS5's own rankings merged by score, deleted rows left out, each with its own snippet.
    gone = _doc(ws, title="Prefix patrols patrolling patrolled")
    sections.add_section(ws, gone, heading="Patrols", body="Patrol patrols patrolling.")
    documents.delete_document(ws, gone)
    kept = []
    for i in range(12):
        doc = _doc(ws, title=f"Patrol plan {i}" + " annex" * i)
        sid = sections.add_section(ws, doc, heading=f"Patrol area {i}", body="Patrols " * (i + 1))
        comments.add_comment(
            ws, doc, organization_code="USCG", type="A", section_id=sid,
            comment_text=f"Patrolling note {i}" + " more" * i,
        )  # fmt: skip
        kept.append(doc)
    found = search.search(ws, "patrol", limit=20)

    expected = []
    for kind, table, live in [
        ("document", "documents_fts", "SELECT id FROM documents WHERE deleted_at IS NULL"),
        ("section", "sections_fts",
         "SELECT s.id FROM sections s JOIN documents d ON d.id = s.document_id "
         "WHERE d.deleted_at IS NULL"),
        ("comment", "comments_fts", "SELECT id FROM comments"),
    ]:  # fmt: skip
        ids = {r[0] for r in ws.db.conn.execute(live)}
        expected += [
            (rank, kind, rowid)
            for rowid, rank in ws.db.conn.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH 'patrol*'"
            )
            if rowid in ids
        ]
    expected.sort()
    assert _kinds_ids(found) == [(kind, rowid) for _, kind, rowid in expected[:20]]
    assert found.more and len(expected) > 20
    assert all(h.document_id != gone for h in found.hits)
    for h in found.hits:
        table = {"document": "documents_fts", "section": "sections_fts"}.get(h.kind, "comments_fts")
        own = ws.db.conn.execute(
            f"SELECT snippet({table}, -1, '[', ']', '…', 16) FROM {table} "
            f"WHERE {table} MATCH 'patrol*' AND rowid = ?",
            [h.id],
        ).fetchone()[0]
        assert h.snippet_text() == " ".join(own.split())
