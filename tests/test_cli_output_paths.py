"""No command writes its output over a workspace, its log files, or a link to it."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

import main

SPSS = "Self-Propelled"


@pytest.fixture
def demo_copy(tmp_path):
    path = tmp_path / "demo.cnew"
    assert main.main(["demo", str(path)]) == 0
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(argv, capsys, *, protect):
    before = _digest(protect)
    assert main.main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert _digest(protect) == before
    return err


def test_export_pdf_refuses_to_write_over_the_workspace(demo_copy, capsys):
    err = _refused(
        ["export-pdf", str(demo_copy), "-d", SPSS, "-o", str(demo_copy)], capsys, protect=demo_copy
    )
    assert "is a CNE Workbench workspace" in err
    assert main.main(["check", str(demo_copy)]) == 0


def test_crm_refuses_the_workspace_log_file(demo_copy, capsys):
    wal = demo_copy.with_name(demo_copy.name + "-wal")
    err = _refused(
        ["crm", str(demo_copy), "-d", SPSS, "--format", "csv", "-o", str(wal)],
        capsys,
        protect=demo_copy,
    )
    assert "belongs to the workspace demo.cnew" in err


def test_a_symlink_or_hard_link_to_the_workspace_is_refused(demo_copy, tmp_path, capsys):
    link = tmp_path / "innocent.pdf"
    os.symlink(demo_copy, link)
    hard = tmp_path / "also-innocent.xlsx"
    os.link(demo_copy, hard)
    _refused(["export-pdf", str(demo_copy), "-d", SPSS, "-o", str(link)], capsys, protect=demo_copy)
    _refused(
        ["crm", str(demo_copy), "-d", SPSS, "--format", "xlsx", "-o", str(hard)],
        capsys,
        protect=demo_copy,
    )


def test_dashboard_pdf_refuses_another_workspace_too(demo_copy, tmp_path, capsys):
    other = tmp_path / "renamed.bak"
    shutil.copy(demo_copy, other)
    _refused(["dashboard", str(demo_copy), "--pdf", str(other)], capsys, protect=other)


def test_closures_on_the_command_line(demo_copy, capsys):
    assert main.main(["closures", str(demo_copy), "add", "2026-12-03", "Snow closure"]) == 0
    assert "2026-12-03 is now an office closure" in capsys.readouterr().out
    assert main.main(["closures", str(demo_copy)]) == 0
    assert "2026-12-03  Snow closure" in capsys.readouterr().out
    assert main.main(["closures", str(demo_copy), "add", "2026-12-05", "Saturday"]) == 1
    assert "weekend" in capsys.readouterr().err
    assert main.main(["closures", str(demo_copy), "remove", "2026-12-03"]) == 0
    assert main.main(["closures", str(demo_copy), "--json"]) == 0
    assert capsys.readouterr().out.strip().endswith("[]")


@pytest.mark.parametrize("command", ["export-pdf", "export-docx"])
def test_an_export_the_disk_refuses_is_not_recorded_as_sent(demo_copy, tmp_path, capsys, command):
    """A full disk or read-only folder: one line, and the audit log does not claim the file left."""
    import errno

    from workbench import files

    def full_disk(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    entries = _audit_count(demo_copy)
    out = tmp_path / ("out.pdf" if command == "export-pdf" else "out.docx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(files, "write_atomic", full_disk)
        assert main.main([command, str(demo_copy), "-d", SPSS, "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert "No space left on device" in err and "\n" not in err
    assert not out.exists()
    assert _audit_count(demo_copy) == entries


def _audit_count(path) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()
