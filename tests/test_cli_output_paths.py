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
