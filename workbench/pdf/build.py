"""build_pdf: a document snapshot to PDF bytes, byte-identical for the same published version."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

from reportlab.pdfbase.pdfmetrics import stringWidth

from workbench.pdf import styles as st
from workbench.pdf.document import StoryBuilder, is_published, parse_time
from workbench.pdf.templates import Layout, WorkbenchDoc, canvas_maker

IDENTITY_PREFIX = "cne-workbench-export"
VARIANTS = {"plain": False, "crm": True}  # variant name -> include_crm


def variant_name(include_crm: bool) -> str:
    return "crm" if include_crm else "plain"


def identity(snapshot: dict, include_crm: bool) -> str:
    """The keywords line that lets verify-pdf tell which version a file claims to be."""
    doc = snapshot.get("document") or {}
    published = snapshot.get("published_at") or "draft"
    text = (
        f"{IDENTITY_PREFIX} document={doc.get('id')} version={doc.get('version')} "
        f"published={published} variant={variant_name(include_crm)}"
    )
    head = snapshot.get("audit_head") if snapshot.get("published_at") else None
    if isinstance(head, dict):
        # The audit log's head at publication (`workbench check --against` compares it), and
        # its signature: the key's fingerprint (the workspace holds the certificate) and value.
        text += f" audit={head.get('entries')}:{head.get('hash')}"
        sig = head.get("signature")
        if isinstance(sig, dict):
            cert = base64.b64decode(sig.get("certificate") or "")
            text += f" audit-key={hashlib.sha256(cert).hexdigest()} audit-sig={sig.get('value')}"
    return text


def parse_identity(keywords: str | None) -> dict[str, str] | None:
    if not keywords or not keywords.startswith(IDENTITY_PREFIX):
        return None
    fields = {}
    for part in keywords.split()[1:]:
        key, _, value = part.partition("=")
        fields[key] = value
    return fields


def _fit(text: str, width: float) -> str:
    if stringWidth(text, st.SANS, st.FOOTER_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", st.SANS, st.FOOTER_SIZE) > width:
        text = text[:-1]
    return text + "…"


def _clean(text: object) -> str:
    from workbench.pdf.markdown_flowables import _UNSAFE

    return _UNSAFE.sub("", " ".join(str(text or "").split()))


def build_pdf(
    snapshot: dict,
    *,
    include_crm: bool = False,
    progress=None,
    cancelled=None,
    now: dt.datetime | None = None,
    include_contents: bool = True,
    figures=None,
) -> bytes:
    """The PDF of a snapshot; progress(fraction) is called as it goes, cancelled() polled.

    A published snapshot (published_at set) renders without the DRAFT watermark and with its
    publication time as the PDF's dates, so re-exporting it gives the same bytes. `now` dates a
    draft (default: the current time). include_contents=False exists for the benchmark.
    figures maps figure id -> workbench.figures.FigureImage (`figures.for_snapshot(ws, snap)`);
    a figure the text places but the mapping lacks prints as a framed "cannot be shown" note.
    """
    layout = Layout(progress, cancelled)
    layout.check()
    st.register_fonts()
    doc = snapshot.get("document") or {}
    published = is_published(snapshot)
    when = parse_time(snapshot.get("published_at")) if published else None
    when = when or now or dt.datetime.now(dt.UTC)
    builder = StoryBuilder(snapshot, layout, draft_date=when.date(), figures=figures)
    flow = builder.story(include_crm=include_crm, include_contents=include_contents)
    for seq, flowable in enumerate(flow, 1):
        flowable._seq = seq
    layout.total = len(flow)
    layout.report(0.15)

    title = _clean(doc.get("title")) or "Untitled"
    marking = _clean(doc.get("marking")) or "UNCLASSIFIED"
    footer = _fit(f"{title} — Version {doc.get('version')}", st.PAGE_SIZE[0] / 2)
    buf = io.BytesIO()
    template = WorkbenchDoc(
        buf,
        marking=marking,
        footer=footer,
        draft=not published,
        layout=layout,
        title=title,
        author="DHS Office of Counternarcotics Enforcement",
        subject=f"{_clean(doc.get('kind_label'))} — {marking}",
        creator="CNE Workbench",
        producer="CNE Workbench (ReportLab)",
        keywords=identity(snapshot, include_crm),
        lang="en-US",
    )
    template.build(flow, canvasmaker=canvas_maker(layout, when))
    layout.report(1.0)
    return buf.getvalue()
