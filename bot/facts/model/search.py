"""Search: turn a person's question into a safe FTS5 query, then rank the matches like a person would.

User text never reaches FTS5 as syntax: every term is quoted, so `"`, `*`, `AND(`, `NEAR` and
unbalanced parentheses are just words. Ranking adds what bm25 cannot know: how many of the
question's ideas a fact covers, the year or resolution number asked about, and the kind of fact
the question wants.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz, process

from bot.core.errors import InvalidInput
from bot.core.folding import cjk_grams, fold, is_cjk, tokens
from bot.facts.model.fact import Category, Fact
from bot.facts.model.question import Question, SystemVocabulary, understand

MAX_QUERY_LENGTH = 300
MAX_TERMS = 24
# bm25 finds the right fact within its first few dozen matches; ranking looks at this many.
CANDIDATES = 40
ENOUGH_CANDIDATES = 5
ALL_TERMS_UP_TO = 3

STOPWORDS = frozenset(
    (
        "a an and are as at be by can did do does for from had has have how i in into is it its me of on or "
        "s she show tell that the their them then there these they this to was were what when where which "
        "who whom why will with would you your about after before during than against any all ever"
    ).split()
)

# Words that mean the same thing to a reader; each group is searched as alternatives.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("icbm", "intercontinental"),
    ("irbm", "intermediate"),
    ("slbm", "submarine"),
    ("srbm", "short"),
    ("unsc", "security", "council"),
    ("un", "united", "nations"),
    ("resolution", "unscr", "res"),
    ("nuclear", "atomic", "nuke"),
    ("test", "tests", "tested", "testing", "detonation", "detonated", "explosion", "blast"),
    ("launch", "launches", "launched", "fired", "firing", "missile", "missiles"),
    ("satellite", "satellites", "space", "rocket", "slv"),
    ("sanction", "sanctions", "sanctioned", "measures", "penalties"),
    ("ban", "banned", "bans", "prohibited", "prohibit", "embargo"),
    ("talks", "negotiations", "negotiation", "dialogue"),
    ("summit", "summits", "met", "meeting", "meet"),
    ("agreement", "deal", "accord", "framework"),
    ("withdraw", "withdrew", "withdrawal", "quit", "left", "leave", "leaving", "withdrawing"),
    ("us", "usa", "america", "american", "washington", "states"),
    ("dprk", "north", "pyongyang"),
    ("rok", "south", "seoul"),
    ("japan", "japanese", "tokyo"),
    ("china", "chinese", "beijing"),
    ("russia", "russian", "moscow"),
    ("eu", "european", "europe"),
    ("organisation", "organization"),
    ("programme", "program"),
    ("defence", "defense"),
    ("treasury", "ofac"),
    ("veto", "vetoed", "vetoes"),
    ("oil", "petroleum", "fuel"),
    ("trump", "donald"),
    ("kim", "jong"),
    ("hydrogen", "thermonuclear", "h"),
    ("yield", "kilotons", "kt", "powerful", "strongest", "biggest", "largest"),
    ("six", "6"),
    ("party", "parties"),
)
_SYNONYMS: dict[str, tuple[str, ...]] = {word: group for group in _SYNONYM_GROUPS for word in group}

_ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
_CARDINALS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}

# Question words that say which category the asker wants.
_CATEGORY_HINTS: dict[Category, frozenset[str]] = {
    Category.TESTS: frozenset(
        "test tests tested launch launches launched missile missiles icbm irbm srbm slbm rocket satellite nuclear detonation apogee fired yield magnitude".split()
    ),
    Category.SANCTIONS: frozenset(
        "sanction sanctions resolution resolutions unsc ban banned cap capped embargo veto vetoed order eo act treasury measures panel committee".split()
    ),
    Category.TALKS: frozenset(
        "talks summit agreement deal framework declaration negotiations meeting met statement npt withdraw withdrew withdrawal party parties joint".split()
    ),
}
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
# Korean and Japanese words for what a question is about: searched as the English words too.
CJK_CONCEPTS: dict[str, str] = {
    "핵실험": "nuclear test", "核実験": "nuclear test", "미사일": "missile", "ミサイル": "missile",
    "위성": "satellite", "衛星": "satellite", "제재": "sanctions", "制裁": "sanctions", "결의": "resolution",
    "決議": "resolution", "안보리": "unsc", "安保理": "unsc", "정상회담": "summit", "首脳": "summit",
    "회담": "talks", "会談": "talks", "선언": "declaration", "宣言": "declaration", "공동성명": "joint statement",
    "共同声明": "joint statement", "탈퇴": "withdrawal", "脱退": "withdrawal", "북한": "dprk",
    "北朝鮮": "dprk", "6자회담": "six party talks", "六者会合": "six party talks", "발사": "launch",
    "発射": "launch", "上空": "over", "상공": "over", "日本": "japan", "일본": "japan",
}  # fmt: skip
# Korean and Japanese counters after a number: 6차 / 第6回 / 5回目 (the Nth event), 2397호 / 2397号.
_CJK_ORDINAL_COUNTERS = ("차", "회", "번째", "回")


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for: its terms (each a group of alternatives) and any year, number or
    category it names."""

    text: str
    terms: tuple[tuple[str, ...], ...]
    years: tuple[int, ...]
    numbers: tuple[int, ...]
    ordinals: tuple[int, ...]
    category_hint: Category | None
    phrases: tuple[str, ...] = ()
    wants_latest: bool = False
    asks_who: bool = False
    superlative: bool = False
    wants_sanctions: bool = False
    name: str = ""  # the content words in order, folded: compared with fact names
    names_un: bool = False
    grams: tuple[str, ...] = ()  # Korean/Japanese/Chinese character pairs (see folding.cjk_grams)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.grams

    @functools.cached_property
    def term_sets(self) -> tuple[frozenset[str], ...]:
        """Each term's alternatives as a set, for ranking many facts against the same query."""
        return tuple(frozenset(group) for group in self.terms)


