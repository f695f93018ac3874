"""Tools > Preferences: theme, spelling, backups on close, and the window's layout."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ui import settings as app_settings
from ui import theme
from ui.maintenance.install import SETTING_KEEP, SETTING_ON_CLOSE, backup_settings


class PreferencesDialog(QDialog):
    """Every choice applies at once and is remembered for this account."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")

        self.theme = QComboBox(self)
        self.theme.setAccessibleName("Theme")
        for key, label in theme.THEMES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(app_settings.theme())))
        self.theme.currentIndexChanged.connect(
            lambda _i: window.set_theme(self.theme.currentData())
        )
        look = QGroupBox("Appearance", self)
        form = QFormLayout(look)
        form.addRow("&Theme:", self.theme)

        spell = window.editor.spell
        self.spelling = QCheckBox("Check &spelling as you type", self)
        self.spelling.setChecked(spell.enabled and spell.available)
        self.spelling.setEnabled(spell.available)
        if not spell.available:
            self.spelling.setToolTip("No English dictionary: install hunspell-en-us")
        self.spelling.toggled.connect(window.spelling_action.setChecked)
        dictionary = QPushButton("Workspace &Dictionary…", self)
        dictionary.clicked.connect(window.open_dictionary)
        editing = QGroupBox("Editing", self)
        row = QHBoxLayout(editing)
        row.addWidget(self.spelling, 1)
        row.addWidget(dictionary)

        on_close, keep = backup_settings()
        self.back_up = QCheckBox("Back up the workspace when closing after changes", self)
        self.back_up.setChecked(on_close)
        self.back_up.toggled.connect(lambda on: _remember(SETTING_ON_CLOSE, on))
        self.keep = QSpinBox(self)
        self.keep.setAccessibleName("Backups to keep")
        self.keep.setRange(1, 100)
        self.keep.setValue(min(100, keep))
        self.keep.valueChanged.connect(lambda n: _remember(SETTING_KEEP, n))
        kept = QGroupBox("Backups", self)
        form = QFormLayout(kept)
        form.addRow(self.back_up)
        form.addRow("&Keep the newest:", self.keep)
        where = QLabel(f"Beside the workspace, in {window.ws.path.stem}.backups/", self)
        where.setObjectName("hint")
        form.addRow(where)

        reset = QPushButton("&Reset Window Layout", self)
        reset.setToolTip("Panels back where they were at first: beside and below the editor")
        reset.clicked.connect(window.reset_layout)
        layout_box = QGroupBox("Window", self)
        row = QHBoxLayout(layout_box)
        row.addWidget(QLabel("Panels, their sizes and places are remembered.", self), 1)
        row.addWidget(reset)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (look, editing, kept, layout_box):
            layout.addWidget(box)
        layout.addStretch(1)
        layout.addWidget(close)


def _remember(key: str, value) -> None:
    app_settings.settings().setValue(key, value)
