"""Search on a shared workspace: tsvector/GIN with websearch_to_tsquery behind the same search()."""

from __future__ import annotations

import pytest

from workbench import documents, search, sections
from workbench.coordination import comments
from workbench.workspace import Workspace


@pytest.fixture
def shared(pg_databases, clock):
    url = pg_databases.workspace()
    ws = Workspace.open(url, actor="analyst.one")
    ws.clock = clock
    yield ws
    ws.close()
    pg_databases.release(url)


def test_every_kind_ranked_together_by_the_index_with_each_hits_own_snippet(shared):
    ws = shared
    gone = documents.create_document(ws, "strategy", "Prefix patrols patrolling patrolled")
    sections.add_section(ws, gone, heading="Patrols", body="Patrol patrols patrolling.")
    documents.delete_document(ws, gone)
    for i in range(12):
        doc = documents.create_document(ws, "strategy", f"Patrol plan {i}" + " annex" * i)
        sid = sections.add_section(ws, doc, heading=f"Patrol area {i}", body="Patrols " * (i + 1))
        comments.add_comment(
            ws, doc, organization_code="USCG", type="A", section_id=sid,
            comment_text=f"Patrolling note {i}" + " more" * i,
        )  # fmt: skip
    found = search.search(ws, "patrol", limit=20)
    expected = []
    for kind, index, live in [
        ("document", "documents_fts", "SELECT id FROM documents WHERE deleted_at IS NULL"),
        ("section", "sections_fts",
         "SELECT s.id FROM sections s JOIN documents d ON d.id = s.document_id "
         "WHERE d.deleted_at IS NULL"),
        ("comment", "comments_fts", "SELECT id FROM comments"),
    ]:  # fmt: skip
        ids = {r[0] for r in ws.db.execute(live)}
        weights = ws.db.dialect.fulltext.WEIGHTS[index]
        expected += [
            (-rank, kind, rowid)
            for rowid, rank in ws.db.execute(
                f"SELECT id, ts_rank('{weights}', doc, to_tsquery('cne_search', 'patrol:*')) "
                f"FROM {index} WHERE doc @@ to_tsquery('cne_search', 'patrol:*')"
            )
            if rowid in ids
        ]
    expected.sort()
    assert [(h.kind, h.id) for h in found.hits] == [(k, i) for _, k, i in expected[:20]]
    assert found.more and all(h.document_id != gone for h in found.hits)
    for h in found.hits:
        assert "[Patrol" in h.snippet_text() or "[patrol" in h.snippet_text().lower()


def test_what_a_person_types_is_read_by_websearch_to_tsquery_and_never_fails(shared):
    ws = shared
    doc = documents.create_document(ws, "strategy", "Border")
    a = sections.add_section(ws, doc, heading="Bulk cash", body="Couriers move bulk cash north.")
    b = sections.add_section(ws, doc, heading="Cash", body="Cash is counted; bulk is not.")
    assert [h.section_id for h in search.search(ws, '"bulk cash"').hits] == [a]
    assert {h.section_id for h in search.search(ws, "cash bulk").hits} == {a, b}
    assert [h.section_id for h in search.search(ws, "couri").hits] == [a]  # the word typed
    for hostile in ('"bulk', "bulk AND OR NOT", "-bulk", "'; DROP TABLE sections; --", "\\", "<b>"):
        search.search(ws, hostile)  # a hint or hits, never an error
    odina = sections.add_section(ws, doc, heading="Liaison", body="Capt. Lee Odiña <script>x")
    assert [h.section_id for h in search.search(ws, "odina").hits] == [odina]  # accents folded
    assert [h.section_id for h in search.search(ws, "script").hits] == [odina]  # not markup
