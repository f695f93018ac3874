"""A review packet carries the figures its sections place, under CNE's signature."""

from __future__ import annotations

import base64
import json

import pytest

from workbench import directory, documents, figures, sections
from workbench.coordination import requests as rq
from workbench.exchange.formats import ExchangeError
from workbench.exchange.packets import export_packet, read_packet
from workbench.markdown_model import figure_markdown

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    b'<rect width="200" height="100" fill="#1f3b63"/></svg>'
)


@pytest.fixture
def packet_path(ws, tmp_path):
    doc = documents.create_document(ws, "strategy", "Maritime")
    fid = figures.add_figure(ws, doc, SVG, alt="Patrol areas", caption="Stored")
    sections.add_section(
        ws,
        doc,
        heading="Operations",
        body=f"Cutters patrol.\n\n{figure_markdown(fid, 'Patrol areas', 'Eastern Pacific')}",
        equities=["USCG"],
    )
    sections.add_section(ws, doc, heading="Other", body="No figure here.", equities=["USCG"])
    directory.add_person(ws, "Jane Hale", organization="USCG", roles=["liaison"])
    rid = rq.create_request(ws, doc, "USCG", send=True)
    path = tmp_path / "uscg.cnereview"
    export_packet(ws, rid, path)
    return path, fid


def test_the_reviewer_gets_the_figures_the_sections_place(packet_path):
    path, fid = packet_path
    packet = read_packet(path)
    assert set(packet.figures) == {fid}
    image = packet.figures[fid]
    assert image.data == SVG and image.media_type == "image/svg+xml"
    assert packet.signature_problem == ""  # the figures are inside what CNE signed


def test_a_figure_changed_in_transit_is_refused(packet_path):
    path, _ = packet_path
    value = json.loads(path.read_bytes())
    other = SVG.replace(b"#1f3b63", b"#ff0000")
    value["figures"][0]["data"] = base64.b64encode(other).decode()
    path.write_text(json.dumps(value))
    with pytest.raises(ExchangeError, match="changed after CNE"):
        read_packet(path)
    # Even with its hash recomputed, the signature no longer holds.
    import hashlib

    value["figures"][0]["sha256"] = hashlib.sha256(other).hexdigest()
    path.write_text(json.dumps(value))
    with pytest.raises(ExchangeError, match="changed after CNE signed it"):
        read_packet(path)


def test_a_hostile_figure_in_an_unsigned_packet_is_refused(packet_path):
    path, _ = packet_path
    value = json.loads(path.read_bytes())
    del value["signature"]
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'
    import hashlib

    value["figures"][0].update(
        data=base64.b64encode(evil).decode(), sha256=hashlib.sha256(evil).hexdigest()
    )
    path.write_text(json.dumps(value))
    with pytest.raises(ExchangeError, match="script"):
        read_packet(path)
