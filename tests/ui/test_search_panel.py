"""The search panel: typing searches off the UI thread, hits open in place, hints for bad input."""

from __future__ import annotations

from ui.navigator import SECTION
from ui.search.install import install
from ui.search.panel import HTML_ROLE, SearchPanel
from workbench import documents, sections, studies


def _wait_results(qtbot, panel, text):
    with qtbot.waitSignal(panel.results_shown, timeout=5000) as sig:
        panel.box.setText(text)
    return sig.args[0]


def test_typing_shows_ranked_highlighted_hits(qtbot, ws):
    doc = documents.create_document(ws, "strategy", "Maritime Border Strategy")
    sid = sections.add_section(ws, doc, heading="Bulk cash", body="Couriers carry bulk cash.")
    panel = SearchPanel(ws)
    qtbot.addWidget(panel)
    results = _wait_results(qtbot, panel, "bulk cas")
    assert [h.section_id for h in results.hits] == [sid]
    assert panel.list.count() == 1
    html = panel.list.item(0).data(HTML_ROLE)
    assert "<b>bulk</b>" in html.lower() and "<b>cash</b>" in html.lower()
    assert panel.hint.text() == "1 result"
    panel.grab().save(str(qtbot._request.config.rootpath / "bench" / "out" / "search-panel.png"))


def test_hostile_input_gives_a_hint_not_an_error(qtbot, ws):
    panel = SearchPanel(ws)
    qtbot.addWidget(panel)
    _wait_results(qtbot, panel, '"((')
    assert panel.list.count() == 0
    assert "Type a word" in panel.hint.text()
    _wait_results(qtbot, panel, "zebra")
    assert "No matches" in panel.hint.text()


def test_filters_narrow_results(qtbot, ws):
    doc = documents.create_document(ws, "strategy", "Maritime Border Strategy")
    sections.add_section(ws, doc, heading="Cutters", body="Coast Guard cutters.")
    studies.add_study(ws, "Cutter availability study", "USCG", year=2024)
    panel = SearchPanel(ws)
    qtbot.addWidget(panel)
    assert len(_wait_results(qtbot, panel, "cutter").hits) == 2
    with qtbot.waitSignal(panel.results_shown, timeout=5000) as sig:
        panel.kind.setCurrentIndex(panel.kind.findData("study"))
    assert [h.kind for h in sig.args[0].hits] == ["study"]


def test_installed_panel_opens_a_hit_in_the_navigator(qtbot, window, ws):
    doc = documents.create_document(ws, "strategy", "Northern Border Strategy")
    sid = sections.add_section(ws, doc, heading="Ports of entry", body="Fentanyl seizures.")
    window.navigator.reload()
    panel = install(window)
    results = _wait_results(qtbot, panel, "fentanyl")
    assert results.hits[0].section_id == sid
    panel.list.setCurrentRow(0)
    panel.list.itemActivated.emit(panel.list.item(0))
    assert window.navigator.current_key() == (SECTION, sid)
