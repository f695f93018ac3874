"""The navigator's badges: draft, in coordination, blocked, published; kind and full title."""

from __future__ import annotations

from ui.navigator import DOC, status_icon
from workbench import demo, documents
from workbench.coordination import comments as cm
from workbench.workspace import Workspace


def test_each_document_shows_its_status_and_a_blocked_one_says_why(qtbot, tmp_path):
    from ui.main_window import MainWindow

    ws = Workspace.open(demo.write_demo(tmp_path / "demo.cnew"))
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    nav = window.navigator
    docs = {d.title.split()[0]: d for d in documents.list_documents(ws)}

    def badge(word: str) -> str:
        icon = nav.item_for(DOC, docs[word].id).icon(0).cacheKey()
        return next(s for s in ("draft", "in_coordination", "blocked", "published")
                    if status_icon(s).cacheKey() == icon)  # fmt: skip

    assert badge("Annual") == "draft"
    assert badge("Draft") == "in_coordination"  # the doctrine: in coordination, nothing held up
    assert badge("Maritime") == "published"
    assert badge("Strategy") == "blocked"  # USCG's Critical comment is open
    spss = nav.item_for(DOC, docs["Strategy"].id)
    lines = spss.toolTip(0).splitlines()
    assert lines[0] == docs["Strategy"].title  # the full title, however narrow the outline
    assert lines[1] == "Strategy — In coordination, blocked: 1 open Critical comment, version 1"
    assert spss.text(1) == "Strategy"  # the kind beside it

    # Accepting the comment lifts the block once the write is done.
    [critical] = cm.list_comments(ws, docs["Strategy"].id, types=["C"])
    window.ops.run(cm.adjudicate_comment, critical.id, "accepted")
    assert window.ops.flush()
    qtbot.waitUntil(lambda: badge("Strategy") == "in_coordination")
    window.close()
