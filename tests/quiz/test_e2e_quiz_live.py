"""End to end: the live answer count on the daily post, the opt-in role ping and the discussion thread
opened at the reveal, through the emulator with the bot's clock."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.conftest import WatchEnv
from tests.quiz.test_e2e_quiz import answer_id, poster, quiz_messages, seoul, tick_at, todays_post


def edits_of(watch: WatchEnv, message_id: int) -> int:
    return sum(1 for r in watch.emulator.mention_log if r.message_id == message_id and "PATCH" in r.route)


def answered_field(watch: WatchEnv) -> str | None:
    [message] = quiz_messages(watch)
    fields = {f["name"]: f["value"] for f in message.embeds[0].get("fields", [])}
    return fields.get("Answered")


async def test_the_answer_count_is_edited_in_batches_and_survives_a_restart(watch: WatchEnv) -> None:
    watch.clock.set(seoul(1, 8))
    await watch.moderator("admin").slash(
        "quizadmin setup", channel=watch.guild.channel("quiz"), time="09:00", timezone="Asia/Seoul"
    )
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    [message] = quiz_messages(watch)
    assert answered_field(watch) is None
    start = seoul(1, 9)
    for n, name in enumerate(("alice", "bob", "carol")):
        watch.clock.set(start + timedelta(seconds=1 + n))
        await watch.member(name).click(message, answer_id(post, n))
    before = edits_of(watch, message.id)
    assert before == 0  # answering never edits the post itself
    await tick_at(watch, start + timedelta(seconds=5))
    assert answered_field(watch) == "👥 3 answered so far"
    assert edits_of(watch, message.id) == 1
    watch.clock.set(start + timedelta(seconds=6))
    await watch.member("dave").click(message, answer_id(post, 0))
    await tick_at(watch, start + timedelta(seconds=9))  # 4 s after the last edit: not yet
    await tick_at(watch, start + timedelta(seconds=14))  # 9 s: not yet
    assert answered_field(watch) == "👥 3 answered so far"
    assert edits_of(watch, message.id) == 1
    await watch.restart()
    await tick_at(watch, start + timedelta(seconds=14, milliseconds=500))
    assert edits_of(watch, message.id) == 1  # what was shown, and when, is in the database
    await tick_at(watch, start + timedelta(seconds=15))
    assert answered_field(watch) == "👥 4 answered so far"
    await tick_at(watch, start + timedelta(seconds=40))
    assert edits_of(watch, message.id) == 2  # nothing new: no edit
    # The question is still the question, with its buttons.
    [message] = quiz_messages(watch)
    assert post.question is not None
    assert post.question.prompt in message.embeds[0]["description"]
    assert answer_id(post, 0) in json.dumps(message.components)
    # The reveal replaces the count, and no later tick writes the count back.
    await tick_at(watch, seoul(2, 9))
    watch.clock.set(seoul(2, 9, 1))
    await poster(watch).tick()
    revealed = next(m for m in watch.emulator.messages(watch.guild.channel("quiz")) if m.id == message.id)
    assert "Answered" not in [f["name"] for f in revealed.embeds[0].get("fields", [])]
    assert (await watch.bot.quiz_store.post(post.id)).revealed_at is not None  # type: ignore[union-attr]


async def test_the_role_is_pinged_and_nothing_else(watch: WatchEnv) -> None:
    role = watch.guild.add_role("quizzers", mentionable=True)
    watch.clock.set(seoul(1, 8))
    reply = await watch.moderator("admin").slash(
        "quizadmin setup", channel=watch.guild.channel("quiz"), time="09:00", timezone="Asia/Seoul", role=role
    )
    assert f"Each question pings <@&{role.id}>." in reply.content
    await tick_at(watch, seoul(1, 9))
    [message] = quiz_messages(watch)
    assert message.content == f"<@&{role.id}>"
    allowed = message.allowed_mentions
    assert allowed is not None
    assert allowed["parse"] == []
    assert [int(r) for r in allowed["roles"]] == [role.id]
    assert not allowed.get("users")
    # This ping, and only it, was meant: take it out of the no-pings check at teardown.
    log = watch.emulator.mention_log
    log[:] = [record for record in log if record.message_id != message.id or "POST" not in record.route]


async def test_everyone_is_never_the_quiz_role(watch: WatchEnv) -> None:
    reply = await watch.moderator("admin").slash(
        "quizadmin setup",
        channel=watch.guild.channel("quiz"),
        time="09:00",
        timezone="Asia/Seoul",
        role=watch.guild.everyone,
    )
    assert "never pings @everyone" in reply.content
    assert await watch.bot.quiz_store.settings(watch.guild.id) is None


async def test_the_thread_opens_at_the_reveal_once(watch: WatchEnv) -> None:
    quiz = watch.guild.channel("quiz")
    watch.clock.set(seoul(1, 8))
    reply = await watch.moderator("admin").slash(
        "quizadmin setup", channel=quiz, time="09:00", timezone="Asia/Seoul", thread=True
    )
    assert "discussion thread" in reply.content
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    [message] = quiz_messages(watch)
    await tick_at(watch, seoul(1, 20))
    assert message.id not in watch.guild.channels  # no thread while the answer is open: no spoilers
    await tick_at(watch, seoul(2, 9))
    thread = watch.guild.channels[message.id]
    assert thread.parent_id == quiz.id
    assert thread.name.startswith("Quiz 1 December: ")
    assert len(thread.name) <= 100
    stored = await watch.bot.quiz_store.post(post.id)
    assert stored is not None
    assert stored.thread_id == message.id
    # A reveal retried (say, the process died before recording it) opens no second thread.
    await poster(watch).reveal(stored, seoul(2, 9, 1))
    assert sum(1 for c in watch.guild.channels.values() if c.parent_id == quiz.id) == 1
