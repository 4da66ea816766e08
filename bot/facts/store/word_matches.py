"""Full-text ranking from each word's matches, kept between questions.

FTS5's bm25 of a question is a sum over its words: each word's part depends on that word alone (its IDF
over the whole index, how often the fact holds it in each column, the fact's length; see
fts5Bm25Function in SQLite's fts5_aux.c). So the store asks SQLite once per word, and per version of the
facts, for the facts holding that word with the word's own bm25, keeps these matches, and adds them up
for each question here, word by word in the order SQLite adds them for the question's whole FTS5
expression: the same ranks, to the last bit, with no SQL for words asked before.

A word's matches are its RANKING_WINDOW newest facts (by rowid: insertion order), which bounds what a
common word costs in a store of 100,000 facts. A question asking for any of its words ranks exactly
what FTS5 ranked for it (the newest RANKING_WINDOW facts holding any of the words are each among the
newest of their own word). A question needing every term ranks the facts that hold every term among
those newest matches: in a store of a few thousand facts, every fact that holds them.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter, neg
from typing import Any, NamedTuple

import numpy as np

# How many of a word's matches are kept and ranked: its newest facts. Ranking is FTS5's own while no word
# is in more facts than this (the record has 389); in a store of 100,000 facts it bounds a first-time
# word's read (bm25 scores each match) and measured best there (the tuning questions' fact or a variant in
# the first three: 96.9% at 500, 90.8% at 1,500).
RANKING_WINDOW = 500
# Matches kept for all words together (a match takes 32 bytes: at most some 16 MB, and the facts' ids),
# the words asked least recently forgotten first. Every word of the real record fits many times over; in
# a store of 100,000 facts, the words of the benchmark's 98 questions take some 176,000.
MATCHES_KEPT = 500_000


@dataclass(frozen=True)
class WordMatches:
    """The current facts holding one word, oldest first (by rowid), each with its id and revision and
    the word's part of its bm25 (positive: SQLite reports bm25 negated, lower is better)."""

    rowids: array[int]
    ids: tuple[str, ...]
    revisions: array[int]
    scores: array[float]
    # The same rowids and scores as numpy views (no copy): best_matches adds words up a whole array at a time.
    rowid_view: np.ndarray = field(init=False, repr=False, compare=False)
    score_view: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rowid_view", np.frombuffer(self.rowids, dtype=np.int64))
        object.__setattr__(self, "score_view", np.frombuffer(self.scores, dtype=np.float64))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, int, float]]) -> WordMatches:
        """From (rowid, id, revision, bm25) rows in any order."""
        ordered = sorted(rows)
        return cls(
            array("q", [row[0] for row in ordered]),
            tuple(sys.intern(row[1]) for row in ordered),  # one string per fact, however many words
            array("q", [row[2] for row in ordered]),
            array("d", [-row[3] for row in ordered]),
        )

    @classmethod
    def from_columns(cls, rows: Sequence[Sequence[Any]]) -> WordMatches:
        """From rows of (anything, rowid, id, revision, bm25) in any order, as SQLite returns them: each
        column taken whole (a burst of common words reads tens of thousands of rows)."""
        ordered = sorted(rows, key=itemgetter(1))
        return cls(
            array("q", map(itemgetter(1), ordered)),
            tuple(map(sys.intern, map(itemgetter(2), ordered))),
            array("q", map(itemgetter(3), ordered)),
            array("d", map(neg, map(itemgetter(4), ordered))),
        )

    def __len__(self) -> int:
        return len(self.rowids)

    def find(self, rowid: int) -> int | None:
        """The position of the fact with this rowid, if it holds the word."""
        at = bisect_left(self.rowids, rowid)
        return at if at < len(self.rowids) and self.rowids[at] == rowid else None


class Ranked(NamedTuple):
    """A fact found by full-text search: what the store needs to build it, and its bm25 rank."""

    id: str
    revision: int
    rank: float


