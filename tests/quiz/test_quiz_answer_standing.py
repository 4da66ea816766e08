"""The streak and rank a correct answer comes back with (computed in the answer's own write) agree with
/quiz stats and with the reveal's order, on a real temporary SQLite file."""

from __future__ import annotations

import random
from datetime import timedelta

from bot.quiz.store import AnswerStatus, QuizPost, QuizStore
from tests.quiz.test_quiz_store import (
    CHANNEL,
    DAY,
    GUILD,
    NOON,
    choice,
    posted,
    quiz,
    right_choice,
    wrong_choice,
)

__all__ = ["quiz"]  # the store fixture

MEMBERS = range(1, 9)
DAYS = 12


async def test_the_streak_of_a_correct_answer_is_the_streak_stats_show(quiz: QuizStore) -> None:
    """Random histories, with each question still open for two hours after the next one is posted (so
    members answer yesterday's after today's): after every correct answer, the streak it came back with
    is the current streak /quiz stats computes at that moment."""
    shuffle = random.Random(18)
    posts: list[QuizPost] = []
    for day in range(DAYS):
        at = NOON + timedelta(days=day)
        post = await quiz.claim_post(GUILD, DAY + timedelta(days=day), choice(f"when:{day}"), CHANNEL, at)
        assert post is not None
        assert await quiz.mark_posted(post.id, 7000 + day, at, at + timedelta(days=1, hours=2))
        stored = await quiz.post(post.id)
        assert stored is not None
        posts.append(stored)
    events = []
    for day, post in enumerate(posts):
        for member in MEMBERS:
            if shuffle.random() < 0.2:
                continue  # missed
            pick = right_choice(post) if shuffle.random() < 0.75 else wrong_choice(post)
            minutes = shuffle.randrange(1, 26 * 60)  # up to an hour into the next day's overlap
            events.append((NOON + timedelta(days=day, minutes=minutes), member, post, pick))
    events.sort(key=lambda event: (event[0], event[1]))
    checked = 0
    for moment, member, post, pick in events:
        result = await quiz.record_answer(post.id, member, pick, moment)
        assert result.status is AnswerStatus.RECORDED
        stats = await quiz.member_stats(GUILD, member, moment)
        if result.correct:
            assert result.streak == stats.current_streak, (member, post.local_date)
            assert result.streak >= 1
            checked += 1
        else:
            assert (result.streak, result.rank) == (None, None)
    assert checked > 40
    # Some histories had long runs, some were broken: the check covered both.
    best = [(await quiz.member_stats(GUILD, m, NOON + timedelta(days=DAYS + 2))).best_streak for m in MEMBERS]
    assert max(best) >= 3
    assert min(best) < DAYS


async def test_the_rank_of_a_correct_answer_counts_the_faster_correct_answers(quiz: QuizStore) -> None:
    post = await posted(quiz)
    right, wrong = right_choice(post), wrong_choice(post)
    # (member, seconds after the post, right?): recorded in this order, not in order of speed.
    answers = [(5, 40, True), (2, 10, False), (3, 20, True), (9, 40, True), (1, 40, True), (4, 5, True)]
    ranks = {}
    for member, seconds, is_right in answers:
        result = await quiz.record_answer(
            post.id, member, right if is_right else wrong, NOON + timedelta(seconds=seconds)
        )
        ranks[member] = result.rank
    # Each rank is where the answer stood when it was recorded; ties in time go by member id, as in the
    # reveal's list of the fastest.
    assert ranks == {5: 1, 2: None, 3: 1, 9: 3, 1: 2, 4: 1}
    summary = await quiz.reveal_summary(post.id, fastest=5)
    assert summary is not None
    assert [f.user_id for f in summary.fastest] == [4, 3, 1, 5, 9]


async def test_a_forgotten_member_starts_a_new_streak(quiz: QuizStore) -> None:
    first = await posted(quiz)
    await quiz.record_answer(first.id, 7, right_choice(first), NOON + timedelta(minutes=1))
    second = await posted(quiz, DAY + timedelta(days=1), at=NOON + timedelta(days=1))
    await quiz.forget_member(GUILD, 7)
    result = await quiz.record_answer(second.id, 7, right_choice(second), NOON + timedelta(days=1, minutes=1))
    assert (result.streak, result.rank) == (1, 1)
