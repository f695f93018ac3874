"""Snippets for a shared workspace's hits, made in Python as FTS5's snippet() makes them."""

from __future__ import annotations

from db.pg_snippets import Snippets, fold, phrases

MARKS = ("[", "]", "…")


def _make(query: list[tuple[str, bool]], texts: list[str | None], tokens: int = 16) -> str:
    words, prefixes = [w for w, _ in query], [int(p) for _, p in query]
    return Snippets(phrases(words, prefixes), MARKS, tokens).make(texts)


def _filler(n: int) -> str:
    words = ("agency", "budget", "training", "meeting", "region", "partner", "report", "plan")
    return " ".join(words[i % len(words)] for i in range(n))


def test_folding_keeps_every_offset():
    for text in ("Odiña", "İstanbul ﬁle Straße", "plain ASCII"):
        assert len(fold(text)) == len(text)
    assert fold("Capt. ODIÑA") == "capt. odina"


def test_a_short_text_is_shown_whole_with_every_phrase_marked():
    snippet = _make([("bulk", False), ("curr", True)], ["Couriers <script> carry bulk currency."])
    assert snippet == "Couriers <script> carry [bulk] [currency]."


def test_a_long_text_shows_sixteen_words_centred_on_the_match():
    text = _filler(100) + " Couriers carry bulk cash north. " + _filler(100)
    snippet = _make([("cash", False)], [text])
    assert snippet.startswith("…") and snippet.endswith("…")
    words = snippet.strip("…").split()
    assert len(words) == 16 and words.index("[cash]") in (7, 8)


def test_the_passage_holding_most_phrases_wins_and_the_text_end_is_kept():
    text = "Cash alone here. " + _filler(60) + " Bulk cash seized at the port."
    snippet = _make([("cash", False), ("seized", True)], [text])
    assert snippet.endswith("[cash] [seized] at the port.")
    assert snippet.startswith("…")


def test_a_phrase_matches_only_as_a_whole_and_a_prefix_only_on_the_last_word():
    text = "Cash bulk. Bulk cash. Cashew bulk."
    assert _make([("bulk cash", False)], [text]) == "Cash bulk. [Bulk] [cash]. Cashew bulk."
    assert _make([("cash", False)], [text]) == "[Cash] bulk. Bulk [cash]. Cashew bulk."
    assert _make([("cash", True)], [text]) == "[Cash] bulk. Bulk [cash]. [Cashew] bulk."


def test_accents_and_case_are_folded_but_the_text_is_shown_as_written():
    assert _make([("odina", True)], ["Capt. ODIÑA met Odiña."]) == "Capt. [ODIÑA] met [Odiña]."
    assert _make([("señor", False)], ["Senor Lee"]) == "[Senor] Lee"


def test_the_column_with_the_better_passage_is_chosen():
    heading, body = "Routes", "Couriers move bulk cash and more bulk cash."
    assert _make([("routes", False)], [heading, body]) == "[Routes]"
    assert (
        _make([("bulk", False)], [heading, body])
        == "Couriers move [bulk] cash and more [bulk] cash."
    )
    assert _make([("bulk", False)], [None, body]).count("[bulk]") == 2


def test_words_inside_other_words_are_not_matches():
    # An underscore separates words, as in FTS5's tokenizer and PostgreSQL's parser.
    text = "Embulked xbulk bulk_cash bulk."
    assert _make([("bulk", False)], [text]) == "Embulked xbulk [bulk]_cash [bulk]."


def test_no_match_seen_shows_the_first_words():
    # The server's parser may have matched what these words do not (a hit is never empty).
    text = _filler(40)
    assert _make([("zzz", False)], [text]) == " ".join(text.split()[:16]) + "…"
    assert _make([("zzz", False)], ["", "Short text."]) == "Short text."
