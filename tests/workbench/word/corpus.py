"""The Word corpus: files other programs made, fetched by tools/fetch-word-corpus, plus ours.

`tools/setup-env test` puts the public projects' test files under .venv/word-corpus (see
tools/fetch-word-corpus for what and why); tests/fixtures/word holds the LibreOffice-made ones.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CACHE = REPO / ".venv" / "word-corpus"
FIXTURES = REPO / "tests" / "fixtures" / "word"
# Not Word files a user could hand us: a 168-byte zip without word/document.xml.
NOT_WORD = {"missing_relationships.docx"}


def files() -> list[Path]:
    """Every corpus .docx: the fetched ones, then the committed fixtures."""
    found = sorted(CACHE.rglob("*.docx")) if CACHE.exists() else []
    return found + sorted(FIXTURES.glob("*.docx"))


def find(name: str) -> Path:
    """The corpus file of that name (the first, if two projects ship one of the same name)."""
    for path in files():
        if path.name == name:
            return path
    raise AssertionError(f"{name} is not in the Word corpus; run tools/setup-env test")


def producer(path: Path) -> str:
    """Which program wrote the file, from docProps/app.xml (or the file's own name)."""
    try:
        with zipfile.ZipFile(path) as z:
            app = z.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        app = ""
    m = re.search(r"<Application>([^<]*)</Application>", app)
    name = m.group(1) if m else ""
    if "googledocs" in path.name:
        return "Google Docs"
    if name.startswith("Microsoft"):
        return "Microsoft Word"
    if name.startswith("LibreOffice"):
        return "LibreOffice"
    if name.startswith("python-docx") or not name:
        return "other (python-docx, hand-written XML)"
    return name
