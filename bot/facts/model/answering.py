"""Answers: understand the question, answer from typed figures where they decide (counts, first / last /
Nth, superlatives), otherwise rank; and refuse what the record does not hold.

Use `answer()` (or FactService.answer) for the rich result; bot.facts.model.search.search() stays the plain
ranked list for callers that only want facts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.facts.model.fact import Category, Fact
from bot.facts.model.question import FRAME_WORDS, Question, SystemVocabulary
from bot.facts.model.replies import Answer, AnswerSource, count_answer
from bot.facts.model.search import (
    STOPWORDS,
    ParsedQuery,
    SearchResult,
    covers,
    gram_coverage,
    name_text,
    rank,
    read_question,
)
from bot.facts.model.topics import RecordTopics, names_record
from bot.facts.model.typed import DOMAIN_WORDS, FAMILY_WORDS, INTENT_WORDS, KNOWN_WORDS, response, typed

__all__ = ["CONFIDENCE_THRESHOLD", "Answer", "AnswerSource", "answer"]

# Below this confidence the record does not answer the question. Two gates come first and decide most
# refusals: a question naming nothing the record holds (bot.facts.model.topics: chit-chat, general
# knowledge) and one about another state's own weapons (Question.foreign) are refused at confidence 0.
# Measured 2026-12-07 on the sets tuning may use (tuning, holdout, first blind, first off-topic): the
# lowest answered on-topic question scores 0.50 ("천안함 이후 5.24 대북 조치"), the next 0.55; the highest
# off-topic question that passes both gates scores 0.48 ("how far is the moon from earth": Moon is a
# name of the record), then 0.10. Before the gates off-topic questions reached 0.82 (When did World War
# II end?: answered) and 1.00 ("whats up", "thanks!": typo-corrected into words of the record). The
# margin left to the threshold is 0.02 above and below: narrow, but no question of these sets is in it.
CONFIDENCE_THRESHOLD = 0.5
SUGGESTIONS = 5
NAMED_AMONG = 5  # a question naming one of the best-ranked facts' names is about the record


def _refusal(results: Sequence[SearchResult], confidence: float, why: str = "") -> Answer:
    lead = "That is not in the DPRK Watch record" + (f" ({why})." if why else ".")
    suggestions = tuple(r.fact for r in results[:SUGGESTIONS])
    return Answer("refused", (), lead, confidence=confidence, suggestions=suggestions)


async def answer(
    store: AnswerSource,
    text: str,
    vocabulary: SystemVocabulary,
    *,
    category: Category | None = None,
    topics: RecordTopics | None = None,
) -> Answer:
    """Answer `text`; with `topics`, a question that names nothing of the record is refused (see
    bot.facts.model.topics). Raises QueryError for empty or over-long text."""
    query, question = read_question(text, vocabulary, known=KNOWN_WORDS)
    if query.empty:
        return _refusal((), 0.0)
    results = await rank(store, query, question, category=category)
    if question.foreign:
        return _refusal(results, 0.0, "it covers North Korea's programmes, not other states'")
    if topics is not None:
        share = gram_coverage(query, results[0].fact) if results else 0.0
        names = [name_text(r.fact) for r in results[:NAMED_AMONG]]
        if not names_record(question, query, topics, gram_share=share, names=names):
            return _refusal(results, 0.0, "it names nothing the record holds")
    typed_answer = await response(store, question, results) or await typed(store, question, query, results)
    if typed_answer is not None:
        return typed_answer
    if not results:
        return _refusal((), 0.0)
    if question.counts:
        counted = _generic_count(query, results)
        confidence = await _confidence(store, query, question, counted[0])
        if confidence < CONFIDENCE_THRESHOLD:
            return _refusal(results, confidence)
        return count_answer(counted, len(counted), "", confidence)
    confidence = await _confidence(store, query, question, results[0].fact)
    if confidence < CONFIDENCE_THRESHOLD:
        return _refusal(results, confidence)
    return Answer("fact", tuple(r.fact for r in results), results[0].fact.title, confidence=confidence)


def _generic_count(query: ParsedQuery, results: list[SearchResult]) -> list[Fact]:
    """A count the figures cannot decide ("how many inter-Korean summits"): the facts of the best match's
    kind that hold every subject word the best match holds."""
    subject = [
        i
        for i, group in enumerate(query.terms)
        if not set(group) & (FRAME_WORDS | INTENT_WORDS | STOPWORDS) or set(group) & FAMILY_WORDS
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
        if not set(g) <= (FRAME_WORDS | INTENT_WORDS | STOPWORDS) and not g[0].isdigit()
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
