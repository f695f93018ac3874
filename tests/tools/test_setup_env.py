"""tools/setup-env on a simulated machine: which apt and pip calls it makes, and when none."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIB_PACKAGES = ["libglib2.0-0", "libegl1", "poppler-utils"]
SYSTEM_TOOLS = ["bash", "env", "dirname", "grep", "tr", "cut", "cat", "sha256sum", "tail"]

# Stand-ins for the system tools; each logs its arguments to $FAKE_LOG.
FAKES = {
    "dpkg-query": """
# like the real one: exit 1 when any name asked for is not a known package
rc=0
for name in "$@"; do
  case "$name" in -*|'${Status}\\n') continue ;; esac
  if grep -qx "$name" "$FAKE_INSTALLED"; then echo "install ok installed"; else rc=1; fi
done
exit $rc
""",
    "apt-cache": 'grep -qx "$3" "$FAKE_AVAILABLE" && echo "Package: $3"; exit 0',
    "apt-get": 'echo "apt-get $*" >>"$FAKE_LOG"',
    "sudo": 'echo "sudo $1" >>"$FAKE_LOG"; exec "$@"',
    "id": 'echo "$FAKE_UID"',
    "python3": "exit 0",  # has venv and ensurepip, and is new enough
}
VENV_PYTHON = """
case "$1" in
  -V) echo "Python 3.11.2" ;;
  -m) echo "pip ${*:3}" >>"$FAKE_LOG"
      [ -z "$FAKE_OFFLINE" ] || { echo "no network" >&2; exit 1; } ;;
  *fetch-word-corpus) echo "word corpus" >>"$FAKE_LOG" ;;  # silent and offline once cached
esac
exit 0
"""


def _script(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


class Machine:
    """A copy of the set-up files with faked dpkg, apt, sudo and venv."""

    def __init__(self, root: Path):
        self.root = root
        (root / "tools").mkdir()
        for name in ("setup-env", "apt-packages", "apt-packages-test"):
            shutil.copy(REPO / "tools" / name, root / "tools" / name)
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        bin_dir = root / "fakebin"
        bin_dir.mkdir()
        sys_dir = root / "sysbin"  # only the plain tools the script uses: no real sudo or apt
        sys_dir.mkdir()
        for tool in SYSTEM_TOOLS:
            (sys_dir / tool).symlink_to(shutil.which(tool))
        for name, body in FAKES.items():
            _script(bin_dir / name, body)
        (root / ".venv" / "bin").mkdir(parents=True)
        _script(root / ".venv" / "bin" / "python", VENV_PYTHON)
        self.log = root / "calls.log"
        self.log.touch()
        self.installed = root / "installed"
        self.available = root / "available"
        self.env = {
            "PATH": f"{bin_dir}:{sys_dir}",
            "FAKE_LOG": str(self.log),
            "FAKE_INSTALLED": str(self.installed),
            "FAKE_AVAILABLE": str(self.available),
            "FAKE_UID": "1000",
            "FAKE_OFFLINE": "",
            "HOME": str(root),
        }

    def packages(self, extra: str = "") -> list[str]:
        names = ["python3", "python3-venv"]
        for list_name in ["apt-packages"] + (["apt-packages-test"] if extra else []):
            lines = (self.root / "tools" / list_name).read_text().splitlines()
            names += [line.strip() for line in lines if line.strip() and line[0] != "#"]
        return names

    def have(self, names, available=()) -> None:
        self.installed.write_text("".join(f"{n}\n" for n in names))
        self.available.write_text("".join(f"{n}\n" for n in available))

    def run(self, *args, **env):
        self.log.write_text("")
        result = subprocess.run(
            [shutil.which("bash"), str(self.root / "tools" / "setup-env"), *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result, self.log.read_text().splitlines()


@pytest.fixture
def machine(tmp_path) -> Machine:
    return Machine(tmp_path)


def test_t64_library_counts_as_installed_and_sudo_is_not_asked(machine):
    names = [p if p != "libglib2.0-0" else "libglib2.0-0t64" for p in machine.packages("test")]
    machine.have(names)
    result, calls = machine.run("test")
    assert result.returncode == 0, result.stderr
    assert not [c for c in calls if c.startswith(("sudo", "apt-get"))]


def test_missing_packages_use_the_t64_name_without_recommends_or_pip(machine):
    have = [p for p in machine.packages("test") if p not in LIB_PACKAGES]
    machine.have(have, available=["libglib2.0-0t64", "libegl1", "poppler-utils"])
    result, calls = machine.run("test")
    assert result.returncode == 0, result.stderr
    installs = [c for c in calls if c.startswith("apt-get") and " install " in c]
    assert len(installs) == 1
    words = installs[0].split()
    assert "--no-install-recommends" in words
    assert {"libglib2.0-0t64", "libegl1", "poppler-utils"} <= set(words)
    assert "libglib2.0-0" not in words and "python3-pip" not in words
    assert calls.count("sudo apt-get") == 2  # update and install, each once


def test_second_run_skips_pip_and_is_silent_and_works_offline(machine):
    machine.have(machine.packages("test"))
    first, calls = machine.run("test")
    assert first.returncode == 0, first.stderr
    assert [c for c in calls if c.startswith("pip")] == [
        "pip install --disable-pip-version-check -e .[test] -q"
    ]
    assert "word corpus" in calls  # the tests' Word files, after the packages
    assert "400 MB" in first.stdout  # the long first download is announced
    again, calls = machine.run("test", FAKE_OFFLINE="1")
    assert again.returncode == 0, again.stderr
    # The corpus is asked for on every test set-up (it does nothing once in place).
    assert calls == ["word corpus"] and again.stdout == "" and again.stderr == ""


def test_the_app_set_up_fetches_no_test_corpus(machine):
    machine.have(machine.packages())
    result, calls = machine.run()
    assert result.returncode == 0, result.stderr
    assert "word corpus" not in calls


def test_a_changed_pyproject_installs_again_and_offline_fails_in_few_lines(machine):
    machine.have(machine.packages())
    assert machine.run()[0].returncode == 0
    with open(machine.root / "pyproject.toml", "a") as fh:
        fh.write("\n# a new dependency\n")
    result, calls = machine.run(FAKE_OFFLINE="1")
    assert result.returncode == 1
    assert any(c.startswith("pip install") for c in calls)
    assert "offline?" in result.stderr and len(result.stderr.splitlines()) <= 6


def test_no_sudo_says_which_packages_are_missing(machine, tmp_path):
    machine.have([p for p in machine.packages() if p != "libegl1"])
    os.remove(machine.root / "fakebin" / "sudo")
    result, calls = machine.run()
    assert result.returncode == 1
    assert "sudo is not installed" in result.stderr and "libegl1" in result.stderr
