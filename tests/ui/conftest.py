"""UI fixtures: isolated settings and app data, recorded message boxes, a main window."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from ui import messages
from workbench import documents


@pytest.fixture(autouse=True)
def no_identity_prompt(monkeypatch):
    """A window does not ask who you are on open (tests of ui.authority turn it on)."""
    monkeypatch.setattr("ui.authority.install.ASK_ON_OPEN", False)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    QStandardPaths.setTestModeEnabled(True)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    hook = sys.excepthook
    yield
    sys.excepthook = hook


class Dialogs:
    """Stands in for every modal box; records what the user would have seen."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answer = True
        self.text_answers: list[str | None] = []
        self.crash_expected = False

    def expect_crash(self) -> None:
        """This test provokes the "unexpected error" box on purpose."""
        self.crash_expected = True

    def crashes(self) -> list[tuple[str, str, str]]:
        return [s for s in self.shown if s[0] == "crash"]

    def fail_on_unexpected_crash(self) -> None:
        if self.crashes() and not self.crash_expected:
            shown = self.crashes()
            pytest.fail(f"the app showed its unexpected-error box: {shown}", pytrace=False)

    def error(self, parent, title, text):
        self.shown.append(("error", title, text))

    def info(self, parent, title, text):
        self.shown.append(("info", title, text))

    def crash(self, parent, exc):
        self.shown.append(("crash", type(exc).__name__, str(exc)))

    def confirm(self, parent, title, text, *, ok="OK"):
        self.shown.append(("confirm", title, text))
        return self.confirm_answer

    def ask_text(self, parent, title, label, text=""):
        self.shown.append(("ask", title, label))
        return self.text_answers.pop(0) if self.text_answers else None

    def kinds(self) -> list[str]:
        return [k for k, _, _ in self.shown]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch) -> Dialogs:
    """Records the boxes; the app's crash box fails the test unless it expected one."""
    d = Dialogs()
    for name in ("error", "info", "crash", "confirm", "ask_text"):
        monkeypatch.setattr(messages, name, getattr(d, name))
    yield d
    d.fail_on_unexpected_crash()


@pytest.fixture
def window(qtbot, ws):
    from ui.main_window import MainWindow

    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.fixture
def doc_id(ws):
    return documents.create_document(ws, "strategy", "Maritime Border Strategy")
