"""The question pool and the choice of the day's question.

The pool is computed fresh from the current facts each time it is needed, so a moderator's edit
takes effect at once; hand-written questions whose fact was edited wait for a review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.facts.model.fact import Fact
from bot.quiz.model.generators import generated_questions
from bot.quiz.model.handwritten import HandwrittenQuestion
from bot.quiz.model.questions import Question, seeded_random

# Difficulty by weekday (Monday = 0): easy at the start of the week, hardest at the weekend.
WEEKDAY_DIFFICULTY = (1, 1, 2, 2, 2, 3, 3)
# Over any BALANCE_DAYS days of daily questions no kind of question takes more than MAX_KIND_SHARE of
# them and no fact is asked about twice; `recent` is the BALANCE_DAYS - 1 questions before today.
BALANCE_DAYS = 60
MAX_KIND_SHARE = 0.25


def generate_questions(
    facts: Iterable[Fact],
    handwritten: Iterable[HandwrittenQuestion] = (),
    held_back: Collection[str] = (),
) -> list[Question]:
    """All questions for the current facts, ordered by key.

    Hand-written questions are included when their fact is current (not retired, not missing) and
    their id is not in `held_back` (see `QuizStore.held_back_questions`).
    """
    facts = [f for f in facts if not f.retired]
    by_id = {f.id: f for f in facts}
    questions = generated_questions(facts)
    for written in handwritten:
        fact = by_id.get(written.fact_id)
        if fact is None or written.id in held_back:
            continue
        question = written.to_question(fact)
        if question is not None:
            questions.append(question)
    unique = {q.key: q for q in questions}
    return [unique[key] for key in sorted(unique)]


@dataclass(frozen=True)
class DailyChoice:
    """The day's question; `new_round` is True when every question had been asked and the server
    starts over (the store then forgets the keys asked in the last round)."""

    question: Question
    new_round: bool


def weekday_difficulty(day: date) -> int:
    """The difficulty wanted on `day`: 1 on Monday and Tuesday, 2 midweek, 3 at the weekend."""
    return WEEKDAY_DIFFICULTY[day.weekday()]


def choose_daily_question(
    questions: Sequence[Question],
    asked_keys: Collection[str],
    guild_id: int,
    local_date: date,
    recent: Sequence[Question] = (),
) -> DailyChoice | None:
    """The same question for the same server and day. None only if there are no questions at all.

    In order: a question not yet asked in this round, about a fact none of the `recent` questions
    was about, of a kind under its share of BALANCE_DAYS; at the weekday's difficulty (else the
    nearest); of the kind asked least in `recent`; then drawn at random.
    """
    remaining = [q for q in questions if q.key not in asked_keys]
    new_round = not remaining
    if new_round:
        remaining = list(questions)
    if not remaining:
        return None
    used_facts = {q.fact_id for q in recent}
    kinds = Counter(q.type for q in recent)
    cap = int(BALANCE_DAYS * MAX_KIND_SHARE)

    def balanced(pool: Iterable[Question]) -> list[Question]:
        return [q for q in pool if q.fact_id not in used_facts and kinds[q.type] < cap]

    # A kind whose questions were all asked in this round offers them again before a kind over its
    # share is asked once more, so small kinds are not simply used up in the first weeks.
    kinds_left = {q.type for q in remaining}
    offered_again = [q for q in questions if q.type not in kinds_left]
    eligible = (
        balanced(remaining)
        or balanced(offered_again)
        or balanced(questions)  # a repeat from earlier in the round rather than one kind too many
        or [q for q in remaining if q.fact_id not in used_facts]
        or remaining
    )
    target = weekday_difficulty(local_date)
    nearest = min(abs(q.difficulty - target) for q in eligible)
    at_level = [q for q in eligible if abs(q.difficulty - target) == nearest]
    least = min(kinds[q.type] for q in at_level)
    candidates = sorted((q for q in at_level if kinds[q.type] == least), key=lambda q: q.key)
    rng = seeded_random("daily", guild_id, local_date.isoformat())
    return DailyChoice(candidates[rng.randrange(len(candidates))], new_round)


def choose_practice_question(
    questions: Sequence[Question], recent_keys: Collection[str], exclude: Collection[str], seed: object
) -> Question | None:
    """A practice question for one member: not in `exclude` (give it today's daily question key so
    practice never reveals it), preferring keys the member has not practised recently."""
    allowed = sorted((q for q in questions if q.key not in exclude), key=lambda q: q.key)
    fresh = [q for q in allowed if q.key not in recent_keys] or allowed
    if not fresh:
        return None
    return fresh[seeded_random("practice", seed).randrange(len(fresh))]
