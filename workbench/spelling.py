"""Spell checking of Markdown text (pyenchant, hunspell en_US) and the workspace dictionary."""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache

from workbench import audit
from workbench.errors import WorkbenchError
from workbench.workspace import use_case

log = logging.getLogger(__name__)

LANGUAGE = "en_US"
META_KEY = "spelling.words"
MAX_WORD = 64

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Text that is not prose: inline code, URLs and link targets, autolinks, e-mail addresses,
# HTML tags, footnote and reference labels. Spans of these are never checked.
NOT_PROSE = re.compile(
    r"`[^`\n]*`"
    r"|\]\([^)\n]*\)"
    r"|<[^>\n]*>"
    r"|\b(?:https?|ftp|mailto|file):\S+"
    r"|\bwww\.\S+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|\[\^[^\]\n]*\]"
    r"|^\s{0,3}\[[^\]\n]+\]:.*$"
)
# A word glued to a digit, underscore or slash is a code, a file name or an identifier.
_GLUE = frozenset("0123456789_/\\")
_MAYBE_NOT_PROSE = re.compile(r"[`<@\[\]]|://|www\.")


def words_to_check(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the prose words in one line or block of Markdown."""
    # Most lines hold no code, link or address: skip that scan (it is a third of the cost).
    skip = [m.span() for m in NOT_PROSE.finditer(text)] if _MAYBE_NOT_PROSE.search(text) else []
    out = []
    n = len(text)
    for m in WORD.finditer(text):
        start, end = m.span()
        if skip and any(a <= start < b for a, b in skip):
            continue
        if (start and text[start - 1] in _GLUE) or (end < n and text[end] in _GLUE):
            continue
        out.append((start, end, m.group()))
    return out


@lru_cache(maxsize=1)
def _dictionary():
    """The system's en_US dictionary, or None (then spelling is not checked, and says why)."""
    try:
        import enchant

        return enchant.Dict(LANGUAGE)
    except Exception as exc:  # no libenchant, or no hunspell-en-us: run without the checker
        log.warning("Spell checking is off: %s", exc)
        return None


def available() -> bool:
    return _dictionary() is not None


@lru_cache(maxsize=1)
def installed() -> bool:
    """Whether the en_US dictionary is there, without loading it (that is ~9 MB)."""
    try:
        import enchant

        return bool(enchant.dict_exists(LANGUAGE))
    except Exception:  # no libenchant
        return False


class Checker:
    """Checks words against the language dictionary plus the workspace's own words."""

    def __init__(self, extra_words=()):
        self.extra: set[str] = set()
        self._known: dict[str, bool] = {}
        self.set_words(extra_words)

    @property
    def dictionary(self):
        # Loaded on first use: the hunspell dictionary is ~9 MB, and a window with no section
        # open has nothing to check.
        return _dictionary()

    def set_words(self, words) -> None:
        self.extra = {w.casefold() for w in words}
        self._known.clear()

    def is_correct(self, word: str) -> bool:
        if self.dictionary is None or len(word) < 2:
            return True
        hit = self._known.get(word)
        if hit is None:
            plain = word.replace("’", "'")
            hit = plain.casefold() in self.extra or self.dictionary.check(plain)
            if not hit and plain.endswith("'s"):
                hit = self.is_correct(plain[:-2])  # an acronym's possessive: USCG's
            self._known[word] = hit
        return hit

    def misspelled(self, text: str) -> list[tuple[int, int, str]]:
        return [w for w in words_to_check(text) if not self.is_correct(w[2])]

    def suggest(self, word: str, limit: int = 6) -> list[str]:
        if self.dictionary is None:
            return []
        return self.dictionary.suggest(word)[:limit]


# Words of the counternarcotics trade that general English dictionaries lack; accepted in
# every workspace (acronyms and names go in the workspace's own dictionary).
DOMAIN_WORDS = (
    "counternarcotics",
    "counterdrug",
    "cueing",
    "deconflict",
    "deconfliction",
    "interdictions",
    "interagency",
    "narcotrafficking",
    "narcotraffickers",
    "nonconcurrence",
    "submersibles",
    "tasker",
    "taskers",
)


# -- the workspace dictionary ---------------------------------------------------------------
def workspace_words(ws) -> tuple[str, ...]:
    """Words the office accepts (acronyms, names), plus the directory's organization codes."""

    def read():
        codes = [r["code"] for r in ws.db.query("SELECT code FROM organizations")]
        return tuple(sorted(set(_own_words(ws)))) + tuple(codes) + DOMAIN_WORDS

    return ws.cached(("spelling.words",), read)


def _own_words(ws) -> list[str]:
    row = next(ws.db.query("SELECT value FROM meta WHERE key = ?", [META_KEY]), None)
    try:
        words = json.loads(row["value"]) if row else []
    except ValueError:
        words = []
    return [w for w in words if isinstance(w, str)]


def _check_word(word: str) -> str:
    word = word.strip()
    if not word or len(word) > MAX_WORD or not WORD.fullmatch(word):
        raise WorkbenchError("A dictionary entry is one word of letters (64 at most).")
    return word


@use_case
def add_word(ws, word: str) -> None:
    """Accept a word in this workspace from now on (for everyone who opens it)."""
    word = _check_word(word)
    words = _own_words(ws)
    if word in words:
        return
    words.append(word)
    ws.db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [META_KEY, json.dumps(sorted(words), ensure_ascii=False)],
    )
    audit.record(ws, "spelling.add_word", "meta", None, word=word)


@use_case
def remove_word(ws, word: str) -> None:
    remove_words(ws, [word])


@use_case
def remove_words(ws, words: list[str]) -> None:
    """Stop accepting these words (one step, whatever the number: the dictionary dialog)."""
    own = _own_words(ws)
    missing = [w for w in words if w not in own]
    if missing:
        raise WorkbenchError(f"“{missing[0]}” is not in the workspace dictionary.")
    if not words:
        return
    kept = sorted(w for w in own if w not in set(words))
    ws.db.execute(
        "UPDATE meta SET value = ? WHERE key = ?",
        [json.dumps(kept, ensure_ascii=False), META_KEY],
    )
    if len(words) == 1:
        audit.record(ws, "spelling.remove_word", "meta", None, word=words[0])
    else:
        audit.record(ws, "spelling.remove_word", "meta", None, words=sorted(words))


def own_words(ws) -> tuple[str, ...]:
    """The workspace dictionary itself: the words someone added (not the directory's codes)."""
    return ws.cached(
        ("spelling.own",), lambda: tuple(sorted(set(_own_words(ws)), key=str.casefold))
    )
