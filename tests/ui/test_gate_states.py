"""The publication gate in the window: published, not ready, reasons by organization."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui import lazy, theme
from ui.coordination.gate_panel import ROLE
from ui.coordination.install import install
from ui.navigator import DOC
from workbench import demo, documents, sections
from workbench.authority import identity
from workbench.coordination import comments as cm
from workbench.workspace import Workspace


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return demo.write_demo(tmp_path_factory.mktemp("demo") / "demo.cnew")


@pytest.fixture
def app(qtbot, demo_file, tmp_path):
    from ui.main_window import MainWindow

    path = tmp_path / "demo.cnew"
    shutil.copy(demo_file, path)
    ws = Workspace.open(path)
    identity.act_as(ws, "Harper Quillfeather")  # the Director: Publish is hers to press
    window = MainWindow(ws)
    qtbot.addWidget(window)
    coordination = install(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    yield window, coordination
    window.close()


def settle(window) -> None:
    assert window.ops.flush(10.0)
    QApplication.processEvents()
    lazy.drain()


def doc_titled(ws, start: str) -> int:
    return next(d.id for d in documents.list_documents(ws) if d.title.startswith(start))


def rows(gate_panel) -> list[tuple[str, bool]]:
    """(text, is a reason) for each row of the gate's list, as shown."""
    model = gate_panel.model
    return [
        (model.index(i).data(), model.index(i).data(ROLE) is not None)
        for i in range(model.rowCount())
    ]


def test_a_published_document_is_published_not_blocked(qtbot, app, dialogs):
    window, coordination = app
    gate_panel = coordination.gate
    window.navigator.select(DOC, doc_titled(window.ws, "Maritime Border"))
    settle(window)
    assert gate_panel.status.text() == (
        "Version 1 is published and read-only; Start Version 2 to edit\n"
        "Published by Harper Quillfeather — unsigned"  # the demo has no keys: said, not hidden
    )
    style = gate_panel.status.styleSheet()
    assert theme.status_color("info").name() in style
    assert theme.status_color("bad").name() not in style  # not shown as a failure
    assert not gate_panel.list.isVisible() and gate_panel.items() == []
    assert not gate_panel.publish_button.isEnabled()
    assert not coordination.controller.actions["publish"].isEnabled()


def test_a_new_empty_document_is_not_ready_and_publish_says_why(qtbot, app, dialogs):
    window, coordination = app
    ws = window.ws
    doc = documents.create_document(ws, "strategy", "Untitled Strategy")
    sections.add_section(ws, doc)  # one empty, untitled section
    window.navigator.reload()
    window.navigator.select(DOC, doc)
    settle(window)
    gate_panel = coordination.gate
    assert gate_panel.status.text() != "Ready to publish"
    assert theme.status_color("bad").name() in gate_panel.status.styleSheet()
    reasons = {gi.rule: gi.message for gi in gate_panel.items()}
    assert reasons["document"] == "Untitled Strategy has no text yet."
    assert "coordination" in reasons  # never sent to anyone, and no ruling that it need not be
    assert gate_panel.publish_button.isEnabled()  # pressing it explains; it does not publish
    qtbot.mouseClick(gate_panel.publish_button, Qt.MouseButton.LeftButton)
    settle(window)
    assert dialogs.kinds() == ["error"]
    title, text = dialogs.shown[0][1:]
    assert title == "Cannot publish yet" and "has no text yet" in text
    assert documents.document(ws, doc).status == "draft"


def test_reasons_are_grouped_by_organization(qtbot, app):
    window, coordination = app
    ws = window.ws
    report = doc_titled(ws, "Annual Report")
    window.navigator.select(DOC, report)
    settle(window)
    shown = rows(coordination.gate)
    # Four organizations, one missing review each: four lines, each naming its organization.
    assert [text for text, _ in shown] == [
        "USCG has not reviewed §3.1",
        "CBP has not reviewed §3.2",
        "ICE has not reviewed §3.3",
        "I&A has not reviewed §3.4",
    ]
    # A second reason of USCG's: its reasons gather under one heading.
    uscg_section = sections.outline(ws, report)[0].id
    cm.add_comment(
        ws,
        report,
        organization_code="USCG",
        type="C",
        section_id=uscg_section,
        comment_text="The summary overstates the seizures.",
        rationale="Contradicts Department policy on reporting seizures.",
        critical_ground="policy",
    )
    window.workspace_changed.emit()
    settle(window)
    shown = rows(coordination.gate)
    heading = next(i for i, (text, reason) in enumerate(shown) if not reason)
    assert shown[heading][0] == "USCG — 2 blocking"
    under = [text for text, _ in shown[heading + 1 : heading + 3]]
    assert under[0].startswith("USCG has not reviewed") or under[1].startswith("USCG has not")
    assert any("Critical comment" in text for text in under)
    assert sum(1 for _, reason in shown if not reason) == 1  # the others stay one line each
