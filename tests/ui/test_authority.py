"""Identity, signing keys, approval chains and the audit log viewer, driven through the window."""

from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests import pki
from ui.authority import install as authority_install
from ui.authority.chains_dialog import ChainsDialog
from ui.authority.identity_dialog import IdentityDialog
from ui.authority.key_dialog import KeyDialog
from workbench import audit, directory, documents, sections
from workbench.authority import approvals, decisions, identity, trust
from workbench.errors import WorkbenchError
from workbench.workspace import Workspace


def answer(monkeypatch, qtbot, cls, fill):
    """Stand in for the modal loop: the real dialog, filled as a user would, then OK."""
    shown = []

    def exec_(dialog):
        qtbot.addWidget(dialog)
        shown.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)
    return shown


@pytest.fixture
def people(ws):
    return {
        "director": directory.add_person(
            ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"]
        ),
        "analyst": directory.add_person(
            ws, "Sam Ortiz", title="Analyst", organization="CNE", roles=["analyst"]
        ),
        "chief": directory.add_person(ws, "Kim Vale", title="Branch chief", organization="CNE"),
    }


def open_window(qtbot, ws):
    from ui.main_window import MainWindow

    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    w.authority = authority_install.install(w)  # as ui.app.install_parts does after first paint
    return w


def test_first_use_asks_who_you_are_and_remembers_it_for_this_account(
    qtbot, ws, people, monkeypatch
):
    monkeypatch.setattr(authority_install, "ASK_ON_OPEN", True)

    def pick(dialog):
        item = next(
            dialog.people.item(i)
            for i in range(dialog.people.count())
            if dialog.people.item(i).text().startswith("Sam Ortiz")
        )
        qtbot.mouseClick(
            dialog.people.viewport(),
            Qt.MouseButton.LeftButton,
            pos=dialog.people.visualItemRect(item).center(),
        )

    shown = answer(monkeypatch, qtbot, IdentityDialog, pick)
    window = open_window(qtbot, ws)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert window.authority.status.text() == "Acting as: Sam Ortiz (Analyst)"
    assert identity.remembered(ws) == people["analyst"]
    # What the analyst does is recorded as Sam Ortiz, with the OS account beside it.
    doc = documents.create_document(ws, "strategy", "Draft")
    window.ops.run(sections.add_section, doc, heading="Purpose")
    window.ops.flush()
    newest = next(ws.db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (newest["actor"], newest["person_id"]) == ("Sam Ortiz", people["analyst"])
    assert newest["os_account"] == ws.os_account != "Sam Ortiz"
    window.close()  # closes the workspace too
    # The next window on this workspace knows who you are and does not ask.
    shown.clear()
    again = open_window(qtbot, Workspace.open(ws.path))
    qtbot.wait(50)
    assert shown == [] and again.authority.status.text().startswith("Acting as: Sam Ortiz")
    again.grab().save("/tmp/authority-status.png")
    again.close()


def test_switching_identity_through_the_menu_and_adding_yourself(qtbot, ws, people, monkeypatch):
    window = open_window(qtbot, ws)
    assert "no one" in window.authority.status.text()

    def add_me(dialog):
        qtbot.keyClicks(dialog.name, "Lee Park")
        qtbot.keyClicks(dialog.title, "Detailee")
        dialog.organization.setCurrentIndex(dialog.organization.findData("USCG"))

    answer(monkeypatch, qtbot, IdentityDialog, add_me)
    window.authority.actions["who"].trigger()
    window.ops.flush()
    lee = identity.find_person(ws, "Lee Park")
    assert lee.organization_code == "USCG" and ws.person_id == lee.id
    assert window.authority.status.text() == "Acting as: Lee Park (Detailee)"
    # An empty choice is refused in words, and nothing changes.
    refused = answer(monkeypatch, qtbot, IdentityDialog, lambda d: d.people.clearSelection())
    window.authority.who_am_i()
    assert refused[0].problem.isVisibleTo(refused[0]) and ws.person_id == lee.id


def test_a_director_with_a_key_unlocks_it_and_the_decision_is_signed(
    qtbot, ws, people, monkeypatch, tmp_path, dialogs
):
    real = pki.make("Dana Reyes", kind="rsa")
    trust.set_person_certificate(ws, people["director"], real.der)
    p12 = real.write_p12(tmp_path / "dana.p12")
    identity.act_as(ws, people["director"])
    window = open_window(qtbot, ws)

    def wrong(dialog):
        dialog.p12.setText(str(p12))
        qtbot.keyClicks(dialog.password, "wrong")

    shown = answer(monkeypatch, qtbot, KeyDialog, wrong)
    assert not window.authority.unlock_key()
    assert "password is wrong" in shown[0].problem.text()

    def right(dialog):
        dialog.p12.setText(str(p12))
        qtbot.keyClicks(dialog.password, "secret")

    answer(monkeypatch, qtbot, KeyDialog, right)
    assert window.authority.unlock_key()
    assert window.authority.status.text().endswith("· key unlocked")
    doc = documents.create_document(ws, "sop", "Budget review SOP")
    sections.add_section(ws, doc, heading="Scope", body="CNE's own budget cycle.")
    window.navigator.reload()
    window.navigator.select("document", doc)
    dialogs.text_answers.append("Internal SOP; no component equities.")
    window.authority.actions["no_coordination"].trigger()
    window.ops.flush()
    [d] = decisions.decisions(ws, doc, kind="no_coordination")
    assert d.counts and d.signature_label == "signed by Dana Reyes"
    assert [k for k in dialogs.kinds() if k in ("error", "crash")] == []


def test_approval_chain_edited_in_the_app_names_the_pending_step(qtbot, ws, people, monkeypatch):
    identity.act_as(ws, people["director"])
    window = open_window(qtbot, ws)

    def fill(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("directive"))
        dialog.add_step()
        dialog.table.cellWidget(0, 1).setCurrentIndex(
            dialog.table.cellWidget(0, 1).findData(people["chief"])
        )

    answer(monkeypatch, qtbot, ChainsDialog, fill)
    window.authority.edit_chains()
    window.ops.flush()
    [step] = approvals.chain(ws, "directive")
    assert (step.title, step.person_id) == ("Branch chief", people["chief"])
    doc = documents.create_document(ws, "directive", "Coordination directive")
    sections.add_section(ws, doc, heading="Purpose", body="Text.")
    from workbench.coordination.gate import publication_blockers

    assert "Approval: awaiting Branch chief (Kim Vale)" in [
        b.message for b in publication_blockers(ws, doc).blockers
    ]


def test_the_audit_log_viewer_filters_and_exports(qtbot, ws, people, tmp_path):
    identity.act_as(ws, people["analyst"])
    doc = documents.create_document(ws, "strategy", "=cmd|' /C calc'!A0")
    sections.add_section(ws, doc, heading="Purpose")
    identity.act_as(ws, people["chief"])
    other = documents.create_document(ws, "sop", "Other SOP")
    window = open_window(qtbot, ws)
    window.navigator.reload()
    window.navigator.select("document", doc)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.navigator,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    log = window.authority._log
    qtbot.addWidget(log)
    rows = log.rows_shown()
    assert rows and {r[1] for r in rows} == {"Sam Ortiz"}  # opened on the selected document
    log.document.setCurrentIndex(0)
    log.person.setCurrentIndex(log.person.findData("Kim Vale"))
    assert [r[3] for r in log.rows_shown()] == ["document.create"]
    assert log.rows_shown()[0][4] == f"document {other}"
    log.person.setCurrentIndex(0)
    # Typing an action offers the actions the log holds.
    offered = log.action.completer().model()
    assert "section.add" in [offered.index(r, 0).data() for r in range(offered.rowCount())]
    qtbot.keyClicks(log.action, "section.")
    assert {r[3] for r in log.rows_shown()} == {"section.add"}
    # Details read as "key: value"; the entry as recorded rests on the cell as its tooltip.
    details = log.model.item(0, 5)
    [entry] = [e for e in audit.entries(ws) if e.action == "section.add"]
    assert not details.text().startswith("{") and "heading: Purpose" in details.text()
    assert json.loads(details.toolTip()) == entry.details
    log.action.clear()
    log.use_since.setChecked(True)
    log.since.setDate(log.since.date().addYears(5))
    assert log.rows_shown() == [] and log.count.text() == "0 entries"
    log.use_since.setChecked(False)
    out = tmp_path / "log.csv"
    log.export_csv(str(out))
    with out.open(encoding="utf-8-sig") as fh:
        exported = list(csv.DictReader(fh))
    assert len(exported) == len(audit.entries(ws))
    created = [e for e in exported if e["action"] == "document.create"]
    assert any(e["details"].startswith("{") for e in created)
    assert all(not e["person"].startswith("=") for e in exported)
    log.grab().save("/tmp/audit-log.png")


def test_pinning_a_root_and_listing_decisions_in_the_app(qtbot, ws, people, tmp_path, dialogs):
    root, issuing = pki.hierarchy()
    (tmp_path / "root.pem").write_bytes(root.pem)
    window = open_window(qtbot, ws)
    window.authority.pin_root(str(tmp_path / "root.pem"))
    window.ops.flush()
    assert trust.trust_anchors(ws) == [root.der]
    # A self-made certificate for the Director is refused now; one the root issued is stored.
    with pytest.raises(WorkbenchError, match="pinned trust root"):
        trust.set_person_certificate(ws, people["director"], pki.make("Dana Reyes").der)
    doc = documents.create_document(ws, "sop", "SOP")
    sections.add_section(ws, doc, heading="Scope", body="Text.")
    window.navigator.reload()
    window.navigator.select("document", doc)
    assert window.authority.show_decisions() == "No decisions yet."
    assert dialogs.shown[-1][:2] == ("info", "Decisions on SOP")


def test_trust_roots_dialog_pins_and_unpins_a_root(qtbot, ws, people, tmp_path, dialogs):
    from ui.authority.trust_roots_dialog import TrustRootsDialog

    root, _issuing = pki.hierarchy()
    (tmp_path / "root.pem").write_bytes(root.pem)
    window = open_window(qtbot, ws)
    window.authority.choose_root_file = lambda: str(tmp_path / "root.pem")
    window.authority.actions["trust_roots"].trigger()
    dialog = window.findChild(TrustRootsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 0 and not dialog.unpin_button.isEnabled()
    qtbot.mouseClick(dialog.pin_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.table.item(0, 0).text() == "CNE Test Root CA"
    assert trust.trust_anchors(ws) == [root.der]
    # Pinned: a self-made certificate no longer counts for the Director.
    with pytest.raises(WorkbenchError, match="pinned trust root"):
        trust.set_person_certificate(ws, people["director"], pki.make("Dana Reyes").der)
    dialog.table.selectRow(0)
    dialogs.confirm_answer = False
    qtbot.mouseClick(dialog.unpin_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    assert trust.trust_anchors(ws) == [root.der]  # declined: nothing changed
    dialogs.confirm_answer = True
    qtbot.mouseClick(dialog.unpin_button, Qt.MouseButton.LeftButton)
    window.ops.flush()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "Unpin trust root")
    assert text.startswith("Unpin CNE Test Root CA?") and "any certificate the directory" in text
    assert trust.trust_anchors(ws) == []
    assert [e.action for e in audit.entries(ws, action_prefix="trust.")] == [
        "trust.unpin",
        "trust.pin",
    ]
    trust.set_person_certificate(ws, people["director"], pki.make("Dana Reyes").der)
    dialog.close()


def test_an_analyst_sees_the_approval_chains_but_cannot_change_them(qtbot, ws, people, monkeypatch):
    identity.act_as(ws, people["director"])
    approvals.set_chain(ws, "directive", [("Branch chief", people["chief"])])
    identity.act_as(ws, people["analyst"])
    window = open_window(qtbot, ws)
    seen = []

    def look(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("directive"))
        seen.append(
            (
                dialog.findChild(QLabel, "readOnlyNote").text(),
                dialog.add_button.isEnabled(),
                dialog.table.cellWidget(0, 0).isReadOnly()
                and not dialog.table.cellWidget(0, 0).hasFrame(),  # nor looks like a field
            )
        )
        dialog.table.cellWidget(0, 0).setText("Nobody")  # what a stray edit would be

    answer(monkeypatch, qtbot, ChainsDialog, look)
    window.authority.edit_chains()
    window.ops.flush()
    [(note, can_add, read_only)] = seen
    assert note.startswith(
        "Only the Director can change approval chains; you are acting as Sam Ortiz"
    )
    assert not can_add and read_only
    assert [s.title for s in approvals.chain(ws, "directive")] == ["Branch chief"]


def test_removing_a_step_removes_the_one_being_typed_in(qtbot, ws, people):
    identity.act_as(ws, people["director"])
    dialog = ChainsDialog(ws, kind="strategy")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.empty.isVisible()
    for title in ("Branch chief", "Deputy director", "Chief of staff"):
        dialog.add_step(title)
    assert not dialog.empty.isVisible()
    middle = dialog.table.cellWidget(1, 0)
    qtbot.mouseClick(middle, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(middle, " (acting)")
    dialog.remove_step()
    assert [t for t, _ in dialog.chains()["strategy"]] == ["Branch chief", "Chief of staff"]


def test_unlocking_a_key_the_directory_does_not_hold_offers_to_add_its_certificate(
    qtbot, ws, people, monkeypatch, tmp_path, dialogs
):
    root = pki.make("CNE Test Root CA", ca=True)
    trust.pin_trust_anchor(ws, root.der)
    real = pki.make("Dana Reyes", issuer=root)
    p12 = real.write_p12(tmp_path / "dana.p12")
    identity.act_as(ws, people["director"])
    window = open_window(qtbot, ws)

    def fill(dialog):
        dialog.p12.setText(str(p12))
        qtbot.keyClicks(dialog.password, "secret")

    answer(monkeypatch, qtbot, KeyDialog, fill)
    dialogs.confirm_answer = False
    assert not window.authority.unlock_key()
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("confirm", "Unlock my signing key")
    assert text.startswith("The directory holds no certificate for Dana Reyes yet.")
    assert "issued by CNE Test Root CA, SHA-256 " in text
    assert trust.person_certificate(ws, people["director"]) is None  # declined: nothing stored
    dialogs.confirm_answer = True
    window.authority.unlock_key()
    window.ops.flush()
    assert trust.person_certificate(ws, people["director"]) == real.der
    assert window.authority.status.text().endswith("· key unlocked")
    # A self-made key for someone whose certificate the directory holds is named as such.
    identity.act_as(ws, people["analyst"])
    sam = pki.make("Sam Ortiz", issuer=root)
    trust.set_person_certificate(ws, people["analyst"], sam.der)
    other = pki.make("Sam Ortiz", issuer=root).write_p12(tmp_path / "other.p12")
    answer(monkeypatch, qtbot, KeyDialog, lambda d: (d.p12.setText(str(other)), fill_pw(d)))

    def fill_pw(dialog):
        qtbot.keyClicks(dialog.password, "secret")

    assert not window.authority.unlock_key()
    kind, _, text = dialogs.shown[-1]
    assert kind == "error" and "is not the one the directory holds for Sam Ortiz" in text


def test_approving_asks_for_the_key_of_someone_whose_certificate_the_directory_holds(
    qtbot, ws, people, monkeypatch, tmp_path, dialogs
):
    kim = pki.make("Kim Vale", kind="ec")
    trust.set_person_certificate(ws, people["chief"], kim.der)
    identity.act_as(ws, people["director"])
    approvals.set_chain(ws, "directive", [("Branch chief", people["chief"])])
    doc = documents.create_document(ws, "directive", "Coordination directive")
    sections.add_section(ws, doc, heading="Purpose", body="Text.")
    identity.act_as(ws, people["chief"])
    window = open_window(qtbot, ws)
    window.navigator.reload()
    window.navigator.select("document", doc)
    p12 = kim.write_p12(tmp_path / "kim.p12")

    def fill(dialog):
        dialog.p12.setText(str(p12))
        qtbot.keyClicks(dialog.password, "secret")

    asked = answer(monkeypatch, qtbot, KeyDialog, fill)
    window.authority.actions["approve"].trigger()
    window.ops.flush()
    assert len(asked) == 1  # the key first, then the confirmation, then the signed approval
    [d] = decisions.decisions(ws, doc, kind="approve")
    assert d.counts and d.signature_label == "signed by Kim Vale"
