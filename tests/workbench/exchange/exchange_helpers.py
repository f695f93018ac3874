"""Helpers shared by the exchange tests."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests import libreoffice
from workbench import directory, documents, sections
from workbench.coordination import requests as rq

MARKING = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


def snapshot(ws) -> dict[str, list[tuple]]:
    """Every row of every table: a refused import must leave all of them as they were."""
    return {
        t: sorted(map(tuple, ws.db.execute(f'SELECT * FROM "{t}"').fetchall()), key=repr)
        for t in ws.db.table_names()
    }


@dataclass
class Review:
    doc_id: int
    request_id: int
    section_ids: list[int]


def make_review(ws) -> Review:
    doc_id = documents.create_document(
        ws, "strategy", "Maritime Border and Transit Zone Strategy", marking=MARKING
    )
    intro = sections.add_section(
        ws, doc_id, heading="Purpose", body="This strategy guides maritime interdiction."
    )
    threat = sections.add_section(
        ws,
        doc_id,
        parent_id=intro,
        heading="Threat",
        body="Self-propelled semi-submersibles carry most cocaine through the transit zone.",
        equities=["USCG"],
    )
    ops = sections.add_section(
        ws,
        doc_id,
        heading="Operations",
        body="The Coast Guard will patrol the Eastern Pacific with two cutters.\n\n"
        "CBP Air and Marine will fly maritime patrol aircraft.",
        equities=["USCG", "CBP"],
    )
    directory.add_person(
        ws,
        "Rear Admiral Jane Hale",
        title="Assistant Commandant for Operations",
        organization="USCG",
        email="jane.hale@uscg.example",
        roles=["liaison"],
    )
    rid = rq.create_request(ws, doc_id, "USCG", instructions="Review for accuracy.", send=True)
    return Review(doc_id, rid, [intro, threat, ops])


def resave_with_calc(path: Path, tmp_path: Path) -> Path:
    """The workbook as LibreOffice Calc saves it (tools/apt-packages-test): Calc rewrites the
    whole file in its own dialect (shared strings, styles, the hidden protected sheet)."""
    saved = libreoffice.convert(
        path, "xlsx:Calc Office Open XML", tmp_path / "calc", profile=tmp_path / "lo"
    )
    with zipfile.ZipFile(saved) as z:
        assert b"LibreOffice" in z.read("docProps/app.xml")  # really Calc's file now
    return saved
