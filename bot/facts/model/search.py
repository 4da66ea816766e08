"""Ranking: score the facts FTS5 finds for a question like a person would.

Ranking adds what bm25 cannot know: how many of the question's ideas a fact covers, the year or
resolution number asked about, and the kind of fact the question wants. Reading the question is
bot.facts.model.query (terms, FTS5 expressions) and bot.facts.model.question (entities, intents);
their public names are re-exported here for callers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz, process

from bot.core.folding import cjk_grams, tokens
from bot.facts.model.fact import Category, Fact
from bot.facts.model.lexicon import MONTHS
from bot.facts.model.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    STOPWORDS,
    SYNONYM_WORDS,
    ParsedQuery,
    QueryError,
    checked_text,
    parse_query,
    rarer_terms,
)
from bot.facts.model.question import Question, SystemVocabulary, system_key, understand

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "STOPWORDS",
    "CandidateSource",
    "GramSource",
    "ParsedQuery",
    "QueryError",
    "SearchResult",
    "covers",
    "covers_words",
    "did_you_mean",
    "gram_coverage",
    "name_covers",
    "name_grams",
    "name_text",
    "parse_query",
    "rank",
    "read_question",
    "search",
    "tokens",
]

# bm25 finds the right fact within its first few dozen matches; ranking looks at this many.
CANDIDATES = 40
ENOUGH_CANDIDATES = 5
ALL_TERMS_UP_TO = 3


@dataclass(frozen=True)
class SearchResult:
    fact: Fact
    score: float


class CandidateSource(Protocol):
    async def search_candidates(
        self,
        terms: Sequence[Sequence[str]],
        *,
        every_term: bool = False,
        category: Category | None = None,
        limit: int = 200,
    ) -> list: ...


@runtime_checkable
class GramSource(Protocol):
    async def gram_candidates(
        self, grams: Sequence[str], *, category: Category | None = None, limit: int = 40
    ) -> list: ...


@dataclass(frozen=True)
class _FactText:
    """A fact's words and what else ranking compares, computed once per revision of the fact."""

    words: frozenset[str]
    name_text: str  # title, aliases and id, folded: for phrase and whole-name matches
    name_words: frozenset[str]
    grams: frozenset[str] = frozenset()  # character pairs of the title and aliases
    padded_name: str = ""  # the name text with a space either side: " hwasong 15 " is found only whole
    iso_date: str = ""
    # The tie-breaks _score adds last: the sources' share, then the age's either way.
    sources_share: float = 0.0
    age_share: float = 0.0


_FACT_TEXT_CACHE: dict[tuple[str, int], _FactText] = {}
_FACT_TEXT_CACHE_SIZE = 20_000


def _fact_text(fact: Fact) -> _FactText:
    key = (fact.id, fact.revision)
    cached = _FACT_TEXT_CACHE.get(key)
    if cached is None:
        figures = " ".join(str(v) for v in fact.figures.values())
        words = tokens(" ".join([fact.id, fact.title, fact.summary, *fact.aliases, *fact.tags, figures]))
        name_text = " ".join(tokens(" | ".join([fact.title, *fact.aliases, fact.id])))
        grams = frozenset(cjk_grams(" ".join([fact.title, *fact.aliases])))
        cached = _FactText(
            frozenset(words),
            name_text,
            frozenset(name_text.split()),
            grams,
            f" {name_text} ",
            fact.date.iso(),
            0.1 * min(len(fact.sources), 4),
            0.3 * ((2030 - fact.date.year) / 50),
        )
        if len(_FACT_TEXT_CACHE) >= _FACT_TEXT_CACHE_SIZE:
            _FACT_TEXT_CACHE.clear()  # rare: a simple bound beats an LRU's bookkeeping here
        _FACT_TEXT_CACHE[key] = cached
    return cached


_MEETING_KINDS = frozenset({"multilateral", "summit", "bilateral", "agreement"})


