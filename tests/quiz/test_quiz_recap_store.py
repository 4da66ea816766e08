"""The weekly recap in the store, on a real temporary SQLite file: claimed once per server and week
(by the same rule as the daily post), never before the week's questions are revealed, and what it
shows. Also the recap's calendar."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.quiz.model import QuizSchedule
from bot.quiz.model.recap import recap_due, recap_window, week_of
from bot.quiz.store import CLAIM_LEASE, MAX_POST_ATTEMPTS, QuizPost, QuizStore, RecapState
from bot.quiz.store.claims import may_claim_again
from tests.quiz.test_quiz_store import CHANNEL, GUILD, OTHER_GUILD, posted, quiz, right_choice, wrong_choice

__all__ = ["quiz"]  # the store fixture

MONDAY = date(2024, 6, 10)
NOON = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)  # Monday, noon UTC: the recap is due
FIRST_DAY = date(2024, 6, 3)  # the week it covers: Monday 3 to Sunday 9 June


async def week_of_posts(
    quiz: QuizStore, answers: dict[int, dict[int, bool]], *, guild: int = GUILD
) -> list[QuizPost]:
    """Questions for 3-9 June, revealed; `answers[day index][member] = right?`."""
    posts = []
    for offset in range(7):
        day = FIRST_DAY + timedelta(days=offset)
        at = datetime.combine(day, time(9), UTC)
        post = await posted(quiz, day, guild=guild, at=at)
        for minute, (member, right) in enumerate(answers.get(offset, {}).items(), start=1):
            pick = right_choice(post) if right else wrong_choice(post)
            await quiz.record_answer(post.id, member, pick, at + timedelta(minutes=minute))
        assert post.closes_at is not None
        await quiz.mark_revealed(post.id, post.closes_at)
        posts.append(post)
    return posts


def test_the_recap_calendar() -> None:
    schedule = QuizSchedule(time(9), "Asia/Seoul")
    monday_9 = datetime(2024, 6, 10, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    assert week_of(date(2024, 6, 16)) == MONDAY
    assert recap_window(MONDAY) == (FIRST_DAY, date(2024, 6, 9))
    assert recap_due(schedule, 0, monday_9 - timedelta(minutes=1), None) is None
    assert recap_due(schedule, 0, monday_9, None) == MONDAY
    assert recap_due(schedule, 0, monday_9, week_of(MONDAY)) is None  # this week's is done
    assert recap_due(schedule, 0, monday_9, week_of(MONDAY) - timedelta(days=7)) == MONDAY
    assert recap_due(schedule, None, monday_9, None) is None  # off
    assert recap_due(schedule, 1, monday_9, None) is None  # Tuesday's recap, on a Monday
    assert recap_due(schedule, 0, monday_9 + timedelta(days=1), None) is None  # never late on a later day


def test_posts_and_recaps_share_one_claim_rule() -> None:
    fresh, stale = NOON - CLAIM_LEASE / 2, NOON - CLAIM_LEASE
    assert not may_claim_again("claimed", 1, fresh, NOON)
    assert may_claim_again("claimed", 1, stale, NOON)
    assert may_claim_again("failed", MAX_POST_ATTEMPTS - 1, NOON, NOON)
    assert not may_claim_again("failed", MAX_POST_ATTEMPTS, NOON, NOON)
    for final in ("posted", "revealed", "skipped", "empty"):
        assert not may_claim_again(final, 1, stale, NOON)


async def test_one_claim_wins_per_server_and_week(quiz: QuizStore) -> None:
    await week_of_posts(quiz, {0: {1: True}})
    await week_of_posts(quiz, {0: {1: True}}, guild=OTHER_GUILD)
    claims = await asyncio.gather(*(quiz.claim_recap(GUILD, MONDAY, CHANNEL, NOON) for _ in range(8)))
    won = [c for c in claims if c is not None]
    assert len(won) == 1
    assert (won[0].first_day, won[0].last_day, won[0].attempts) == (FIRST_DAY, date(2024, 6, 9), 1)
    assert await quiz.claim_recap(OTHER_GUILD, MONDAY, CHANNEL, NOON) is not None  # each server its own
    assert await quiz.mark_recap_posted(won[0].id, 777, NOON)
    # Another day of the same week (the server changed its recap day): still the week's one recap.
    assert (
        await quiz.claim_recap(GUILD, MONDAY + timedelta(days=3), CHANNEL, NOON + timedelta(days=3)) is None
    )
    # The scheduler sees the week as handled, and the server's recap settings.
    await quiz.configure(GUILD, CHANNEL, QuizSchedule(time(9), "UTC"), NOON, recap_day=0, on_this_day=True)
    [scheduled] = await quiz.scheduled_guilds(GUILD)
    assert (scheduled.settings.recap_day, scheduled.settings.on_this_day) == (0, True)
    assert scheduled.last_recap_week == MONDAY
    assert scheduled.recap_due(NOON) is None
    assert scheduled.recap_due(NOON + timedelta(days=7)) == MONDAY + timedelta(days=7)
    stored = await quiz.recap_for_week(GUILD, MONDAY)
    assert stored is not None
    assert (stored.state, stored.message_id) == (RecapState.POSTED, 777)


async def test_a_failed_or_dead_claim_is_claimed_again_until_given_up(quiz: QuizStore) -> None:
    await week_of_posts(quiz, {2: {1: True}})
    claim = await quiz.claim_recap(GUILD, MONDAY, CHANNEL, NOON)
    assert claim is not None
    assert await quiz.claim_recap(GUILD, MONDAY, CHANNEL, NOON + CLAIM_LEASE / 2) is None  # alive
    again = await quiz.claim_recap(GUILD, MONDAY, CHANNEL, NOON + CLAIM_LEASE)  # its process died
    assert again is not None
    assert again.attempts == 2
    moment = NOON + CLAIM_LEASE
    for attempt in range(2, MAX_POST_ATTEMPTS + 1):
        await quiz.mark_recap_failed(again.id, "503 Service Unavailable", moment)
        moment += timedelta(seconds=30)
        retried = await quiz.claim_recap(GUILD, MONDAY, CHANNEL, moment)
        if attempt < MAX_POST_ATTEMPTS:
            assert retried is not None
            assert retried.attempts == attempt + 1
    assert retried is None
    stored = await quiz.recap_for_week(GUILD, MONDAY)
    assert stored is not None
    assert (stored.state, stored.attempts) == (RecapState.FAILED, MAX_POST_ATTEMPTS)
    assert "503" in stored.last_error


async def test_no_recap_before_the_weeks_questions_are_revealed_or_for_an_empty_week(quiz: QuizStore) -> None:
    posts = await week_of_posts(quiz, {})
    # A question of the week still waiting for its reveal: not yet (asked again later), nothing stored.
    sunday = await posted(quiz, date(2024, 6, 16), at=datetime(2024, 6, 16, 9, tzinfo=UTC))
    assert await quiz.claim_recap(GUILD, date(2024, 6, 17), CHANNEL, NOON + timedelta(days=7)) is None
    assert await quiz.recap_for_week(GUILD, date(2024, 6, 17)) is None
    assert sunday.closes_at is not None
    await quiz.mark_revealed(sunday.id, sunday.closes_at)
    # Revealed, but nobody answered all week: marked empty, never posted, never claimed again.
    assert await quiz.claim_recap(GUILD, date(2024, 6, 17), CHANNEL, NOON + timedelta(days=7)) is None
    stored = await quiz.recap_for_week(GUILD, date(2024, 6, 17))
    assert stored is not None
    assert stored.state is RecapState.EMPTY
    assert await quiz.claim_recap(GUILD, date(2024, 6, 17), CHANNEL, NOON + timedelta(days=8)) is None
    assert posts


async def test_the_summary_top_three_streaks_and_hardest_question(quiz: QuizStore) -> None:
    # Members 1-5 over the week (day index: member -> right?). Member 1 right every day (a 7-day
    # streak), 2 and 3 tie for second, 4 right only at the end (2 days), 5 wrong on the hard day.
    answers = {
        0: {1: True, 2: True, 3: True},
        1: {1: True, 2: True, 3: True},
        2: {1: True, 2: False, 3: False, 5: False},  # the hardest: 1 of 4 right
        3: {1: True, 2: True, 3: True},
        4: {1: True, 2: True, 3: True},
        5: {1: True, 4: True},
        6: {1: True, 4: True, 2: True, 3: True},
    }
    posts = await week_of_posts(quiz, answers)
    summary = await quiz.recap_summary(GUILD, FIRST_DAY, date(2024, 6, 9), NOON)
    assert (summary.questions, summary.answers) == (7, sum(len(day) for day in answers.values()))
    assert [(e.rank, e.user_id) for e in summary.top] == [(1, 1), (2, 2), (2, 3)]
    assert summary.top[0].correct == 7
    assert [(s.user_id, s.days) for s in summary.streaks] == [(1, 7), (4, 2)]
    assert summary.hardest is not None
    assert summary.hardest.local_date == FIRST_DAY + timedelta(days=2)
    assert summary.hardest.question == posts[2].question
    assert (summary.hardest.correct, summary.hardest.answered) == (1, 4)
    # Another server's week shows nothing of this one.
    other = await quiz.recap_summary(OTHER_GUILD, FIRST_DAY, date(2024, 6, 9), NOON)
    assert (other.top, other.streaks, other.hardest, other.answers) == ((), (), None, 0)


@pytest.mark.parametrize("streak_days", [1, 3])
async def test_streaks_shown_are_at_least_two_days(quiz: QuizStore, streak_days: int) -> None:
    answers = {6 - offset: {9: True} for offset in range(streak_days)}
    await week_of_posts(quiz, answers)
    summary = await quiz.recap_summary(GUILD, FIRST_DAY, date(2024, 6, 9), NOON)
    assert [(s.user_id, s.days) for s in summary.streaks] == ([(9, streak_days)] if streak_days >= 2 else [])
