"""Every file the app opens, damaged every way: a clear refusal (or a sound result), never a
traceback, and a refused import leaves the workspace exactly as it was."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from helpers import listing, populate

from db.errors import StoreError
from workbench import audit, sections
from workbench.errors import WorkbenchError
from workbench.maintenance.check import check_workspace
from workbench.workspace import Workspace

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
MUTATIONS = ["empty", "one byte", "half", "all but the last byte", "enormous", "png", "folder"]
FLIP_SEEDS = range(6)


def _mutate(sample: Path, target: Path, how: str, limit: int) -> Path:
    data = sample.read_bytes()
    if how == "folder":
        target.mkdir()
        return target
    if how == "enormous":
        with open(target, "wb") as fh:
            fh.write(data[:4096])
            fh.truncate(limit + 1)  # sparse: enormous on paper, instant to make
        return target
    out = {
        "empty": b"",
        "one byte": data[:1],
        "half": data[: len(data) // 2],
        "all but the last byte": data[:-1],
        "png": PNG,
    }[how]
    target.write_bytes(out)
    return target


def _flip(sample: Path, target: Path, seed: int) -> Path:
    rng = random.Random(seed)
    data = bytearray(sample.read_bytes())
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    target.write_bytes(bytes(data))
    return target


# -- the workspace file ---------------------------------------------------------------------------
@pytest.fixture
def sample_workspace(tmp_path) -> Path:
    path = tmp_path / "sample" / "good.cnew"
    path.parent.mkdir()
    with Workspace.create(path) as ws:
        ids = populate(ws)
        for n in range(15):
            sections.add_section(ws, ids["doc"], heading=f"Port {n}", body="Inspection. " * 300)
    return path


@pytest.mark.parametrize("how", MUTATIONS)
def test_a_damaged_workspace_file_is_refused_in_one_line(sample_workspace, tmp_path, how):
    folder = tmp_path / "opened"
    folder.mkdir()
    path = _mutate(sample_workspace, folder / "w.cnew", how, 2**32 - 1)
    before = listing(folder)
    with pytest.raises(StoreError) as info:
        Workspace.open(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert listing(folder) == before  # nothing written, no -wal/-shm/lock left beside it
    assert not check_workspace(path).ok


@pytest.mark.parametrize("seed", range(12))
def test_a_bit_flipped_workspace_opens_soundly_or_is_refused(sample_workspace, tmp_path, seed):
    path = _flip(sample_workspace, tmp_path / "flipped.cnew", seed)
    report = check_workspace(path)  # never raises, whatever the damage
    try:
        ws = Workspace.open(path)
    except StoreError as exc:
        assert "\n" not in str(exc)
        return
    try:
        if report.ok:
            # Undamaged where it matters: it reads and takes an edit.
            assert audit.verify_chain(ws) == []
            doc = next(iter(ws.db.query("SELECT id FROM documents")))["id"]
            sections.add_section(ws, doc, heading="After the flip")
        else:
            # Damage the check found must not be hidden: any failure is a clear StoreError.
            try:
                doc = next(iter(ws.db.query("SELECT id FROM documents")))["id"]
                sections.add_section(ws, doc, heading="After the flip", body="x" * 50_000)
            except StoreError as exc:
                assert "\n" not in str(exc)
            except Exception as exc:  # reads outside a use-case may still see raw damage
                import sqlite3

                assert isinstance(exc, sqlite3.DatabaseError | WorkbenchError), exc
    finally:
        ws.close()


def test_a_sound_workspace_padded_to_4_gb_still_opens_and_takes_edits(sample_workspace):
    with open(sample_workspace, "r+b") as fh:
        fh.truncate(2**32)  # trailing zeros beyond the pages the header counts
    assert check_workspace(sample_workspace).ok
    with Workspace.open(sample_workspace) as ws:
        doc = next(iter(ws.db.query("SELECT id FROM documents")))["id"]
        sections.add_section(ws, doc, heading="Still writable")
        assert audit.verify_chain(ws) == []
    assert check_workspace(sample_workspace).ok


def test_a_workspace_that_is_another_apps_database_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.cnew"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a CNE Workbench workspace"):
        Workspace.open(path)


# -- exchange files -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A workspace and valid samples of every exchange file, made the way users make them
    (once per module: building workbooks and Word files is the slow part)."""
    import docx

    from workbench.exchange.packets import export_packet
    from workbench.exchange.review import ReviewSession
    from workbench.exchange.workbook import export_request_workbook

    folder = tmp_path_factory.mktemp("samples")
    original = folder / "original.cnew"
    with Workspace.create(original) as ws:
        ids = populate(ws)
        packet = export_packet(ws, ids["request"], folder / "uscg.cnereview")
        session = ReviewSession.open(packet)
        session.set_reviewer("Rear Admiral J. Smith", "Assistant Commandant for Operations")
        session.add_comment(ids["s2"], "S", "Name the patrol assets.")
        session.set_position("concur_with_comment")
        response = session.export_response(folder / "uscg.response.json")
        workbook = export_request_workbook(ws, ids["request"], folder / "uscg.xlsx")
    d = docx.Document()
    d.add_heading("Northern Border Strategy", 1)
    d.add_paragraph("Ports of entry along the northern border.")
    d.save(folder / "draft.docx")
    md = folder / "draft.md"
    md.write_text("# Doctrine\n\n## Tenet 1 {kind=tenet}\n\nUnity of effort.\n", encoding="utf-8")
    samples = {
        "packet": packet,
        "response": response,
        "workbook": workbook,
        "docx": folder / "draft.docx",
        "markdown": md,
    }
    return original, samples


