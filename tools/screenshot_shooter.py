"""The screenshot run inside one offscreen Qt process (tools/screenshots starts one per size
and theme): the main window in each of its states, every menu, and every window a command opens."""

from __future__ import annotations

import datetime as dt
import faulthandler
import os
import re
import shutil
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QTimer, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

ROOT = Path(__file__).resolve().parent.parent
WORD_FIXTURES = ROOT / "tests" / "fixtures" / "word"
# Commands left alone: they end the session, replace the workspace, or need a smart card.
SKIP = {
    "Quit",
    "Close Window",
    "New Workspace…",
    "Open…",
    "Unlock My Signing Key…",
    "Restore from Backup…",
}
# Commands without "…" that open a window of their own.
OPENERS = {"Getting Started", "Keyboard Shortcuts", "About CNE Workbench", "Document Preview"}
# Commands shown on another document than the SPSS strategy (where they have something to show).
ON_DOCUMENT = {
    "Decisions on This Document…": "Maritime Border",
    "Start Next Version…": "Maritime Border",
}
# Commands about a review request: the SPSS strategy's CBP request is selected first.
ON_REQUEST = {"Extend Suspense…", "Recall Request…", "Withdraw Review Request…"}
# Commands whose window opens after a read on another thread: how long to wait for it (s).
SLOW = {"Import Draft…": 6.0, "Import Review Response…": 4.0}
STUCK_AFTER_S = int(os.environ.get("CNE_SCREENS_STUCK", "900"))  # a run takes 2-3 minutes
SPSS = "Strategy to Counter Self-Propelled"
SPSS_SECTION = "Interdiction and Evidence Preservation"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.replace("&", "").lower()).strip("-")


def settle(ms: int = 120) -> None:
    QTest.qWait(ms)


