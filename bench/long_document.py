"""One long document for the export, import and redline benches: about 200 pages with 50
tables, 100 footnotes and 20 stored figures, built through the app's own use-cases.

    from bench.long_document import long_document
    path, doc_id = long_document()          # cached in bench/out/, keyed by its parameters

The page count is LibreOffice's, measured by bench_word.py (about 200 at the defaults).
"""

from __future__ import annotations

import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
GENERATOR_VERSION = 1  # bump when the generated content changes
MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
TITLE = "Bench: Western Hemisphere Counternarcotics Strategy (long)"

WORDS = (
    "interdiction maritime vessel cocaine fentanyl precursor component liaison coordination "
    "strategy border enforcement intelligence partner federal tribal analysis operations "
    "detection cartel smuggling resources department policy transit zone semi-submersible "
    "Coast Guard port entry screening seizure corridor nation the of and to in a for with on "
    "by is are be that which this shall will as from"
).split()


def sentence(rng: random.Random, italic: float = 0.0) -> str:
    """A sentence of bench words, some bold, and with `italic` some italic (bench_pdf's prose)."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if italic and rng.random() < italic:  # no draw without it: the long document stays as it was
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, italic: float = 0.0) -> str:
    return " ".join(sentence(rng, italic) for _ in range(rng.randint(3, 6)))


def png(width: int, height: int, seed: int) -> bytes:
    """A colour-gradient PNG made here (no image files in the repository)."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row += bytes(((x * 255 // width + seed * 40) % 256, y * 255 // height, 160))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def _table(rng: random.Random) -> str:
    rows = "\n".join(
        f"| {rng.choice(WORDS)} | {sentence(rng)} | {rng.randint(1, 999)} |" for _ in range(8)
    )
    return "| Component | Responsibility | Assets |\n|---|---|--:|\n" + rows


def build(
    path: Path,
    *,
    sections: int = 300,
    paragraphs: int = 2,
    tables: int = 50,
    footnotes: int = 100,
    figures: int = 20,
    seed: int = 0,
) -> int:
    """Write the workspace at `path`; returns the document id."""
    from workbench import documents
    from workbench import figures as figure_store
    from workbench.markdown_model import figure_markdown
    from workbench.sections import add_section
    from workbench.workspace import Workspace

    rng = random.Random(seed)
    with Workspace.create(path) as ws:
        doc_id = documents.create_document(ws, "strategy", TITLE, marking=MARKING)
        figure_ids = [
            figure_store.add_figure(
                ws,
                doc_id,
                png(480, 270, n),
                alt=f"Chart {n + 1} of seizures by corridor",
                caption=f"Seizures by corridor, chart {n + 1}",
                source_name=f"chart-{n + 1}.png",
            )
            for n in range(figures)
        ]
        parent = None
        for i in range(sections):
            parts = [paragraph(rng) for _ in range(paragraphs)]
            if i % 3 == 0:
                parts.append("\n".join(f"- {sentence(rng)}" for _ in range(3)))
            # Spread tables, notes and figures evenly through the document.
            table_step = max(1, sections // max(1, tables))
            if tables and i % table_step == 0 and i // table_step < tables:
                parts.append(_table(rng))
            per = footnotes / sections
            cited = int((i + 1) * per) - int(i * per)
            for k in range(cited):
                n = int(i * per) + k + 1
                parts[0] += f" As reported[^{n}]."
                parts.append(f"[^{n}]: {sentence(rng)}")
            step = max(1, sections // max(1, figures))
            if figures and i % step == step // 2 and i // step < len(figure_ids):
                fig = figure_store.figure(ws, figure_ids[i // step])
                parts.insert(1, figure_markdown(fig.id, fig.alt, fig.caption))
            top = i % 4 == 0
            sid = add_section(
                ws,
                doc_id,
                parent_id=None if top else parent,
                heading=sentence(rng)[:60].rstrip("."),
                body="\n\n".join(parts),
            )
            if top:
                parent = sid
    return doc_id


def long_document(**params) -> tuple[Path, int]:
    """The cached workspace holding the long document (built on first use), and its id."""
    defaults = {"sections": 300, "paragraphs": 2, "tables": 50, "footnotes": 100, "figures": 20}
    key = "-".join(f"{k}{v}" for k, v in sorted({**defaults, "seed": 0, **params}.items()))
    path = OUT / f"long-document-v{GENERATOR_VERSION}-{key}.cnew"
    id_file = path.with_suffix(".id")
    if not (path.exists() and id_file.exists()):
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.cnew")
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        doc_id = build(tmp, **params)
        shutil.move(tmp, path)
        id_file.write_text(str(doc_id))
    return path, int(id_file.read_text())