def gram_coverage(query: ParsedQuery, fact: Fact) -> float:
    """The share of the question's Korean/Japanese character pairs found in the fact's names."""
    if not query.grams:
        return 0.0
    text = _fact_text(fact)
    grams = text.grams
    weights = query.gram_weights or (1.0,) * len(query.grams)  # rarer pairs count for more
    meanings = query.gram_meanings or (frozenset(),) * len(query.grams)
    found = sum(
        w
        for g, w, meaning in zip(query.grams, weights, meanings, strict=True)
        if g in grams or not meaning.isdisjoint(text.words)
    )
    return found / sum(weights)


def name_text(fact: Fact) -> str:
    """The fact's title, aliases and id as folded words joined by spaces."""
    return _fact_text(fact).name_text


def covers_words(fact: Fact) -> frozenset[str]:
    """Every folded word of the fact as ranking compares them."""
    return _fact_text(fact).words


def name_grams(fact: Fact) -> frozenset[str]:
    """The Korean/Japanese character pairs of the fact's title and aliases."""
    return _fact_text(fact).grams


def name_covers(query: ParsedQuery, fact: Fact) -> list[bool]:
    """For each term of the question: does the fact's name (title, aliases) hold it?"""
    words = _fact_text(fact).name_words
    return [not group.isdisjoint(words) for group in query.term_sets]


def covers(query: ParsedQuery, fact: Fact) -> list[bool]:
    """For each term of the question: does the fact hold it (any of its alternatives)?"""
    words = _fact_text(fact).words
    return [not group.isdisjoint(words) for group in query.term_sets]


def _names_entities(question: Question) -> bool:
    """Whether _question_bonus can give any fact anything for this question."""
    return bool(
        question.systems
        or question.classes
        or question.months
        or question.period is not None
        or question.withdrawal
        or question.outcome
    )


def _question_bonus(question: Question, fact: Fact) -> float:
    """What the recognised entities say: the system and class named, a withdrawal asked about."""
    bonus = 0.0
    figures = fact.figures
    if question.systems:
        # A launch whose name says it was claimed as the system ("claimed Hwasong-17, assessed Hwasong-15")
        # is asked about by that name too.
        if question.systems.intersection(figures.get("systems") or ()):
            bonus += 5.0
        elif any(f" {name} " in _fact_text(fact).padded_name for name in _system_names(question.systems)):
            bonus += 4.0  # named so, recorded as another system: a little behind the system's own launches
        else:
            bonus -= 1.0
    if question.classes and fact.category is Category.TESTS:
        classes = set(figures.get("system_classes") or ())
        if fact.kind == "satellite_launch":
            classes.add("SLV")
        bonus += 1.5 if classes & question.classes else -0.5
    if question.months and not question.systems:
        bonus += 1.0 if fact.date.month in question.months else 0.0
    if question.period is not None:
        bonus += 2.0 if _in_period(question, fact) else -1.0
    if question.withdrawal:
        bonus += 2.0 if fact.kind == "withdrawal" else 0.0
    if question.outcome and "outcome" in figures:
        bonus += 1.5 if figures["outcome"] == question.outcome else -0.5
    return bonus


@functools.lru_cache(maxsize=1024)
def _system_names(systems: frozenset[str]) -> tuple[str, ...]:
    """Systems' names as folded words ("Hwasong-11A (KN-23)" -> "hwasong 11a")."""
    return tuple(" ".join(tokens(re.sub(r"\s*\(.*\)", "", system))) for system in systems)


def _in_period(question: Question, fact: Fact) -> bool:
    return question.period is not None and question.period[0] <= fact.date.iso() <= question.period[1]


