"""Spell checking: Markdown syntax and URLs are not prose; the workspace dictionary."""

from __future__ import annotations

import pytest

from workbench import directory, spelling
from workbench.errors import WorkbenchError


def words(text):
    return [w for _, _, w in spelling.words_to_check(text)]


def test_markdown_syntax_urls_and_code_are_not_checked():
    text = (
        "## Scope and **intent** see [the plan](https://example.gov/plan_v2.pdf) "
        "or <https://x.gov/abc>, `run_cmd --flag`, mail ops@dhs.gov, note[^fn1] v2 file_name"
    )
    assert words(text) == ["Scope", "and", "intent", "see", "the", "plan", "or", "mail", "note"]


def test_misspelled_words_with_positions_and_suggestions():
    checker = spelling.Checker()
    assert checker.dictionary is not None, "hunspell-en-us must be installed (tools/apt-packages)"
    text = "The interdicton of *maritme* smuggling."
    bad = checker.misspelled(text)
    assert [(w, text[s:e]) for s, e, w in bad] == [
        ("interdicton", "interdicton"),
        ("maritme", "maritme"),
    ]
    assert "interdiction" in checker.suggest("interdicton")
    assert "maritime" in checker.suggest("maritme")


def test_workspace_dictionary_accepts_acronyms_and_org_codes(ws):
    checker = spelling.Checker(spelling.workspace_words(ws))
    assert not checker.is_correct("SPSS")
    assert not checker.is_correct("NJTF")
    spelling.add_word(ws, "SPSS")
    spelling.add_word(ws, "SPSS")  # twice is once
    directory.add_organization(ws, "NJTF", "A task force", "federal")
    checker.set_words(spelling.workspace_words(ws))
    assert checker.is_correct("SPSS")
    assert checker.is_correct("USCG")  # the directory's organizations
    assert checker.is_correct("NJTF")
    assert checker.is_correct("USCG's")
    actions = [r["action"] for r in ws.db.query("SELECT action FROM audit_log")]
    assert actions.count("spelling.add_word") == 1
    spelling.remove_word(ws, "SPSS")
    checker.set_words(spelling.workspace_words(ws))
    assert not checker.is_correct("SPSS")


@pytest.mark.parametrize("bad", ["", "two words", "x" * 65, "a1b", "<script>"])
def test_a_dictionary_entry_is_one_word(ws, bad):
    with pytest.raises(WorkbenchError, match="one word"):
        spelling.add_word(ws, bad)


def test_the_trades_words_are_accepted_everywhere(ws):
    checker = spelling.Checker(spelling.workspace_words(ws))
    assert [w for _, _, w in checker.misspelled("counternarcotics interdictions and cueing")] == []


def test_words_removed_together_and_an_added_word_undone(ws):
    from workbench.undo import AddWord, UndoStack

    for word in ("USCG", "SPSS", "Quillfeather"):
        spelling.add_word(ws, word)
    assert spelling.own_words(ws) == ("Quillfeather", "SPSS", "USCG")
    spelling.remove_words(ws, ["SPSS", "USCG"])  # one step, one audit entry
    assert spelling.own_words(ws) == ("Quillfeather",)
    removed = [
        r["details"] for r in ws.db.query("SELECT * FROM audit_log") if "remove" in r["action"]
    ]
    assert len(removed) == 1 and "SPSS" in removed[0] and "USCG" in removed[0]
    with pytest.raises(WorkbenchError, match="not in the workspace dictionary"):
        spelling.remove_words(ws, ["Quillfeather", "JIATF"])
    assert spelling.own_words(ws) == ("Quillfeather",)  # nothing half done

    stack = UndoStack()
    stack.perform(ws, AddWord("JIATF"))
    assert "JIATF" in spelling.own_words(ws)
    stack.undo(ws)
    assert "JIATF" not in spelling.own_words(ws)
    stack.redo(ws)
    assert "JIATF" in spelling.own_words(ws)
    # Undoing the add of a word that was already there leaves it there.
    stack.perform(ws, AddWord("Quillfeather"))
    stack.undo(ws)
    assert "Quillfeather" in spelling.own_words(ws)