class Shooter:
    def __init__(self, out: Path, prefix: str, theme: str, only: list[str], tmp: Path):
        self.out, self.prefix, self.theme, self.only, self.tmp = out, prefix, theme, only, tmp
        self.index: list[str] = []
        self.failures: list[str] = []
        self.answers: dict[str, Path] = {}  # file dialog title word -> the file to choose

    # -- saving ------------------------------------------------------------------------------
    def wanted(self, name: str) -> bool:
        return not self.only or any(word in name for word in self.only)

    def save(self, widget: QWidget, name: str) -> None:
        if not self.wanted(name):
            return
        path = self.out / f"{self.prefix}-{name}.png"
        widget.grab().save(str(path))
        screen = widget.screen().availableGeometry() if widget.screen() else None
        size = widget.size()
        note = ""
        if screen is not None and (
            size.width() > screen.width() or size.height() > screen.height()
        ):
            note = f"  LARGER THAN THE SCREEN ({screen.width()}x{screen.height()})"
        title = widget.windowTitle() if widget.isWindow() else ""
        self.index.append(f"{path.name}  {size.width()}x{size.height()}  {title}{note}")

    # -- opening the app ---------------------------------------------------------------------
    def run(self) -> int:
        from ui import settings as app_settings
        from ui.bootstrap import init_app

        app_settings.set_theme(self.theme)
        qInstallMessageHandler(_quiet)
        # A window nobody could close stops the run: say where, rather than wait for ever.
        faulthandler.dump_traceback_later(STUCK_AFTER_S, exit=True)
        self.app = init_app()
        import ui.authority.install as authority_install

        authority_install.ASK_ON_OPEN = False
        try:
            self.watch_modals()
            self.prepare_workspace()
            self.open_window()
            for step in (
                self.main_states,
                self.menus,
                self.commands,
                self.special_dialogs,
                self.review_mode,
                self.start_dialog,
            ):
                try:
                    step()
                except Exception:
                    self.failures.append(f"{step.__name__}: {traceback.format_exc()}")
        finally:
            index = self.out / "index.txt"
            lines = index.read_text().splitlines() if index.exists() else []
            lines = [line for line in lines if not line.startswith(self.prefix + "-")]
            index.write_text("\n".join(sorted(lines + self.index)) + "\n")
        for f in self.failures:
            print(f"[{self.prefix}] FAILED {f}")
        print(f"[{self.prefix}] {len(self.index)} shots")
        return 1 if self.failures else 0

    def prepare_workspace(self) -> None:
        from workbench import demo, directory
        from workbench.authority import identity
        from workbench.workspace import Workspace

        self.path = demo.write_demo(self.tmp / "demo.cnew")
        ws = Workspace.open(self.path)
        director = directory.people(ws, role="director")[0]
        identity.remember(ws, director.id)  # the Director sees every command enabled
        self.packet = self.tmp / "uscg.cnereview"
        self.response = self.tmp / "uscg.cneresponse"
        self._write_packet(ws)
        self._solicit(ws)
        ws.close()

    def _solicit(self, ws) -> None:
        """The Southwest Border strategy sent to a dozen state, local and tribal reviewers, a
        suspense already past, three answered: what the dashboard and solicitation show."""
        from workbench import documents
        from workbench.exchange import solicit
        from workbench.exchange.responses import import_response
        from workbench.exchange.review import ReviewSession

        doc = next(d for d in documents.list_documents(ws) if d.title.startswith("National S"))
        agencies = [
            "County 1 Sheriff's Office",
            "County 1 Sheriff's Office",
            "Cochise County Sheriff's Office",
            "Pima County Sheriff's Department",
            "Arizona Department of Public Safety",
            "New Mexico State Police",
            "Texas Department of Public Safety",
            "Tohono O'odham Nation Police Department",
            "El Paso Police Department",
            "San Diego County Sheriff's Department",
            "Laredo Police Department",
            "Yuma County Sheriff's Office",
        ]
        reviewers = [
            solicit.ExternalReviewer(f"Reviewer {n}", agency, f"reviewer{n}@example.org")
            for n, agency in enumerate(agencies, 1)
        ]
        now = ws.clock
        ws.clock = lambda: now() - dt.timedelta(days=30)  # sent a month ago
        try:
            result = solicit.solicit(
                ws, doc.id, reviewers, self.tmp / "solicitation", suspense_workdays=10
            )
        finally:
            ws.clock = now
        session = ReviewSession.open(result.packets[2])
        session.set_reviewer("Reviewer 3")
        session.set_position("concur")
        session.export_response(self.tmp / "slt.cneresponse")
        import_response(ws, self.tmp / "slt.cneresponse")

    def _write_packet(self, ws) -> None:
        """A packet for the SPSS strategy's USCG request, and a response with one comment."""
        from workbench import documents
        from workbench.coordination import requests as rq
        from workbench.exchange.packets import export_packet
        from workbench.exchange.review import ReviewSession

        doc = next(d for d in documents.list_documents(ws) if d.title.startswith(SPSS))
        request = next(r for r in rq.list_requests(ws, doc.id) if r.organization == "CBP")
        export_packet(ws, request.id, self.packet)
        session = ReviewSession.open(self.packet)
        first = session.packet.sections[0]
        session.set_reviewer("Dana Whitfield", "Deputy Commissioner")
        session.add_comment(
            first.section_id,
            "S",
            "Name the ports of entry where the SPSS detection pilots run.",
            rationale="Readers in the field need to know where the pilots are.",
        )
        session.set_position("concur_with_comment")
        session.export_response(self.response)
        session.draft_path.unlink(missing_ok=True)

    def open_window(self) -> None:
        from ui import app
        from workbench.workspace import Workspace

        self.window = app.show_window(Workspace.open(self.path))
        self.window.showMaximized()  # the whole screen, before the docks take their heights
        deadline = time.monotonic() + 20
        while not self.window.parts_installed and time.monotonic() < deadline:
            settle(50)
        settle(300)
        self.select_spss()

    def flush(self, ms: int = 200) -> None:
        from ui import lazy

        self.window.ops.flush()
        lazy.drain()
        settle(ms)

    def select_spss(self, section: bool = True) -> None:
        from ui.navigator import DOC, SECTION
        from workbench import documents, sections

        ws = self.window.ws
        doc = next(d for d in documents.list_documents(ws) if d.title.startswith(SPSS))
        self.spss = doc.id
        if section:
            sid = next(e.id for e in sections.outline(ws, doc.id) if e.heading == SPSS_SECTION)
            self.window.navigator.select(SECTION, sid)
        else:
            self.window.navigator.select(DOC, doc.id)
        self.flush()
        coordination = getattr(self.window, "coordination", None)
        if coordination is not None:
            tree = coordination.comments.tree
            if tree.model().rowCount():
                tree.setCurrentIndex(tree.model().index(0, 0))
                self.flush(100)

    def select_request(self) -> None:
        from workbench.coordination import requests as rq

        ws = self.window.ws
        request = next(r for r in rq.list_requests(ws, self.spss) if r.organization == "CBP")
        self.window.coordination.view.select_request(request.id)
        self.flush(100)

    def select_document(self, title_start: str) -> None:
        from ui.navigator import DOC
        from workbench import documents

        doc = next(
            d for d in documents.list_documents(self.window.ws) if d.title.startswith(title_start)
        )
        self.window.navigator.select(DOC, doc.id)
        self.flush()

    # -- the main window ---------------------------------------------------------------------
    def main_states(self) -> None:
        w = self.window
        self.save(w, "main")
        for i in range(w.panels.count()):
            w.panels.setCurrentIndex(i)
            self.flush(150)
            self.save(w, f"main-tab-{slug(w.panels.tabText(i))}")
        w.show_panel(w.coordination.comments)
        for dock in w.findChildren(QDockWidget):
            if dock.isVisible() or dock.isHidden():
                dock.show()
                dock.raise_()
                self.flush(150)
                self.save(w, f"main-dock-{slug(dock.windowTitle())}")
        w.coordination.reveal(w.coordination.crm)
        # The find bar, replacing across sections.
        w.find_bar.open_find(replace=True)
        w.find_bar.find_edit.setText("vessel")
        w.find_bar.replace_edit.setText("craft")
        w.find_bar.find_next()
        self.flush(150)
        self.save(w, "main-find-replace")
        w.find_bar.close_bar()
        # Panels folded away: the editor alone.
        w.side_action.setChecked(False)
        w.bottom_action.setChecked(False)
        self.flush(150)
        self.save(w, "main-panels-hidden")
        w.side_action.setChecked(True)
        w.bottom_action.setChecked(True)
        self.flush(150)
        # Other documents: a published one, a document row, a fresh draft.
        self.select_document("Maritime Border")
        self.save(w, "main-published-document")
        w.coordination.reveal(w.coordination.gate)
        self.flush(150)
        self.save(w, "main-published-gate")
        self.select_document("Annual Report")
        self.save(w, "main-draft-gate")
        w.coordination.reveal(w.coordination.crm)
        self.select_spss(section=False)
        self.save(w, "main-document-selected")
        self.select_spss()
        # The smallest sizes the issue names.
        for size in ((1280, 720), (1024, 700)):
            w.showNormal()
            w.resize(*size)
            self.flush(250)
            self.save(w, f"main-at-{size[0]}x{size[1]}")
        w.showMaximized()
        self.flush(250)

    def menus(self) -> None:
        bar = self.window.menuBar()
        for action in bar.actions():
            menu = action.menu()
            if menu is None:
                continue
            name = f"menu-{slug(action.text())}"
            if not self.wanted(name):
                continue
            menu.aboutToShow.emit()
            menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
            settle(120)
            self.save(menu, name)
            menu.hide()
            settle(30)

    # -- every command that opens a window ---------------------------------------------------
    def commands(self) -> None:
        self.answers = {
            "Import draft": WORD_FIXTURES / "libreoffice-ig-report.docx",
            "Import review response": WORD_FIXTURES / "foreign_markup.docx",
        }
        for menu_title, menu, action in self.menu_actions():
            text = action.text().replace("&", "")
            if text in SKIP or not (text.endswith("…") or text in OPENERS):
                continue
            name = f"dialog-{slug(menu_title)}-{slug(text)}"
            if not self.wanted(name):
                continue
            if text in ON_DOCUMENT:
                self.select_document(ON_DOCUMENT[text])
            else:
                self.select_spss()
            if text in ON_REQUEST:
                self.select_request()
            menu.aboutToShow.emit()  # as when the user opens the menu now
            if not action.isEnabled():
                self.index.append(f"{self.prefix}-{name}  (disabled with the SPSS section)")
                continue
            self.shoot(name, action.trigger, quiet=SLOW.get(text, 1.0))

    def menu_actions(self):
        def walk(menu: QMenu, title: str):
            menu.aboutToShow.emit()  # menus enable their commands as they open
            for action in menu.actions():
                if action.menu() is not None:
                    yield from walk(action.menu(), title)
                elif not action.isSeparator():
                    yield title, menu, action

        for top in self.window.menuBar().actions():
            if top.menu() is not None:
                yield from walk(top.menu(), top.text().replace("&", ""))

    def shoot(
        self, name: str, trigger: Callable[[], object], settle_ms: int = 400, quiet: float = 1.0
    ) -> None:
        """Run a command; save every window it opens (modal or not), then cancel it."""
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        self.shot_name, self.shot_count, self.settle_ms = name, 0, settle_ms
        trigger()
        self.window.ops.flush()
        # Windows opened without blocking (show()/open()), or after a read on another thread:
        # wait until nothing new has opened for `quiet` seconds.
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < quiet:
            settle(100)
            if QApplication.activeModalWidget() not in (None, self.window):
                quiet_since = time.monotonic()  # the modal watch deals with it
                continue
            new = [
                w
                for w in QApplication.topLevelWidgets()
                if w.isVisible()
                and id(w) not in before
                and isinstance(w, QDialog | QMainWindow | QMessageBox)
            ]
            for w in new:
                settle(settle_ms)
                self.save_shot(w)
                close(w)
                quiet_since = time.monotonic()
        self.flush(50)
        if self.shot_count == 0:
            self.index.append(f"{self.prefix}-{name}  (opened no window)")
        self.shot_name = "late"  # a window opening after its command is done still gets seen

    def save_shot(self, w: QWidget) -> None:
        self.shot_count += 1
        n = self.shot_count
        self.save(w, self.shot_name if n == 1 else f"{self.shot_name}-{n}")

    def watch_modals(self) -> None:
        """Every 50 ms: a modal window that has been up for a moment is saved and cancelled
        (a file dialog is answered from `answers` or cancelled), whenever it opens."""
        self._seen: dict[int, float] = {}
        self.shot_name, self.shot_count, self.settle_ms = "late", 0, 400
        self._modal_timer = QTimer()
        self._modal_timer.timeout.connect(self._handle_modal)
        self._modal_timer.start(50)

    def _handle_modal(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or modal is self.window:
            return
        if isinstance(modal, QFileDialog):
            title = modal.windowTitle().casefold()
            answer = next((p for word, p in self.answers.items() if word.casefold() in title), None)
            if answer is not None:
                # Typed into the name field as a user would: selectFile() of a path in another
                # folder selects nothing until the folder has loaded, and accept() then waits.
                edit = modal.findChild(QLineEdit, "fileNameEdit")
                if edit is not None:
                    edit.setText(str(answer))
                else:
                    modal.selectFile(str(answer))
                modal.accept()
            if modal.isVisible():
                modal.reject()  # never left waiting: a dialog that would not take the answer
            return
        first = self._seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first < self.settle_ms / 1000:
            return
        self.save_shot(modal)
        close(modal)
        self._seen.pop(id(modal), None)

    # -- windows reached other than through a menu command -----------------------------------
    def special_dialogs(self) -> None:
        from ui.review.importing import import_response_file

        w = self.window
        self.select_spss()
        self.shoot(
            "dialog-import-response-preview",
            lambda: import_response_file(w, w.ops, self.response),
        )
        # The gate's Publish… on a document that may be published, and the decision dialogs.
        from ui.coordination import dialogs
        from workbench.coordination import gate

        # As the Director sees it once the gate is clear (the SPSS strategy is not, yet).
        report = gate.GateReport(self.spss, (), "draft", 1)
        ctrl = w.coordination.controller
        for name, make in (
            (
                "dialog-publish-confirm",
                lambda: dialogs.PublishDialog(
                    w,
                    "Strategy to Counter Self-Propelled Semi-Submersible Vessels",
                    1,
                    report,
                    director=ctrl.decider(),
                ),
            ),
            (
                "dialog-override",
                lambda: dialogs.OverrideDialog(w, "USCG", director=ctrl.decider()),
            ),
            (
                "dialog-waive",
                lambda: dialogs.WaiveDialog(
                    w,
                    ctrl.outstanding_reviews(),
                    director=ctrl.decider(),
                    numbers={},
                    organization="CBP",
                    section_id=None,
                ),
            ),
        ):
            self.shoot(name, lambda make=make: make().exec())
        # The spelling suggestions in the editor's context menu.
        body = w.editor.body
        cursor = body.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        body.setTextCursor(cursor)
        body.insertPlainText(" Interdicton")
        self.flush(300)
        menu = body.createStandardContextMenu()
        from ui import spell

        cursor.movePosition(cursor.MoveOperation.End)
        cursor.movePosition(cursor.MoveOperation.Left)
        spell.body_menu(w.editor.spell, body, menu, cursor)
        menu.popup(body.mapToGlobal(QPoint(40, 40)))
        settle(150)
        self.save(menu, "menu-spelling-suggestions")
        menu.hide()
        self.save(w, "main-misspelled-word")
        body.undo()
        self.flush(300)

    def review_mode(self) -> None:
        from ui.review import open_packet

        if not self.wanted("review"):
            return
        shutil.copy(self.packet, self.tmp / "review.cnereview")
        review = open_packet(self.tmp / "review.cnereview")
        review.resize(self.window.size())
        review.showMaximized()
        settle(400)
        self.save(review, "review-window")
        self.shoot("review-window-export", review.export_clicked)
        review.close()
        settle(100)

    def start_dialog(self) -> None:
        from ui.start_dialog import StartDialog

        self.shoot("dialog-start", lambda: StartDialog().exec())


def _quiet(_kind, _context, message: str) -> None:
    """Qt's messages, less the offscreen platform's notes on what it cannot do."""
    if "This plugin does not support" not in message:
        print(message)


def close(w: QWidget) -> None:
    if isinstance(w, QDialog):
        w.reject()
    if w.isVisible():
        w.close()
