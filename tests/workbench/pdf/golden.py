"""Golden references for the PDF: a fixed document, dumped as text with positions per page.

    .venv/bin/python -m tests.workbench.pdf.golden            # rewrite the golden dumps
    .venv/bin/python -m tests.workbench.pdf.golden --png DIR  # and render the pages to look at

Rewrite them only after looking at the rendered pages: the dump is what the test compares, the
pages are what a reader sees. Each line is `y x font size text` for one run of text as drawn
(points from the page's lower left, rounded to 0.1), pages in order, runs top to bottom.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader

from tests.workbench.pdf.conftest import make_snapshot
from workbench.images import inspect
from workbench.pdf import build_pdf

HERE = Path(__file__).resolve().parent / "golden"
CASES = ("document", "document-crm")


def _png() -> bytes:
    image = Image.new("RGB", (480, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, 472, 232], outline=(31, 59, 99), width=6)
    draw.ellipse([160, 40, 320, 200], fill=(230, 126, 34))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">'
    b'<rect x="4" y="4" width="312" height="112" fill="#dfe5ee" stroke="#1f3b63"/>'
    b'<text x="160" y="68" text-anchor="middle" font-size="22">Seizures by region</text></svg>'
)

BODY = (
    "The Office of Counternarcotics Enforcement coordinates departmental counternarcotics "
    "policy, interdiction operations and intelligence sharing across components, including "
    "the Coast Guard and Customs and Border Protection[^cbp], whose maritime patrol aircraft "
    "support the detection of self-propelled semi-submersibles in the Eastern Pacific.\n\n"
    '![Patrol areas](figure:1 "Patrol areas of the Eastern Pacific")\n\n'
    "See [§](section:30) for the ports, and the annual report at "
    "https://www.dhs.gov/publication/counternarcotics-enforcement-annual-report?year=2026&"
    "part=interdiction for the figures.\n\n"
    "| Component | Responsibility | Notes |\n|:---|---|--:|\n"
    "| USCG | Maritime interdiction and intergovernmental coordination[^t] | 12 |\n"
    "| CBP | Ports of entry<br>and the air domain | 3 |\n\n"
    "- Detect\n- Interdict\n  1. At sea\n  2. In the air\n\n"
    "> Interoperability across components is the first requirement.\n\n"
    "```\nseizures = 12 tons\n```\n\n"
    "Names in other scripts: 中华人民共和国, ひらがな, 대한민국, and 😀👍 ✅.\n\n"
    "[^cbp]: CBP Office of Field Operations; figures are provisional until the annual report.\n\n"
    "[^t]: Including the Joint Interagency Task Force South."
)


def golden_snapshot() -> tuple[dict, dict]:
    """(snapshot, figures): every feature the PDF has, published so its dates are fixed."""
    from workbench.images import FigureImage

    snap = make_snapshot(published=True, sections_count=3)
    snap["sections"][0]["body"] = BODY
    snap["sections"][2]["body"] = (
        "Second chapter, citing a note[^x] numbered after the first section's.\n\n"
        '![Chart](figure:2 "A vector chart")\n\n[^x]: A third note.'
    )
    snap["since_last_approval"] = {
        "version": 2,
        "published_at": "2026-06-01T12:00:00Z",
        "counts": {"added": 1, "removed": 0, "changed": 1, "moved": 0},
        "more": 0,
        "sections": [
            {
                "label": "1 Chapter heading 1",
                "number": "1",
                "old_number": "1",
                "status": "changed",
                "moved": False,
                "heading": [],
                "blocks": [
                    {
                        "op": "changed",
                        "kind": "paragraph",
                        "runs": [
                            ["equal", "They carry up to "],
                            ["delete", "ten"],
                            ["insert", "twelve"],
                            ["equal", " tons."],
                        ],
                    }
                ],
            }
        ],
    }
    png = _png()
    info = inspect(png)
    figures = {
        1: FigureImage(1, info.media_type, png, info.width, info.height, "Patrol areas", ""),
        2: FigureImage(2, "image/svg+xml", SVG, 320, 120, "Chart", ""),
    }
    return snap, figures


def render(case: str) -> bytes:
    snap, figures = golden_snapshot()
    return build_pdf(snap, include_crm=case.endswith("-crm"), figures=figures)


def dump(data: bytes) -> str:
    """Every run of text as drawn, with its position, font and size, page by page."""
    reader = PdfReader(io.BytesIO(data))
    out: list[str] = []
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        runs: list[tuple[float, float, str, float, str]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            name = str((font or {}).get("/BaseFont", "?")).split("+")[-1]
            scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 or 1.0
            runs.append((round(y, 1), round(x, 1), name, round(size * scale, 1), text))

        page.extract_text(visitor_text=visit)
        out.append(f"=== page {number} ({float(box.width):.0f} x {float(box.height):.0f})")
        images = sorted((img.image.width, img.image.height) for img in page.images)
        out += [f"image {w} x {h}" for w, h in images]
        for y, x, name, size, text in sorted(runs, key=lambda r: (-r[0], r[1])):
            out.append(f"{y:7.1f} {x:6.1f} {name} {size:g} {text.rstrip()!r}")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="also render every page into this folder")
    args = parser.parse_args(argv)
    HERE.mkdir(exist_ok=True)
    for case in CASES:
        data = render(case)
        (HERE / f"{case}.txt").write_text(dump(data), encoding="utf-8")
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            (args.png / f"{case}.pdf").write_bytes(data)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    str(args.png / f"{case}.pdf"),
                    str(args.png / case),
                ],
                check=True,
            )
        print(f"wrote {HERE / (case + '.txt')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