class QueryError(InvalidInput):
    """A query that cannot be searched; the message says how to fix it."""


def parse_query(text: str, *, system_words: frozenset[int] = frozenset()) -> ParsedQuery:
    """Understand a free-text question. Raises QueryError for empty or over-long text.

    `system_words` are the positions of words that name a launched system (bot.facts.model.question):
    their numbers are part of a name ("Hwasong-19"), never a year, a resolution or a day of the month."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise QueryError(
            "Type a few words to search for, for example `sixth nuclear test` or `resolution 2397`."
        )
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"That question is {len(cleaned):,} characters long; keep it under {MAX_QUERY_LENGTH} "
            "characters (a few keywords work best)."
        )
    folded = fold(cleaned)
    words = tokens(folded)
    grams = tuple(cjk_grams(folded))
    extra = [english for cjk, english in CJK_CONCEPTS.items() if cjk in folded]
    years, numbers, ordinals = [], [], []
    terms: list[tuple[str, ...]] = []
    hint_votes = dict.fromkeys(Category, 0)
    for index, word in enumerate(words):
        for category, hints in _CATEGORY_HINTS.items():
            hint_votes[category] += word in hints
        if word in STOPWORDS or is_cjk(word):
            continue
        if index in system_words:
            terms.append((word,))
            continue
        # An ordinal counts a series only next to the series' noun: "sixth nuclear test", "round 6",
        # not "first ICBM" or "for the first time" (those mean the earliest, see _first_of_series).
        following = words[index + 1] if index + 1 < len(words) else ""
        counts_series = following in _SERIES_NOUNS or (index > 0 and words[index - 1] == "round")
        alternatives = {word}
        if word in _ORDINALS:
            alternatives.add(_ORDINALS[word])
            if counts_series:
                ordinals.append(int(_ORDINALS[word][:-2]))
        elif word in _CARDINALS:
            alternatives.add(_CARDINALS[word])
        elif re.fullmatch(r"\d+(st|nd|rd|th)", word):
            if counts_series:
                ordinals.append(int(word[:-2]))
            alternatives.add(word[:-2])
            alternatives.update(k for k, v in _ORDINALS.items() if v == word)
        elif word.isdigit():
            if following.startswith(_CJK_ORDINAL_COUNTERS) or (index > 0 and words[index - 1] == "第"):
                ordinals.append(int(word))
            elif _YEAR.match(word):
                years.append(int(word))
            elif counts_series:
                ordinals.append(int(word))
            else:
                numbers.append(int(word))
        alternatives.update(_SYNONYMS.get(word, ()))
        terms.append(tuple(sorted(alternatives)))
    for english in extra:
        for word in english.split():
            terms.append(tuple(sorted({word, *_SYNONYMS.get(word, ())})))
            for category, hints in _CATEGORY_HINTS.items():
                hint_votes[category] += word in hints
    terms = list(dict.fromkeys(terms))[:MAX_TERMS]
    best = max(hint_votes.values())
    leaders = [c for c, v in hint_votes.items() if v == best]
    hint = leaders[0] if best > 0 and len(leaders) == 1 else None
    content = [w for w in words if w not in STOPWORDS and not is_cjk(w)]
    phrases = tuple(dict.fromkeys(f"{a} {b}" for a, b in itertools.pairwise(content)))
    return ParsedQuery(
        cleaned,
        tuple(terms),
        tuple(years),
        tuple(numbers),
        tuple(ordinals),
        hint,
        phrases,
        wants_latest=any(w in _RECENT_WORDS for w in words),
        asks_who=any(w in _PARTICIPANT_WORDS for w in words),
        superlative=any(w in _SUPERLATIVE_WORDS for w in words),
        wants_sanctions=any(w in _SANCTION_WORDS for w in words),
        name=" ".join(content),
        names_un=any(w in _UN_WORDS for w in words),
        grams=grams,
    )


def fts_expression(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression with every term quoted: any of the words may match."""
    words = sorted({word for group in query.terms for word in group})
    return " OR ".join(f'"{w}"' for w in words)