@pytest.fixture
def ws(made, tmp_path):
    """A fresh copy of the workspace the samples were made from (their tokens match it)."""
    original, _ = made
    path = tmp_path / "copy.cnew"
    shutil.copy(original, path)
    with Workspace.open(path) as w:
        yield w


@pytest.fixture
def exchange(made):
    return made[1]


def _open_as(kind: str, ws, path: Path):
    from workbench.exchange.drafts import import_draft
    from workbench.exchange.packets import read_packet
    from workbench.exchange.responses import import_response

    if kind == "packet":
        return read_packet(path)
    if kind in ("response", "workbook"):
        return import_response(ws, path)
    return import_draft(ws, path)


LIMITS = {"packet": 64_000_000, "response": 16_000_000, "workbook": 16_000_000}
KINDS = ["packet", "response", "workbook", "docx", "markdown"]
SUFFIX = {
    "packet": ".cnereview",
    "response": ".json",
    "workbook": ".xlsx",
    "docx": ".docx",
    "markdown": ".md",
}


def _state(ws) -> tuple:
    head = audit.entries(ws, limit=1)
    return (head[0].id if head else 0, ws.db.execute("PRAGMA data_version").fetchone())


def _refused_cleanly(ws, kind: str, path: Path) -> None:
    before = _state(ws)
    try:
        _open_as(kind, ws, path)
    except (WorkbenchError, StoreError) as exc:
        assert str(exc) and "Traceback" not in str(exc)
        assert _state(ws) == before, "a refused file changed the workspace"
        return
    # Accepted (e.g. a flip inside a packet's prose): the record stays sound.
    assert audit.verify_chain(ws) == []


@pytest.mark.parametrize("how", MUTATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_exchange_file_is_refused_cleanly(ws, exchange, tmp_path, kind, how):
    target = tmp_path / f"hostile{SUFFIX[kind]}"
    path = _mutate(exchange[kind], target, how, LIMITS.get(kind, 50 * 1024 * 1024))
    if kind == "markdown" and how in ("one byte", "half", "all but the last byte"):
        # A cut-off Markdown file is still Markdown: importing what is there is right.
        _refused_cleanly(ws, kind, path)
        return
    before = _state(ws)
    with pytest.raises((WorkbenchError, StoreError)) as info:
        _open_as(kind, ws, path)
    assert "\n" not in str(info.value).strip()
    assert _state(ws) == before


@pytest.mark.parametrize("seed", FLIP_SEEDS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_bit_flipped_exchange_file_is_refused_or_read_soundly(ws, exchange, tmp_path, kind, seed):
    path = _flip(exchange[kind], tmp_path / f"flipped{SUFFIX[kind]}", seed)
    _refused_cleanly(ws, kind, path)


@pytest.mark.parametrize("kind", ["response", "workbook", "docx", "markdown"])
def test_an_exchange_file_of_the_wrong_kind_is_refused(ws, exchange, tmp_path, kind):
    other = {"response": "packet", "workbook": "docx", "docx": "workbook", "markdown": "packet"}
    path = tmp_path / f"renamed{SUFFIX[kind]}"
    shutil.copy(exchange[other[kind]], path)
    if kind == "markdown":
        path.write_bytes(PNG)  # binary data under a .md name
    before = _state(ws)
    with pytest.raises((WorkbenchError, StoreError)):
        _open_as(kind, ws, path)
    assert _state(ws) == before
