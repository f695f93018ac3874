"""Top-level pytest setup: every test runs headless, in a home of its own."""

import atexit
import os
import shutil
import tempfile

# Settings, logs, the identity file, workspace keys, Qt's test-mode folders (~/.qttest) and
# LibreOffice's profile all live under HOME: the suite gets a throwaway one, so it never reads
# or writes the developer's real ones.
_home = tempfile.mkdtemp(prefix="cne-tests-home-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
for _name, _sub in (
    ("HOME", ""),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_CACHE_HOME", ".cache"),
):
    os.environ[_name] = os.path.join(_home, _sub)
    os.makedirs(os.environ[_name], exist_ok=True)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
pytest_plugins = ["pytester"]