def expression_words(terms: Sequence[Sequence[str]], *, every_term: bool) -> list[str]:
    """The words of the question's FTS5 expression in their order, which is the order bm25 adds their
    parts in: with every term, `("a" OR "b") AND ("c")`, each term's words in turn (a word of two terms
    counts twice); otherwise `"a" OR "b" OR "c"`, each distinct word once, sorted."""
    if every_term:
        return [word for term in terms for word in term]
    return sorted({word for term in terms for word in term})


def best_matches(
    terms: Sequence[Sequence[str]],
    matches: Mapping[str, WordMatches],
    *,
    every_term: bool,
    limit: int,
    window: int = RANKING_WINDOW,
) -> list[Ranked]:
    """The facts matching any of the terms' words (with `every_term`, at least one word of every term),
    ranked by bm25, best first, at most `limit`: of the `window` newest matches, as FTS5 ranks
    `ORDER BY rowid DESC LIMIT window` then `ORDER BY rank LIMIT limit`."""
    words = expression_words(terms, every_term=every_term)
    size = 1 + max((int(matches[word].rowid_view[-1]) for word in words if len(matches[word])), default=-1)
    if size == 0:
        return []
    # Each fact's sum, indexed by rowid, added up word by word in the expression's order, as SQLite adds
    # it (a word's rowids are distinct, so each fact gets each word's part once): the same floats, to
    # the last bit, as adding them one fact at a time.
    total = np.zeros(size)
    for word in words:
        found = matches[word]
        total[found.rowid_view] += found.score_view
    if every_term:
        holding = np.ones(size, dtype=bool)
        for term in terms:
            in_term = np.zeros(size, dtype=bool)
            for word in term:
                in_term[matches[word].rowid_view] = True
            holding &= in_term
    else:
        holding = np.zeros(size, dtype=bool)
        for word in words:
            holding[matches[word].rowid_view] = True
    newest = np.flatnonzero(holding)[::-1][:window]
    # Best (highest sum) first; the sort is stable, as SQLite's is: equal ranks stay newest first.
    best = newest[np.argsort(-total[newest], kind="stable")[:limit]]
    return [_ranked(int(rowid), -float(total[rowid]), words, matches) for rowid in best]


def _ranked(rowid: int, rank: float, words: Sequence[str], matches: Mapping[str, WordMatches]) -> Ranked:
    for word in words:
        found = matches[word]
        at = bisect_left(found.rowids, rowid)  # WordMatches.find, inline: this runs for every fact ranked
        if at < len(found.rowids) and found.rowids[at] == rowid:
            return Ranked(found.ids[at], found.revisions[at], rank)
    raise AssertionError(f"rowid {rowid} holds none of the words")  # pragma: no cover


class MatchesKept:
    """Words' matches for one version of the facts and one category filter each, the least recently
    used forgotten first past MATCHES_KEPT matches in all."""

    def __init__(self, capacity: int = MATCHES_KEPT):
        self.capacity = capacity
        self.version: int | None = None
        self._kept: OrderedDict[tuple[str, str | None], WordMatches] = OrderedDict()
        self._size = 0

    def for_version(self, version: int) -> None:
        """Forget every word's matches if the facts have changed since they were read."""
        if version != self.version:
            self._kept.clear()
            self._size = 0
            self.version = version

    def get(self, word: str, category: str | None) -> WordMatches | None:
        key = (word, category)
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, word: str, category: str | None, matches: WordMatches, version: int) -> None:
        """Keep a word's matches read at `version` (unless the facts have changed since)."""
        if version != self.version:
            return
        key = (word, category)
        previous = self._kept.pop(key, None)
        if previous is not None:
            self._size -= len(previous)
        self._kept[key] = matches
        self._size += len(matches)
        while self._size > self.capacity and len(self._kept) > 1:
            _, forgotten = self._kept.popitem(last=False)
            self._size -= len(forgotten)

    def __len__(self) -> int:
        return self._size