def fts_all_terms_expression(query: ParsedQuery) -> str:
    """Every term of the question must match (any of its alternatives): few matches, cheap to rank."""
    groups = [" OR ".join(f'"{w}"' for w in group) for group in query.terms]
    return " AND ".join(f"({group})" for group in groups)


@dataclass(frozen=True)
class SearchResult:
    fact: Fact
    score: float


class CandidateSource(Protocol):
    async def search_candidates(
        self, match_expression: str, *, category: Category | None = None, limit: int = 200
    ) -> list: ...


@runtime_checkable
class GramSource(Protocol):
    async def gram_candidates(
        self, grams: Sequence[str], *, category: Category | None = None, limit: int = 40
    ) -> list: ...


@dataclass(frozen=True)
class _FactText:
    """A fact's words as ranking compares them, computed once per revision of the fact."""

    words: frozenset[str]
    name_text: str  # title, aliases and id, folded: for phrase and whole-name matches
    name_words: frozenset[str]
    grams: frozenset[str] = frozenset()  # character pairs of the title and aliases


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
        cached = _FactText(frozenset(words), name_text, frozenset(name_text.split()), grams)
        if len(_FACT_TEXT_CACHE) >= _FACT_TEXT_CACHE_SIZE:
            _FACT_TEXT_CACHE.clear()  # rare: a simple bound beats an LRU's bookkeeping here
        _FACT_TEXT_CACHE[key] = cached
    return cached


_RECENT_WORDS = frozenset({"last", "latest", "recent", "newest", "most recent"})
_PARTICIPANT_WORDS = frozenset({"who", "participants", "participated", "attended", "part", "members"})
_MEETING_KINDS = frozenset({"multilateral", "summit", "bilateral", "agreement"})
_SERIES_NOUNS = frozenset({"nuclear", "test", "atomic", "detonation", "bomb", "round", "phase"})
_SUPERLATIVE_WORDS = frozenset({"powerful", "strongest", "biggest", "largest"})
_SANCTION_WORDS = frozenset(
    {
        "resolution",
        "resolutions",
        "sanction",
        "sanctions",
        "unsc",
        "council",
        "impose",
        "imposed",
        "punish",
        "response",
        "respond",
        "responded",
    }
)
_UN_WORDS = frozenset({"un", "unsc", "united", "nations", "security", "council", "resolution", "resolutions"})


def gram_coverage(query: ParsedQuery, fact: Fact) -> float:
    """The share of the question's Korean/Japanese character pairs found in the fact's names."""
    if not query.grams:
        return 0.0
    grams = _fact_text(fact).grams
    return sum(g in grams for g in query.grams) / len(query.grams)


def covers(query: ParsedQuery, fact: Fact) -> list[bool]:
    """For each term of the question: does the fact hold it (any of its alternatives)?"""
    words = _fact_text(fact).words
    return [not group.isdisjoint(words) for group in query.term_sets]


def _question_bonus(question: Question, fact: Fact) -> float:
    """What the recognised entities say: the system and class named, a withdrawal asked about."""
    bonus = 0.0
    figures = fact.figures
    if question.systems:
        bonus += 5.0 if question.systems.intersection(figures.get("systems") or ()) else -1.0
    if question.classes and fact.category is Category.TESTS:
        classes = set(figures.get("system_classes") or ())
        if fact.kind == "satellite_launch":
            classes.add("SLV")
        bonus += 1.5 if classes & question.classes else -0.5
    if question.months and not question.systems:
        bonus += 1.0 if fact.date.month in question.months else 0.0
    if question.withdrawal:
        bonus += 2.0 if fact.kind == "withdrawal" else 0.0
    if question.outcome and "outcome" in figures:
        bonus += 0.5 if figures["outcome"] == question.outcome else 0.0
    return bonus


