"""Typed answers: what the typed figures decide (counts, first / last / Nth, superlatives) and what
answered a test (`responds_to`), over every fact of the kinds the question is about."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot.facts.model.asked import FIGURE_NOUNS
from bot.facts.model.fact import Category, Fact
from bot.facts.model.lexicon import ORDINAL_WORDS
from bot.facts.model.question import FRAME_WORDS, PARTICIPANT_NAMES, Question
from bot.facts.model.replies import Answer, AnswerSource, CountScope, count_answer
from bot.facts.model.search import STOPWORDS, ParsedQuery, SearchResult, covers, name_text
from bot.facts.model.selection import LAUNCH_KINDS, TypedSelection

_ISSUERS = {
    "us": "us", "usa": "us", "american": "us", "america": "us", "washington": "us", "treasury": "us",
    "ofac": "us", "japan": "japan", "japanese": "japan", "tokyo": "japan", "seoul": "south_korea",
    "eu": "eu", "european": "eu",
}  # fmt: skip
_NUCLEAR = frozenset({"nuclear", "nuke", "nukes", "atomic", "bomb", "detonation", "explosion"})
_LAUNCH = frozenset({"launch", "launches", "launched", "missile", "missiles", "fired", "fire", "rocket", "rockets", "icbm", "icbms"})  # fmt: skip
_SANCTIONS = frozenset({"sanction", "sanctions", "measure", "measures", "packages", "package", "unilateral"})
_RESOLUTION = frozenset({"resolution", "resolutions", "unscr"})
FAMILY_WORDS = frozenset(
    "nuclear nuke nukes atomic bomb detonation explosion satellite satellites space sanction sanctions "
    "measure measures packages package unilateral resolution resolutions unscr security council un us usa "
    "american america washington treasury japan japanese tokyo seoul south eu european drafts draft vetoed "
    "veto underground".split()
)
INTENT_WORDS = frozenset(
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


# --- what answered a test ---------------------------------------------------------------------------

_RESPONSE_WORDS = frozenset(
    "after following response respond responded responding reaction react reacted answer answered".split()
)
_ANSWER_KINDS = ("un_resolution", "unilateral", "un_draft")
RESPONSES_SHOWN = 50
# The facts a count lists at most (the record's largest count, its launch days, is under 200).
COUNTED_SHOWN = 200
# Words answering understands: never corrected into another word of the record.
KNOWN_WORDS = (
    _RESPONSE_WORDS
    | FAMILY_WORDS
    | INTENT_WORDS
    | DOMAIN_WORDS
    | _ROUND_WORDS
    | _MEETING_WORDS
    | frozenset(_ISSUERS)
)


async def response(store: AnswerSource, question: Question, results: list[SearchResult]) -> Answer | None:
    """ "Resolution after the sixth nuclear test", "what did the UN do after the 6th nuke test": the question
    picks a test and asks for what answered it, the facts whose `responds_to` holds that test; a UN
    resolution first unless the question names another sanctioner."""
    words = question.subject_words
    # "What did Japan do after the first test": a sanctioner named asks for its measures too.
    asks_measure = words & (_RESOLUTION | _SANCTIONS | {"un", "unsc", "council", "nations"}) or _issuer(
        question
    )
    if not words & _RESPONSE_WORDS or not asks_measure:
        return None
    kinds = ("nuclear_test",) if words & _NUCLEAR else LAUNCH_KINDS
    if not (words & (_NUCLEAR | _LAUNCH) or question.systems or question.classes):
        return None
    selection = _selection(question, kinds)
    dated_answer = False
    if (question.years or question.months) and not await store.typed_ids(selection, limit=1):
        # "What did the UN ban in August 2017 after the two Hwasong-14 tests": the date is the answer's.
        selection = _selection(replace(question, years=(), months=()), kinds)
        dated_answer = True
    if question.nth is not None and kinds == ("nuclear_test",):
        ids = await store.typed_ids(replace(selection, test_number=question.nth))
    elif question.nth is not None:
        ids = await store.typed_ids(selection, offset=question.nth - 1, limit=1)
    elif question.last:
        ids = await store.typed_ids(selection, newest_first=True, limit=1)
    elif question.first:
        ids = await store.typed_ids(selection, limit=1)
    elif not (question.years or question.months or question.systems):
        return None
    else:
        ids = await store.typed_ids(selection)
    issuer = _issuer(question)
    # What answered them, the sanctioner's (or the UN's) first, then by date: in the record, a few; in a
    # store of 100,000 facts, the first RESPONSES_SHOWN (and as many tests) are all an answer can show.
    answers = await store.answers_to(
        ids,
        _ANSWER_KINDS,
        issuer=issuer,
        limit=RESPONSES_SHOWN,
        years=question.years if dated_answer else (),
        months=question.months if dated_answer else (),
    )
    if not answers:
        return None
    tests = await store.facts_by_ids(ids[:RESPONSES_SHOWN])
    chosen = answers[0]
    rest = [*answers[1:], *tests, *(r.fact for r in results)]
    first_at: dict[str, int] = {}
    for i, fact in enumerate(rest):
        first_at.setdefault(fact.id, i)
    unique = {f.id: f for f in reversed(rest) if f.id != chosen.id}  # the first of each id wins
    ordered = (chosen, *sorted(unique.values(), key=lambda f: first_at[f.id]))
    return Answer("fact", ordered, chosen.title, confidence=1.0)


# --- the one before or after ---------------------------------------------------------------------------

# "The resolution after 2375", "the nuclear test right before the 2017 one", "the first launch after the
# Singapore summit": the words before one of these say what kind of fact is asked, the words after it name
# the fact it is next to.
_NEIGHBOUR_WORDS = {"before": -1, "preceding": -1, "prior": -1, "after": 1, "following": 1}


async def neighbour(
    store: AnswerSource,
    question: Question,
    read: Callable[[str], tuple[ParsedQuery, Question]],
    rank_text: Callable[[ParsedQuery, Question], Awaitable[list[SearchResult]]],
    results: Sequence[SearchResult] = (),
) -> Answer | None:
    """The fact of the kind asked that comes just before or after the fact the rest of the question names:
    `read` reads a part of the question, `rank_text` ranks it; `results` rank the whole question."""
    words = question.words
    at = next((i for i, w in enumerate(words) if w in _NEIGHBOUR_WORDS and 0 < i < len(words) - 1), None)
    if at is None:
        return None
    head_query, head = read(" ".join(words[:at]))
    kinds = _kinds(head) if not head_query.empty else None
    if kinds is None:
        return None
    tail_words = words[at + 1 :]
    if all(w in STOPWORDS or w in ORDINAL_WORDS or w in _PLACING_WORDS for w in tail_words):
        tail_words = (*tail_words, *words[:at])  # "the nuclear test after the third": the third test
    tail_query, tail = read(" ".join(tail_words))
    if tail_query.empty:
        return None
    ranked = await rank_text(tail_query, tail)
    if not ranked:
        return None
    anchor = ranked[0].fact
    if set(kinds) <= set(_ANSWER_KINDS) and (tail_query.ordinals or anchor.category is Category.TESTS):
        return None  # measures after a test: what answered it (search._answer_to_test, `responds_to`)
    if not _names_anchor(words[at], words[at + 1 :], head_query, head, tail_query, anchor, kinds):
        return None
    if results and results[0].fact.id != anchor.id and results[0].fact.kind in kinds:
        # The best match for the whole question holds the rare words after "before" too ("7 SRBMs right
        # before the US election": the launch whose record says so): it is the answer, not its neighbour.
        best = covers(tail_query, results[0].fact)
        weights = tail_query.weights or (1.0,) * len(tail_query.terms)
        rare = [held for held, weight in zip(best, weights, strict=True) if weight >= _RARE_WEIGHT]
        if rare and all(rare):
            return None
    chosen = await _next_to(store, head, kinds, anchor, after=_NEIGHBOUR_WORDS[words[at]] > 0)
    if chosen is None:
        return None
    rest = {f.id: f for f in reversed((anchor, *(r.fact for r in ranked))) if f.id != chosen.id}
    return Answer("fact", (chosen, *reversed(rest.values())), chosen.title, confidence=1.0)


async def _next_to(
    store: AnswerSource, question: Question, kinds: tuple[str, ...], anchor: Fact, *, after: bool
) -> Fact | None:
    """The fact of `kinds` the question allows that comes just before `anchor`, or just after it: what
    answered it first if one of them did ("sanctions after the 6th test"), else the next by date."""
    when = anchor.date.iso()
    selection = replace(_selection(question, kinds), other_than=anchor.id)
    if not after:
        ids = await store.typed_ids(replace(selection, earlier_than=when), newest_first=True, limit=1)
    else:
        ids = await store.typed_ids(replace(selection, responding_to=anchor.id), limit=1)
        ids = ids or await store.typed_ids(replace(selection, later_than=when), limit=1)
    return next(iter(await store.facts_by_ids(ids)), None)


# A term this rare (spelling.WordVocabulary.weight) says which fact is meant.
_RARE_WEIGHT = 3.0


def _names_anchor(
    word: str,
    tail_words: Sequence[str],
    head_query: ParsedQuery,
    head: Question,
    tail_query: ParsedQuery,
    anchor: Fact,
    kinds: Sequence[str],
) -> bool:
    """Whether the fact ranking found for the words after "before"/"after" is one the question puts the
    answer next to: it holds every word of them; its name is not the whole question ("sanctions after the
    Sony Pictures hack" is a fact's name); and, of the kind asked, the words before do not describe it
    ("Unha-3 rocket that broke up shortly after liftoff": the launch itself, not the one after it)."""
    named = f" {name_text(anchor)} "
    first = next((w for w in tail_words if w not in STOPWORDS), "")
    if f" {word} {first} " in named or f" {word} the {first} " in named:
        return False
    held = covers(tail_query, anchor)
    if not all(
        h for h, group in zip(held, tail_query.terms, strict=True) if set(group).isdisjoint(_EXPLAINED)
    ):
        return False
    if anchor.kind not in kinds:
        return True
    if head.systems and head.systems.intersection(anchor.figures.get("systems") or ()):
        return False
    weights = head_query.weights or (1.0,) * len(head_query.terms)
    return not any(
        h and w >= _RARE_WEIGHT and set(group).isdisjoint(_EXPLAINED)
        for h, w, group in zip(covers(head_query, anchor), weights, head_query.terms, strict=True)
    )


# --- typed answers ------------------------------------------------------------------------------------


def _kinds(question: Question) -> tuple[str, ...] | None:
    """The kinds of fact a selecting question is about, if its words decide them."""
    words = question.subject_words
    if (
        "SLV" in question.classes
        and not (question.classes - {"SLV"})
        and not question.systems - _SATELLITE_SYSTEMS
    ):
        return ("satellite_launch",)
    if question.systems or question.classes or question.flags:
        return LAUNCH_KINDS
    if question.superlative and question.superlative[0] == "missiles":
        return LAUNCH_KINDS  # "the biggest salvo": only launches count missiles
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
    if not words & _IMPOSED or words & _RESPONSE_WORDS or question.nth is not None:
        return None  # "sanctions after the 6th test": what answered a test (ranking's _answer_to_test)
    if words & _UN:
        return ("un_resolution",)  # "the first UN sanctions": the first resolution that imposed any
    return ("un_resolution", "unilateral")  # "the latest sanctions by anyone"


_UN = frozenset({"un", "unsc", "council", "nations"})
# Words that ask for sanctions imposed: a resolution that only calls on North Korea ("825: reconsider the
# NPT withdrawal, no sanctions") or renews the Panel of Experts imposes none.
_IMPOSED = frozenset({"sanction", "sanctions", "sanctioned", "penalties", "embargo"})
# A resolution imposes sanctions when one of its measures holds one of these words (a ban, a cap, an asset
# freeze, inspections): TypedSelection.imposing.
_IMPOSING = frozenset("ban bans banned embargo freeze capped caps cap inspection block restrictions".split())


_SATELLITE_SYSTEMS: frozenset[str] = frozenset()  # satellite rockets are matched by the kind, not the class


def _issuer(question: Question) -> str | None:
    words = (*question.words, *sorted(question.meant))
    for i, word in enumerate(words):
        if word in ("korea", "korean", "koreas") and i > 0 and words[i - 1] == "south":
            return "south_korea"
        if word in _ISSUERS:
            return _ISSUERS[word]
    return None


# A leftover word no pool fact holds is filler ("separate", "finally") unless it is a rare word of other
# facts: then the question is about something the typed figures do not decide, and ranking answers it.
RARE_SHARE = 0.05
RANKED_WITNESSES = 1  # how many of ranking's best facts may show that a rare word is what is asked
# Words about the record itself ("the latest launch in the record"): they narrow nothing.
_META_WORDS = frozenset("record records history historical database dataset data list ever".split())
_MEETING_FRAME = frozenset({"between", "among", "leader", "leaders", "heads"})  # who meets: participants
# "How many separate / distinct packages": words that say what a count counts, not what it is about.
_COUNT_MODIFIERS = frozenset("separate different distinct individual unique various discrete".split())
# "Right before", "the one that finally...": how a fact is placed, not what it is.
_PLACING_WORDS = frozenset("right just immediately shortly soon one ones finally eventually".split())
_EXPLAINED = (
    _META_WORDS
    | _PLACING_WORDS
    | _MEETING_FRAME
    | _COUNT_MODIFIERS
    | FAMILY_WORDS
    | INTENT_WORDS
    | FRAME_WORDS
    | _ROUND_WORDS
    | _MEETING_WORDS
    | frozenset(PARTICIPANT_NAMES)
    | frozenset(FIGURE_NOUNS)
)


async def _narrow(
    store: AnswerSource,
    question: Question,
    query: ParsedQuery,
    pool: TypedSelection,
    results: Sequence[SearchResult] = (),
) -> TypedSelection | None:
    """The pool narrowed by the question's other content words: a word some but not all of the pool's facts
    hold (any of its synonyms) keeps those facts ("renew the panel of experts"); None when a rare word of
    the record is in none of them but in a fact ranking puts near the top, so the typed figures are not
    the whole answer (a rare word no such fact holds is phrasing: "in person", "ground distance")."""
    rest = [w for w in question.leftover if w not in _EXPLAINED]
    if not rest:
        return pool
    groups = {w: next((g for g in query.terms if w in g), None) for w in rest}
    total, counts = await store.word_document_counts(rest)
    size: int | None = None  # how many facts the pool holds, counted once a word may narrow it
    for word, group in groups.items():
        rare = counts.get(word, 0) <= RARE_SHARE * total
        if group is None or len(word) < (3 if rare else 4) or (question.counts and not rare):
            continue
        index = query.terms.index(group)
        held = await store.typed_holding(pool, group)
        size = await store.typed_count(pool) if size is None else size
        # Commoner words narrow a pick too ("first super large rocket launcher": the launches of that
        # system), not a count: a count's common words say how it is asked more often than what it counts.
        # Only a rare word held by none of the pool says the typed figures are not the whole answer.
        if held and len(held) < size:
            pool, size = replace(pool, among=held), len(held)
        elif (
            not held
            and rare
            and counts.get(word, 0) > 0
            and any(covers(query, r.fact)[index] for r in results[:RANKED_WITNESSES])
        ):
            return None
    return pool


# A Korean/Japanese character pair is rare, and so says which facts are meant, when this few of the
# record's names hold it: its weight (spelling.WordVocabulary.gram_weight) is at least log(1 / RARE_SHARE).
RARE_PAIR_WEIGHT = math.log(1 / RARE_SHARE)


async def _narrow_by_pairs(store: AnswerSource, query: ParsedQuery, pool: TypedSelection) -> TypedSelection:
    """The pool narrowed as _narrow does, by the rare character pairs of a Korean or Japanese question
    ("다국적제재모니터링팀 첫 보고서": the facts whose names write the Monitoring Team), pairs with an English
    meaning aside (those are what the typed figures already select by)."""
    meanings = query.gram_meanings or (frozenset(),) * len(query.grams)
    rare = [
        gram
        for gram, weight, meaning in zip(query.grams, query.gram_weights, meanings, strict=True)
        if len(gram) == 2 and weight >= RARE_PAIR_WEIGHT and not meaning
    ]
    size: int | None = None
    for gram in rare:  # each pair some but not all of the pool's names hold keeps those
        held = await store.typed_naming(pool, gram)
        if not held:
            continue
        size = await store.typed_count(pool) if size is None else size
        if len(held) < size:
            pool, size = replace(pool, among=held), len(held)
    return pool


def _selection(question: Question, kinds: tuple[str, ...]) -> TypedSelection:
    """The facts of `kinds` the question's dates, systems, classes, flags, outcome, participants, issuer and
    sanctions asked for allow: what typed answers are taken over, selected in the store's SQL."""
    words = question.subject_words
    return TypedSelection(
        kinds,
        years=question.years,
        months=question.months,
        period=question.period,
        systems=question.systems,
        launch_classes=question.classes - ({"SLV"} if kinds == ("satellite_launch",) else set()),
        flags=question.flags,
        outcome=question.outcome or None,
        # A question naming states asks about North Korea's meetings with them (question._participants):
        # a meeting about North Korea without it (Lee and Xi in 2026) is not one of them.
        participants=question.participants | {"DPRK"} if question.participants else frozenset(),
        numbered_round=bool(words & _ROUND_WORDS),
        six_or_more="six" in words,
        issuer=_issuer(question),
        imposing=_IMPOSING if words & _IMPOSED else frozenset(),
    )


async def typed(
    store: AnswerSource, question: Question, query: ParsedQuery, results: list[SearchResult]
) -> Answer | None:
    if not question.selects:
        return await _none_that_year(store, question, results)
    kinds = _kinds(question)
    if kinds is None:
        return None
    found = _selection(question, kinds)
    pool = await _narrow(store, question, query, found, results)
    if pool is None:  # (an empty selection finds no fact to pick below)
        return None
    if query.grams:
        pool = await _narrow_by_pairs(store, query, pool)
    rest = [r.fact for r in results]
    if question.counts:
        # Counted in SQLite; only the newest COUNTED_SHOWN facts are built to be listed (oldest first here,
        # as count_answer expects them).
        size = await store.typed_count(pool)
        if not size:
            return None
        newest = await store.facts_by_ids(await store.typed_ids(pool, newest_first=True, limit=COUNTED_SHOWN))
        counted = sorted(newest, key=lambda f: (f.date.iso(), f.id))
        if question.sums_missiles:
            return count_answer(
                counted, await store.typed_missiles(pool), "missiles", 1.0, CountScope.of(pool)
            )
        return count_answer(counted, size, "", 1.0, CountScope.of(pool))
    chosen_id: str | None = None
    if question.superlative is not None:
        # Best first, the earliest of equals first; "the second biggest" is the second of them.
        figure, largest = question.superlative
        chosen_id = await store.typed_best(pool, figure, largest=largest, place=question.place or 1)
    elif question.nth is not None and kinds == ("nuclear_test",):
        # Nuclear tests are numbered: "the 3rd test" is test 3 whatever else the question narrows by.
        chosen_id = next(iter(await store.typed_ids(replace(found, test_number=question.nth), limit=1)), None)
    elif question.nth is not None:
        chosen_id = next(iter(await store.typed_ids(pool, offset=question.nth - 1, limit=1)), None)
    elif question.last:
        chosen_id = next(iter(await store.typed_ids(pool, newest_first=True, limit=1)), None)
    elif question.first:
        chosen_id = next(iter(await store.typed_ids(pool, limit=1)), None)
    chosen = next(iter(await store.facts_by_ids([chosen_id])), None) if chosen_id is not None else None
    if chosen is None:
        return None
    ordered = (chosen, *(f for f in rest if f.id != chosen.id))
    return Answer("fact", ordered, chosen.title, confidence=1.0)


_TEST_VERBS = frozenset(
    "test tests tested testing detonate detonated detonation explode exploded launch launches launched "
    "fire fired firing".split()
)


async def _none_that_year(
    store: AnswerSource, question: Question, results: list[SearchResult]
) -> Answer | None:
    """ "Did North Korea test a nuke in 2018?": when no test or launch of the kind asked is of the year
    asked, the nearest one answers (the last before it, else the first after), not another year-2018 fact."""
    if len(question.years) != 1 or question.months:
        return None
    kinds = _kinds(question)
    if kinds not in (("nuclear_test",), LAUNCH_KINDS) or question.subject_words.isdisjoint(_TEST_VERBS):
        return None  # "the 1992 pledge not to have nuclear weapons" asks for no test
    (year,) = question.years
    if results and results[0].fact.kind in kinds and results[0].fact.date.year == year:
        return None  # ranking found one of that year
    if await store.typed_ids(_selection(question, kinds), limit=1):
        return None
    undated = _selection(replace(question, years=()), kinds)
    # ISO dates compare as text: a year's dates sort after "2018" and up to "2018-12-31".
    row = await store.typed_ids(replace(undated, earlier_than=f"{year:04d}"), newest_first=True, limit=1)
    row = row or await store.typed_ids(replace(undated, later_than=f"{year:04d}-12-31"), limit=1)
    chosen = next(iter(await store.facts_by_ids(row)), None)
    if chosen is None:
        return None
    return Answer(
        "fact", (chosen, *(r.fact for r in results if r.fact.id != chosen.id)), chosen.title, confidence=1.0
    )
