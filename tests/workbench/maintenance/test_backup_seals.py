"""A person-signed backup restores as verified even when the workspace it replaces is unreadable.

The seal carries the signer's certificate; with the workspace gone, it is judged by the backup's
own directory and the root the backup pins, and the words say so and show the fingerprint.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from db.errors import DamagedWorkspace
from tests import pki
from workbench import directory, documents
from workbench.authority import keys, trust
from workbench.authority.identity import acting_as
from workbench.cli import main as cli
from workbench.maintenance import backup_seals, backups
from workbench.workspace import Workspace

# Backups and restores of a workspace file (a shared workspace is backed up on its server).
pytestmark = pytest.mark.sqlite_only


def _signed_backup(ws, tmp_path, *, pin_root: bool):
    """A backup taken while the Director acts with her .p12 key open."""
    dana = directory.add_person(
        ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"]
    )
    documents.create_document(ws, "strategy", "Northern Border Strategy")
    if pin_root:
        root, _ = pki.hierarchy()
        trust.pin_trust_anchor(ws, root.der)
        ident = pki.make("Dana Reyes", issuer=root)
    else:
        root, ident = None, pki.make("Dana Reyes", kind="ec")
    trust.set_person_certificate(ws, dana, ident.der)
    signer = keys.load_pkcs12(ident.write_p12(tmp_path / "dana.p12"), "secret", person_id=dana)
    with acting_as(ws, "Dana Reyes"):
        ws.signer = signer
        backup = backups.take_backup(ws, "manual")
    ws.signer = None
    seal = json.loads(backup_seals.seal_path(backup).read_text())
    assert seal["head"]["signature"]["signer"] == "Dana Reyes"
    path = ws.path
    ws.close()
    return path, backup, root, ident


def _damage(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut off: it no longer opens
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    with pytest.raises(DamagedWorkspace):
        Workspace.open(path)


def test_restored_as_signed_by_the_backups_own_directory_and_pinned_root(ws, tmp_path, capsys):
    path, backup, root, _ = _signed_backup(ws, tmp_path, pin_root=True)
    _damage(path)
    words = backups.signature_words(path, backup)
    fp = keys.short_fingerprint(keys.fingerprint(root.der))
    assert words == (
        "signed by Dana Reyes (judged by the backup's own directory and the root it pins, "
        f"\u201cCNE Test Root CA\u201d, SHA-256 {fp}, as the workspace it would replace cannot "
        "be read)"
    )
    # No --unsigned needed: the signature is verified, and the words say against what.
    assert cli(["restore", str(path), str(backup)]) == 0
    out = capsys.readouterr().out
    assert "signed by Dana Reyes (judged by the backup's own directory" in out
    with Workspace.open(path, read_only=True) as again:
        assert [d.title for d in documents.list_documents(again)] == ["Northern Border Strategy"]


def test_without_a_pinned_root_the_words_show_the_certificate_to_compare(ws, tmp_path):
    path, backup, _, ident = _signed_backup(ws, tmp_path, pin_root=False)
    _damage(path)
    result = backups.restore_backup(path, backup)
    fp = keys.short_fingerprint(keys.fingerprint(ident.der))
    assert result.signature.describe() == (
        "signed by Dana Reyes (judged only by the backup's own directory, which holds their "
        f"certificate, SHA-256 {fp}, as the workspace it would replace cannot be read and the "
        "backup pins no root)"
    )


def test_while_the_workspace_reads_its_own_directory_judges_without_those_words(ws, tmp_path):
    path, backup, _, _ = _signed_backup(ws, tmp_path, pin_root=True)
    assert backups.signature_words(path, backup) == "signed by Dana Reyes"


def test_a_signed_backup_changed_afterwards_is_still_refused(ws, tmp_path):
    path, backup, _, _ = _signed_backup(ws, tmp_path, pin_root=True)
    conn = sqlite3.connect(str(backup))
    conn.execute("UPDATE documents SET title = 'Southern Border Strategy'")
    conn.commit()
    conn.close()
    _damage(path)
    with pytest.raises(DamagedWorkspace, match="was changed after it was taken"):
        backups.restore_backup(path, backup)


def test_a_seal_by_someone_the_backups_directory_does_not_hold_is_refused(ws, tmp_path):
    """The forger re-signs the seal with a certificate of their own naming the Director."""
    import base64

    from workbench.authority import canonical

    path, backup, _, _ = _signed_backup(ws, tmp_path, pin_root=True)
    sidecar = backup_seals.seal_path(backup)
    seal = json.loads(sidecar.read_text())
    head = {k: v for k, v in seal["head"].items() if k != "signature"}
    forger = pki.make("Dana Reyes", kind="ec")
    signer = keys.from_private_key(forger.key, forger.der, source="pkcs12")
    head["signature"] = {
        "certificate": base64.b64encode(forger.der).decode(),
        "value": base64.b64encode(signer.sign(canonical.canonical_json(head))).decode(),
        "signer": "Dana Reyes",
    }
    sidecar.write_text(json.dumps({**seal, "head": head}))
    _damage(path)
    with pytest.raises(DamagedWorkspace, match="signed by a key this workspace does not know"):
        backups.restore_backup(path, backup)
