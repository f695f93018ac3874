"""LibreOffice for tests (tools/apt-packages-test): convert a file as another program saves it."""

from __future__ import annotations

import subprocess
from pathlib import Path


def convert(src: Path, to: str, outdir: Path, *, profile: Path | None = None) -> Path:
    """`src` converted by `soffice --headless --convert-to TO` into `outdir`; the new file's path.

    TO is LibreOffice's target, e.g. "pdf", "docx:MS Word 2007 XML", "xlsx:Calc Office Open
    XML". Its own user profile (beside `outdir` unless given) keeps runs apart.
    """
    profile = profile or outdir.parent / f"{outdir.name}-lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", to, "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return outdir / (src.stem + "." + to.split(":", 1)[0])


def pdf_text(pdf: Path, *, layout: bool = False) -> str:
    """The PDF's text by pdftotext (poppler-utils), pages split by form feeds."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout
