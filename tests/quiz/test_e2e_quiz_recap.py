"""End to end: the weekly recap, on the day a server chooses, exactly once a week across restarts, with
no pings, through the emulator with the bot's clock. December 2026: the 1st is a Tuesday, the 7th a
Monday."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

import discord
import pytest

from bot.quiz.store import MAX_POST_ATTEMPTS, RecapState
from bot.quiz.store.claims import CLAIM_LEASE
from tests.conftest import WatchEnv
from tests.quiz.test_e2e_quiz import answer_id, poster, seoul, tick_at, todays_post

TITLE = "Quiz week · 30 November – 6 December 2026"


def recaps(watch: WatchEnv, channel_name: str = "quiz"):
    channel = watch.guild.channel(channel_name)
    return [
        m
        for m in watch.emulator.messages(channel)
        if m.embeds and m.embeds[0]["title"].startswith("Quiz week")
    ]


def fields_of(message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}


async def set_up(watch: WatchEnv, **options):
    return await watch.moderator("admin").slash(
        "quizadmin setup", channel=watch.guild.channel("quiz"), time="09:00", timezone="Asia/Seoul", **options
    )


async def play_week(watch: WatchEnv, answers: dict[int, dict[str, bool]]) -> dict[int, object]:
    """Post the questions of 1-6 December; on each day, members answer right (True) or wrong (False)."""
    posts = {}
    for day in range(1, 7):
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        posts[day] = post
        message = next(
            m
            for m in watch.emulator.messages(watch.guild.channel("quiz"))
            if answer_id(post, 0) in str(m.components)
        )
        for minute, (name, right) in enumerate(answers.get(day, {}).items(), start=1):
            watch.clock.set(seoul(day, 9, minute))
            pick = post.question.correct_index if right else (post.question.correct_index + 1) % 4
            await watch.member(name).click(message, answer_id(post, pick))
        if day == 3:
            await watch.restart()  # mid-week: the recap still comes once, on Monday
    return posts


WEEK = {
    1: {"alice": True, "bob": True},
    2: {"alice": True, "bob": True, "carol": True},
    3: {"alice": True, "bob": True, "carol": False, "dave": False},
    4: {"alice": True, "bob": False, "carol": False, "dave": False},  # the hardest: 1 of 4 right
    5: {"alice": True, "bob": True},
    6: {"alice": True, "bob": True, "carol": True},
}


async def test_one_recap_on_the_chosen_day_whatever_restarts_happen(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    reply = await set_up(watch, recap="monday")
    assert "weekly recap" in reply.content
    assert "every Monday at 09:00" in reply.content
    posts = await play_week(watch, WEEK)
    alice, bob, carol = (watch.member(name).id for name in ("alice", "bob", "carol"))
    await tick_at(watch, seoul(7, 8, 59))
    assert recaps(watch) == []  # Monday, before the post time
    await tick_at(watch, seoul(7, 9))
    [recap] = recaps(watch)
    embed = recap.embeds[0]
    assert embed["title"] == TITLE
    assert embed["description"] == "6 questions, 18 answers."
    fields = fields_of(recap)
    top = fields["Top three"].splitlines()
    assert top[0].startswith(f"🥇 <@{alice}> · ")
    assert "(6/6 correct)" in top[0]
    assert top[1].startswith(f"🥈 <@{bob}> · ")
    assert top[2].startswith(f"🥉 <@{carol}> · ")
    assert fields["Longest streaks"].splitlines() == [
        f"🔥 <@{alice}> · 6 days in a row",
        f"🔥 <@{bob}> · 2 days in a row",
    ]
    hardest = posts[4].question
    name = "Hardest question (4 December)"
    assert name in fields
    assert hardest.prompt[:40] in fields[name].replace("\\", "")
    assert "25% right (1 of 4)" in fields[name]
    # Nothing in a recap pings: no content, and allowed_mentions allows nobody.
    assert not recap.content
    assert recap.allowed_mentions is not None
    assert recap.allowed_mentions["parse"] == []
    assert not recap.allowed_mentions.get("users")
    assert not recap.allowed_mentions.get("roles")
    # The day goes on, the bot restarts twice, ticks run at once: still one recap.
    await watch.restart()
    await tick_at(watch, seoul(7, 12))
    await watch.restart()
    await asyncio.gather(poster(watch).tick(), poster(watch).tick(), tick_at(watch, seoul(7, 23, 59)))
    await tick_at(watch, seoul(8, 9))
    assert len(recaps(watch)) == 1
    stored = await watch.bot.quiz_store.recap_for_week(watch.guild.id, date(2026, 12, 7))
    assert stored is not None
    assert (stored.state, stored.message_id, stored.attempts) == (RecapState.POSTED, recap.id, 1)


async def test_no_recap_when_off_or_when_nobody_answered(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    reply = await set_up(watch)
    assert "recap" not in reply.content
    await play_week(watch, {1: {"alice": True}})
    await tick_at(watch, seoul(7, 9))
    await tick_at(watch, seoul(7, 10))
    assert recaps(watch) == []
    # On, but a week without a single answer (2-8 December): nothing to recap, and the week is done.
    await set_up(watch, recap="wednesday")
    await tick_at(watch, seoul(8, 9))
    await tick_at(watch, seoul(9, 9))
    assert recaps(watch) == []
    stored = await watch.bot.quiz_store.recap_for_week(watch.guild.id, date(2026, 12, 9))
    assert stored is not None
    assert stored.state is RecapState.EMPTY


async def test_a_recap_sent_before_its_process_died_is_not_sent_again(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch, recap="monday")
    await play_week(watch, WEEK)

    async def dies_before_recording(*args: object) -> bool:
        raise RuntimeError("the process died between sending and recording")

    monkeypatch.setattr(watch.bot.quiz_store, "mark_recap_posted", dies_before_recording)
    await tick_at(watch, seoul(7, 9))
    assert len(recaps(watch)) == 1
    monkeypatch.undo()
    await watch.restart()
    await tick_at(watch, seoul(7, 9) + CLAIM_LEASE / 2)  # the claim may still be alive: left alone
    stored = await watch.bot.quiz_store.recap_for_week(watch.guild.id, date(2026, 12, 7))
    assert stored is not None
    assert stored.state is RecapState.CLAIMED
    await tick_at(watch, seoul(7, 9) + CLAIM_LEASE)  # stale: claimed again, and found in the channel
    [recap] = recaps(watch)
    stored = await watch.bot.quiz_store.recap_for_week(watch.guild.id, date(2026, 12, 7))
    assert stored is not None
    assert (stored.state, stored.message_id, stored.attempts) == (RecapState.POSTED, recap.id, 2)


@pytest.mark.parametrize("trouble", ["channel deleted", "permission taken away"])
async def test_a_recap_that_cannot_be_posted_is_given_up_after_a_few_tries(
    watch: WatchEnv, trouble: str, caplog: pytest.LogCaptureFixture
) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch, recap="monday")
    await play_week(watch, WEEK)
    await tick_at(watch, seoul(6, 23))  # Sunday's question is answered and closes with Monday's
    quiz = watch.guild.channel("quiz")
    if trouble == "channel deleted":
        watch.guild.remove_channel(quiz)
    else:
        watch.guild.set_overwrite(
            quiz, watch.guild.everyone, deny=discord.Permissions(send_messages=True).value
        )
    with caplog.at_level(logging.WARNING, logger="bot.quiz.poster"):
        for minute in range(MAX_POST_ATTEMPTS + 3):
            await tick_at(watch, seoul(7, 9) + timedelta(minutes=minute))
    assert any("Quiz recap for server" in record.getMessage() for record in caplog.records)
    stored = await watch.bot.quiz_store.recap_for_week(watch.guild.id, date(2026, 12, 7))
    assert stored is not None
    assert (stored.state, stored.attempts) == (RecapState.FAILED, MAX_POST_ATTEMPTS)
    assert stored.last_error
    if trouble != "channel deleted":
        assert recaps(watch) == []
    # Given up: later ticks leave it alone, and the next week is a new week.
    [scheduled] = await watch.bot.quiz_store.scheduled_guilds(watch.guild.id)
    assert scheduled.recap_due(seoul(7, 12)) is None
    assert scheduled.recap_due(seoul(14, 9)) == date(2026, 12, 14)
