"""End to end: what members are told (streak and rank, speeds, stats) and how the daily choice keeps
kinds in balance, through the emulator with the bot's clock."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest

from bot.facts.model.fact import Category
from bot.quiz.model import DailyChoice, QuestionType
from bot.quiz.model.pool import BALANCE_DAYS, MAX_KIND_SHARE
from bot.quiz.render import days, speed, standing_line
from tests.conftest import WatchEnv
from tests.quiz.test_e2e_quiz import answer_id, quiz_messages, seoul, set_up, tick_at, todays_post


def test_speeds_and_counts_read_as_people_say_them() -> None:
    assert speed(4_230) == "in 4.2 s"
    assert speed(45_900) == "in 45 s"
    assert speed(180_000) == "in 3 min"
    assert speed(3_780_000) == "in 1 h 3 min"
    assert speed(7_200_000) == "in 2 h"
    assert days(1) == "1 day"
    assert days(0) == "0 days"
    assert standing_line(4, 2) == "🔥 4-day streak · 2nd fastest today"
    assert standing_line(1, 1) == "🔥 1-day streak · fastest today"
    assert standing_line(2, 11) == "🔥 2-day streak · 11th fastest today"


async def test_setup_says_how_difficulty_changes_through_the_week(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    reply = await set_up(watch)
    assert "easy on Monday and Tuesday, medium Wednesday to Friday, hard at the weekend" in reply.content


async def test_a_correct_answer_shows_the_streak_and_todays_rank(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    alice, bob, carol = watch.member("alice"), watch.member("bob"), watch.member("carol")
    for day in (1, 2):
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        message = next(m for m in quiz_messages(watch) if answer_id(post, 0) in json.dumps(m.components))
        right = answer_id(post, post.question.correct_index)
        watch.clock.set(seoul(day, 9, 1))
        first = await (alice if day == 1 else bob).click(message, right)
        watch.clock.set(seoul(day, 9, 2))
        second = await (bob if day == 1 else alice).click(message, right)
        wrong = await carol.click(message, answer_id(post, (post.question.correct_index + 1) % 4))
        assert "streak" not in wrong.content
        assert first.ephemeral
        assert second.ephemeral
        if day == 1:
            assert "\n🔥 1-day streak · fastest today\n" in first.content
            assert "\n🔥 1-day streak · 2nd fastest today\n" in second.content
        else:
            assert "\n🔥 2-day streak · fastest today\n" in first.content
            assert "\n🔥 2-day streak · 2nd fastest today\n" in second.content


async def test_the_reveal_writes_speeds_in_seconds_minutes_and_hours(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    message = quiz_messages(watch)[0]
    right = answer_id(post, post.question.correct_index)
    for member, moment in (("quick", seoul(1, 9, 0) + timedelta(seconds=45)), ("slow", seoul(1, 10, 3))):
        watch.clock.set(moment)
        await watch.member(member).click(message, right)
    await tick_at(watch, seoul(2, 9))
    fastest = {f["name"]: f["value"] for f in quiz_messages(watch)[0].embeds[0]["fields"]}
    value = fastest["Fastest correct answers"]
    assert "(in 45 s)" in value
    assert "(in 1 h 3 min)" in value
    assert " s)" not in value.replace("in 45 s)", "")  # no "3780.0 s"


async def test_stats_say_1_day_and_a_member_who_never_played_is_told_privately(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    alice, newcomer = watch.member("alice"), watch.member("newcomer")
    await alice.click(quiz_messages(watch)[0], answer_id(post, post.question.correct_index))
    stats = await alice.slash("quiz stats")
    fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
    assert fields["Current streak"] == "1 day"
    assert fields["Best streak"] == "1 day"
    mine = await newcomer.slash("quiz stats")
    assert mine.ephemeral
    assert not mine.embeds
    assert "You have not answered a quiz question here yet" in mine.content
    theirs = await alice.slash("quiz stats", member=newcomer)
    assert theirs.ephemeral
    assert f"<@{newcomer.id}> has not answered" in theirs.content


async def test_the_daily_post_keeps_kinds_in_balance_and_facts_fresh(watch: WatchEnv) -> None:
    """After 45 days of dates, launches and "which came first" (15 each, the most a kind may have in
    60 days), the next posts are of other kinds and about facts none of them asked about."""
    store, guild = watch.bot.quiz_store, watch.guild.id
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    questions = await watch.bot.question_bank.questions()
    cap = int(BALANCE_DAYS * MAX_KIND_SHARE)
    big = [QuestionType.WHEN, QuestionType.SYSTEM, QuestionType.FIRST]
    history, used = [], set()
    for kind in big:
        picked = [q for q in questions if q.type is kind and q.fact_id not in used][:cap]
        used |= {q.fact_id for q in picked}
        history += picked
    start = date(2026, 12, 1) - timedelta(days=len(history))
    channel = watch.guild.channel("quiz").id
    for offset, question in enumerate(history):
        day = start + timedelta(days=offset)
        claimed = await store.claim_post(guild, day, DailyChoice(question, False), channel, seoul(1, 8))
        assert claimed is not None
        await store.mark_posted(claimed.id, 1000 + offset, seoul(1, 7), seoul(1, 8))
    for day in (1, 2, 3, 4):
        await tick_at(watch, seoul(day, 9))
        today = (await todays_post(watch, day)).question
        assert today.type not in big, today.key
        assert today.fact_id not in used
        used.add(today.fact_id)
    recent = await store.recent_questions(guild, date(2026, 12, 1), BALANCE_DAYS - 1)
    assert Counter(q.type for q in recent) == dict.fromkeys(big, cap)


async def test_practice_by_category_and_difficulty(watch: WatchEnv) -> None:
    bank = watch.bot.question_bank
    combinations = (("sanctions", 3), ("talks", None), (None, 1), ("tests", 2))
    for number, (category, difficulty) in enumerate(combinations):
        player = watch.member(f"player{number}")  # one each: 5 practice questions a minute
        options = {k: v for k, v in (("category", category), ("difficulty", difficulty)) if v is not None}
        for _ in range(3):
            watch.clock.set(watch.clock.now() + timedelta(minutes=1))  # a new practice seed each time
            practice = await player.slash("quiz play", **options)
            assert practice.content.startswith("**Practice:**"), practice.content
            shown = await watch.bot.quiz_store.practice_round(
                int(practice.buttons[0]["custom_id"].split(":")[2])
            )
            assert shown is not None
            fact = bank.fact(shown.question.fact_id)
            assert fact is not None
            if category is not None:
                assert fact.category.value == category
            if difficulty is not None:
                assert shown.question.difficulty == difficulty


async def test_practice_with_no_question_of_the_choice_says_so(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = watch.bot.question_bank
    everything = await bank.questions()
    easy_tests = await bank.questions_in(Category.TESTS, 1)
    assert easy_tests
    left = [q for q in everything if q not in easy_tests]

    async def without_easy_tests() -> list:  # type: ignore[type-arg]
        return left

    monkeypatch.setattr(bank, "questions", without_easy_tests)
    reply = await watch.member("bob").slash("quiz play", category="tests", difficulty=1)
    assert reply.ephemeral
    assert reply.content == "There are no easy tests practice questions right now; try another choice."
    other = await watch.member("bob").slash("quiz play", category="tests", difficulty=2)
    assert other.content.startswith("**Practice:**")
