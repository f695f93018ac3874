"""Signing a decision: a Director's waiver signed with a .p12 file key (the issue: <= 200 ms).

Baseline in the same run: the same waiver in a workspace without personal keys (sealed by the
workspace key). Also the bare signature of the canonical record, so the cost of signing is
told apart from the use-case's own work (the gate report it records, the audit entry).

    .venv/bin/python bench/bench_authority.py [--sections 200] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pki  # noqa: E402  (self-made certificates, as the tests use)
from workbench import directory, documents, sections  # noqa: E402
from workbench.authority import canonical, identity, keys, rulings, trust  # noqa: E402
from workbench.workspace import Workspace  # noqa: E402

ORGS = ("USCG", "CBP", "ICE", "DEA")


def _workspace(folder: Path, name: str, n_sections: int) -> tuple[Workspace, int]:
    ws = Workspace.create(folder / f"{name}.cnew")
    directory.add_person(ws, "Dana Reyes", title="Director", organization="CNE", roles=["director"])
    doc = documents.create_document(ws, "strategy", "Bench strategy")
    for i in range(n_sections):
        sections.add_section(
            ws, doc, heading=f"Section {i}", body="Text " * 80, equities=[ORGS[i % len(ORGS)]]
        )
    identity.act_as(ws, "Dana Reyes")
    return ws, doc


def _time(fn, repeat: int) -> list[float]:
    fn()  # warm: first reads, the workspace key made once
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _waive(ws, doc, signer=None):
    return lambda: rulings.waive_review(ws, doc, "CBP", reason="Bench waiver.", signer=signer)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sections", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CNE_WORKBENCH_KEYS"] = str(folder / "keys")
        os.environ["CNE_WORKBENCH_IDENTITY"] = str(folder / "identity.json")
        plain, plain_doc = _workspace(folder, "keyless", args.sections)
        opened = [plain]
        results = {"baseline: waiver sealed by the workspace key": _time(
            _waive(plain, plain_doc), args.repeat
        )}  # fmt: skip
        for kind in ("rsa", "ec"):
            # A workspace of its own per key, so each variant starts with no waivers of its own.
            signed, signed_doc = _workspace(folder, f"keyed-{kind}", args.sections)
            opened.append(signed)
            ident = pki.make("Dana Reyes", kind=kind)
            dana = identity.find_person(signed, "Dana Reyes").id
            trust.set_person_certificate(signed, dana, ident.der)
            signer = keys.load_pkcs12(ident.write_p12(folder / f"d-{kind}.p12"), "secret")
            signer = signer.with_person(dana)
            identity.act_as(signed, dana)
            results[f"waiver signed with a .p12 file key ({kind.upper()})"] = _time(
                _waive(signed, signed_doc, signer), args.repeat
            )
            record = canonical.canonical_json({"what": "waive", "gate": ["x" * 80] * 20})
            results[f"the signature alone ({kind.upper()})"] = _time(
                lambda s=signer, r=record: s.sign(r), args.repeat
            )
        base = statistics.median(results["baseline: waiver sealed by the workspace key"])
        print(f"{args.sections} sections, {args.repeat} runs each (median, p95 in ms)")
        for label, ms in results.items():
            med = statistics.median(ms)
            p95 = sorted(ms)[int(len(ms) * 0.95) - 1]
            print(f"  {label:50s} {med:8.2f} {p95:8.2f}   x{med / base:6.3f} of baseline")
        worst = max(
            statistics.median(v) for k, v in results.items() if k.startswith("waiver signed")
        )
        print(f"signing a decision with a file key: {worst:.1f} ms (bound 200 ms)")
        for ws in opened:
            ws.close()
    return 0 if worst <= 200 else 1


if __name__ == "__main__":
    raise SystemExit(main())
