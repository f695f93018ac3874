"""The command line end to end: `workbench demo` and `workbench info`, exit codes, errors."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from db import migrations
from workbench.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.cnew"
    assert main.main(["demo", str(path)]) == 0
    return path


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


def test_demo_then_info_lists_the_documents(demo_file, capsys):
    assert main.main(["info", str(demo_file)]) == 0
    out = capsys.readouterr().out
    assert "Draft Counternarcotics Doctrine" in out
    assert "National Southwest Border Counternarcotics Strategy" in out
    assert len(out.strip().splitlines()) == 7


def test_info_json(demo_file, capsys):
    assert main.main(["info", str(demo_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == len(migrations.names())
    kinds = sorted(d["kind"] for d in data["documents"])
    assert kinds == sorted(
        ["doctrine", "strategy", "strategy", "strategy", "strategy", "report_to_congress", "study"]
    )
    report = next(d for d in data["documents"] if d["kind"] == "report_to_congress")
    assert report["due_date"] and report["sections"] > 0


def test_info_on_an_empty_workspace(tmp_path, capsys):
    Workspace.create(tmp_path / "empty.cnew").close()
    assert main.main(["info", str(tmp_path / "empty.cnew")]) == 0
    assert capsys.readouterr().out.strip() == "No documents."


def test_demo_refuses_an_existing_file_unless_forced(tmp_path, capsys):
    target = tmp_path / "taken.cnew"
    target.write_text("someone's notes")
    assert main.main(["demo", str(target)]) == 1
    assert "already exists" in _one_line_error(capsys)
    assert target.read_text() == "someone's notes"
    assert main.main(["demo", str(target), "--force"]) == 0
    assert "Demo workspace written" in capsys.readouterr().out
    with Workspace.open(target) as ws:
        assert ws.schema_version == len(migrations.names())


def test_info_on_a_missing_file(tmp_path, capsys):
    assert main.main(["info", str(tmp_path / "missing.cnew")]) == 1
    assert "does not exist" in _one_line_error(capsys)


def test_info_on_a_text_file(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("Meeting notes, not a workspace.\n")
    assert main.main(["info", str(text)]) == 1
    assert "not a CNE Workbench workspace" in _one_line_error(capsys)
    assert text.read_text() == "Meeting notes, not a workspace.\n"


def _newer_copy(src: Path, dest: Path) -> Path:
    shutil.copy(src, dest)
    conn = sqlite3.connect(dest)
    with conn:
        conn.execute(
            f"INSERT INTO {migrations.MIGRATIONS_TABLE} (migration_set, name, applied_at) "
            "VALUES (?, 'm999_from_the_future', '2030-01-01')",
            [migrations.SET_NAME],
        )
    conn.close()
    return dest


def test_info_on_a_workspace_from_a_newer_version(demo_file, tmp_path, capsys):
    newer = _newer_copy(demo_file, tmp_path / "newer.cnew")
    before = newer.read_bytes()
    assert main.main(["info", str(newer)]) == 1
    assert "newer CNE Workbench" in _one_line_error(capsys)
    assert newer.read_bytes() == before


def test_usage_errors_exit_2_with_one_line(capsys):
    assert main.main(["info"]) == 2
    assert "required" in _one_line_error(capsys)
    assert main.main(["no-such-command"]) == 2
    _one_line_error(capsys)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_main_py_as_a_process(demo_file, tmp_path):
    ok = _run("info", str(demo_file))
    assert ok.returncode == 0, ok.stderr
    assert "Northern Border Counternarcotics Strategy" in ok.stdout
    for bad in (
        tmp_path / "missing.cnew",
        _newer_copy(demo_file, tmp_path / "newer.cnew"),
        tmp_path / "t.txt",
    ):
        if bad.suffix == ".txt":
            bad.write_text("plain text\n")
        result = _run("info", str(bad))
        assert result.returncode == 1, (bad, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert str(bad) in result.stderr


def test_new_creates_an_empty_workspace_that_opens_and_refuses_to_overwrite(tmp_path, capsys):
    assert main.main(["new", str(tmp_path / "office")]) == 0
    created = tmp_path / "office.cnew"
    assert f"workbench open {created}" in capsys.readouterr().out
    with Workspace.open(created) as ws:
        from workbench import directory, documents

        assert documents.list_documents(ws) == []
        assert directory.organizations(ws)  # seeded with the DHS components
    before = created.read_bytes()
    assert main.main(["new", str(created)]) == 1
    assert str(created) in _one_line_error(capsys)  # refused, named as typed
    assert created.read_bytes() == before
    assert main.main(["new", str(tmp_path / "no" / "such" / "x.cnew")]) == 1
    assert "does not exist" in _one_line_error(capsys)
