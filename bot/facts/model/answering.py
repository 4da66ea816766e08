"""Answers: understand the question, answer from typed figures where they decide (counts, first / last /
Nth, superlatives), otherwise rank; and refuse what the record does not hold.

Use `answer()` (or FactService.answer) for the rich result; bot.facts.model.search.search() stays the plain
ranked list for callers that only want facts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from bot.facts.model.fact import Category, Fact
from bot.facts.model.question import FRAME_WORDS, PARTICIPANT_NAMES, Question, SystemVocabulary
from bot.facts.model.search import (
    STOPWORDS,
    CandidateSource,
    ParsedQuery,
    SearchResult,
    covers,
    gram_coverage,
    rank,
    read_question,
)

# Below this confidence the record does not answer the question. Measured 2026-12-07 on tests/data (see
# tests/facts/test_search_quality.py): there is NO margin yet. The lowest answered on-topic question scores
# 0.50 ("천안함 이후 5.24 대북 조치"), the next 0.55; the highest off-topic ones score 0.81 ("When did World
# War II end?", answered) and 0.50 ("i love you bot", answered), then 0.48. Widening it is open work.
CONFIDENCE_THRESHOLD = 0.5
SUGGESTIONS = 5
LAUNCH_KINDS = ("missile_launch", "satellite_launch")
_ISSUERS = {
    "us": "us", "usa": "us", "american": "us", "america": "us", "washington": "us", "treasury": "us",
    "ofac": "us", "japan": "japan", "japanese": "japan", "tokyo": "japan", "seoul": "south_korea",
    "eu": "eu", "european": "eu",
}  # fmt: skip
_NUCLEAR = frozenset({"nuclear", "nuke", "nukes", "atomic", "bomb", "detonation", "explosion"})
_LAUNCH = frozenset({"launch", "launches", "launched", "missile", "missiles", "fired", "fire", "rocket", "rockets", "icbm", "icbms"})  # fmt: skip
_SANCTIONS = frozenset({"sanction", "sanctions", "measure", "measures", "packages", "package", "unilateral"})
_RESOLUTION = frozenset({"resolution", "resolutions", "unscr"})
_FAMILY_WORDS = frozenset(
    "nuclear nuke nukes atomic bomb detonation explosion satellite satellites space spy sanction sanctions "
    "measure measures packages package unilateral resolution resolutions unscr security council un us usa "
    "american america washington treasury japan japanese tokyo seoul south eu european drafts draft vetoed "
    "veto underground".split()
)
_INTENT_WORDS = frozenset(
    "first earliest last latest newest recent most highest farthest furthest longest largest biggest "
    "powerful strongest weakest smallest fewest salvo altitude apogee yield second third fourth fifth sixth "
    "many often number total".split()
)


_ROUND_WORDS = frozenset({"round", "rounds"})
_MEETING_WORDS = frozenset({"meet", "met", "meeting", "meetings", "summit", "summits", "talks"})
DOMAIN_WORDS = frozenset(
    "nuclear missile missiles icbm irbm srbm slbm mrbm scud nodong musudan sanctions sanction resolution "
    "resolutions unsc summit talks npt framework agreement declaration satellite rocket warhead hydrogen "
    "yongbyon punggye kaesong panmunjom denuclearization enrichment plutonium uranium veto embargo six "
    "party treasury".split()
)


class AnswerSource(CandidateSource, Protocol):
    async def gram_candidates(
        self, grams: Sequence[str], *, category: Category | None = None, limit: int = 40
    ) -> list: ...

    async def word_document_counts(self, words: Sequence[str]) -> tuple[int, dict[str, int]]: ...

    async def facts_of_kinds(self, kinds: Sequence[str]) -> list[Fact]: ...


@dataclass(frozen=True)
class Answer:
    """What /search and `ask` show.

    kind "fact": `facts` best first. kind "count": `count` is the number asked for and `facts` the facts
    counted, newest first. kind "refused": the record does not answer it; `facts` is empty and
    `suggestions` holds up to 5 facts on nearby topics. `lead` is a sentence to show first."""

    kind: Literal["fact", "count", "refused"]
    facts: tuple[Fact, ...]
    lead: str
    count: int | None = None
    confidence: float = 0.0
    suggestions: tuple[Fact, ...] = ()

    @property
    def refused(self) -> bool:
        return self.kind == "refused"

    @property
    def best(self) -> Fact | None:
        return self.facts[0] if self.facts else None


def _refusal(results: Sequence[SearchResult], confidence: float, why: str = "") -> Answer:
    lead = "That is not in the DPRK Watch record" + (f" ({why})." if why else ".")
    suggestions = tuple(r.fact for r in results[:SUGGESTIONS])
    return Answer("refused", (), lead, confidence=confidence, suggestions=suggestions)


async def answer(
    store: AnswerSource, text: str, vocabulary: SystemVocabulary, *, category: Category | None = None
) -> Answer:
    """Answer `text`. Raises QueryError for empty or over-long text."""
    query, question = read_question(text, vocabulary, known=_KNOWN)
    if query.empty:
        return _refusal((), 0.0)
    results = await rank(store, query, question, category=category)
    if question.foreign:
        return _refusal(results, 0.0, "it covers North Korea's programmes, not other states'")
    typed = await _response(store, question, results) or await _typed(store, question, query, results)
    if typed is not None:
        return typed
    if not results:
        return _refusal((), 0.0)
    if question.counts:
        counted = _generic_count(query, results)
        confidence = await _confidence(store, query, question, counted[0])
        if confidence < CONFIDENCE_THRESHOLD:
            return _refusal(results, confidence)
        return _count_answer(counted, len(counted), "", confidence)
    confidence = await _confidence(store, query, question, results[0].fact)
    if confidence < CONFIDENCE_THRESHOLD:
        return _refusal(results, confidence)
    return Answer("fact", tuple(r.fact for r in results), results[0].fact.title, confidence=confidence)


# --- what answered a test ---------------------------------------------------------------------------

_RESPONSE_WORDS = frozenset(
    "after following response respond responded responding reaction react reacted answer answered".split()
)
_ANSWER_KINDS = ("un_resolution", "unilateral", "un_draft")
# Words answering understands: never corrected into another word of the record.
_KNOWN = (
    _RESPONSE_WORDS
    | _FAMILY_WORDS
    | _INTENT_WORDS
    | DOMAIN_WORDS
    | _ROUND_WORDS
    | _MEETING_WORDS
    | frozenset(_ISSUERS)
)


async def _response(store: AnswerSource, question: Question, results: list[SearchResult]) -> Answer | None:
    """ "Resolution after the sixth nuclear test", "what did the UN do after the 6th nuke test": the question
    picks a test and asks for what answered it, the facts whose `responds_to` holds that test; a UN
    resolution first unless the question names another sanctioner."""
    words = set(question.words)
    asks_measure = words & (_RESOLUTION | _SANCTIONS | {"un", "unsc", "council", "nations"})
    if not words & _RESPONSE_WORDS or not asks_measure:
        return None
    kinds = ("nuclear_test",) if words & _NUCLEAR else LAUNCH_KINDS
    if not (words & (_NUCLEAR | _LAUNCH) or question.systems or question.classes):
        return None
    tests = [f for f in await store.facts_of_kinds(kinds) if _matches(question, f, kinds)]
    if question.nth is not None and kinds == ("nuclear_test",):
        tests = [f for f in tests if f.figures.get("test_number") == question.nth]
    elif question.nth is not None:
        tests = tests[question.nth - 1 : question.nth]
    elif question.last:
        tests = tests[-1:]
    elif question.first:
        tests = tests[:1]
    elif not (question.years or question.months or question.systems):
        return None
    ids = {f.id for f in tests}
    answers = [f for f in await store.facts_of_kinds(_ANSWER_KINDS) if ids.intersection(f.responds_to)]
    if not answers:
        return None
    issuer = _issuer(question)
    answers.sort(
        key=lambda f: (
            (f.figures.get("issuer") != issuer) if issuer else f.kind != "un_resolution",
            f.date.iso(),
        )
    )
    chosen = answers[0]
    rest = [*answers[1:], *tests, *(r.fact for r in results)]
    unique = {f.id: f for f in reversed(rest) if f.id != chosen.id}  # the first of each id wins
    ordered = (
        chosen,
        *sorted(unique.values(), key=lambda f: next(i for i, g in enumerate(rest) if g.id == f.id)),
    )
    return Answer("fact", ordered, chosen.title, confidence=1.0)


# --- typed answers ------------------------------------------------------------------------------------


def _kinds(question: Question) -> tuple[str, ...] | None:
    """The kinds of fact a selecting question is about, if its words decide them."""
    words = set(question.words)
    if (
        "SLV" in question.classes
        and not (question.classes - {"SLV"})
        and not question.systems - _SATELLITE_SYSTEMS
    ):
        return ("satellite_launch",)
    if question.systems or question.classes:
        return LAUNCH_KINDS
    if words & _NUCLEAR and not words & _LAUNCH:
        return ("nuclear_test",)
    if words & _LAUNCH:
        return LAUNCH_KINDS
    if words & {"drafts", "draft", "vetoed"} and words & {"veto", "vetoed"}:
        return ("un_draft",)
    if words & _ROUND_WORDS or ({"six", "party"} <= words and words & {"talks", "rounds", "round"}):
        return ("multilateral",)
    if words & _MEETING_WORDS and question.participants:
        return ("summit",)
    if words & _RESOLUTION or ({"security", "council"} <= words and not words & _SANCTIONS):
        return ("un_resolution",)
    if words & _SANCTIONS and _issuer(question):
        return ("unilateral",)
    return None


_SATELLITE_SYSTEMS: frozenset[str] = frozenset()  # satellite rockets are matched by the kind, not the class


def _issuer(question: Question) -> str | None:
    words = question.words
    for i, word in enumerate(words):
        if word == "korea" and i > 0 and words[i - 1] == "south":
            return "south_korea"
        if word in _ISSUERS:
            return _ISSUERS[word]
    return None


def _matches(question: Question, fact: Fact, kinds: Sequence[str]) -> bool:
    figures = fact.figures
    if question.years and fact.date.year not in question.years:
        return False
    if question.months and fact.date.month not in question.months:
        return False
    if question.systems and not question.systems.intersection(figures.get("systems") or ()):
        return False
    launch_classes = question.classes - ({"SLV"} if kinds == ("satellite_launch",) else set())
    if launch_classes and fact.kind in LAUNCH_KINDS:
        classes = set(figures.get("system_classes") or ()) | (
            {"SLV"} if fact.kind == "satellite_launch" else set()
        )
        if not classes & launch_classes:
            return False
    if question.outcome and fact.kind in LAUNCH_KINDS and figures.get("outcome") != question.outcome:
        return False
    if question.period is not None and not question.period[0] <= fact.date.iso() <= question.period[1]:
        return False
    if fact.kind in ("summit", "multilateral", "bilateral", "agreement"):
        if not question.participants <= set(figures.get("participants") or ()):
            return False
        if fact.kind == "multilateral":
            words = set(question.words)
            if words & _ROUND_WORDS and figures.get("round") is None:
                return False
            if "six" in words and len(figures.get("participants") or ()) < 6:
                return False
    issuer = _issuer(question) if fact.kind == "unilateral" else None
    return issuer is None or figures.get("issuer") == issuer


# A leftover word no pool fact holds is filler ("separate", "finally") unless it is a rare word of other
# facts: then the question is about something the typed figures do not decide, and ranking answers it.
RARE_SHARE = 0.05
_EXPLAINED = (
    _FAMILY_WORDS | _INTENT_WORDS | FRAME_WORDS | _ROUND_WORDS | _MEETING_WORDS | frozenset(PARTICIPANT_NAMES)
)


async def _narrow(
    store: AnswerSource, question: Question, query: ParsedQuery, pool: list[Fact]
) -> list[Fact] | None:
    """The pool narrowed by the question's other content words: a word some but not all of the pool's facts
    hold (any of its synonyms) keeps those facts ("renew the panel of experts"); None when a rare word of
    the record is in none of them, so the typed figures are not the whole answer."""
    rest = [w for w in question.leftover if w not in _EXPLAINED]
    if not rest:
        return pool
    groups = {w: next((g for g in query.terms if w in g), None) for w in rest}
    total, counts = await store.word_document_counts(rest)
    for word, group in groups.items():
        if group is None or len(word) < 4 or counts.get(word, 0) > RARE_SHARE * total:
            continue
        index = query.terms.index(group)
        held = [f for f in pool if covers(query, f)[index]]
        if held and len(held) < len(pool):
            pool = held
        elif not held and 0 < counts.get(word, 0) <= RARE_SHARE * total:
            return None
    return pool


async def _typed(
    store: AnswerSource, question: Question, query: ParsedQuery, results: list[SearchResult]
) -> Answer | None:
    if not question.selects:
        return None
    kinds = _kinds(question)
    if kinds is None:
        return None
    found = [f for f in await store.facts_of_kinds(kinds) if _matches(question, f, kinds)]
    pool = await _narrow(store, question, query, found) if found else None
    if not pool:
        return None
    rest = [r.fact for r in results]
    if question.counts:
        if question.sums_missiles:
            total = sum(int(f.figures.get("missiles") or 0) for f in pool)
            return _count_answer(pool, total, "missiles", 1.0)
        return _count_answer(pool, len(pool), "", 1.0)
    chosen: Fact | None = None
    if question.superlative is not None:
        figure, largest = question.superlative
        valued = [(v, f) for f in pool if (v := _figure(f, figure)) is not None]
        if valued:
            pick = max if largest else min
            chosen = pick(valued, key=lambda vf: (vf[0], -vf[1].date.year if largest else vf[1].date.year))[1]
    elif question.nth is not None and kinds == ("nuclear_test",):
        # Nuclear tests are numbered: "the 3rd test" is test 3 whatever else the question narrows by.
        chosen = next((f for f in found if f.figures.get("test_number") == question.nth), None)
    elif question.nth is not None:
        chosen = pool[question.nth - 1] if question.nth <= len(pool) else None
    elif question.last:
        chosen = pool[-1]
    elif question.first:
        chosen = pool[0]
    if chosen is None:
        return None
    ordered = (chosen, *(f for f in rest if f.id != chosen.id))
    return Answer("fact", ordered, chosen.title, confidence=1.0)


def _figure(fact: Fact, figure: str) -> float | None:
    if figure == "duration":
        if fact.end_date is None or fact.date.day is None or fact.end_date.day is None:
            return None
        start = date(fact.date.year, fact.date.month or 1, fact.date.day)
        end = date(fact.end_date.year, fact.end_date.month or 1, fact.end_date.day)
        return float((end - start).days)
    value = fact.figures.get(figure)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count_answer(facts: Sequence[Fact], count: int, unit: str, confidence: float) -> Answer:
    newest_first = tuple(sorted(facts, key=lambda f: f.date.iso(), reverse=True))
    noun = unit or _plural(newest_first[0])
    lead = f"{count} {noun} in the record" if count != 1 else f"1 {noun.rstrip('s')} in the record"
    return Answer("count", newest_first, lead, count=count, confidence=confidence)


def _plural(fact: Fact) -> str:
    return {
        "nuclear_test": "nuclear tests",
        "missile_launch": "launch days",
        "satellite_launch": "launch days",
        "un_resolution": "UN resolutions",
        "un_draft": "vetoed or failed drafts",
        "unilateral": "sanctions measures",
        "summit": "meetings",
        "multilateral": "rounds",
    }.get(fact.kind, "facts")


def _generic_count(query: ParsedQuery, results: list[SearchResult]) -> list[Fact]:
    """A count the figures cannot decide ("how many inter-Korean summits"): the facts of the best match's
    kind that hold every subject word the best match holds."""
    subject = [
        i
        for i, group in enumerate(query.terms)
        if not set(group) & (FRAME_WORDS | _INTENT_WORDS | STOPWORDS) or set(group) & _FAMILY_WORDS
    ]
    top = results[0].fact
    top_covers = covers(query, top)
    needed = [i for i in subject if top_covers[i]]
    counted = [
        r.fact for r in results if r.fact.kind == top.kind and all(covers(query, r.fact)[i] for i in needed)
    ]
    return counted or [top]


# --- confidence ---------------------------------------------------------------------------------------


async def _confidence(store: AnswerSource, query: ParsedQuery, question: Question, best: Fact) -> float:
    """How much of the question the best fact answers, its rarer words counting for more; a question whose
    distinctive word no fact holds ("sarmat", "everest") is not about the record."""
    if question.systems and question.systems.intersection(best.figures.get("systems") or ()):
        return 1.0
    if query.numbers and best.figures.get("resolution_number") in query.numbers:
        return 1.0
    groups = [
        g
        for g in query.terms
        if not set(g) <= (FRAME_WORDS | _INTENT_WORDS | STOPWORDS) and not g[0].isdigit()
    ]
    total_facts, counts = await store.word_document_counts([w for g in groups for w in g if " " not in w])
    unknown = math.log((total_facts + 1) / 1.5)  # as rare as a word of one fact
    weight = covered = 0.0
    flags = covers(query, best)
    index = {g: i for i, g in enumerate(query.terms)}
    for group in groups:
        df = max((counts.get(w, 0) for w in group), default=0)
        w = math.log((total_facts + 1) / (df + 0.5)) if df else unknown
        w = max(w, 0.1)
        weight += w
        covered += w if flags[index[group]] else 0.0
    if query.grams:
        share = gram_coverage(query, best)
        cjk_weight = max(weight, 1.0)
        weight += cjk_weight
        covered += cjk_weight * share
    share = covered / weight if weight else 0.0
    # A question that names North Korea, or whose best fact holds one of the record's own subjects
    # (a missile, a resolution, a summit), is about the record even with words no fact uses.
    if question.names_dprk:
        share += 0.3
    if any(flags[index[g]] for g in groups if set(g) & DOMAIN_WORDS):
        share += 0.2
    return min(share, 1.0)
