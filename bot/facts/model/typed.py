"""Typed answers: what the typed figures decide (counts, first / last / Nth, superlatives) and what
answered a test (`responds_to`), over every fact of the kinds the question is about."""

from __future__ import annotations

from dataclasses import replace

from bot.facts.model.asked import FIGURE_NOUNS
from bot.facts.model.question import FRAME_WORDS, PARTICIPANT_NAMES, Question
from bot.facts.model.replies import Answer, AnswerSource, count_answer
from bot.facts.model.search import ParsedQuery, SearchResult
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
    "nuclear nuke nukes atomic bomb detonation explosion satellite satellites space spy sanction sanctions "
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
    words = set(question.words)
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
    answers = await store.answers_to(ids, _ANSWER_KINDS, issuer=issuer, limit=RESPONSES_SHOWN)
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
    return None


_SATELLITE_SYSTEMS: frozenset[str] = frozenset()  # satellite rockets are matched by the kind, not the class


def _issuer(question: Question) -> str | None:
    words = question.words
    for i, word in enumerate(words):
        if word in ("korea", "korean", "koreas") and i > 0 and words[i - 1] == "south":
            return "south_korea"
        if word in _ISSUERS:
            return _ISSUERS[word]
    return None


# A leftover word no pool fact holds is filler ("separate", "finally") unless it is a rare word of other
# facts: then the question is about something the typed figures do not decide, and ranking answers it.
RARE_SHARE = 0.05
# Words about the record itself ("the latest launch in the record"): they narrow nothing.
_META_WORDS = frozenset("record records history historical database dataset data list ever".split())
_MEETING_FRAME = frozenset({"between", "among", "leader", "leaders", "heads"})  # who meets: participants
# "How many separate / distinct packages": words that say what a count counts, not what it is about.
_COUNT_MODIFIERS = frozenset("separate different distinct individual unique various discrete".split())
_EXPLAINED = (
    _META_WORDS
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
    store: AnswerSource, question: Question, query: ParsedQuery, pool: TypedSelection
) -> TypedSelection | None:
    """The pool narrowed by the question's other content words: a word some but not all of
    the pool's facts hold (any of its synonyms) keeps those facts ("renew the panel of experts"); None when
    a rare word of the record is in none of them, so the typed figures are not the whole answer."""
    rest = [w for w in question.leftover if w not in _EXPLAINED]
    if not rest:
        return pool
    groups = {w: next((g for g in query.terms if w in g), None) for w in rest}
    total, counts = await store.word_document_counts(rest)
    size: int | None = None  # how many facts the pool holds, counted once a word may narrow it
    for word, group in groups.items():
        rare = counts.get(word, 0) <= RARE_SHARE * total
        if group is None or len(word) < 4 or (question.counts and not rare):
            continue
        held = await store.typed_holding(pool, group)
        size = await store.typed_count(pool) if size is None else size
        # Commoner words narrow a pick too ("first super large rocket launcher": the launches of that
        # system), not a count: a count's common words say how it is asked more often than what it counts.
        # Only a rare word held by none of the pool says the typed figures are not the whole answer.
        if held and len(held) < size:
            pool, size = replace(pool, among=held), len(held)
        elif not held and rare and counts.get(word, 0) > 0:
            return None
    return pool


def _selection(question: Question, kinds: tuple[str, ...]) -> TypedSelection:
    """The facts of `kinds` the question's dates, systems, classes, flags, outcome, participants and issuer
    allow: what typed answers are taken over, selected in the store's SQL."""
    words = set(question.words)
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
    )


async def typed(
    store: AnswerSource, question: Question, query: ParsedQuery, results: list[SearchResult]
) -> Answer | None:
    if not question.selects:
        return None
    kinds = _kinds(question)
    if kinds is None:
        return None
    found = _selection(question, kinds)
    pool = await _narrow(store, question, query, found)
    if pool is None:  # (an empty selection finds no fact to pick below)
        return None
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
            return count_answer(counted, await store.typed_missiles(pool), "missiles", 1.0)
        return count_answer(counted, size, "", 1.0)
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
