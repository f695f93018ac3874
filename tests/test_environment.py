"""The suite never touches the developer's own files: its home and the tracked fixtures."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

from PySide6.QtCore import QStandardPaths


def test_the_suite_runs_in_a_home_of_its_own(qapp):
    real = Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert Path.home() != real and "cne-tests-home-" in str(Path.home())
    # Where the app keeps its data (and Qt's test mode its ~/.qttest) is under it.
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert data.startswith(str(Path.home()))