def _score(
    query: ParsedQuery, fact: Fact, rank: float, best_rank: float, question: Question | None = None
) -> float:
    text = _fact_text(fact)
    words, name_text, title_words = text.words, text.name_text, text.name_words
    covered = sum(not group.isdisjoint(words) for group in query.term_sets)
    in_title = sum(not group.isdisjoint(title_words) for group in query.term_sets)
    n = max(len(query.terms), 1)
    score = 4.0 * covered / n + 2.0 * in_title / n
    if query.grams:
        score += 6.0 * gram_coverage(query, fact)
    if question is not None:
        score += _question_bonus(question, fact)
    # bm25 ranks are negative; relative to the best match so the scale does not depend on the corpus.
    score += 1.5 * (rank / best_rank if best_rank else 0.0)
    figures = fact.figures
    if query.numbers:
        number = figures.get("resolution_number") or figures.get("established_by")
        if figures.get("resolution_number") in query.numbers:
            score += 6.0
        elif number in query.numbers or any(str(n) in words for n in query.numbers):
            score += 1.0
    if query.years:
        years = set(range(fact.date.year, (fact.end_date or fact.date).year + 1))
        score += 2.5 if years & set(query.years) else -1.0
    if query.ordinals:
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
    padded = f" {name_text} "
    if query.phrases:
        score += 2.0 * sum(f" {phrase} " in padded for phrase in query.phrases) / len(query.phrases)
        if f" {query.name} " in padded:
            score += 7.0
    if query.superlative and "yield_kt_max" in figures:
        score += 0.02 * float(figures["yield_kt_max"])
    # Ties go to the better documented fact, then to the earlier one ("the Hwasong-15 test" is its first),
    # unless the question asks for the latest.
    score += 0.1 * min(len(fact.sources), 4)
    age = (2030 - fact.date.year) / 50
    score += -0.3 * age if query.wants_latest else 0.3 * age
    return score


def read_question(text: str, vocabulary: SystemVocabulary | None) -> tuple[ParsedQuery, Question]:
    """The question's terms for ranking and what it names and asks. Raises QueryError for unusable text."""
    parse_query(text)  # the length and emptiness checks, on the text as typed
    question = understand(text, vocabulary or SystemVocabulary(), STOPWORDS)
    words = list(question.words)
    if vocabulary is not None and len(question.systems) == 1:
        # One system named, however spelt (HS-15, 火星15, kn22): search for it by its own name too.
        (system,) = question.systems
        spelled = vocabulary.find(words)[1]
        canonical = tokens(re.sub(r"\s*\(.*\)", "", system))
        start = min(spelled)
        words = [w for i, w in enumerate(words[:start]) if i not in spelled] + canonical
        words += [w for i, w in enumerate(question.words) if i > start and i not in spelled]
    used = vocabulary.find(words)[1] if vocabulary is not None else frozenset()
    return parse_query(" ".join(words) or text, system_words=used), question


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
            fts_all_terms_expression(query), category=category, limit=CANDIDATES
        )
    if len(candidates) < ENOUGH_CANDIDATES and query.terms:
        candidates = await store.search_candidates(fts_expression(query), category=category, limit=CANDIDATES)
    ranks = {c.fact.id: c.rank for c in candidates}
    facts = {c.fact.id: c.fact for c in candidates}
    if query.grams and isinstance(store, GramSource):
        for c in await store.gram_candidates(query.grams, category=category, limit=CANDIDATES):
            facts.setdefault(c.fact.id, c.fact)
            ranks.setdefault(c.fact.id, 0.0)
    if not facts:
        return []
    best_rank = min(ranks.values())
    results = [
        SearchResult(fact, _score(query, fact, ranks[fact.id], best_rank, question))
        for fact in facts.values()
    ]
    results.sort(key=lambda r: (-r.score, r.fact.date.iso()))
    return _answer_to_test(_first_of_series(results, query), query)


_NAMES_ISSUER = frozenset(
    "us usa america american washington treasury japan japanese tokyo south seoul eu european".split()
)


def _answer_to_test(results: list[SearchResult], query: ParsedQuery) -> list[SearchResult]:
    """For "sanctions after the sixth nuclear test": the question names a test but asks for what answered
    it. Put the measure that responds to the best-matching test first (a UN one if the UN is named)."""
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
    # The Security Council's resolution is the answer unless the question names another sanctioner.
    if query.names_un or not _NAMES_ISSUER.intersection(query.name.split()):
        answers.sort(key=lambda r: r.fact.kind != "un_resolution")
    if not answers:
        return results
    return [answers[0], *(r for r in results if r is not answers[0])]


SERIES_MARGIN = 0.6


def _first_of_series(results: list[SearchResult], query: ParsedQuery) -> list[SearchResult]:
    """When the best matches are near-equal facts of one kind (rounds of the same talks, launches of the
    same system), a question without a date means the first of them (or the latest, if it says so)."""
    if len(results) < 2:
        return results
    best = results[0]
    series = [r for r in results if r.fact.kind == best.fact.kind and r.score >= best.score - SERIES_MARGIN]
    chosen = (
        max(series, key=lambda r: r.fact.date.iso())
        if query.wants_latest
        else min(series, key=lambda r: r.fact.date.iso())
    )
    if chosen is best:
        return results
    return [chosen, *(r for r in results if r is not chosen)]


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
