"""Which question a server gets on a day: the one choice the daily poster makes, and the same choice
played forward over the coming days for `python -m bot quiz preview`.

No Discord here: the store gives the server's history, the bank the questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.quiz.model import DailyChoice, Question, choose_daily_question
from bot.quiz.model.pool import BALANCE_DAYS
from bot.quiz.store import QuizStore


async def daily_choice(
    questions: Sequence[Question], store: QuizStore, guild_id: int, day: date
) -> DailyChoice | None:
    """The server's question for `day` given everything it has been asked (what the poster claims)."""
    return choose_daily_question(
        questions,
        await store.asked_keys(guild_id),
        guild_id,
        day,
        await store.recent_questions(guild_id, day, BALANCE_DAYS - 1),
    )


@dataclass(frozen=True)
class PlannedDay:
    """One day of a preview: the question, and whether it is already claimed or posted (then it is
    the one kept) or still to be chosen; `question` is None for a skipped day."""

    day: date
    question: Question | None
    status: str  # "posted", "claimed", "failed", "skipped", "revealed" or "planned"


async def plan_days(
    questions: Sequence[Question], store: QuizStore, guild_id: int, start: date, days: int
) -> list[PlannedDay]:
    """The server's questions on `days` local dates from `start`, as the poster would choose them if
    each day is posted in turn and the facts do not change meanwhile."""
    asked = set(await store.asked_keys(guild_id))
    planned: list[tuple[date, Question]] = []
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        existing = await store.post_for_day(guild_id, day)
        if existing is not None:
            result.append(PlannedDay(day, existing.question, existing.state.value))
            if existing.question is not None:
                asked.add(existing.question.key)
                planned.append((day, existing.question))
            continue
        # The stored history covers the window's dates before `start`; this preview's own days follow.
        stored = await store.recent_questions(guild_id, start, max(0, BALANCE_DAYS - 1 - offset))
        since = day - timedelta(days=BALANCE_DAYS - 1)
        recent = stored + [q for d, q in planned if since <= d < day]
        choice = choose_daily_question(questions, asked, guild_id, day, recent)
        if choice is None:
            break
        if choice.new_round:
            asked = set()
        asked.add(choice.question.key)
        planned.append((day, choice.question))
        result.append(PlannedDay(day, choice.question, "planned"))
    return result
