"""Every refused import says why in plain words and leaves the workspace exactly as it was."""

from __future__ import annotations

import json

import pytest
from exchange_helpers import make_review, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.coordination import requests as rq
from workbench.errors import WorkbenchError
from workbench.exchange.formats import MAX_RESPONSE_BYTES, ExchangeError
from workbench.exchange.packets import export_packet
from workbench.exchange.responses import import_response
from workbench.exchange.review import ReviewSession
from workbench.workspace import Workspace


@pytest.fixture
def response(ws, review, tmp_path):
    packet = export_packet(ws, review.request_id, tmp_path / "uscg.cnereview")
    session = ReviewSession.open(packet)
    session.add_comment(
        session.packet.sections[0].section_id,
        "C",
        "SPSS figures are out of date.",
        critical_ground="policy",
        quoted_passage="most cocaine",
    )
    session.set_reviewer("Rear Admiral Jane Hale")
    session.set_position("non_concur")
    return session.export_response(tmp_path / "uscg.cneresponse")


def _refused(ws, path, match):
    before = snapshot(ws)
    with pytest.raises(ExchangeError, match=match):
        import_response(ws, path)
    assert snapshot(ws) == before


def _rewrite(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_response_with_no_content_is_refused(ws, response):
    _rewrite(response, lambda d: d.pop("body"))
    _refused(ws, response, "it has no content")


def test_a_damaged_signature_block_is_refused(ws, response):
    _rewrite(response, lambda d: d.update(signature="forged"))
    _refused(ws, response, "signature is damaged")


def test_response_for_another_request_is_refused(ws, review, response):
    other = rq.create_request(ws, review.doc_id, "CBP", send=True)
    _rewrite(response, lambda d: d["body"].update(request_id=other))
    _refused(ws, response, f"never sent for review request {other}")


def test_response_for_an_unknown_request_is_refused(ws, response):
    _rewrite(response, lambda d: d["body"].update(request_id=999))
    _refused(ws, response, "request 999, which this workspace does not have")


def test_response_for_another_workspace_is_refused(ws, tmp_path):
    with Workspace.create(tmp_path / "other.cnew") as other:
        r = make_review(other)
        packet = export_packet(other, r.request_id, tmp_path / "other.cnereview")
    make_review(ws)  # same ids here, so only the workspace tells them apart
    session = ReviewSession.open(packet)
    session.set_reviewer("Someone")
    session.set_position("concur")
    out = session.export_response(tmp_path / "other.cneresponse")
    _refused(ws, out, "another workspace")


def test_response_to_a_withdrawn_request_is_refused(ws, review, response):
    rq.withdraw_request(ws, review.request_id, "Superseded by the revised draft.")
    _refused(ws, response, "was withdrawn")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"\xff\xfe\x00garbage", "not a readable review response"),
        (b"[1, 2, 3]", "not a review response"),
        (b'{"format": "something-else"}', "not a review response"),
        (b'{"format": "cne-review-response", "version": 99}', "newer CNE Workbench"),
        (b"PK\x03\x04not really a zip", "not a readable CRM workbook"),
    ],
)
def test_malformed_files_are_refused(ws, review, tmp_path, content, match):
    path = tmp_path / "bad.cneresponse"
    path.write_bytes(content)
    _refused(ws, path, match)


def test_truncated_response_is_refused(ws, response):
    data = response.read_bytes()
    response.write_bytes(data[: len(data) // 2])
    _refused(ws, response, "damaged, truncated")


def test_a_packet_is_not_a_response(ws, review, tmp_path):
    packet = export_packet(ws, review.request_id, tmp_path / "p.cnereview")
    _refused(ws, packet, "is a review packet, not a review response")


def test_oversized_file_is_refused_before_reading(ws, review, tmp_path):
    path = tmp_path / "huge.cneresponse"
    with path.open("wb") as f:
        f.truncate(MAX_RESPONSE_BYTES + 1)
    _refused(ws, path, "may be at most 16 MB")


def test_missing_file_and_folder_are_refused(ws, review, tmp_path):
    _refused(ws, tmp_path / "nope.cneresponse", "There is no file")
    _refused(ws, tmp_path, "is a folder")


def _resign(ws, review, path, change):
    # Unsigned responses carry no secret: an edited one reaches every check behind the file.
    _rewrite(path, lambda d: change(d["body"]))


def test_comment_on_a_section_not_sent_is_refused(ws, review, response):
    outside = review.section_ids[0]  # "Purpose" touches no USCG equity; it was not sent
    _resign(ws, review, response, lambda b: b["comments"][0].update(section_id=outside))
    _refused(ws, response, "not sent for review")


def test_critical_comment_without_ground_is_refused(ws, review, response):
    _resign(ws, review, response, lambda b: b["comments"][0].update(critical_ground=None))
    _refused(ws, response, "Critical comment must cite its ground")


def test_markup_is_kept_as_text_never_interpreted(ws, review, response):
    evil = '<script>alert(1)</script> =HYPERLINK("http://x") {{7*7}}'
    _resign(ws, review, response, lambda b: b["comments"][0].update(comment=evil))
    import_response(ws, response)
    stored = ws.db.execute("SELECT comment FROM comments").fetchone()[0]
    assert stored == evil


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
_fields = st.sampled_from(
    ["comments", "position", "request_id", "reviewer_name", "sequence", "section_id", "type"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_end_in_a_clear_error(ws, review, tmp_path, data):
    path = tmp_path / "fuzz.cneresponse"
    path.write_bytes(data)
    with pytest.raises(WorkbenchError):
        import_response(ws, path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=_fields, value=_json, in_comment=st.booleans())
def test_signed_but_malformed_content_ends_in_a_clear_error(
    ws, review, response, key, value, in_comment
):
    # Unsigned (as a reviewer without a key sends it), so the content reaches every check.
    original = response.read_bytes()

    def change(body):
        target = body["comments"][0] if in_comment else body
        target[key] = value

    try:
        _resign(ws, review, response, change)
        try:
            import_response(ws, response)
        except WorkbenchError:
            pass
    finally:
        response.write_bytes(original)
