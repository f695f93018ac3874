"""Word bench: export of a ~200-page document to .docx (target 3 s) and import of a Word file of
it (target 5 s), each beside LibreOffice converting the same file to PDF in the same run, as
wall time and as CPU time (ours: this process; LibreOffice's: its processes), since a shared
machine's load stretches wall times.

    .venv/bin/python bench/bench_word.py [--runs 3]

The document (bench/long_document.py): ~200 pages, 50 tables, 100 footnotes, 20 stored
figures. Import is timed on our own export and on the same file re-saved by LibreOffice (a Word
file another program wrote), each into a fresh workspace (read_draft + import_draft, figures
stored; our custom properties taken out of the re-save, so it is read as a foreign file, every
word counted). Prints a table and writes bench/out/word-latest.json; exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _soffice(src: Path, fmt: str, outdir: Path, profile: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of LibreOffice's processes) of one conversion."""
    started, cpu = time.perf_counter(), _children_cpu()
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
    return time.perf_counter() - started, _children_cpu() - cpu


def _median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def _without_our_properties(path: Path) -> Path:
    """LibreOffice keeps our custom properties, which tell the import the file is our own
    copy (and spare it the count of every word); without them it is read as a foreign file."""
    import zipfile

    out = path.with_name("foreign.docx")
    mention = re.compile(rb"<(?:Relationship|Override)\b[^>]*docProps/custom\.xml[^>]*/>")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, mention.sub(b"", src.read(info)))
    return out


def _export(path: Path, doc_id: int) -> bytes:
    from workbench.exports import export_source
    from workbench.word.export import docx_bytes
    from workbench.workspace import Workspace

    with Workspace.open(path) as ws:
        return docx_bytes(ws, export_source(ws, doc_id, None))


def _import(docx: Path, scratch: Path) -> tuple[tuple[float, float], dict]:
    from workbench import figures
    from workbench.exchange.drafts import import_draft
    from workbench.sections import outline, section
    from workbench.workspace import Workspace

    target = scratch / "import.cnew"
    for stale in scratch.glob("import.cnew*"):
        stale.unlink()
    with Workspace.create(target) as ws:
        started, cpu = time.perf_counter(), time.process_time()
        doc_id = import_draft(ws, docx)
        elapsed = (time.perf_counter() - started, time.process_time() - cpu)
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
            started, cpu = time.perf_counter(), time.process_time()
            data = _export(path, doc_id)
            export_times.append((time.perf_counter() - started, time.process_time() - cpu))
        ours.write_bytes(data)
        _soffice(ours, "pdf", scratch / "warm", profile)  # first start builds the profile
        lo_pdf = [_soffice(ours, "pdf", scratch, profile) for _ in range(args.runs)]
        pages = _pages(scratch / "long.pdf")
        resaved_dir = scratch / "libreoffice"
        _soffice(ours, "docx:MS Word 2007 XML", resaved_dir, profile)
        resaved = _without_our_properties(resaved_dir / "long.docx")
        lo_pdf_resaved = [
            _soffice(resaved, "pdf", scratch / "lo-pdf", profile) for _ in range(args.runs)
        ]
        imports = {}
        for label, docx in (("our export", ours), ("LibreOffice's re-save", resaved)):
            runs = [_import(docx, scratch) for _ in range(args.runs)]
            imports[label] = (_median([t for t, _ in runs]), runs[0][1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    export_s = _median(export_times)
    lo_s = _median(lo_pdf)
    lo_resaved_s = _median(lo_pdf_resaved)
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
    print(
        f"{'measure':30}{'wall s':>8}{'CPU s':>7}{'LO wall':>9}{'LO CPU':>8}"
        f"{'ratio wall':>12}{'ratio CPU':>11}{'target':>8}"
    )
    ok = True
    for label, ours_s, base, target in rows:
        passed = ours_s[0] <= target
        ok &= passed
        print(
            f"{label:30}{ours_s[0]:8.2f}{ours_s[1]:7.2f}{base[0]:9.2f}{base[1]:8.2f}"
            f"{ours_s[0] / base[0]:12.2f}{ours_s[1] / base[1]:11.2f}{target:8.1f}"
            f"  {'PASS' if passed else 'FAIL'} (wall)"
        )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("LibreOffice = soffice --headless --convert-to pdf of the same file, same run")
    (OUT / "word-latest.json").write_text(
        json.dumps(
            {
                "pages": pages,
                "docx_bytes": len(data),
                "export_s": export_s,  # (wall, CPU)
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
