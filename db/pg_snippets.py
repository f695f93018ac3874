"""Snippets for a shared workspace's search hits, made in Python the way FTS5's snippet() is.

PostgreSQL finds and ranks the hits; a passage of each kept hit's text is made here from the
text alone: ts_headline parsed the whole column on the server (~0.2 ms a section, most of a
search's time). Words are runs of letters and digits, compared case- and accent-folded, as
FTS5's unicode61 tokenizer and the `cne_search` configuration compare them; each phrase of
the query is highlighted wherever it stands, the last word of a prefix query as a prefix.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
    low = (base or c).lower()
    return low[0] if low else c


def fold(text: str) -> str:
    """Lower case, accents removed, one character for each of `text`'s (offsets stay valid)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # folded
    prefix: bool  # the last word matches any word it starts


def phrases(texts: Sequence[str], prefixes: Sequence[int]) -> list[Phrase]:
    """The query's phrases (db.dialects' `q` and `qp` parameters) as folded words."""
    out = []
    for text, prefix in zip(texts, prefixes, strict=False):
        words = tuple(fold(w) for w in _TOKEN.findall(text))
        if words:
            out.append(Phrase(words, bool(prefix)))
    return out


@dataclass(frozen=True)
class _Hit:
    phrase: int
    spans: tuple[tuple[int, int], ...]  # each word's (start, end) in the text


class Snippets:
    """Snippets for one query: `make(texts)` picks the column and passage, as FTS5 does."""

    def __init__(self, query: list[Phrase], marks: tuple[str, str, str], tokens: int):
        self.query = query
        self.start, self.end, self.ellipsis = marks
        self.tokens = max(1, tokens)
        firsts = sorted({p.words[0] for p in query}, key=lambda w: (-len(w), w))
        # Where a phrase may start: one of the phrases' first words (at a word's start: see
        # _hits; a look-behind first would make the regex engine try every character).
        self._find = re.compile("|".join(map(re.escape, firsts))) if firsts else None
        self._more = re.compile(r"[\W_]*(?:[^\W_]+[\W_]+){" + str(self.tokens) + r"}[^\W_]")

    def make(self, texts: Sequence[str | None]) -> str:
        best: tuple[int, int, int] | None = None  # (score, -column, first hit)
        found: dict[int, list[_Hit]] = {}
        for column, text in enumerate(texts):
            if not text:
                continue
            hits = self._hits(text)
            if not hits:
                continue
            found[column] = hits
            score, first = self._best_window(text, hits)
            key = (score, -column, -first)
            if best is None or key > best:
                best = key
        if best is None:
            # A match the folding here does not see (the server's parser split the text
            # another way): the column's first words, as FTS5 shows a column with no hit.
            text = next((t for t in texts if t), "")
            return self._passage(text, [], 0)
        column = -best[1]
        return self._passage(texts[column] or "", found[column], -best[2])

    # -- finding -----------------------------------------------------------------------------
    def _hits(self, text: str) -> list[_Hit]:
        if self._find is None:
            return []
        folded = fold(text)
        hits = []
        for m in self._find.finditer(folded):
            at = m.start()
            if at and folded[at - 1].isalnum():
                continue  # inside a word
            first = _TOKEN.match(folded, at)
            if first is None:
                continue
            for n, phrase in enumerate(self.query):
                spans = self._match(folded, first, phrase)
                if spans:
                    hits.append(_Hit(n, spans))
        return hits

    @staticmethod
    def _match(folded: str, first: re.Match, phrase: Phrase) -> tuple[tuple[int, int], ...]:
        words = phrase.words
        spans = []
        token: re.Match | None = first
        for i, word in enumerate(words):
            if token is None:
                return ()
            got = token.group()
            last = i == len(words) - 1
            if not (got == word or (last and phrase.prefix and got.startswith(word))):
                return ()
            spans.append(token.span())
            if not last:
                token = _TOKEN.search(folded, token.end())
        return tuple(spans)

    def _best_window(self, text: str, hits: list[_Hit]) -> tuple[int, int]:
        """(score, index of the first hit) of the best run of hits within `tokens` words:
        1000 for each phrase it holds, 1 for each further hit (FTS5's scoring)."""
        best = (-1, 0)
        for i, hit in enumerate(hits):
            seen: set[int] = set()
            score = 0
            for other in hits[i:]:
                if other is not hit and not self._within(text, hit, other):
                    break
                score += 1 if other.phrase in seen else 1000
                seen.add(other.phrase)
            if score > best[0]:
                best = (score, i)
        return best

    def _within(self, text: str, first: _Hit, last: _Hit) -> bool:
        """Whether `first` to `last` is at most `tokens` words (counting stops past it)."""
        for n, _ in enumerate(_TOKEN.finditer(text, first.spans[0][0], last.spans[-1][1])):
            if n >= self.tokens:
                return False
        return True

    # -- the passage -------------------------------------------------------------------------
    def _passage(self, text: str, hits: list[_Hit], first: int) -> str:
        if not self._more.match(text):
            return self._marked(text, 0, len(text), hits)  # the whole text is short enough
        if hits:
            run = [hits[first]]
            for other in hits[first + 1 :]:
                if not self._within(text, run[0], other):
                    break
                run.append(other)
            start, end = run[0].spans[0][0], run[-1].spans[-1][1]
            inside = len(_TOKEN.findall(text, start, end))
        else:
            first_word = _TOKEN.search(text)
            start = end = first_word.start() if first_word else 0
            inside = 0
        spare = max(0, self.tokens - inside)
        before = self._words_before(text, start, spare // 2)
        after = self._words_after(text, end, self.tokens - inside - len(before))
        if len(after) < self.tokens - inside - len(before):  # the text ends: more before
            before = self._words_before(text, start, self.tokens - inside - len(after))
        w_start = before[0] if before else start
        w_end = after[-1] if after else end
        if not inside and not after:
            return self.ellipsis if text.strip() else ""
        head = _TOKEN.search(text, 0, w_start) is not None
        tail = _TOKEN.search(text, w_end) is not None
        out = self._marked(text, w_start if head else 0, w_end if tail else len(text), hits)
        return (self.ellipsis if head else "") + out + (self.ellipsis if tail else "")

    @staticmethod
    def _words_before(text: str, start: int, n: int) -> list[int]:
        """Start offsets of the n words before `start` (fewer at the text's start)."""
        if n <= 0:
            return []
        reach = 12 * n
        while True:
            lo = max(0, start - reach)
            found = [m.start() for m in _TOKEN.finditer(text, lo, start)]
            if lo > 0 and found and found[0] == lo:
                found = found[1:]  # a word cut by the reach: it may start further back
            if len(found) >= n or lo == 0:
                return found[-n:] if len(found) >= n else found
            reach *= 4

    @staticmethod
    def _words_after(text: str, end: int, n: int) -> list[int]:
        """End offsets of the n words after `end` (fewer at the text's end)."""
        out: list[int] = []
        if n <= 0:
            return out
        for m in _TOKEN.finditer(text, end):
            out.append(m.end())
            if len(out) == n:
                break
        return out

    def _marked(self, text: str, start: int, end: int, hits: list[_Hit]) -> str:
        spans = sorted({s for h in hits for s in h.spans if start <= s[0] and s[1] <= end})
        out, at = [], start
        for a, b in spans:
            if a < at:
                continue
            out += [text[at:a], self.start, text[a:b], self.end]
            at = b
        out.append(text[at:end])
        return "".join(out)
