"""File > Import Review Response… with a returned Word file: the preview, the types, the import."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox

from ui.review import importing
from workbench.coordination import comments as cm
from workbench.coordination.gate import publication_blockers

TESTS = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TESTS / "workbench" / "exchange"))
from word_fixture import REFUSALS, build  # noqa: E402

FIXTURES = TESTS / "fixtures" / "word"


@pytest.fixture
def sent(ws):
    return build(ws)


def _choose(monkeypatch, path: Path) -> None:
    # The platform file dialog is modal; the test answers it as the analyst would.
    monkeypatch.setattr(importing, "ask_response_path", lambda _parent: path)


def _open(window, qtbot, monkeypatch, name: str):
    _choose(monkeypatch, FIXTURES / name)
    window.findChild(QAction, "importResponse").trigger()
    dialog = window.word_import_dialog
    window.ops.flush()
    return dialog


def _critical_blockers(ws, doc) -> int:
    return sum(1 for b in publication_blockers(ws, doc).blockers if b.rule == "critical")


def test_preview_then_import_of_a_returned_review_copy(
    sent, window, qtbot, monkeypatch, dialogs, ws
):
    dialog = _open(window, qtbot, monkeypatch, "returned_review_copy.docx")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=3000)
    assert cm.list_comments(ws, sent.doc) == []  # the preview wrote nothing
    groups = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert groups == [
        "§1 Purpose (2)",
        "§2 Maritime interdiction (6)",
        "§3 Ports of entry (1)",
        "The document as a whole (not placed in the text) (1)",
    ]
    assert "5 comment(s) and 5 tracked change(s) from USCG" in dialog.summary.text()
    assert not dialog.organization.isEnabled()  # the copy says whose it is
    dialog.grab().save("/tmp/roundtrip-word-preview.png")
    # The cover-page comment had no marker: the analyst makes it Critical. It stands outside
    # every section, so it is about the document as a whole, and the gate holds it all the same.
    cover = next(i for i in dialog.preview.items if not i.placed)
    box = dialog.type_boxes[cover.index]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)  # the first type: C Critical
    assert box.currentData() == "C"
    assert _critical_blockers(ws, sent.doc) == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert dialogs.kinds() == ["info"], dialogs.shown
    assert "Imported 10 comment(s) from USCG" in dialogs.shown[-1][2]
    crm = {c.comment: c for c in cm.list_comments(ws, sent.doc)}
    cover_comment = crm["Please add a glossary of vessel types."]
    assert (cover_comment.type, cover_comment.section_id) == ("C", None)
    # The gate now holds USCG's three Criticals, one of them on the document as a whole.
    assert _critical_blockers(ws, sent.doc) == 3
    messages = [b.message for b in publication_blockers(ws, sent.doc).blockers]
    assert (
        f"USCG: Critical comment {cover_comment.item_no} on the document as a whole has no "
        "disposition" in messages
    )

    again = _open(window, qtbot, monkeypatch, "returned_review_copy.docx")
    qtbot.waitUntil(lambda: again.preview is not None, timeout=3000)
    assert not again.import_button.isEnabled()
    assert "already imported" in again.summary.text()
    again.reject()


def test_a_foreign_word_file_asks_whose_it_is(sent, window, qtbot, monkeypatch, dialogs, ws):
    dialog = _open(window, qtbot, monkeypatch, "foreign_markup.docx")
    assert dialog.preview is None and dialog.organization.isEnabled()
    assert "did not come from CNE Workbench" in dialog.summary.text()
    dialog.organization.setCurrentIndex(dialog.organization.findData("CBP"))
    window.ops.flush()
    assert dialog.preview is not None and dialog.preview.organization == "CBP"
    assert dialog.import_button.isEnabled()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert cm.list_comments(ws, sent.doc) == []  # cancelled: nothing written
    assert dialogs.kinds() == []


@pytest.mark.parametrize("make, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_word_file_for_elsewhere_damaged_or_a_zip_bomb_is_refused_in_one_line(
    sent, window, qtbot, monkeypatch, dialogs, ws, tmp_path, make, message
):
    bad = make(tmp_path)
    before = _rows(ws)
    _choose(monkeypatch, bad)
    window.findChild(QAction, "importResponse").trigger()
    window.ops.flush()
    assert dialogs.kinds() == ["error"], dialogs.shown
    assert message in dialogs.shown[0][2] and "\n" not in dialogs.shown[0][2]
    assert getattr(window, "word_import_dialog", None) is None or not (
        window.word_import_dialog.isVisible()
    )
    assert _rows(ws) == before  # nothing changed


def _rows(ws) -> dict:
    return {
        t: ws.db.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall()
        for t in ws.db.table_names()
        if not t.startswith(("search_", "sqlite_")) and not t.endswith("_fts")
    }


def test_a_copy_dated_outside_the_requests_life_is_refused_in_the_app(
    sent, window, qtbot, monkeypatch, dialogs, ws, tmp_path
):
    import zipfile

    forged = tmp_path / "forged.docx"
    with (
        zipfile.ZipFile(FIXTURES / "returned_review_copy.docx") as src,
        zipfile.ZipFile(forged, "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/comments.xml":
                data = data.replace(
                    b'w:date="2026-11-06T09:10:00Z"', b'w:date="2999-01-01T00:00:00Z"'
                )
            dst.writestr(info, data)
    _choose(monkeypatch, forged)
    window.findChild(QAction, "importResponse").trigger()
    window.ops.flush()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=3000)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("error", "Not imported")
    assert "forged.docx: This Word file is dated 2999-01-01, outside the life of request" in text
    assert cm.list_comments(ws, sent.doc) == []
