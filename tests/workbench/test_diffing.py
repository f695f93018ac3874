"""Paragraph- and word-level differences between two texts."""

from __future__ import annotations

from workbench.diffing import ParagraphDiff, WordOp, diff_text, diff_words, is_unchanged, paragraphs


def _rebuild(words, side):
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(w.text for w in words if w.op in keep)


def test_paragraphs_split_on_blank_lines_even_with_spaces():
    assert paragraphs("  One\nline two.\n\n \t\nThree.\n\n\n") == ["One\nline two.", "Three."]
    assert paragraphs("") == []


def test_word_diff_marks_changed_words():
    ops = diff_words("The Coast Guard patrols the transit zone.", "The Coast Guard patrols it.")
    assert WordOp("equal", "The Coast Guard patrols") in ops
    assert WordOp("delete", " the transit zone") in ops and WordOp("insert", " it") in ops
    assert [o.op for o in ops if o.op != "equal"] == ["delete", "insert"]


def test_word_diff_rebuilds_both_texts():
    old = "CBP will scan 40% of vehicles, by port."
    new = "CBP will scan half of all vehicles by port, inbound."
    ops = diff_words(old, new)
    assert _rebuild(ops, "old") == old and _rebuild(ops, "new") == new


def test_word_diff_identical_text_is_one_equal_run():
    assert diff_words("Same text.", "Same text.") == [WordOp("equal", "Same text.")]


def test_paragraph_diff_insert_delete_replace():
    old = "Intro.\n\nThe Coast Guard leads.\n\nObsolete paragraph."
    new = "Intro.\n\nThe Coast Guard leads maritime interdiction.\n\nA new closing paragraph."
    diffs = diff_text(old, new)
    assert [d.op for d in diffs] == ["equal", "replace", "replace"]
    assert diffs[0] == ParagraphDiff("equal", "Intro.", "Intro.")
    assert _rebuild(diffs[1].words, "new") == "The Coast Guard leads maritime interdiction."


def test_paragraph_diff_unbalanced_replace_pairs_then_inserts():
    diffs = diff_text("A first.", "B first.\n\nB second.")
    assert [d.op for d in diffs] == ["replace", "insert"]
    assert diffs[1] == ParagraphDiff("insert", "", "B second.")
    diffs = diff_text("A first.\n\nA second.", "B only.")
    assert [d.op for d in diffs] == ["replace", "delete"]


def test_pure_insertions_and_deletions():
    assert [d.op for d in diff_text("", "New.\n\nMore.")] == ["insert", "insert"]
    assert [d.op for d in diff_text("Old.", "")] == ["delete"]
    assert [d.op for d in diff_text("A.\n\nC.", "A.\n\nB.\n\nC.")] == ["equal", "insert", "equal"]


def test_is_unchanged_ignores_rewrapping_of_blank_lines():
    assert is_unchanged(diff_text("A.\n\nB.", "A.\n\n\n\nB.\n"))
    assert not is_unchanged(diff_text("A.", "A!"))
