"""The typed answers as they were computed before they moved into SQL (every fact of the kinds asked
about read and filtered in Python, with the understanding rules of branch quality3): the reference the
store's SQL paths must agree with, answer for answer (tests/facts/test_typed_sql.py). Question reading
(_kinds, _issuer, the word lists, all of typed.neighbour but its _next_to) is shared with
bot.facts.model.typed; only the selecting, ordering and counting are the old code's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from bot.facts.model.fact import Fact
from bot.facts.model.question import Question
from bot.facts.model.replies import Answer, count_answer
from bot.facts.model.search import ParsedQuery, SearchResult, covers, name_grams
from bot.facts.model.typed import (
    _ANSWER_KINDS,
    _EXPLAINED,
    _IMPOSED,
    _IMPOSING,
    _LAUNCH,
    _NUCLEAR,
    _RESOLUTION,
    _RESPONSE_WORDS,
    _ROUND_WORDS,
    _SANCTIONS,
    _TEST_VERBS,
    LAUNCH_KINDS,
    RANKED_WITNESSES,
    RARE_PAIR_WEIGHT,
    RARE_SHARE,
    _issuer,
    _kinds,
)
from bot.facts.store import FactStore

AnswerSource = FactStore
TypedRow = Fact


async def _typed_rows(store: Any, question: Question, kinds: Sequence[str]) -> Sequence[TypedRow]:
    """Every current fact of `kinds`, oldest first (date, then id)."""
    facts = [fact for fact in await store.all_facts() if fact.kind in kinds]
    return sorted(facts, key=lambda fact: (fact.date.iso(), fact.id))


async def response_before(
    store: AnswerSource, question: Question, results: list[SearchResult]
) -> Answer | None:
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
    rows = [r for r in await _typed_rows(store, question, kinds) if _matches(question, r, kinds)]
    dated_answer = False
    if not rows and (question.years or question.months):
        # "What did the UN ban in August 2017 after the two Hwasong-14 tests": the date is the answer's.
        undated = replace(question, years=(), months=())
        rows = [r for r in await _typed_rows(store, undated, kinds) if _matches(undated, r, kinds)]
        dated_answer = True
    if question.nth is not None and kinds == ("nuclear_test",):
        rows = [r for r in rows if r.figures.get("test_number") == question.nth]
    elif question.nth is not None:
        rows = rows[question.nth - 1 : question.nth]
    elif question.last:
        rows = rows[-1:]
    elif question.first:
        rows = rows[:1]
    elif not (question.years or question.months or question.systems):
        return None
    answers = await store.responses_to([r.id for r in rows], _ANSWER_KINDS) if rows else []
    if dated_answer:
        answers = [
            f
            for f in answers
            if (not question.years or f.date.year in question.years)
            and (not question.months or f.date.month in question.months)
        ]
    if not answers:
        return None
    tests = await store.facts_by_ids([r.id for r in rows])
    issuer = _issuer(question)
    answers.sort(
        key=lambda f: (
            (f.figures.get("issuer") != issuer) if issuer else f.kind != "un_resolution",
            f.date.iso(),
        )
    )
    chosen = answers[0]
    rest = [*answers[1:], *tests, *(r.fact for r in results)]
    first_at: dict[str, int] = {}
    for i, fact in enumerate(rest):
        first_at.setdefault(fact.id, i)
    unique = {f.id: f for f in reversed(rest) if f.id != chosen.id}  # the first of each id wins
    ordered = (chosen, *sorted(unique.values(), key=lambda f: first_at[f.id]))
    return Answer("fact", ordered, chosen.title, confidence=1.0)


async def next_to_before(
    store: AnswerSource, question: Question, kinds: tuple[str, ...], anchor: Fact, *, after: bool
) -> Fact | None:
    """typed._next_to over every fact of the kinds."""
    when = anchor.date.iso()
    rows = [
        r
        for r in await _typed_rows(store, question, kinds)
        if _matches(question, r, kinds) and r.id != anchor.id
    ]
    if not after:
        row = next((r for r in reversed(rows) if r.date.iso() < when), None)
    else:
        # What answered the fact named, if one of the kind asked did ("sanctions after the 6th test").
        answers = {f.id for f in await store.responses_to([anchor.id], kinds)}
        row = next((r for r in rows if r.id in answers), None) or next(
            (r for r in rows if r.date.iso() > when), None
        )
    return next(iter(await store.facts_by_ids([row.id])), None) if row is not None else None


def _imposes(fact: TypedRow) -> bool:
    """Whether a resolution's measures impose sanctions (a ban, a cap, an asset freeze, inspections)."""
    return any(
        not _IMPOSING.isdisjoint(measure.lower().split()) for measure in fact.figures.get("measures") or ()
    )


