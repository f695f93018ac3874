"""Section numbers: 1, 1.1, Tenet N, Action Item N, Appendix A, kept consistent by every edit."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import documents, sections
from workbench.numbering import number_tree, reference


def test_narrative_numbers_nest():
    nodes = [(1, None, "narrative"), (2, 1, "narrative"), (3, 2, "narrative"), (4, 1, "narrative")]
    nodes.append((5, None, "narrative"))
    assert number_tree(nodes) == {1: "1", 2: "1.1", 3: "1.1.1", 4: "1.2", 5: "2"}


def test_tenets_and_action_items_count_across_the_document():
    nodes = [
        (1, None, "narrative"),
        (2, None, "tenet"),
        (3, 2, "narrative"),
        (4, None, "tenet"),
        (5, None, "appendix"),
        (6, 5, "action_item"),
        (7, 5, "action_item"),
        (8, 1, "action_item"),
    ]
    numbers = number_tree(nodes)
    assert [numbers[i] for i in (2, 4)] == ["Tenet 1", "Tenet 2"]
    assert [numbers[i] for i in (6, 7, 8)] == ["Action Item 1", "Action Item 2", "Action Item 3"]
    assert numbers[3] == "Tenet 1.1"


def test_tenets_and_appendices_do_not_renumber_the_narrative():
    nodes = [(1, None, "tenet"), (2, None, "narrative"), (3, None, "appendix")]
    nodes += [(4, None, "narrative"), (5, 3, "narrative")]
    numbers = number_tree(nodes)
    assert (numbers[2], numbers[4]) == ("1", "2")
    assert (numbers[3], numbers[5]) == ("Appendix A", "A.1")


def test_appendix_letters_continue_past_z():
    nodes = [(i, None, "appendix") for i in range(1, 29)]
    numbers = number_tree(nodes)
    assert [numbers[1], numbers[26], numbers[27], numbers[28]] == [
        "Appendix A",
        "Appendix Z",
        "Appendix AA",
        "Appendix AB",
    ]


def test_an_appendix_inside_a_section_is_numbered_as_a_subsection():
    numbers = number_tree([(1, None, "narrative"), (2, 1, "appendix")])
    assert numbers[2] == "1.1"


def test_reference():
    assert reference("2.1") == "§2.1"
    assert reference("Tenet 3") == "Tenet 3"
    assert reference("Appendix B") == "Appendix B"


def test_numbers_follow_moves_in_a_real_document(ws):
    doc = documents.create_document(ws, "doctrine", "Doctrine")
    ids = [sections.add_section(ws, doc, kind="tenet", heading=f"T{n}") for n in range(1, 5)]
    sections.move_section(ws, ids[3], None, 0)
    assert [(e.number, e.heading) for e in sections.outline(ws, doc)] == [
        ("Tenet 1", "T4"),
        ("Tenet 2", "T1"),
        ("Tenet 3", "T2"),
        ("Tenet 4", "T3"),
    ]
    assert sections.section(ws, ids[0]).number == "Tenet 2"
    assert sections.section_numbers(ws, doc)[ids[3]] == "Tenet 1"


# -- property: whatever a user does, numbers stay unique and contiguous ------------------------

KINDS = ["narrative", "narrative", "narrative", "tenet", "action_item", "appendix"]
operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 30), st.integers(0, 10), st.sampled_from(KINDS)),
    st.tuples(st.just("add_top"), st.integers(0, 10), st.sampled_from(KINDS)),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 30), st.integers(0, 10)),
    st.tuples(st.just("move_top"), st.integers(0, 30), st.integers(0, 10)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("indent"), st.integers(0, 30)),
    st.tuples(st.just("outdent"), st.integers(0, 30)),
)


def _apply(ws, doc, op) -> None:
    live = [e.id for e in sections.outline(ws, doc)]
    pick = lambda n: live[n % len(live)] if live else None  # noqa: E731
    kind = op[0]
    if kind == "add_top" or (kind == "add" and not live):
        sections.add_section(ws, doc, index=op[-2], kind=op[-1])
    elif kind == "add":
        sections.add_section(ws, doc, parent_id=pick(op[1]), index=op[2], kind=op[3])
    elif not live:
        return
    elif kind == "move":
        sid, parent = pick(op[1]), pick(op[2])
        if parent in sections._descendant_ids(ws, sid):
            return
        sections.move_section(ws, sid, parent, op[3])
    elif kind == "move_top":
        sections.move_section(ws, pick(op[1]), None, op[2])
    elif kind == "delete":
        sections.delete_section(ws, pick(op[1]))
    else:
        sid = pick(op[1])
        target = (sections.indent_target if kind == "indent" else sections.outdent_target)(ws, sid)
        if target:
            sections.move_section(ws, sid, *target)


def _check_numbers(entries) -> None:
    numbers = [e.number for e in entries]
    assert len(numbers) == len(set(numbers)), numbers
    by_id = {e.id: e for e in entries}
    for counted in ("Tenet", "Action Item"):
        seen = [int(n.rsplit(" ", 1)[1]) for n in numbers if re.fullmatch(rf"{counted} \d+", n)]
        assert seen == list(range(1, len(seen) + 1)), numbers
    appendices = [n for n in numbers if n.startswith("Appendix ")]
    assert appendices == [f"Appendix {chr(65 + i)}" for i in range(len(appendices))], numbers
    children: dict[int | None, list[str]] = {}
    for e in entries:
        if e.kind == "narrative" or (e.kind == "appendix" and e.parent_id is not None):
            children.setdefault(e.parent_id, []).append(e.number)
    for parent, nums in children.items():
        prefix = "" if parent is None else by_id[parent].number.removeprefix("Appendix ") + "."
        assert nums == [f"{prefix}{i}" for i in range(1, len(nums) + 1)], (parent, nums)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_numbers_stay_unique_and_contiguous(ws, ops):
    doc = documents.create_document(ws, "strategy", "Property Strategy")
    for op in ops:
        _apply(ws, doc, op)
        entries = sections.outline(ws, doc)
        _check_numbers(entries)
        positions = {}
        for r in ws.db.query(
            "SELECT parent_id, position FROM sections WHERE document_id = ? AND deleted_at IS NULL",
            [doc],
        ):
            positions.setdefault(r["parent_id"], []).append(r["position"])
        # Stored positions stay a dense 0..n-1 among live siblings.
        for parent, pos in positions.items():
            assert sorted(pos) == list(range(len(pos))), (parent, pos)
