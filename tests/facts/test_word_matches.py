"""Full-text candidates from each word's kept matches: the same facts, order and bm25 ranks, to the last
bit, as FTS5 gives the whole question's expression; forgotten when the facts change; bounded."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.facts.model.fact import Category, parse_fact
from bot.facts.model.search import CANDIDATES, SearchResult, read_question
from bot.facts.service import FactService
from bot.facts.store import FactStore
from bot.facts.store.word_matches import RANKING_WINDOW, MatchesKept, WordMatches, best_matches
from bot.moderation.store import Editor, FactEditStore
from tests.conftest import fact_record

TUNING_SET = Path(__file__).parents[1] / "data" / "search_questions.toml"
QUESTIONS = [q["question"] for q in tomllib.loads(TUNING_SET.read_text("utf-8"))["q"]]


async def _whole_expression(
    store: FactStore, terms: tuple[tuple[str, ...], ...], every_term: bool, category: Category | None
) -> list[tuple[str, float]]:
    """What FTS5 answers for the question's whole expression in one statement: the reference."""
    if every_term:
        expression = " AND ".join("(" + " OR ".join(f'"{w}"' for w in term) + ")" for term in terms)
    else:
        expression = " OR ".join(f'"{w}"' for w in sorted({w for term in terms for w in term}))
    wanted = category.value if category else None
    sql = f"""SELECT id, rank FROM (
                SELECT f.id, bm25(facts_fts, 8.0, 10.0, 3.0, 1.0, 4.0) AS rank
                FROM facts_fts JOIN facts f ON f.rowid = facts_fts.rowid
                WHERE facts_fts MATCH ? AND f.retired_at IS NULL AND (? IS NULL OR f.category = ?)
                ORDER BY facts_fts.rowid DESC LIMIT {RANKING_WINDOW})
             ORDER BY rank LIMIT ?"""
    rows = await store.db.fetch_all(sql, (expression, wanted, wanted, CANDIDATES))
    return [(row[0], row[1]) for row in rows]


@pytest.mark.parametrize("category", [None, Category.TESTS, Category.SANCTIONS])
async def test_candidates_are_ranked_exactly_as_fts5_ranks_the_whole_expression(
    seeded_service: FactService, category: Category | None
) -> None:
    store = seeded_service.facts
    vocabulary = await seeded_service.system_vocabulary()
    compared = 0
    for text in QUESTIONS:
        query, _ = read_question(text, vocabulary)
        for every_term in (True, False):
            found = await store.search_candidates(
                query.terms, every_term=every_term, category=category, limit=CANDIDATES
            )
            expected = await _whole_expression(store, query.terms, every_term, category)
            assert [(c.fact.id, c.rank) for c in found] == expected, (text, every_term)
            compared += bool(expected)
    assert compared > len(QUESTIONS)  # most questions match something either way


async def test_a_change_to_the_facts_is_found_by_the_next_search(seeded_service: FactService) -> None:
    store = seeded_service.facts
    assert await store.search_candidates([("zebra",)]) == []  # read, and kept
    await store.seed([parse_fact(fact_record("zebra-summit", title="The zebra summit"))], "v2")
    found = await store.search_candidates([("zebra",)])
    assert [c.fact.id for c in found] == ["zebra-summit"]
    await FactEditStore(store.db).retire_fact("zebra-summit", editor=Editor(None, "test"), reason="test")
    assert await store.search_candidates([("zebra",)]) == []


async def test_search_is_unchanged_by_what_was_asked_before(seeded_service: FactService) -> None:
    async def ranked(text: str) -> list[SearchResult]:
        return await seeded_service.search(text, limit=10)

    first = [await ranked(text) for text in QUESTIONS[:20]]
    again = [await ranked(text) for text in reversed(QUESTIONS[:20])]
    assert first == list(reversed(again))


async def test_questions_asked_together_read_each_word_once(
    seeded_service: FactService, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = seeded_service.facts
    reads: list[int] = []
    fetch_all = store.db.fetch_all

    async def counting(sql: str, params: Any = ()) -> Any:
        if "AS word" in sql:
            reads.append(sql.count("AS word"))
        return await fetch_all(sql, params)

    monkeypatch.setattr(store.db, "fetch_all", counting)
    terms = [("nuclear", "atomic"), ("test", "tests")]
    burst = await asyncio.gather(*(store.search_candidates(terms) for _ in range(20)))
    assert reads == [4]  # one statement, each word once
    assert all(found == burst[0] for found in burst)
    assert burst[0]


def _matches(*rowids: int, score: float = 1.0) -> WordMatches:
    return WordMatches.from_rows((rowid, f"fact-{rowid}", 1, -score) for rowid in rowids)


def test_only_the_newest_matches_are_ranked_and_ties_stay_newest_first() -> None:
    matches = {"a": _matches(1, 2, 3, 4), "b": _matches(2, 4, score=0.5)}
    ranked = best_matches([("a", "b")], matches, every_term=False, limit=10, window=3)
    # Facts 4, 3 and 2 are the newest three; 4 and 2 hold both words (rank -1.5), 3 only one.
    assert [(r.id, r.rank) for r in ranked] == [("fact-4", -1.5), ("fact-2", -1.5), ("fact-3", -1.0)]


def test_every_term_needs_a_word_of_each_term() -> None:
    matches = {"a": _matches(1, 2), "b": _matches(3), "c": _matches(2, 3)}
    ranked = best_matches([("a", "b"), ("c",)], matches, every_term=True, limit=10)
    assert [r.id for r in ranked] == ["fact-3", "fact-2"]
    assert best_matches([("a",), ("b",)], matches, every_term=True, limit=10) == []


def test_kept_matches_are_bounded_and_forgotten_with_the_version() -> None:
    kept = MatchesKept(capacity=5)
    kept.for_version(1)
    kept.put("a", None, _matches(1, 2, 3), 1)
    kept.put("b", None, _matches(1, 2), 1)
    assert kept.get("a", None) is not None  # now the most recently used
    kept.put("c", None, _matches(4), 1)
    assert kept.get("b", None) is None  # the least recently used went first
    assert len(kept) == 4
    kept.put("d", None, _matches(5), 0)  # read before the facts changed: not kept
    assert kept.get("d", None) is None
    kept.for_version(2)
    assert kept.get("a", None) is None
    assert len(kept) == 0


def test_matches_are_kept_oldest_first_and_found_by_rowid() -> None:
    matches = _matches(3, 1, 2)
    assert list(matches.rowids) == [1, 2, 3]
    assert matches.find(2) == 1
    assert matches.find(5) is None
