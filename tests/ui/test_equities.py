"""The editor's equities: the Department's and federal partners' codes; local agencies by name."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.navigator import SECTION
from ui.section_editor import OTHER_ORGANIZATIONS
from workbench import directory, sections


def texts(eq) -> list[str]:
    return [eq.item(i).text() for i in range(eq.count())]


def test_local_agencies_are_listed_by_name_only_once_they_hold_an_equity(qtbot, ws, doc_id, window):
    # A solicitation adds state and local agencies with codes nobody knows.
    directory.add_organization(ws, "C1SSO-2", "Cochise County Sheriff's Office", "slt")
    directory.add_organization(ws, "PCSD", "Pima County Sheriff's Department", "slt")
    sid = sections.add_section(ws, doc_id, heading="Southwest border")
    window.navigator.reload()
    window.navigator.select(SECTION, sid)
    eq = window.editor.equities
    shown = texts(eq)
    assert "USCG" in shown and "DOJ" in shown
    assert "C1SSO-2" not in shown and "Cochise County Sheriff's Office" not in shown
    assert shown[-1] == OTHER_ORGANIZATIONS

    # "Other…" offers them by name; choosing one gives the section its equity.
    other = eq.item(eq.count() - 1)
    qtbot.mouseClick(
        eq.viewport(), Qt.MouseButton.LeftButton, pos=eq.visualItemRect(other).center()
    )
    menu = window.editor.other_organizations_menu
    names = [a.text() for a in menu.actions()]
    assert names == ["Cochise County Sheriff's Office", "Pima County Sheriff's Department"]
    menu.actions()[0].trigger()
    assert window.ops.flush()
    assert sections.section(ws, sid).equities == ("C1SSO-2",)
    window.editor.refresh()
    shown = texts(eq)
    assert "Cochise County Sheriff's Office" in shown and "C1SSO-2" not in shown
    item = eq.item(shown.index("Cochise County Sheriff's Office"))
    assert item.checkState() == Qt.CheckState.Checked

    # Unticked like any other.
    item.setCheckState(Qt.CheckState.Unchecked)
    assert window.ops.flush()
    assert sections.section(ws, sid).equities == ()
