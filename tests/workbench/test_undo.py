"""Undo and redo of structural edits: long histories restore the exact outline both ways."""

from __future__ import annotations

import random

import pytest

from workbench import documents, sections, undo


@pytest.fixture
def doc(ws):
    return documents.create_document(ws, "strategy", "Northern Border Strategy")


def _state(ws, doc_id):
    """Everything a reader sees of the outline: identity, place, number, kind, text, equities."""
    return [
        (e.id, e.parent_id, e.depth, e.number, e.kind, e.heading, e.equities, e.content_hash)
        for e in sections.outline(ws, doc_id)
    ]


def test_add_undo_redo(ws, doc):
    stack = undo.UndoStack()
    cmd = stack.perform(ws, undo.AddSection(doc, heading="Ports", equities=("CBP",)))
    assert stack.undo_text == "Add Ports" and stack.can_undo and not stack.can_redo
    after = _state(ws, doc)
    assert stack.undo(ws) is cmd
    assert _state(ws, doc) == []
    assert stack.redo_text == "Add Ports"
    stack.redo(ws)
    assert _state(ws, doc) == after  # the same section comes back, not a copy


def test_delete_undo_restores_the_subtree_in_place(ws, doc):
    a = sections.add_section(ws, doc, heading="A")
    b = sections.add_section(ws, doc, heading="B")
    sections.add_section(ws, doc, parent_id=b, heading="B1")
    sections.add_section(ws, doc, heading="C")
    before = _state(ws, doc)
    stack = undo.UndoStack()
    stack.perform(ws, undo.DeleteSection(b, heading="B"))
    assert [s[5] for s in _state(ws, doc)] == ["A", "C"]
    stack.undo(ws)
    assert _state(ws, doc) == before
    stack.redo(ws)
    assert [s[5] for s in _state(ws, doc)] == ["A", "C"]
    stack.undo(ws)
    assert _state(ws, doc) == before
    assert sections.location(ws, a) == (None, 0)


def test_indent_and_outdent_commands(ws, doc):
    a = sections.add_section(ws, doc, heading="A")
    b = sections.add_section(ws, doc, heading="B")
    assert undo.indent(ws, a) is None
    stack = undo.UndoStack()
    stack.perform(ws, undo.indent(ws, b))
    assert stack.undo_text == "Indent section"
    assert sections.section(ws, b).number == "1.1"
    assert undo.outdent(ws, a) is None
    stack.perform(ws, undo.outdent(ws, b))
    assert sections.section(ws, b).number == "2"
    stack.undo(ws)
    assert sections.section(ws, b).number == "1.1"
    stack.undo(ws)
    assert sections.section(ws, b).number == "2" and sections.location(ws, b) == (None, 1)


def test_a_new_command_clears_redo(ws, doc):
    stack = undo.UndoStack()
    stack.perform(ws, undo.AddSection(doc, heading="A"))
    stack.undo(ws)
    stack.perform(ws, undo.AddSection(doc, heading="B"))
    assert not stack.can_redo and stack.redo(ws) is None
    assert [s[5] for s in _state(ws, doc)] == ["B"]


def test_empty_stack_and_limit(ws, doc):
    stack = undo.UndoStack(limit=3)
    assert stack.undo(ws) is None and stack.undo_text == "" and stack.redo_text == ""
    for n in range(5):
        stack.perform(ws, undo.AddSection(doc, heading=f"S{n}"))
    undone = 0
    while stack.undo(ws):
        undone += 1
    assert undone == 3
    assert [s[5] for s in _state(ws, doc)] == ["S0", "S1"]
    stack.clear()
    assert not stack.can_undo and not stack.can_redo


def test_a_failing_command_is_not_recorded(ws, doc):
    a = sections.add_section(ws, doc, heading="A")
    child = sections.add_section(ws, doc, parent_id=a, heading="A1")
    stack = undo.UndoStack()
    with pytest.raises(Exception, match="inside itself"):
        stack.perform(ws, undo.MoveSection(a, child, 0))
    assert not stack.can_undo
    assert sections.location(ws, a) == (None, 0)


def _random_command(ws, doc, rng: random.Random, n: int):
    live = [e.id for e in sections.outline(ws, doc)]
    choice = rng.random()
    if len(live) < 3 or choice < 0.35:
        parent = rng.choice(live + [None]) if live else None
        return undo.AddSection(
            doc,
            parent_id=parent,
            index=rng.randint(0, 4),
            kind=rng.choice(["narrative", "narrative", "tenet", "action_item", "appendix"]),
            heading=f"Section {n}",
            body=f"Body of section {n}.",
            equities=tuple(rng.sample(["USCG", "CBP", "ICE", "I&A"], rng.randint(0, 2))),
        )
    sid = rng.choice(live)
    if choice < 0.5:
        return undo.DeleteSection(sid)
    if choice < 0.65:
        return undo.indent(ws, sid)
    if choice < 0.8:
        return undo.outdent(ws, sid)
    parent = rng.choice(live + [None])
    if parent is not None and parent in sections._descendant_ids(ws, sid):
        parent = None
    return undo.MoveSection(sid, parent, rng.randint(0, 5))


@pytest.mark.parametrize("seed", [1, 2])
def test_sixty_steps_back_and_forward_restore_the_exact_outline(ws, doc, seed):
    rng = random.Random(seed)
    stack = undo.UndoStack()
    states = [_state(ws, doc)]
    n = 0
    while len(states) <= 60:
        n += 1
        command = _random_command(ws, doc, rng, n)
        if command is None:
            continue
        stack.perform(ws, command)
        states.append(_state(ws, doc))
    for expected in reversed(states[:-1]):
        assert stack.undo(ws) is not None
        assert _state(ws, doc) == expected
    assert not stack.can_undo
    for expected in states[1:]:
        assert stack.redo(ws) is not None
        assert _state(ws, doc) == expected
    # A second pass back lands on the same intermediate outline as the first.
    for _ in range(30):
        stack.undo(ws)
    assert _state(ws, doc) == states[30]


def test_a_change_rolled_back_by_its_caller_is_not_on_the_undo_stack(ws):
    import pytest

    from workbench import documents, sections
    from workbench.errors import RuleViolation
    from workbench.undo import AddSection, UndoStack
    from workbench.workspace import use_case

    doc = documents.create_document(ws, "strategy", "Undo test")
    stack = UndoStack()

    @use_case
    def add_then_refuse(w):
        stack.perform(w, AddSection(doc, heading="Phantom"))
        raise RuleViolation("refused")

    with pytest.raises(RuleViolation):
        add_then_refuse(ws)
    assert not stack.can_undo
    assert sections.outline(ws, doc) == []
    stack.perform(ws, AddSection(doc, heading="Real"))
    assert stack.can_undo and stack.undo_text == "Add Real"
