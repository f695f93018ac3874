"""The main window: navigator | section editor | panels, menus, status bar and save state.

Other parts hook in through `add_panel(name, widget, area)` and `add_menu(title)`, and
follow the window through its signals: `document_selected(int)`, `section_selected(int)`
(0 when no section is current) and `workspace_changed()` (after any write completes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTextEdit,
    QWidget,
)

from ui import messages, theme, window_layout
from ui import settings as app_settings
from ui.autosave import SAVED, Autosave
from ui.find_bar import FindBar
from ui.history import HistoryPanel
from ui.navigator import Navigator
from ui.operations import Operations
from ui.outline_actions import OutlineActions
from ui.section_editor import SectionEditor
from workbench import sections

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    document_selected = Signal(int)
    section_selected = Signal(int)
    workspace_changed = Signal()
    parts_ready = Signal()  # the parts (ui.app.parts()) are installed

    def __init__(
        self,
        ws,
        *,
        opener: Callable[[str | None], None] | None = None,
        reopen: Callable[[object], object] | None = None,
    ):
        super().__init__()
        self.ws = ws
        self.opener = opener  # opens another workspace (None path: ask the user)
        self.reopen = reopen  # opens a workspace path in a new window (after a restore)
        self.ops = Operations(ws, parent_widget=lambda: self)
        self.autosave = Autosave(self.ops, self)
        self.setWindowTitle(f"{ws.path.name} — CNE Workbench")
        self.setWindowIcon(theme.app_icon())
        self._closing = False
        self.parts_installed = False
        self.pdf_exports: list = []  # exports running (ui.pdf_export.PdfExport)

        self.navigator = Navigator(ws, self)
        self.editor = SectionEditor(ws, self.ops, self.autosave, self)
        self.panels = window_layout.PanelTabs(self)
        self.panels.setObjectName("panels")
        self.panels.setAccessibleName("Panels")
        self.panels.setDocumentMode(True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.editor)
        # In a scroll area: a wide panel scrolls rather than holding the window wide.
        self.splitter.addWidget(window_layout.scrolling(self.panels))
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([320, 720, 360])
        self.setCentralWidget(self.splitter)

        self.outline = OutlineActions(ws, self.ops, self.autosave, self.navigator, self)
        self.history = HistoryPanel(ws, self.ops, self.autosave, self)
        self.add_panel("History", self.history)

        self._build_status_bar()
        self._build_menus()

        self.navigator.document_selected.connect(self._document_selected)
        self.navigator.section_selected.connect(self._section_selected)
        self._saved_section: int | None = None  # set while a text-only save is being shown
        self.ops.job_finished.connect(self._job_finished)
        self.ops.busy_changed.connect(self._busy)
        self.autosave.state_changed.connect(self.save_state.setText)
        self.workspace_changed.connect(self._refresh)
        self.outline.undo_changed.connect(self._update_undo_text)
        # Ctrl+Return adds a section from the text too; the new section's heading is typed next.
        for name in ("add_section", "add_subsection"):
            self.editor.addAction(self.outline.actions[name])
        # Undo follows the last place worked: after an outline change (or a replace-all),
        # Ctrl+Z in a text field undoes that change until the user types again.
        self._outline_last = False
        self.outline.performed.connect(lambda: setattr(self, "_outline_last", True))
        self.editor.typed.connect(self._typed)
        # A word added from the spelling menu is undone like any other change (Edit > Undo).
        self.editor.spell.perform = self.outline.perform
        self.find_bar = FindBar(self)
        pl = self.editor.page_layout
        pl.insertWidget(pl.indexOf(self.editor.text_split), self.find_bar)
        self.find_bar.find_edit.textEdited.connect(self._typed)
        self.find_bar.replace_edit.textEdited.connect(self._typed)
        for field in (
            self.editor.body,
            self.editor.heading,
            self.find_bar.find_edit,
            self.find_bar.replace_edit,
        ):
            field.installEventFilter(self)
        self._heading_wanted: int | None = None
        self.outline.section_added.connect(self._want_heading_focus)
        self.editor.section_shown.connect(self._focus_new_heading)
        self._work_field: QWidget | None = None  # where typing goes; None: the outline
        QApplication.instance().focusChanged.connect(self._track_work)
        QApplication.instance().focusChanged.connect(self._update_undo_text)

        self.navigator.reload()
        window_layout.restore_place(self)
        # What View > Reset Window Layout goes back to (the docks' arrangement is taken once
        # the parts have added theirs).
        self._default_splitters = (self.splitter.saveState(), self.editor.text_split.saveState())
        self._default_state: QByteArray | None = None
        self._restore_layout()
        self._update_undo_text()

    # -- composition: the API other parts use -------------------------------------------------
    def add_panel(self, name: str, widget: QWidget, area: str = "right") -> QWidget:
        """Add a panel: `right` is a tab beside the editor; `bottom`/`left` dock widgets."""
        widget.setAccessibleName(widget.accessibleName() or name)
        if area == "right":
            self.panels.addTab(widget, name)
            return widget
        dock = QDockWidget(name, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(window_layout.scrolling(widget))
        where = {
            "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
            "left": Qt.DockWidgetArea.LeftDockWidgetArea,
        }[area]
        self.addDockWidget(where, dock)
        dock.visibilityChanged.connect(self._sync_view_toggles)
        toggle = dock.toggleViewAction()
        # Shown from the View menu, a panel comes to the front: it would otherwise come back
        # behind whichever panel's tab it shares its place with.
        toggle.triggered.connect(lambda shown, d=dock: shown and d.raise_())
        self.view_menu.addAction(toggle)
        return dock

    def finish_parts(self) -> None:
        """Called once the parts are installed: their docks exist now, so the saved dock
        layout can be applied to them too."""
        self.parts_installed = True
        self._default_state = self.saveState()
        value = app_settings.settings().value("window/state")
        if isinstance(value, QByteArray | bytes):
            self.restoreState(value)
        else:  # first run: the panels below get a quarter of the height, the editor the rest
            QTimer.singleShot(0, lambda: window_layout.default_bottom_height(self))
        window_layout.restore_tabs(self)
        from ui import accessibility  # after the first paint, as the parts are

        accessibility.name_controls(self)  # every control the parts added has a name
        QTimer.singleShot(0, self._sync_view_toggles)  # docks show on the next turn
        self.parts_ready.emit()

    @property
    def closing(self) -> bool:
        return self._closing

    def show_panel(self, widget: QWidget) -> None:
        index = self.panels.indexOf(widget)
        if index >= 0:
            self.panels.setCurrentIndex(index)

    def add_menu(self, title: str) -> QMenu:
        """A top-level menu placed before Help."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        self.watch_menu(menu)
        return menu

    # -- building ----------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.save_state = QLabel(SAVED, self)
        self.save_state.setAccessibleName("Save state")
        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setAccessibleName("Progress")
        self.busy_bar.hide()
        # The file's name, its folder in the tooltip: a whole path took the bar's width, and
        # a passing message ("Workspace checked…") was cut to a word beside it.
        self.path_label = QLabel(self.ws.path.name, self)
        self.path_label.setToolTip(str(self.ws.path))
        self.path_label.setAccessibleName("Workspace file")
        # A shared workspace is named by its own part ("Shared: strategy on db.example"), not
        # by its URL here: a Unix socket's escaped path says nothing to a reader.
        self.path_label.setVisible(not self.ws.shared)
        # Permanent: a passing message ("Workspace checked…") must never hide whether the
        # typing is saved, nor be drawn over it.
        bar.addPermanentWidget(self.save_state)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.busy_bar)
        bar.addPermanentWidget(self.path_label)

    def _action(self, menu: QMenu, text: str, slot, shortcut=None, name: str = "") -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        SK = QKeySequence.StandardKey
        file = bar.addMenu("&File")
        self._action(file, "&New Workspace…", lambda: self._open_other(new=True), SK.New)
        self._action(file, "&Open…", lambda: self._open_other(), SK.Open, "open")
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addSeparator()
        self._action(file, "&Import Review Response…", self.import_response, None, "importResponse")
        self._action(file, "Import &Draft…", self.import_draft, "Ctrl+Shift+I", "importDraft")
        self._action(file, "&Export PDF…", self.export_pdf, "Ctrl+E", "exportPdf")
        self._action(file, "Export to &Word…", self.export_docx, "Ctrl+Shift+E", "exportDocx")
        self._action(file, "Export Red&line…", self.export_redline, "Ctrl+Alt+E", "exportRedline")
        file.addSeparator()
        self.save_action = self._action(file, "Sa&ve Now", self.autosave.flush_now, SK.Save)
        self.save_action.setStatusTip("Changes save automatically; this writes them right away")
        file.addSeparator()
        self._action(file, "&Close Window", self.close, SK.Close)
        self._action(file, "&Quit", QApplication.closeAllWindows, SK.Quit)

        edit = bar.addMenu("&Edit")
        # One Undo/Redo pair that follows the focus: in a text field it undoes typing there,
        # anywhere else it undoes the last outline change (add, move, delete, indent, outdent).
        self.undo_action = self._action(edit, "&Undo", self.undo, SK.Undo, "undo")
        self.redo_action = self._action(edit, "&Redo", self.redo, SK.Redo, "redo")
        edit.addSeparator()
        for text, method, key, name in (
            ("Cu&t", "cut", SK.Cut, "cut"),
            ("&Copy", "copy", SK.Copy, "copy"),
            ("&Paste", "paste", SK.Paste, "paste"),
            ("Select &All", "selectAll", SK.SelectAll, "selectAll"),
        ):
            self._action(edit, text, lambda m=method: self._edit_field(m), key, name)
        edit.addSeparator()
        self._action(edit, "&Find…", lambda: self.find_bar.open_find(), SK.Find, "find")
        self._action(
            edit,
            "Find and R&eplace…",
            lambda: self.find_bar.open_find(replace=True),
            "Ctrl+H",
            "replace",
        )
        self._action(edit, "Find &Next", lambda: self.find_bar.find_next(), SK.FindNext)
        self._action(edit, "Find Pre&vious", lambda: self.find_bar.find_previous(), SK.FindPrevious)
        self.edit_menu = edit

        doc = bar.addMenu("&Document")
        for name in (
            "new_document",
            "rename_document",
            "delete_document",
            None,
            "add_section",
            "add_subsection",
            "add_tenet",
            "add_action_item",
            "add_appendix",
            None,
            "indent",
            "outdent",
            "move_up",
            "move_down",
            "delete_section",
        ):
            if name is None:
                doc.addSeparator()
            else:
                doc.addAction(self.outline.actions[name])
        doc.addSeparator()
        self._action(doc, "Snapshot &Revision…", lambda: self.history.snapshot())

        self.view_menu = bar.addMenu("&View")
        theme_menu = self.view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        current = app_settings.theme()
        for key, label in theme.THEMES.items():
            action = theme_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(key == current)
            action.setObjectName(f"theme-{key}")
            action.triggered.connect(lambda _=False, k=key: self.set_theme(k))
            group.addAction(action)
        self._action(self.view_menu, "Show &History", lambda: self.show_panel(self.history))
        self._action(
            self.view_menu, "Document &Preview", self.preview_document, "Ctrl+Shift+P", "preview"
        )
        self.view_menu.addSeparator()
        self.side_action = self._action(
            self.view_menu, "Si&de Panels", lambda: None, "Ctrl+Shift+L", "sidePanels"
        )
        self.side_action.setCheckable(True)
        self.side_action.toggled.connect(lambda on: window_layout.set_side_shown(self, on))
        self.bottom_action = self._action(
            self.view_menu, "Panels &Below", lambda: None, "Ctrl+Shift+J", "bottomPanels"
        )
        self.bottom_action.setCheckable(True)
        self.bottom_action.toggled.connect(lambda on: window_layout.set_bottom_shown(self, on))
        self.view_menu.aboutToShow.connect(self._sync_view_toggles)
        self._action(self.view_menu, "&Reset Window Layout", self.reset_layout, None, "resetLayout")
        self.view_menu.addSeparator()

        tools = bar.addMenu("&Tools")
        self._action(tools, "&Directory…", self.open_directory, "Ctrl+Shift+D")
        spell = self.editor.spell
        self.spelling_action = tools.addAction("Check &Spelling as You Type")
        self.spelling_action.setObjectName("spelling")
        self.spelling_action.setCheckable(True)
        self.spelling_action.setChecked(spell.enabled)
        self.spelling_action.toggled.connect(spell.set_enabled)
        # Whether a dictionary is installed is asked when the menu opens: asking loads the
        # spelling library and its providers (a quarter of a second before the first paint).
        tools.aboutToShow.connect(self._sync_spelling_action)
        self._action(tools, "&Workspace Dictionary…", self.open_dictionary, None, "dictionary")
        tools.addSeparator()
        self._action(tools, "&Preferences…", self.open_preferences, "Ctrl+,", "preferences")

        self.help_menu = bar.addMenu("&Help")
        self._action(
            self.help_menu, "&Getting Started", self.getting_started, None, "gettingStarted"
        )
        self._action(
            self.help_menu, "&Keyboard Shortcuts", self.keyboard_shortcuts, "Ctrl+/", "shortcuts"
        )
        self.help_menu.addSeparator()
        self._action(self.help_menu, "&About CNE Workbench", self._about, None, "about")
        for menu in (file, edit, doc, self.view_menu, tools, self.help_menu):
            self.watch_menu(menu)

    def _sync_spelling_action(self) -> None:
        """Check Spelling as You Type is on only with a dictionary to check against."""
        spell, action = self.editor.spell, self.spelling_action
        action.blockSignals(True)  # a missing dictionary does not switch the user's choice off
        action.setChecked(spell.enabled and spell.available)
        action.blockSignals(False)
        action.setEnabled(spell.available)
        tip = "" if spell.available else "No English dictionary: install hunspell-en-us"
        action.setStatusTip(tip)

    def watch_menu(self, menu: QMenu) -> None:
        """After the menu closes, the focus goes back to where the user was working."""
        menu.aboutToHide.connect(self._return_focus)

    # -- reacting ----------------------------------------------------------------------------
    def _document_selected(self, doc_id: int) -> None:
        self.history.set_document(doc_id or None)
        self.document_selected.emit(doc_id)

    def _section_selected(self, section_id: int) -> None:
        self.editor.show_section(section_id or None)
        self.section_selected.emit(section_id)

    def _typed(self, *_args) -> None:
        if self._outline_last:
            self._outline_last = False
            self._update_undo_text()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt override)
        # The fields take Ctrl+Z for themselves; leave it to the window's Undo while the last
        # thing the user did was an outline change, so that change is what gets undone.
        if event.type() == QEvent.Type.ShortcutOverride and self._outline_last:
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            ):
                event.ignore()
                return True
        return super().eventFilter(obj, event)

    def _want_heading_focus(self, section_id: int) -> None:
        self._heading_wanted = section_id
        if self.editor.section_id == section_id:
            self._focus_new_heading(section_id)

    def _focus_new_heading(self, section_id: int) -> None:
        if section_id and section_id == self._heading_wanted:
            self._heading_wanted = None
            self.editor.heading.setFocus(Qt.FocusReason.OtherFocusReason)

    def _job_finished(self, job) -> None:
        self._saved_section = self._text_only_save(job)
        try:
            self.workspace_changed.emit()
        finally:
            self._saved_section = None

    def text_only_save(self) -> int | None:
        """While workspace_changed is delivered: the section an autosave changed the text of,
        when nothing else changed (None for any other write)."""
        return self._saved_section

    def _text_only_save(self, job) -> int | None:
        """The section an autosave wrote when it left every outline label as it was."""
        if job.fn is not sections.edit_section:
            return None
        section_id = job.args[0]
        heading = job.kwargs.get("heading")
        shown = self.navigator.shown_heading(section_id)
        if heading is not None and shown is not None and heading != shown:
            return None
        return section_id

    def _refresh(self) -> None:
        if self._saved_section is not None:
            # Typing changes no number or heading: re-reading outlines would stall the typist.
            # The document row may still change (a published document becomes a draft).
            self.navigator.update_document_of(self._saved_section)
            self.editor.refresh_document()
        else:
            self.navigator.reload()
            self.editor.refresh()
        self.history.refresh()
        self.editor.spell.reload_words()  # the dictionary or the directory may have changed
        self._update_undo_text()

    def _busy(self, busy: bool, label: str) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setText(label if busy else "")

    @staticmethod
    def _editable(w) -> bool:
        return isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit) and not w.isReadOnly()

    def _track_work(self, _old, new) -> None:
        """Remember where the user works: a text field, or the outline (any other control of
        this window). Menus and the menu bar are only passing through, so they change nothing."""
        if new is None or isinstance(new, QMenu | QMenuBar) or new.window() is not self:
            return
        self._work_field = new if self._editable(new) else None

    def _text_field(self) -> QWidget | None:
        """The text field that Undo, Cut, Paste... act on: the focused one, or while a menu
        has the keyboard, the one the user was working in before it opened."""
        w = QApplication.focusWidget()
        if self._editable(w):
            return w
        if w is None or isinstance(w, QMenu | QMenuBar) or w.window() is not self:
            field = self._work_field
            if field is not None and shiboken6.isValid(field) and field.isVisible():
                return field
        return None

    def _return_focus(self) -> None:
        field = self._text_field()
        if field is not None:
            # After the menu has closed: the menu bar would otherwise keep the keyboard.
            QTimer.singleShot(0, lambda: self._focus_field(field))

    def _focus_field(self, field: QWidget) -> None:
        if not shiboken6.isValid(field) or self._closing or QApplication.focusWidget() is field:
            return
        if any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets()):
            return  # the menu's command opened a dialog: it keeps the keyboard
        self.activateWindow()  # closing a popup can leave no window active
        field.setFocus(Qt.FocusReason.PopupFocusReason)

    def _edit_field(self, method: str) -> None:
        field = self._text_field()
        if field is not None:
            getattr(field, method)()

    def _undo_field(self) -> QWidget | None:
        """Where Undo goes: the text field worked in, unless an outline change came after."""
        return None if self._outline_last else self._text_field()

    def undo(self) -> None:
        field = self._undo_field()
        if field is not None:
            field.undo()
        else:
            self.outline.undo()

    def redo(self) -> None:
        field = self._undo_field()
        if field is not None:
            field.redo()
        else:
            self.outline.redo()

    def _update_undo_text(self, *_args) -> None:
        if self._closing:
            return
        stack = self.outline.stack
        if self._undo_field() is not None:
            self.undo_action.setText("&Undo Typing")
            self.redo_action.setText("&Redo Typing")
            self.undo_action.setEnabled(True)
            self.redo_action.setEnabled(True)
        else:
            self.undo_action.setText(f"&Undo {stack.undo_text}" if stack.can_undo else "&Undo")
            self.redo_action.setText(f"&Redo {stack.redo_text}" if stack.can_redo else "&Redo")
            self.undo_action.setEnabled(stack.can_undo)
            self.redo_action.setEnabled(stack.can_redo)

    # -- commands ----------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        app_settings.set_theme(name)
        theme.apply(QApplication.instance(), name)
        self.editor.highlighter.set_palette(QApplication.palette())

    def open_preferences(self):
        from ui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self)
        dialog.open()
        self.preferences_dialog = dialog  # kept referenced while it is open
        return dialog

    def reset_layout(self) -> None:
        """Panels back where a first start puts them: tabs beside the editor, docks below."""
        splitter, text_split = self._default_splitters
        self.splitter.restoreState(splitter)
        self.editor.text_split.restoreState(text_split)
        if self._default_state is not None:
            self.restoreState(self._default_state)
            for dock in window_layout.bottom_docks(self):
                dock.show()
            QTimer.singleShot(0, lambda: window_layout.default_bottom_height(self))
        QTimer.singleShot(0, self._sync_view_toggles)

    def open_dictionary(self):
        from ui.dictionary_dialog import DictionaryDialog

        dialog = DictionaryDialog(
            self.ws, self.ops, self, on_changed=self.editor.spell.reload_words
        )
        dialog.open()
        self.dictionary_dialog = dialog  # kept referenced while it is open
        return dialog

    def open_directory(self):
        from ui.directory_dialog import DirectoryDialog  # dialogs load when first opened

        dialog = DirectoryDialog(self.ws, self.ops, self)
        dialog.finished.connect(lambda _r: self.workspace_changed.emit())
        dialog.open()
        return dialog

    def import_response(self) -> None:
        from ui.review.importing import import_response_file

        import_response_file(self, self.ops, on_done=lambda _r: self.workspace_changed.emit())

    def export_pdf(self) -> None:
        from ui.pdf_export import export_current_document

        export_current_document(self)

    def export_redline(self) -> None:
        from ui.redline_export import export_redline

        export_redline(self)

    def import_draft(self) -> None:
        from ui.draft_import import import_draft_file

        import_draft_file(self)

    def export_docx(self) -> None:
        from ui.word_export import export_current_document

        export_current_document(self)

    def _open_other(self, new: bool = False) -> None:
        if self.opener is not None:
            self.opener("new" if new else None)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in app_settings.recent_workspaces():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.opener and self.opener(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def _about(self) -> None:
        from ui import help as help_ui

        messages.info(self, "About CNE Workbench", help_ui.about_text(self))

    def preview_document(self) -> QDialog | None:
        """The whole current document as it will read (numbered, with its marking)."""
        from ui.document_preview import DocumentPreview

        doc_id = self.navigator.current_document_id()
        if doc_id is None:
            self.statusBar().showMessage("Select a document to preview.", 5000)
            return None
        dialog = DocumentPreview(self, doc_id)
        dialog.show()
        return dialog

    def keyboard_shortcuts(self) -> QDialog:
        from ui import help as help_ui

        dialog = help_ui.ShortcutsDialog(self)
        dialog.open()
        return dialog

    def getting_started(self) -> QDialog:
        from ui import help as help_ui

        dialog = help_ui.GettingStartedDialog(self)
        dialog.open()
        return dialog

    def _sync_view_toggles(self, *_args) -> None:
        if self._closing:
            return
        for action, shown in (
            (self.side_action, window_layout.side_shown(self)),
            (self.bottom_action, window_layout.bottom_shown(self)),
        ):
            action.blockSignals(True)
            action.setChecked(shown)
            action.blockSignals(False)

    # -- layout memory and closing -----------------------------------------------------------
    def _restore_layout(self) -> None:
        s = app_settings.settings()
        for key, restore in (
            ("window/geometry", self.restoreGeometry),
            ("window/state", self.restoreState),
            ("window/splitter", self.splitter.restoreState),
            ("window/textSplit", self.editor.text_split.restoreState),
        ):
            value = s.value(key)
            if isinstance(value, QByteArray | bytes):
                restore(value)

    def _save_layout(self) -> None:
        s = app_settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        if self.parts_installed:  # otherwise the parts' docks would drop out of the layout
            s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/textSplit", self.editor.text_split.saveState())

    def _finish_background_work(self, timeout: float = 60.0) -> None:
        """Let running exports end before the writer stops: each one's audit entry is queued on
        the writer when it finishes, and the file it writes must not be left half done."""
        if not self.pdf_exports:
            return
        self.statusBar().showMessage("Finishing the PDF export before closing…")
        deadline = time.monotonic() + timeout
        for job in list(self.pdf_exports):
            while not job.wait(0.05):
                QApplication.processEvents()
                if time.monotonic() > deadline:
                    job.cancel()  # a stuck export is given up, not waited on for ever
        QApplication.processEvents()  # deliver its "done", which queues the audit entry

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._closing:
            event.accept()
            return
        if not self.autosave.flush_sync(timeout=10.0):
            if not messages.confirm(
                self,
                "Unsaved changes",
                "Some typing could not be saved to the workspace "
                f"({self.autosave.state}).\n\nClose anyway and lose it?",
                ok="Close without saving",
            ):
                event.ignore()
                return
        self._closing = True
        window_layout.save_place(self)
        QApplication.instance().focusChanged.disconnect(self._update_undo_text)
        QApplication.instance().focusChanged.disconnect(self._track_work)
        self._save_layout()
        self._finish_background_work()
        self.ops.shutdown()
        self.ws.close()
        log.info("Closed %s", self.ws.path)
        event.accept()