def _score(
    query: ParsedQuery,
    fact: Fact,
    text: _FactText,
    rank: float,
    best_rank: float,
    question: Question | None = None,
) -> float:
    words, title_words = text.words, text.name_words
    # Each term counts by how rare it is in the record (all alike without a vocabulary).
    weights = query.weights or (1.0,) * len(query.terms)
    covered = in_title = 0.0
    for group, weight in zip(query.term_sets, weights, strict=True):
        if not group.isdisjoint(words):
            covered += weight
            in_title += weight * (not group.isdisjoint(title_words))  # the name's words are the fact's
    # Korean/Japanese words count beside them by their character pairs' weights (two pairs a word).
    cjk = sum(query.gram_weights) / 2 if query.gram_weights else float(bool(query.grams))
    n = max(sum(weights) + cjk, 1e-9)
    score = 4.0 * covered / n + 2.0 * in_title / n
    if query.grams:
        score += 6.0 * gram_coverage(query, fact) * cjk / n
    if question is not None:
        score += _question_bonus(question, fact)
    # bm25 ranks are negative; relative to the best match so the scale does not depend on the corpus.
    score += BM25_WEIGHT * (rank / best_rank if best_rank else 0.0)
    figures = fact.figures
    if query.numbers:
        number = figures.get("resolution_number") or figures.get("established_by")
        if figures.get("resolution_number") in query.numbers:
            score += 6.0
        elif number in query.numbers or not words.isdisjoint(query.number_words):
            score += 1.0
    if query.years:
        first, last = fact.date.year, (fact.end_date or fact.date).year
        score += 2.5 if any(first <= year <= last for year in query.years) else -1.0
    if query.ordinals and (question is None or question.period is None or _in_period(question, fact)):
        # An ordinal counts from the start of the period asked about ("first test under Kim Jong Un"):
        # the record's numbering decides only for the facts inside it.
        ordinal = figures.get("test_number") or figures.get("round")
        if ordinal in query.ordinals:
            score += 3.0
    if query.category_hint is not None:
        score += 1.0 if fact.category == query.category_hint else -0.5
    # "Who took part in X?" asks about a meeting, not about its breakdown.
    if query.asks_who and fact.kind in _MEETING_KINDS:
        score += 0.8
    # Adjacent words that form a name ("hwasong 15", "kn 22") count more together than apart, and a
    # question that is a fact's whole name ("1718 committee") names that fact.
    padded = text.padded_name
    if query.phrases:
        found = len([phrase for phrase in query.padded_phrases if phrase in padded])
        score += 2.0 * found / len(query.phrases)
        if query.padded_name in padded:
            score += 7.0
    if query.superlative and "yield_kt_max" in figures:
        score += 0.02 * float(figures["yield_kt_max"])
    # Ties go to the better documented fact, then to the earlier one ("the Hwasong-15 test" is its first),
    # unless the question asks for the latest.
    score += text.sources_share
    score += -text.age_share if query.wants_latest else text.age_share
    return score


def read_question(
    text: str, vocabulary: SystemVocabulary | None, *, known: frozenset[str] = frozenset()
) -> tuple[ParsedQuery, Question]:
    """The question's terms for ranking and what it names and asks; words in `known` are never corrected.
    Raises QueryError for unusable text."""
    checked_text(text)  # the length and emptiness checks, on the text as typed
    question = understand(text, vocabulary or SystemVocabulary(), STOPWORDS, known=SYNONYM_WORDS | known)
    words = list(question.words)
    if vocabulary is not None and len(question.systems) == 1:
        # One system named, however spelt (HS-15, 火星15, kn22): search for it by its own name too.
        (system,) = question.systems
        spelled = vocabulary.find(words)[1]
        canonical = tokens(re.sub(r"\s*\(.*\)", "", system))
        start = min(spelled)
        # A name of one launch rather than the system's ("Kwangmyongsong-4", the satellite an Unha-3
        # carried) is searched as written too: it tells that launch from the system's others.
        own = _own_keys(system)
        if system_key(" ".join(words[i] for i in sorted(spelled))) not in own:
            spelled = frozenset()
        words = [w for i, w in enumerate(words[:start]) if i not in spelled] + canonical
        words += [
            w for i, w in enumerate(question.words) if i >= start + (start in spelled) and i not in spelled
        ]
    used = vocabulary.find(words)[1] if vocabulary is not None else frozenset()
    record = vocabulary.words if vocabulary is not None else None
    return parse_query(" ".join(words) or text, system_words=used, vocabulary=record), question


def _own_keys(system: str) -> frozenset[str]:
    """The keys of a system's own names: "Hwasong-11A (KN-23)" -> hwasong11a, kn23, hs11a..."""
    names = [system, re.sub(r"\s*\(.*\)", "", system), *re.findall(r"\(([^)]*)\)", system)]
    keys = {system_key(name) for name in names}
    return frozenset(
        keys
        | {prefix + key[7:] for key in keys if key.startswith("hwasong") for prefix in ("hs", "hwaseong")}
    )