def _matches(question: Question, fact: TypedRow, kinds: Sequence[str]) -> bool:
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
    if fact.kind in LAUNCH_KINDS and any(figures.get(flag) is not True for flag in question.flags):
        return False
    if question.outcome and fact.kind in LAUNCH_KINDS and figures.get("outcome") != question.outcome:
        return False
    if question.period is not None and not question.period[0] <= fact.date.iso() <= question.period[1]:
        return False
    if fact.kind in ("summit", "multilateral", "bilateral", "agreement"):
        # A question naming states asks about North Korea's meetings with them (question._participants):
        # a meeting about North Korea without it (Lee and Xi in 2026) is not one of them.
        named = question.participants | {"DPRK"} if question.participants else frozenset()
        if not named <= set(figures.get("participants") or ()):
            return False
        if fact.kind == "multilateral":
            words = question.subject_words
            if words & _ROUND_WORDS and figures.get("round") is None:
                return False
            if "six" in words and len(figures.get("participants") or ()) < 6:
                return False
    if fact.kind == "un_resolution" and question.subject_words & _IMPOSED and not _imposes(fact):
        return False
    issuer = _issuer(question) if fact.kind == "unilateral" else None
    return issuer is None or figures.get("issuer") == issuer


async def _narrow(
    store: AnswerSource,
    question: Question,
    query: ParsedQuery,
    pool: list[TypedRow],
    results: Sequence[SearchResult] = (),
) -> list[TypedRow] | None:
    """The pool narrowed by the question's other content words: a word some but not all of the pool's facts
    hold (any of its synonyms) keeps those facts ("renew the panel of experts"); None when a rare word of
    the record is in none of them but in a fact ranking puts near the top, so the typed figures are not
    the whole answer (a rare word no such fact holds is phrasing: "in person", "ground distance")."""
    rest = [w for w in question.leftover if w not in _EXPLAINED]
    if not rest:
        return pool
    groups = {w: next((g for g in query.terms if w in g), None) for w in rest}
    total, counts = await store.word_document_counts(rest)
    texts: dict[str, Fact] | None = None  # the pool's facts, loaded only if a word narrows it
    for word, group in groups.items():
        rare = counts.get(word, 0) <= RARE_SHARE * total
        if group is None or len(word) < (3 if rare else 4) or (question.counts and not rare):
            continue
        index = query.terms.index(group)
        if texts is None:
            texts = {f.id: f for f in await store.facts_by_ids([r.id for r in pool])}
        held = [r for r in pool if covers(query, texts[r.id])[index]]
        # Commoner words narrow a pick too ("first super large rocket launcher": the launches of that
        # system), not a count: a count's common words say how it is asked more often than what it counts.
        # Only a rare word held by none of the pool says the typed figures are not the whole answer.
        if held and len(held) < len(pool):
            pool = held
        elif (
            not held
            and rare
            and counts.get(word, 0) > 0
            and any(covers(query, r.fact)[index] for r in results[:RANKED_WITNESSES])
        ):
            return None
    return pool


