"""End to end: the daily post's "on this day" line, through the emulator with the bot's clock: there
when the server asks for it, absent otherwise, kept through the count edits and the reveal, and never
giving the day's answer away."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.quiz.model.on_this_day import on_this_day_for
from tests.conftest import WatchEnv
from tests.quiz.test_e2e_quiz import answer_id, quiz_messages, seoul, tick_at, todays_post

FIELD = "On this day"


def on_this_day_field(message) -> str | None:
    return {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}.get(FIELD)


def message_of(watch: WatchEnv, post):
    return next(m for m in quiz_messages(watch) if answer_id(post, 0) in str(m.components))


async def test_the_line_names_a_past_event_of_the_date_and_never_the_answer(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    reply = await watch.moderator("admin").slash(
        "quizadmin setup",
        channel=watch.guild.channel("quiz"),
        time="09:00",
        timezone="Asia/Seoul",
        onthisday=True,
    )
    assert "names an event of its date" in reply.content
    shown = 0
    for day in range(1, 15):
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        question = post.question
        value = on_this_day_field(message_of(watch, post))
        events = await watch.bot.fact_store.facts_on_days([f"12-{day:02d}"])
        # Which question a server gets depends on the server (its id differs from run to run), and with it
        # whether some event of the day leaves the answer alone: the line is there exactly when one does.
        expected = on_this_day_for(question, events, date(2026, 12, day))
        if value is None:
            assert post.on_this_day is None
            assert expected is None
            continue
        assert expected is not None
        shown += 1
        line = post.on_this_day
        assert line is not None
        assert line.fact_id == expected.fact_id
        assert value.startswith(f"**{line.year}** · ")
        assert line.title[:30] in value
        # A fact of this very date in a past year, from the fact store.
        assert line.fact_id in {fact.id for fact in events}
        fact = await watch.bot.fact_store.get_fact(line.fact_id)
        assert fact is not None
        assert (fact.date.month, fact.date.day) == (12, day)
        assert fact.date.year == line.year < 2026
        # Never the question's own fact, never the answer's text or year.
        assert line.fact_id != question.fact_id
        assert not re.search(rf"\b{re.escape(question.answer.casefold())}\b", value.casefold())
        assert str(line.year) not in question.answer
    assert (
        shown >= 2
    )  # December has events on most days: the line is there on some of them whatever the questions


async def test_the_line_stays_through_the_count_and_the_reveal(watch: WatchEnv) -> None:
    watch.clock.set(seoul(2, 8))
    await watch.moderator("admin").slash(
        "quizadmin setup",
        channel=watch.guild.channel("quiz"),
        time="09:00",
        timezone="Asia/Seoul",
        onthisday=True,
    )
    # The first day whose question leaves room for a line (a line that could give the day's answer away
    # is left out, and which question a server gets depends on the server).
    for day in range(2, 15):
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        message = message_of(watch, post)
        first = on_this_day_field(message)
        if first is not None:
            break
    assert first is not None
    watch.clock.set(seoul(day, 9, 1))
    await watch.member("alice").click(message, answer_id(post, 0))
    await tick_at(watch, seoul(day, 9, 1) + timedelta(seconds=20))  # the answer count is written
    counted = message_of(watch, post)
    fields = [f["name"] for f in counted.embeds[0]["fields"]]
    assert "Answered" in fields
    assert on_this_day_field(counted) == first
    await tick_at(watch, seoul(day + 1, 9))
    revealed = message_of(watch, post)
    assert revealed.embeds[0]["title"].endswith("· answer")
    assert on_this_day_field(revealed) == first


async def test_no_line_when_the_server_has_not_asked_for_it(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await watch.moderator("admin").slash(
        "quizadmin setup", channel=watch.guild.channel("quiz"), time="09:00", timezone="Asia/Seoul"
    )
    for day in range(1, 9):  # days with events in past years, the same as in the test above
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        assert on_this_day_field(message_of(watch, post)) is None
        assert post.on_this_day is None
    await tick_at(watch, seoul(9, 9))
    assert all(on_this_day_field(m) is None for m in quiz_messages(watch))  # nor on the reveals
