"""Word bench: export of a ~200-page document to .docx (target 3 s) and import of a Word file of
it (target 5 s), each beside LibreOffice converting the same file to PDF in the same run.

    .venv/bin/python bench/bench_word.py [--runs 3]

The document (bench/long_document.py): ~200 pages, 50 tables, 100 footnotes, 20 stored
figures. Import is timed on our own export and on the same file re-saved by LibreOffice (a Word
file another program wrote), each into a fresh workspace (read_draft + import_draft, figures
stored). Prints a table and writes bench/out/word-latest.json; exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.long_document import OUT, long_document  # noqa: E402

EXPORT_TARGET_S = 3.0
IMPORT_TARGET_S = 5.0


def _soffice(src: Path, fmt: str, outdir: Path, profile: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return time.perf_counter() - started


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def _export(path: Path, doc_id: int) -> bytes:
    from workbench.exports import export_source
    from workbench.word.export import docx_bytes
    from workbench.workspace import Workspace

    with Workspace.open(path) as ws:
        return docx_bytes(ws, export_source(ws, doc_id, None))


def _import(docx: Path, scratch: Path) -> tuple[float, dict]:
    from workbench import figures
    from workbench.exchange.drafts import import_draft
    from workbench.sections import outline, section
    from workbench.workspace import Workspace

    target = scratch / "import.cnew"
    for stale in scratch.glob("import.cnew*"):
        stale.unlink()
    with Workspace.create(target) as ws:
        started = time.perf_counter()
        doc_id = import_draft(ws, docx)
        elapsed = time.perf_counter() - started
        bodies = [section(ws, e.id).body for e in outline(ws, doc_id)]
        text = "\n".join(bodies)
        facts = {
            "sections": len(bodies),
            "tables": len(re.findall(r"^\|---", text, re.MULTILINE)),
            "footnotes": sum(b.count("\n[^") + b.startswith("[^") for b in bodies),
            "figures": len(figures.list_figures(ws, doc_id)),
        }
    return elapsed, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    path, doc_id = long_document()
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-word-", dir=OUT))
    try:
        profile = scratch / "lo-profile"
        ours = scratch / "long.docx"
        export_times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            data = _export(path, doc_id)
            export_times.append(time.perf_counter() - started)
        ours.write_bytes(data)
        _soffice(ours, "pdf", scratch / "warm", profile)  # first start builds the profile
        lo_pdf = [_soffice(ours, "pdf", scratch, profile) for _ in range(args.runs)]
        pages = _pages(scratch / "long.pdf")
        resaved_dir = scratch / "libreoffice"
        _soffice(ours, "docx:MS Word 2007 XML", resaved_dir, profile)
        resaved = resaved_dir / "long.docx"
        lo_pdf_resaved = [
            _soffice(resaved, "pdf", scratch / "lo-pdf", profile) for _ in range(args.runs)
        ]
        imports = {}
        for label, docx in (("our export", ours), ("LibreOffice's re-save", resaved)):
            runs = [_import(docx, scratch) for _ in range(args.runs)]
            imports[label] = (statistics.median(t for t, _ in runs), runs[0][1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    export_s = statistics.median(export_times)
    lo_s = statistics.median(lo_pdf)
    lo_resaved_s = statistics.median(lo_pdf_resaved)
    rows = [
        ("export to .docx", export_s, lo_s, EXPORT_TARGET_S),
        ("import our export", imports["our export"][0], lo_s, IMPORT_TARGET_S),
        (
            "import LibreOffice's re-save",
            imports["LibreOffice's re-save"][0],
            lo_resaved_s,
            IMPORT_TARGET_S,
        ),
    ]
    print(f"document: {pages} pages (LibreOffice), {len(data) / 1e6:.1f} MB .docx")
    for label, (_, facts) in imports.items():
        print(f"imported from {label}: {facts}")
    print(f"{'measure':32}{'seconds':>9}{'LibreOffice':>13}{'ratio':>8}{'target':>8}")
    ok = True
    for label, ours_s, base, target in rows:
        passed = ours_s <= target
        ok &= passed
        print(
            f"{label:32}{ours_s:9.2f}{base:13.2f}{ours_s / base:8.2f}{target:8.1f}"
            f"  {'PASS' if passed else 'FAIL'}"
        )
    print("LibreOffice = soffice --headless --convert-to pdf of the same file, same run")
    (OUT / "word-latest.json").write_text(
        json.dumps(
            {
                "pages": pages,
                "docx_bytes": len(data),
                "export_s": export_s,
                "libreoffice_pdf_s": lo_s,
                "libreoffice_resaved_pdf_s": lo_resaved_s,
                "imports": {k: {"seconds": v[0], **v[1]} for k, v in imports.items()},
                "runs": args.runs,
            },
            indent=2,
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