async def _narrow_by_pairs(store: AnswerSource, query: ParsedQuery, pool: list[TypedRow]) -> list[TypedRow]:
    """The pool narrowed as _narrow does, by the rare character pairs of a Korean or Japanese question
    ("다국적제재모니터링팀 첫 보고서": the facts whose names write the Monitoring Team), pairs with an English
    meaning aside (those are what the typed figures already select by)."""
    meanings = query.gram_meanings or (frozenset(),) * len(query.grams)
    rare = [
        gram
        for gram, weight, meaning in zip(query.grams, query.gram_weights, meanings, strict=True)
        if len(gram) == 2 and weight >= RARE_PAIR_WEIGHT and not meaning
    ]
    if not rare:
        return pool
    grams = {f.id: name_grams(f) for f in await store.facts_by_ids([r.id for r in pool])}
    for gram in rare:  # each pair some but not all of the pool's names hold keeps those
        held = [r for r in pool if gram in grams.get(r.id, ())]
        if held and len(held) < len(pool):
            pool = held
    return pool


async def typed_before(
    store: AnswerSource, question: Question, query: ParsedQuery, results: list[SearchResult]
) -> Answer | None:
    if not question.selects:
        return await _none_that_year(store, question, results)
    kinds = _kinds(question)
    if kinds is None:
        return None
    found = [r for r in await _typed_rows(store, question, kinds) if _matches(question, r, kinds)]
    pool = await _narrow(store, question, query, found, results) if found else None
    if pool and query.grams:
        pool = await _narrow_by_pairs(store, query, pool)
    if not pool:
        return None
    rest = [r.fact for r in results]
    if question.counts:
        counted = await store.facts_by_ids([r.id for r in pool])
        if question.sums_missiles:
            total = sum(int(f.figures.get("missiles") or 0) for f in counted)
            return count_answer(counted, total, "missiles", 1.0)
        return count_answer(counted, len(counted), "", 1.0)
    row: TypedRow | None = None
    if question.superlative is not None:
        figure, largest = question.superlative
        # Best first, the earliest of equals first; "the second biggest" is the second of them.
        valued = sorted(
            ((v, r) for r in pool if (v := _figure(r, figure)) is not None),
            key=lambda vr: (-vr[0] if largest else vr[0], vr[1].date.iso()),
        )
        place = question.place or 1
        row = valued[place - 1][1] if len(valued) >= place else None
    elif question.nth is not None and kinds == ("nuclear_test",):
        # Nuclear tests are numbered: "the 3rd test" is test 3 whatever else the question narrows by.
        row = next((r for r in found if r.figures.get("test_number") == question.nth), None)
    elif question.nth is not None:
        row = pool[question.nth - 1] if question.nth <= len(pool) else None
    elif question.last:
        row = pool[-1]
    elif question.first:
        row = pool[0]
    chosen = next(iter(await store.facts_by_ids([row.id])), None) if row is not None else None
    if chosen is None:
        return None
    ordered = (chosen, *(f for f in rest if f.id != chosen.id))
    return Answer("fact", ordered, chosen.title, confidence=1.0)


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
    if [r for r in await _typed_rows(store, question, kinds) if _matches(question, r, kinds)]:
        return None
    undated = replace(question, years=())
    rows = [r for r in await _typed_rows(store, undated, kinds) if _matches(undated, r, kinds)]
    row = next((r for r in reversed(rows) if r.date.year < year), None) or next(
        (r for r in rows if r.date.year > year), None
    )
    chosen = next(iter(await store.facts_by_ids([row.id])), None) if row is not None else None
    if chosen is None:
        return None
    return Answer(
        "fact", (chosen, *(r.fact for r in results if r.fact.id != chosen.id)), chosen.title, confidence=1.0
    )


def _figure(fact: TypedRow, figure: str) -> float | None:
    if figure == "duration":
        if fact.end_date is None or fact.date.day is None or fact.end_date.day is None:
            return None
        start = date(fact.date.year, fact.date.month or 1, fact.date.day)
        end = date(fact.end_date.year, fact.end_date.month or 1, fact.end_date.day)
        return float((end - start).days)
    value = fact.figures.get(figure)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