async def search(
    store: CandidateSource,
    text: str,
    *,
    category: Category | None = None,
    limit: int = 10,
    vocabulary: SystemVocabulary | None = None,
) -> list[SearchResult]:
    """The best facts for `text`, best first. Raises QueryError for unusable text."""
    query, question = read_question(text, vocabulary)
    if query.empty:
        raise QueryError("Those words are too common to search for; add a name, a year or a number.")
    return (await rank(store, query, question, category=category))[:limit]


async def rank(
    store: CandidateSource, query: ParsedQuery, question: Question | None, *, category: Category | None = None
) -> list[SearchResult]:
    """Every candidate for the question, best first."""
    # For a few keywords, the facts matching all of them are the answer and cheap to find. Longer
    # questions carry filler words no fact contains, so they (and keywords with too few matches) rank the
    # facts matching any term: a broader, slower query.
    candidates = []
    if 0 < len(query.terms) <= ALL_TERMS_UP_TO:
        candidates = await store.search_candidates(
            query.terms, every_term=True, category=category, limit=CANDIDATES
        )
    if len(candidates) < ENOUGH_CANDIDATES and query.terms:
        rarer = rarer_terms(query)
        candidates = await store.search_candidates(rarer, category=category, limit=CANDIDATES)
        if len(rarer) > 1 and len(candidates) >= CANDIDATES:  # fewer: every fact holding any is in
            # The facts holding every one of those words are candidates however bm25 ranks them among
            # the facts holding any: a fact that says "sanctions" less often is not a worse answer.
            seen = {c.fact.id for c in candidates}
            every = await store.search_candidates(rarer, every_term=True, category=category, limit=CANDIDATES)
            candidates += [c for c in every if c.fact.id not in seen]
    ranks = {c.fact.id: c.rank for c in candidates}
    facts = {c.fact.id: c.fact for c in candidates}
    if query.grams and isinstance(store, GramSource):
        for c in await store.gram_candidates(query.grams, category=category, limit=CANDIDATES):
            facts.setdefault(c.fact.id, c.fact)
            ranks.setdefault(c.fact.id, 0.0)
    if not facts:
        return []
    best_rank = min(ranks.values())
    entities = question if question is not None and _names_entities(question) else None
    results, dates = [], {}
    for fact in facts.values():
        text = _fact_text(fact)
        results.append(SearchResult(fact, _score(query, fact, text, ranks[fact.id], best_rank, entities)))
        dates[fact.id] = text.iso_date
    results.sort(key=lambda r: (-r.score, dates[r.fact.id]))
    # How near two facts are is judged without bm25's share: it tells apart facts that hold the same
    # words only by how often and where they repeat them.
    lexical = {fact_id: BM25_WEIGHT * (r / best_rank if best_rank else 0.0) for fact_id, r in ranks.items()}
    results = _first_of_series(results, query, lexical, question)
    return await _answer_to_test(store, results, query)


_NAMES_ISSUER = frozenset(
    "us usa america american washington treasury japan japanese tokyo south seoul eu european".split()
)


@runtime_checkable
class ResponseSource(Protocol):
    async def responses_to(self, ids: Sequence[str], kinds: Sequence[str]) -> list[Fact]: ...


_MEASURE_KINDS = ("un_resolution", "unilateral")


async def _answer_to_test(
    store: CandidateSource, results: list[SearchResult], query: ParsedQuery
) -> list[SearchResult]:
    """For "sanctions after the sixth nuclear test": the question names a test but asks for what answered
    it. Put the measure that responds to the best-matching test first (a UN one if the UN is named); the
    measure need not be a candidate: the test's words bring in tests and crowd out what answered them."""
    if not query.wants_sanctions or not results:
        return results
    tests = [r for r in results[:5] if r.fact.category is Category.TESTS]
    if tests:
        test_id = tests[0].fact.id
    elif query.ordinals:  # "sanctions after the 6th test": the test itself need not be a candidate
        test_id = f"nuclear-test-{query.ordinals[0]}"
    else:
        return results
    answers = [r for r in results if r.fact.category is Category.SANCTIONS and test_id in r.fact.responds_to]
    # Fetched only when the test itself ranks first: a measure ranked first already answers the question.
    if not answers and results[0].fact.id == test_id and isinstance(store, ResponseSource):
        answers = [SearchResult(f, 0.0) for f in await store.responses_to([test_id], _MEASURE_KINDS)]
    # The Security Council's resolution is the answer unless the question names another sanctioner.
    if query.names_un or not _NAMES_ISSUER.intersection(query.name.split()):
        answers.sort(key=lambda r: r.fact.kind != "un_resolution")
    if not answers:
        return results
    return [answers[0], *(r for r in results if r is not answers[0])]


