"""export_docx and `workbench export-docx`: the draft or a published version, recorded."""

from __future__ import annotations

import docx

import main
from workbench import audit, demo, documents
from workbench.word import hooks
from workbench.workspace import Workspace


def _published(ws):
    return next(d for d in documents.list_documents(ws) if d.status == "published")


def test_cli_export_docx_published_version_with_crm(tmp_path, capsys):
    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    with Workspace.open(path) as ws:
        doc = _published(ws)
    out = tmp_path / "out.docx"
    rc = main.main(["export-docx", str(path), "-d", str(doc.id), "--crm", "-o", str(out)])
    assert rc == 0, capsys.readouterr().err
    assert "published version 1 with the CRM written to" in capsys.readouterr().out
    d = docx.Document(out)
    text = [p.text for p in d.paragraphs]
    assert doc.title in text and "Appendix: Comment Resolution Matrix" in text
    assert any(t.startswith("Approved for publication on") for t in text)
    props = hooks.read_custom_properties(out.read_bytes())
    assert props[hooks.PROPERTY_KIND] == "export"
    assert props[hooks.PROPERTY_DOCUMENT] == str(doc.id)
    with Workspace.open(path) as ws:
        (entry,) = audit.entries(ws, action_prefix="document.export_docx")
        assert entry.entity_id == doc.id


def test_cli_export_docx_refusals_are_one_line(tmp_path, capsys):
    path = tmp_path / "demo.cnew"
    demo.write_demo(path)
    out = tmp_path / "out.docx"
    for argv in (
        ["export-docx", str(path), "-d", "no such document", "-o", str(out)],
        ["export-docx", str(path), "-d", "Maritime", "--version", "9", "-o", str(out)],
        ["export-docx", str(path), "-d", "Maritime", "-o", str(tmp_path / "missing" / "x.docx")],
        ["export-docx", str(path), "-d", "Maritime", "-o", str(path)],
    ):
        assert main.main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, err
    assert not out.exists()
    with Workspace.open(path) as ws:
        assert audit.entries(ws, action_prefix="document.export_docx") == []
