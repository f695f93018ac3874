"""Approval chains: per document kind, the people who clear a version before the Director.

Each step is a signed decision on a specific version and text; a change after a step cleared
sends the document back to that step.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench import audit
from workbench.authority import decisions
from workbench.errors import NotFound, WorkbenchError
from workbench.workspace import use_case


@dataclass(frozen=True)
class Step:
    id: int
    kind: str
    position: int
    title: str
    person_id: int | None
    person_name: str

    @property
    def holder(self) -> str:
        return f"{self.title} ({self.person_name or 'no one assigned'})"


@dataclass(frozen=True)
class Pending:
    """The first step that has not cleared the current text, and why."""

    step: Step
    cleared_before: decisions.Decision | None  # cleared an earlier text: sent back

    def message(self) -> str:
        if self.cleared_before is not None:
            return (
                f"Approval: the text changed after {self.step.holder} cleared it on "
                f"{self.cleared_before.at[:10]}; it is back with them"
            )
        return f"Approval: awaiting {self.step.holder}"


def chain(ws, kind: str) -> list[Step]:
    return [
        Step(r["id"], r["kind"], r["position"], r["title"], r["person_id"], r["name"] or "")
        for r in ws.db.query(
            "SELECT s.*, p.name FROM approval_steps s LEFT JOIN people p ON p.id = s.person_id "
            "WHERE s.kind = ? ORDER BY s.position",
            [kind],
        )
    ]


def chains(ws) -> dict[str, list[Step]]:
    out: dict[str, list[Step]] = {}
    for r in ws.db.query("SELECT DISTINCT kind FROM approval_steps ORDER BY kind"):
        out[r["kind"]] = chain(ws, r["kind"])
    return out


@use_case
def set_chain(ws, kind: str, steps: list[tuple[str, int | None]]) -> None:
    """Replace the chain for a document kind: (title, person id) per step, in order.

    Only the Director sets who must clear a version before publication."""
    from workbench import directory
    from workbench.documents import DOCUMENT_KINDS as KINDS

    decisions.require_director(ws, "change approval chains")
    if kind not in KINDS:
        raise WorkbenchError(f"{kind!r} is not a document kind.")
    clean = []
    for title, person_id in steps:
        title = (title or "").strip()
        if not title:
            raise WorkbenchError("Every approval step needs a title (e.g. Branch chief).")
        if len(title) > 80:
            raise WorkbenchError("An approval step's title is at most 80 characters.")
        if person_id is not None:
            directory.person(ws, person_id)
        clean.append((title, person_id))
    ws.db.execute("DELETE FROM approval_steps WHERE kind = ?", [kind])
    for n, (title, person_id) in enumerate(clean, start=1):
        ws.db.execute(
            "INSERT INTO approval_steps (kind, position, title, person_id) VALUES (?, ?, ?, ?)",
            [kind, n, title, person_id],
        )
    audit.record(
        ws, "approval.chain", "approval_steps", None, kind=kind, steps=[t for t, _ in clean]
    )


def _cleared(ws, document_id: int, step: Step, version: int, content_hash: str):
    """(counting decision on the current text, or None; the newest counting one on any text)."""
    current = before = None
    for d in decisions.decisions(ws, document_id, kind="approve", subject=f"step:{step.id}"):
        if not d.counts or d.person_id != step.person_id:
            continue
        before = d
        if d.document_version == version and d.content_hash == content_hash:
            current = d
    return current, before


def pending(ws, document_id: int) -> Pending | None:
    """The first step of the document's chain not cleared on its current text."""
    from workbench.documents import document

    doc = document(ws, document_id)
    steps = chain(ws, doc.kind)
    if not steps:
        return None
    content = decisions.document_content_hash(ws, document_id)
    for step in steps:
        current, before = _cleared(ws, document_id, step, doc.version, content)
        if current is None:
            return Pending(step, before)
    return None


def cleared(ws, document_id: int) -> list[tuple[Step, decisions.Decision]]:
    """The steps, in order, that cleared the document's current text (up to the pending one)."""
    from workbench.documents import document

    doc = document(ws, document_id)
    steps = chain(ws, doc.kind)
    if not steps:
        return []
    content = decisions.document_content_hash(ws, document_id)
    out = []
    for s in steps:
        current, _before = _cleared(ws, document_id, s, doc.version, content)
        if current is None:
            break
        out.append((s, current))
    return out


def step(ws, step_id: int) -> Step:
    for s in ws.db.query("SELECT kind FROM approval_steps WHERE id = ?", [step_id]):
        return next(x for x in chain(ws, s["kind"]) if x.id == step_id)
    raise NotFound(f"No approval step {step_id}.")
