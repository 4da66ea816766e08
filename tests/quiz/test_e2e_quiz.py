"""End to end: the daily quiz, driven by the bot's clock (no sleeping) through the emulator."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.quiz import ui as quiz_ui
from tests.conftest import WatchEnv
from tests.emulator.interactions import EmulatorUsageError

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026, Korean time, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


def poster(watch: WatchEnv):
    return watch.bot.get_cog("QuizCog").poster  # type: ignore[union-attr]


async def tick_at(watch: WatchEnv, moment: datetime):
    watch.clock.set(moment)
    return await poster(watch).tick()


def quiz_messages(watch: WatchEnv):
    return [m for m in watch.emulator.messages(watch.guild.channel("quiz")) if m.embeds]


async def set_up(watch: WatchEnv, time: str = "09:00", timezone: str = "Asia/Seoul"):
    return await watch.moderator("admin").slash(
        "quizadmin setup", channel=watch.guild.channel("quiz"), time=time, timezone=timezone
    )


async def todays_post(watch: WatchEnv, day: int):
    post = await watch.bot.quiz_store.post_for_day(watch.guild.id, date(2026, 12, day))
    assert post is not None
    assert post.question is not None
    return post


def answer_id(post, choice: int) -> str:
    return f"quiz:daily:{post.id}:{choice}"


@pytest.mark.parametrize(
    ("time", "timezone", "message"),
    [
        ("25:00", "Asia/Seoul", "25:00"),
        ("9am", "Asia/Seoul", "HH:MM"),
        ("09:00", "Mars/Olympus", "Mars/Olympus"),
    ],
)
async def test_bad_setup_input_is_explained_and_saves_nothing(
    watch: WatchEnv, time: str, timezone: str, message: str
) -> None:
    resp = await set_up(watch, time, timezone)
    assert resp.ephemeral
    assert message in resp.content
    assert "Nothing was saved" in resp.content
    assert await watch.bot.quiz_store.settings(watch.guild.id) is None


async def test_a_channel_the_bot_cannot_post_in_is_refused(watch: WatchEnv) -> None:
    quiz = watch.guild.channel("quiz")
    watch.guild.set_overwrite(quiz, watch.guild.everyone, deny=discord.Permissions(send_messages=True).value)
    resp = await set_up(watch)
    assert "I cannot post in" in resp.content
    assert await watch.bot.quiz_store.settings(watch.guild.id) is None


async def test_a_channel_whose_history_the_bot_cannot_read_is_refused(watch: WatchEnv) -> None:
    # Without it, a retried post could not check whether the first attempt got through.
    quiz = watch.guild.channel("quiz")
    deny = discord.Permissions(read_message_history=True).value
    watch.guild.set_overwrite(quiz, watch.guild.everyone, deny=deny)
    resp = await set_up(watch)
    assert "Read Message History" in resp.content
    assert await watch.bot.quiz_store.settings(watch.guild.id) is None


async def test_a_reveal_the_bot_is_no_longer_allowed_to_make_is_given_up(
    watch: WatchEnv, caplog: pytest.LogCaptureFixture
) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    # The bot loses access to the channel before the answer is due.
    quiz = watch.guild.channel("quiz")
    watch.guild.set_overwrite(quiz, watch.guild.everyone, deny=discord.Permissions(view_channel=True).value)
    with caplog.at_level(logging.WARNING, logger="bot.quiz.poster"):
        await tick_at(watch, seoul(2, 9))  # the answer is due with the next day's question
    assert any("giving up" in record.getMessage() for record in caplog.records)
    revealed = await watch.bot.quiz_store.post(post.id)
    assert revealed is not None
    assert revealed.revealed_at is not None  # not retried every 30 seconds for ever
    assert not (await watch.bot.quiz_store.posts_due_for_reveal(seoul(2, 9, 5)))


async def test_one_servers_failure_does_not_stop_the_others(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    other = watch.emulator.add_guild("Second server", channels=("quiz",))
    await watch.restart()  # the bot joins the second server
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    admin = watch.emulator.member(other, "admin2", permissions=discord.Permissions(manage_guild=True))
    await admin.slash("quizadmin setup", channel=other.channel("quiz"), time="09:00", timezone="Asia/Seoul")
    real_claim = watch.bot.quiz_store.claim_post

    async def claim_failing_for_the_first_server(guild_id: int, *args):  # type: ignore[no-untyped-def]
        if guild_id == watch.guild.id:
            raise RuntimeError("store trouble in one server")
        return await real_claim(guild_id, *args)

    monkeypatch.setattr(watch.bot.quiz_store, "claim_post", claim_failing_for_the_first_server)
    with caplog.at_level(logging.ERROR, logger="bot.quiz.poster"):
        outcomes = await tick_at(watch, seoul(1, 9))
    assert [o.guild_id for o in outcomes if o.post is not None] == [other.id]
    assert any("failed" in record.getMessage() for record in caplog.records)
    assert [m for m in watch.emulator.messages(other.channel("quiz")) if m.embeds]
    monkeypatch.undo()
    await tick_at(watch, seoul(1, 9, 1))  # the next tick catches up
    assert len(quiz_messages(watch)) == 1


async def test_timezone_autocomplete(watch: WatchEnv) -> None:
    choices = await watch.moderator("admin").autocomplete("quizadmin setup", "timezone", "seoul")
    assert choices
    assert len(choices) <= 25
    assert choices[0].value == "Asia/Seoul"


async def test_members_cannot_run_the_quiz_admin_commands(watch: WatchEnv) -> None:
    alice = watch.member("alice")
    with pytest.raises(EmulatorUsageError, match="does not show /quizadmin"):
        await alice.slash("quizadmin skip")
    watch.emulator.allow_command(watch.guild, "quizadmin", alice.id)
    refused = await alice.slash("quizadmin skip")
    assert "Only members with Manage Server" in refused.content


async def test_one_post_at_the_local_time_and_never_twice_across_restarts(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    setup = await set_up(watch)
    assert "09:00 (Asia/Seoul)" in setup.content
    assert f"<t:{int(seoul(1, 9).timestamp())}:f>" in setup.content
    await tick_at(watch, seoul(1, 8, 59))
    assert quiz_messages(watch) == []
    await tick_at(watch, seoul(1, 9))
    assert len(quiz_messages(watch)) == 1
    await watch.restart()
    await tick_at(watch, seoul(1, 12))
    await watch.restart()
    await asyncio.gather(poster(watch).tick(), poster(watch).tick(), tick_at(watch, seoul(1, 23, 59)))
    messages = quiz_messages(watch)
    assert len(messages) == 1
    assert len(messages[0].components[0]["components"]) == 4
    assert messages[0].embeds[0]["title"] == "Daily quiz · 1 December 2026"


async def test_after_downtime_it_posts_late_the_same_day_and_never_a_past_day(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    # The bot was down from before 09:00 until 17:00: it posts late, the same day.
    await tick_at(watch, seoul(1, 17))
    assert len(quiz_messages(watch)) == 1
    # Down all of 2 December: on the 3rd before 09:00 nothing is posted for the 2nd.
    await tick_at(watch, seoul(3, 8))
    assert len(quiz_messages(watch)) == 1
    assert await watch.bot.quiz_store.post_for_day(watch.guild.id, date(2026, 12, 2)) is None
    await tick_at(watch, seoul(3, 9))
    assert quiz_messages(watch)[-1].embeds[0]["title"] == "Daily quiz · 3 December 2026"


async def test_answering_locks_one_answer_each_and_explains(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    message = quiz_messages(watch)[0]
    alice, bob = watch.member("alice"), watch.member("bob")
    watch.clock.set(seoul(1, 9, 5))
    right = await alice.click(message, answer_id(post, post.question.correct_index))
    assert right.ephemeral
    assert right.content.startswith("✅ Correct! +15 points.")
    assert post.question.source.url in right.content
    again = await alice.click(message, answer_id(post, (post.question.correct_index + 1) % 4))
    assert "You already answered" in again.content
    wrong = await bob.click(message, answer_id(post, (post.question.correct_index + 1) % 4))
    assert wrong.content.startswith("❌ Not quite")
    stats = await watch.bot.quiz_store.member_stats(watch.guild.id, alice.id, watch.clock.now())
    assert (stats.answered, stats.correct, stats.points) == (1, 1, 15)


async def test_buttons_keep_working_after_a_restart_and_the_answer_is_revealed(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    message = quiz_messages(watch)[0]
    await watch.restart()
    watch.clock.set(seoul(1, 9, 1))
    carol = watch.member("carol")
    resp = await carol.click(message, answer_id(post, post.question.correct_index))
    assert resp.content.startswith("✅ Correct!")
    await watch.member("dave").click(message, answer_id(post, (post.question.correct_index + 2) % 4))
    # At the next day's post time answers are closed, even before the tick edits the message.
    watch.clock.set(seoul(2, 9))
    late = await watch.member("erin").click(message, answer_id(post, 0))
    assert "closed" in late.content
    # The next tick posts the new day's question and reveals yesterday's.
    await tick_at(watch, seoul(2, 9))
    revealed = quiz_messages(watch)[0]
    embed = revealed.embeds[0]
    assert embed["title"].endswith("· answer")
    assert "50% (1)" in embed["description"]
    assert f"<@{carol.id}>" in json.dumps(embed)
    buttons = revealed.components[0]["components"]
    assert all(b.get("disabled") for b in buttons)
    assert buttons[post.question.correct_index]["style"] == discord.ButtonStyle.success.value
    assert len(quiz_messages(watch)) == 2


async def test_leaderboard_streaks_and_forget_me(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    alice, bob = watch.member("alice"), watch.member("bob")
    for day in (1, 2, 3):
        await tick_at(watch, seoul(day, 9))
        post = await todays_post(watch, day)
        message = next(m for m in quiz_messages(watch) if answer_id(post, 0) in json.dumps(m.components))
        watch.clock.set(seoul(day, 9, 1))
        await bob.click(message, answer_id(post, post.question.correct_index))
        if day < 3:  # alice misses day 3
            await alice.click(message, answer_id(post, post.question.correct_index))
    board = await alice.slash("quiz leaderboard", period="all")
    lines = board.embeds[0]["description"].splitlines()
    assert lines[0].startswith(f"**1.** <@{bob.id}>")
    assert lines[1].startswith(f"**2.** <@{alice.id}>")
    await tick_at(watch, seoul(4, 9))
    stats = await alice.slash("quiz stats")
    fields = {f["name"]: f["value"] for f in stats.embeds[0]["fields"]}
    assert fields["Best streak"] == "2 days"
    assert fields["Current streak"] == "0 days"
    bob_stats = await alice.slash("quiz stats", member=bob)
    assert {f["name"]: f["value"] for f in bob_stats.embeds[0]["fields"]}["Current streak"] == "3 days"
    confirm = await alice.slash("quiz forget-me")
    assert "Are you sure?" in confirm.content
    done = await confirm.click("Delete my quiz data")
    assert "deleted 2 daily answers" in done.content
    after = await watch.bot.quiz_store.member_stats(watch.guild.id, alice.id, watch.clock.now())
    assert after.answered == 0


async def test_an_unanswered_forget_me_question_closes_and_deletes_nothing(
    watch: WatchEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quiz_ui, "FORGET_CONFIRMATION_SECONDS", 0.2)
    confirm = await watch.member("alice").slash("quiz forget-me")
    assert confirm.buttons
    await confirm.wait_for_edit()
    assert "Nothing was deleted" in confirm.content
    assert not confirm.buttons


async def test_tied_members_share_a_rank(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    message = quiz_messages(watch)[0]
    for name in ("a1", "a2", "a3"):
        await watch.member(name).click(message, answer_id(post, post.question.correct_index))
    board = await watch.member("viewer").slash("quiz leaderboard")
    ranks = [line.split("**")[1] for line in board.embeds[0]["description"].splitlines()]
    assert ranks == ["1.", "1.", "1."]


async def test_quizadmin_post_and_skip(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 6))
    admin = watch.moderator("admin")
    not_set = await admin.slash("quizadmin post")
    assert "not set up" in not_set.content
    await set_up(watch)
    posted = await admin.slash("quizadmin post")
    assert "Posted today's question" in posted.content
    again = await admin.slash("quizadmin post")
    assert "already posted" in again.content
    await tick_at(watch, seoul(1, 9))
    assert len(quiz_messages(watch)) == 1
    watch.clock.set(seoul(2, 6))
    skipped = await admin.slash("quizadmin skip")
    assert "No question will be posted today" in skipped.content
    await tick_at(watch, seoul(2, 9))
    assert len(quiz_messages(watch)) == 1
    disabled = await admin.slash("quizadmin disable")
    assert "stopped" in disabled.content
    await tick_at(watch, seoul(3, 9))
    assert len(quiz_messages(watch)) == 1


async def test_a_failed_post_is_retried_later_the_same_day_and_never_duplicated(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    watch.emulator.faults.fail("POST /channels/{channel_id}/messages", 503, times=1)
    outcomes = await tick_at(watch, seoul(1, 9))
    assert outcomes[0].error
    assert quiz_messages(watch) == []
    await tick_at(watch, seoul(1, 9, 1))
    await tick_at(watch, seoul(1, 9, 2))
    assert len(quiz_messages(watch)) == 1


async def test_practice_is_private_and_never_todays_question(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    today = await todays_post(watch, 1)
    alice = watch.member("alice")
    practice = await alice.slash("quiz play")
    assert practice.ephemeral
    assert practice.content.startswith("**Practice:**")
    custom_id = practice.buttons[0]["custom_id"]
    # Many questions share a prompt ("Which of these came first?"): compare the questions themselves.
    shown = await watch.bot.quiz_store.practice_round(int(custom_id.split(":")[2]))
    assert shown is not None
    assert shown.question.key != today.question.key
    answered = await practice.click(custom_id)
    assert answered.content.startswith(("✅", "❌"))
    assert "points" not in answered.content.split("\n")[0]
    board = await watch.bot.quiz_store.leaderboard(watch.guild.id)
    assert board.entry_for(alice.id) is None


async def test_a_moderator_edit_changes_tomorrows_generated_question_at_once(watch: WatchEnv) -> None:
    bank = watch.bot.question_bank
    before = {q.key: q for q in await bank.questions()}
    key = "when:nuclear-test-6"
    assert "3 September 2017" in before[key].options[before[key].correct_index]
    form = await watch.moderator().slash("factmod edit", fact="nuclear-test-6")
    values = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal({**values, "dates": "2017-09-04", "reason": "test"})
    await preview.click("Save")
    after = {q.key: q for q in await bank.questions()}
    assert "4 September 2017" in after[key].options[after[key].correct_index]


def test_seoul_helper_is_utc() -> None:
    assert seoul(1, 9) == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert seoul(1, 9) - seoul(1, 8) == timedelta(hours=1)


async def test_hand_written_questions_are_held_back_after_a_fact_edit_until_reviewed(watch: WatchEnv) -> None:
    bank, mod = watch.bot.question_bank, watch.moderator()
    written = next(q for q in bank.handwritten() if q.fact_id == "us-bda-2005")
    assert written.key in {q.key for q in await bank.questions()}
    nothing = await mod.slash("factmod review-questions")
    assert "No quiz questions are waiting" in nothing.content
    form = await mod.slash("factmod edit", fact="us-bda-2005")
    values = {f["custom_id"]: f.get("value") for f in form.modal.fields}
    preview = await form.submit_modal(
        {**values, "summary": values["summary"] + " (checked)", "reason": "wording"}
    )
    await preview.click("Save")
    assert written.key not in {q.key for q in await bank.questions()}
    queue = await mod.slash("factmod review-questions")
    assert written.id in json.dumps(queue.embeds[0])
    approved = await queue.click(f"qreview:2:{written.id}")
    assert "is back in the quiz" in approved.content
    assert written.key in {q.key for q in await bank.questions()}


async def test_a_close_time_reveals_the_same_evening(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    setup = await watch.moderator("admin").slash(
        "quizadmin setup",
        channel=watch.guild.channel("quiz"),
        time="09:00",
        timezone="Asia/Seoul",
        close="21:00",
    )
    assert "answers close at 21:00" in setup.content
    await tick_at(watch, seoul(1, 9))
    await tick_at(watch, seoul(1, 20, 59))
    assert not quiz_messages(watch)[0].embeds[0]["title"].endswith("answer")
    await tick_at(watch, seoul(1, 21))
    assert quiz_messages(watch)[0].embeds[0]["title"].endswith("· answer")
    bad = await watch.moderator("admin").slash(
        "quizadmin setup",
        channel=watch.guild.channel("quiz"),
        time="09:00",
        timezone="Asia/Seoul",
        close="21:75",
    )
    assert "Nothing was saved" in bad.content
