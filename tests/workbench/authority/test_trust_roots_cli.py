"""Pinning and unpinning a trust root from the command line, as the Trust Roots dialog does."""

from __future__ import annotations

from tests import pki
from workbench.authority import keys, trust
from workbench.cli import main as cli
from workbench.workspace import Workspace


def test_pin_list_and_unpin_a_root(ws, tmp_path, capsys):
    root, issuing = pki.hierarchy()
    (tmp_path / "root.pem").write_bytes(root.pem)
    (tmp_path / "issuing.der").write_bytes(issuing.der)
    path = str(ws.path)
    ws.close()
    assert cli(["roots", path]) == 0
    assert "No trust root is pinned" in capsys.readouterr().out
    assert cli(["pin-root", path, str(tmp_path / "root.pem")]) == 0
    assert cli(["pin-root", path, str(tmp_path / "issuing.der")]) == 0
    capsys.readouterr()
    assert cli(["roots", path]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [
        keys.fingerprint(root.der),
        keys.fingerprint(issuing.der),
    ]
    assert cli(["unpin-root", path, "ffff"]) == 1
    assert "matches no pinned root" in capsys.readouterr().err
    assert cli(["unpin-root", path, keys.fingerprint(root.der)[:12]]) == 0
    assert capsys.readouterr().out.strip() == "Unpinned CNE Test Root CA."
    with Workspace.open(path) as again:
        assert trust.trust_anchors(again) == [issuing.der]
