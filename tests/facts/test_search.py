"""Search: safe against FTS5 syntax, friendly about bad queries, and right on real questions."""

from __future__ import annotations

import pytest

from bot.facts.model.fact import parse_fact
from bot.facts.model.search import QueryError, parse_query, search
from bot.facts.service import FactService
from bot.facts.store import FactStore
from tests.conftest import fact_record

NAMES_ROCKET = ("hwasong*", "🚀 rocket", "Hwasŏng-15")  # the hostile queries holding a word of its title
HOSTILE_QUERIES = [
    '"',
    '"unbalanced',
    "*",
    "hwasong*",
    "AND(",
    "NEAR",
    "NEAR(a b)",
    "(((",
    "a OR",
    "NOT",
    "title: x",
    "{names}: x",
    "^start",
    "'; DROP TABLE facts; --",
    "\x00\x01",
    "-",
    "+",
    "🚀 rocket",
    "Hwasŏng-15",
]


@pytest.fixture
async def small_store(fact_store: FactStore) -> FactStore:
    facts = [
        fact_record("rocket-fact", title="Hwasong-15 rocket", summary="A rocket launch."),
        fact_record("drop-fact", title="Tables", summary="Something about tables and DROP."),
    ]
    await fact_store.seed([parse_fact(f) for f in facts], "v1")
    return fact_store


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
async def test_fts_syntax_in_queries_is_searched_as_words(small_store: FactStore, query: str) -> None:
    outcome: list | str
    try:
        outcome = await search(small_store, query)
    except QueryError as error:
        outcome = str(error)
    if isinstance(outcome, str):
        assert "add a name, a year or a number" in outcome
    else:
        assert all(result.fact.id in ("rocket-fact", "drop-fact") for result in outcome)
    assert await small_store.count_by_category() == {"talks": 2}


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
async def test_fts_syntax_in_autocomplete_is_safe(small_store: FactStore, query: str) -> None:
    refs = await small_store.autocomplete(query)
    # Syntax is never obeyed: only real words of a name match ("hwasong*" is the word hwasong).
    expected = ["rocket-fact"] if query in NAMES_ROCKET else []
    assert [ref.id for ref in refs] == expected


async def test_diacritics_are_folded(small_store: FactStore) -> None:
    results = await search(small_store, "Hwasŏng-15")
    assert results[0].fact.id == "rocket-fact"


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "Type a few words"), ("   ", "Type a few words"), ("x" * 10_000, "10,000 characters")],
)
def test_empty_and_huge_queries_get_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


async def test_only_stopwords_get_a_clear_message(small_store: FactStore) -> None:
    with pytest.raises(QueryError, match="too common"):
        await search(small_store, "what was the")


def test_a_query_is_words_with_their_alternatives() -> None:
    query = parse_query('sixth "nuclear" NEAR(test')
    assert ("6th", "sixth") in query.terms
    assert all(word.isalnum() for term in query.terms for word in term)


@pytest.mark.parametrize(
    ("word", "found"),
    [
        ('"', []),
        ("hwasong*", ["rocket-fact"]),
        ("NEAR(a", []),
        ('rocket" OR "tables', []),
        ("{names}: rocket", []),
    ],
)
async def test_the_store_searches_any_text_as_words(
    small_store: FactStore, word: str, found: list[str]
) -> None:
    # Quoted as one phrase: FTS5 syntax is never obeyed ("hwasong*" is the word hwasong, no prefix query).
    candidates = await small_store.search_candidates([[word]])
    assert [c.fact.id for c in candidates] == found


def test_years_numbers_and_categories_are_recognised() -> None:
    query = parse_query("what did resolution 2397 ban in 2017?")
    assert query.numbers == (2397,)
    assert query.years == (2017,)
    assert query.category_hint is not None
    assert query.category_hint.value == "sanctions"


REAL_QUESTIONS = [
    ("sixth nuclear test", "nuclear-test-6"),
    ("resolution 2397", "unsc-2397"),
    ("Agreed Framework light-water reactors", "agreed-framework-1994"),
    ("Hwasong-15", "launch-2017-11-29"),
    ("when was the sixth nuclear test?", "nuclear-test-6"),
    ("first nuclear test", "nuclear-test-1"),
    ("UNSCR 2371", "unsc-2371"),
    ("Singapore summit", "singapore-summit-2018"),
]


@pytest.mark.parametrize(("question", "expected"), REAL_QUESTIONS)
async def test_real_questions_find_the_right_fact_first(
    seeded_service: FactService, question: str, expected: str
) -> None:
    results = await seeded_service.search(question)
    assert results, f"no results for {question!r}"
    assert results[0].fact.id == expected, [r.fact.id for r in results[:5]]
