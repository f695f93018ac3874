"""Help: the shortcuts list comes from the real menus, the version, getting started."""

from __future__ import annotations

from ui import help as help_ui
from ui.navigator import DOC, SECTION, status_icon
from workbench import documents, sections


def test_keyboard_shortcuts_lists_the_menus_commands(qtbot, window):
    window.findChild(type(window.undo_action), "shortcuts").trigger()
    dialog = next(w for w in window.findChildren(help_ui.ShortcutsDialog) if w.isVisible())
    table = dialog.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    assert ("Ctrl+F", "Find") in rows
    assert ("Ctrl+H", "Find and Replace") in rows
    assert ("Ctrl+Return", "Add a section after the current one (also from the text)") in rows
    assert all(table.horizontalHeaderItem(c).text() for c in range(3))
    dialog.close()


def test_about_names_the_version(window, dialogs):
    window.findChild(type(window.undo_action), "about").trigger()
    kind, title, text = dialogs.shown[-1]
    assert title == "About CNE Workbench"
    assert f"CNE Workbench {help_ui.version()}" in text
    assert help_ui.version() not in ("", "development")


def test_getting_started_walks_the_spss_story(qtbot, window):
    window.findChild(type(window.undo_action), "gettingStarted").trigger()
    dialog = next(w for w in window.findChildren(help_ui.GettingStartedDialog) if w.isVisible())
    text = dialog.browser.toPlainText()
    assert "Self-Propelled Semi-Submersible" in text
    for step in ("Send for review", "Adjudicate", "Publish"):
        assert step in text
    dialog.close()


def test_navigator_shows_full_titles_status_and_kind(qtbot, ws, window):
    title = "Strategy to Counter Self-Propelled Semi-Submersible Vessels in the Eastern Pacific"
    doc_id = documents.create_document(ws, "strategy", title)
    sid = sections.add_section(ws, doc_id, heading="A long heading " * 8)
    window.navigator.reload()
    item = window.navigator.item_for(DOC, doc_id)
    assert item.toolTip(0).splitlines()[0] == title
    assert "Draft" in item.toolTip(0)
    assert item.text(1) == "Strategy"
    assert item.icon(0).cacheKey() == status_icon("draft").cacheKey()
    section_item = window.navigator.item_for(SECTION, sid)
    assert section_item.toolTip(0).startswith("1 " + ("A long heading " * 8).strip())