SERIES_MARGIN = 0.6
SERIES_TITLE_SHARE = 0.5
BM25_WEIGHT = 1.5


def _first_of_series(
    results: list[SearchResult],
    query: ParsedQuery,
    lexical: dict[str, float] | None = None,
    question: Question | None = None,
) -> list[SearchResult]:
    """When the best matches are near-equal facts of one kind (rounds of the same talks, launches of the
    same system), a question without a date means the first of them (or the latest, if it says so)."""
    if len(results) < 2:
        return results
    lexical = lexical or {}
    best = results[0]
    if question is not None and not _agrees(question, best.fact):
        question = None  # the best fact is no fit for the dates or outcome asked: no series to pick from
    best_core = best.score - lexical.get(best.fact.id, 0.0)
    held = covers(query, best.fact)
    # A Korean or Japanese question's character pairs count as its words do: a fact whose names hold
    # fewer of them than the best one's answers less of it.
    pairs = gram_coverage(query, best.fact) if query.grams else 0.0
    # So do the question's phrases its name holds ("kwangmyongsong 4" names one Unha-3 launch).
    phrases = _phrases_named(query, best.fact)
    series = [
        r
        for r in results
        if r.fact.kind == best.fact.kind
        and (question is None or _agrees(question, r.fact))
        and (
            # A near-equal fact that drops a word the best one holds answers less of the question.
            (r.score >= best.score - SERIES_MARGIN and _holds_as_much(covers(query, r.fact), held))
            or (
                r.score - lexical.get(r.fact.id, 0.0) >= best_core - SERIES_MARGIN
                and covers(query, r.fact) == held
                and _alike(r.fact, best.fact)
            )
        )
        and (not pairs or gram_coverage(query, r.fact) >= pairs)
        and (not phrases or _phrases_named(query, r.fact) >= phrases)
    ]
    chosen = (
        max(series, key=lambda r: r.fact.date.iso())
        if query.wants_latest
        else min(series, key=lambda r: r.fact.date.iso())
    )
    if chosen is best:
        return results
    return [chosen, *(r for r in results if r is not chosen)]


def _phrases_named(query: ParsedQuery, fact: Fact) -> int:
    padded = _fact_text(fact).padded_name
    return sum(phrase in padded for phrase in query.padded_phrases)


def _holds_as_much(flags: list[bool], held: list[bool]) -> bool:
    return all(flag or not was for flag, was in zip(flags, held, strict=True))


def _agrees(question: Question, fact: Fact) -> bool:
    """Whether a fact is of the month and outcome the question names (a series member must be)."""
    if question.months and fact.date.month not in question.months:
        return False
    outcome = fact.figures.get("outcome")
    return not (question.outcome and outcome and outcome != question.outcome)


def _alike(one: Fact, other: Fact) -> bool:
    """Whether two facts' titles are mostly the same words (dates and numbers aside): one series."""
    a, b = _title_words(one), _title_words(other)
    return bool(a and b) and len(a & b) >= SERIES_TITLE_SHARE * len(a | b)


def _title_words(fact: Fact) -> frozenset[str]:
    return frozenset(w for w in tokens(fact.title) if w not in STOPWORDS and w.isalpha() and w not in MONTHS)


def did_you_mean(text: str, vocabulary: list[str], limit: int = 3) -> list[str]:
    """Close spellings of the query's words from the store's titles and aliases."""
    suggestions = []
    for word in tokens(text):
        if word in STOPWORDS or len(word) < 4:
            continue
        for match, score, _ in process.extract(word, vocabulary, scorer=fuzz.ratio, limit=2):
            if 70 <= score < 100 and match not in suggestions:
                suggestions.append(match)
    return suggestions[:limit]
