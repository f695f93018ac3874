"""The directory dialog: adding people with roles, organizations, editing and removing."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from ui.directory_dialog import DirectoryDialog, OrganizationDialog, PersonDialog
from workbench import directory


def test_add_a_liaison_through_the_dialogs(qtbot, ws, window):
    dialog = DirectoryDialog(ws, window.ops, window)
    qtbot.addWidget(dialog)
    person = PersonDialog(directory.organizations(ws), parent=dialog)
    qtbot.addWidget(person)
    qtbot.keyClicks(person.name, "RADM Jane Doe")
    qtbot.keyClicks(person.title, "Assistant Commandant for Operations")
    person.organization.setCurrentIndex(person.organization.findData("USCG"))
    qtbot.keyClicks(person.email, "jane.doe@uscg.mil")
    assert not person.designated_on.isEnabled()
    qtbot.mouseClick(person.role_boxes["liaison"], Qt.MouseButton.LeftButton)
    assert person.designated_on.isEnabled()
    person.designated_on.setDate(QDate(2026, 10, 1))
    person.accept()
    dialog.add_person(person.values())
    assert window.ops.flush()

    (liaison,) = directory.people(ws, role="liaison")
    assert liaison.name == "RADM Jane Doe"
    assert liaison.organization_code == "USCG"
    assert liaison.email == "jane.doe@uscg.mil"
    assert liaison.roles[0].designated_on == "2026-10-01"
    assert directory.liaison_for(ws, directory.organization(ws, "USCG").id) == liaison
    rows = [dialog.people.item(r, 0).text() for r in range(dialog.people.rowCount())]
    assert rows == ["RADM Jane Doe"]
    assert "designated 2026-10-01" in dialog.people.item(0, 4).text()


def test_detailee_position_description_and_remove(qtbot, ws, window, dialogs):
    dialog = DirectoryDialog(ws, window.ops, window)
    qtbot.addWidget(dialog)
    person = PersonDialog(directory.organizations(ws), parent=dialog)
    qtbot.addWidget(person)
    qtbot.keyClicks(person.name, "Sam Analyst")
    person.role_boxes["detailee"].setChecked(True)
    qtbot.keyClicks(person.position_description, "Maritime interdiction policy advisor")
    dialog.add_person(person.values())
    assert window.ops.flush()
    (p,) = directory.people(ws, role="detailee")
    assert p.roles[0].position_description == "Maritime interdiction policy advisor"

    dialog.people.selectRow(0)
    dialog._remove_person_clicked()
    assert window.ops.flush()
    assert dialogs.kinds() == ["confirm"]
    assert directory.people(ws) == []
    assert dialog.people.rowCount() == 0


def test_add_and_edit_an_organization(qtbot, ws, window, dialogs):
    dialog = DirectoryDialog(ws, window.ops, window)
    qtbot.addWidget(dialog)
    org = OrganizationDialog(parent=dialog)
    qtbot.addWidget(org)
    qtbot.keyClicks(org.code, "AZDPS")
    qtbot.keyClicks(org.name, "Arizona Department of Public Safety")
    org.kind.setCurrentIndex(org.kind.findData("slt"))
    dialog.add_organization(org.values())
    assert window.ops.flush()
    added = directory.organization(ws, "AZDPS")
    assert added.kind == "slt"
    edit = OrganizationDialog(added, parent=dialog)
    qtbot.addWidget(edit)
    assert edit.code.isReadOnly()
    qtbot.keyClicks(edit.liaison_title, "Director")
    dialog.update_organization(added.id, edit.values())
    assert window.ops.flush()
    assert directory.organization(ws, "AZDPS").liaison_title == "Director"
    codes = [dialog.orgs.item(r, 0).text() for r in range(dialog.orgs.rowCount())]
    assert "AZDPS" in codes
    dialog.add_organization(org.values())  # the same code again is refused, with the reason
    assert window.ops.flush()
    assert dialogs.shown[-1][0] == "error" and "already exists" in dialogs.shown[-1][2]
