"""cryptography (~16 MB resident) loads only when a key or a signature is used."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_gate_without_signed_decisions_never_loads_cryptography(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from workbench import documents, sections
        from workbench.authority import approvals, decisions, keys, rulings, trust
        from workbench.coordination import gate
        from workbench.workspace import Workspace

        with Workspace.create({str(tmp_path / "w.cnew")!r}) as ws:
            doc = documents.create_document(ws, "strategy", "Strategy")
            sections.add_section(ws, doc, heading="Purpose", body="Why.")
            assert gate.publication_blockers(ws, doc).blockers
            assert not decisions.decisions(ws, doc) and not trust.keys_configured(ws)
            print("loaded before:", "cryptography" in sys.modules)
            keys.verify(b"not a certificate", b"data", b"signature")
            print("loaded after:", "cryptography" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["loaded before: False", "loaded after: True"]
