"""Discord failing under the bot: gateway drops during a burst of commands and during the daily post,
429s (per route and global) and 5xx answers on message create, the interaction callback, follow-ups
and edits. Every interaction Discord delivered is answered; the daily post is made exactly once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import date

import pytest

from bot.quiz.store import PostState
from tests.conftest import WatchEnv
from tests.emulator.actors import InteractionNotAnswered
from tests.emulator.emulator import DiscordEmulator
from tests.quiz.test_e2e_quiz import answer_id, quiz_messages, seoul, set_up, tick_at, todays_post

CALLBACK = "POST /interactions/{webhook_id}/{webhook_token}/callback"
FOLLOWUP = "POST /webhooks/{webhook_id}/{webhook_token}"
SEND = "POST /channels/{channel_id}/messages"
EDIT = "PATCH /channels/{channel_id}/messages/{message_id}"

FAULTS = ["429 per route", "429 global", "500 once"]
BURST = ["nuclear-test-1", "nuclear-test-2", "nuclear-test-3", "nuclear-test-4", "nuclear-test-5"] * 3


def inject(emulator: DiscordEmulator, fault: str, route: str, times: int = 1) -> None:
    if fault == "429 per route":
        emulator.faults.rate_limit(route, retry_after=0.05, times=times)
    elif fault == "429 global":
        emulator.faults.rate_limit(route, retry_after=0.05, times=times, is_global=True)
    else:
        emulator.faults.fail(route, 500, times=times)  # discord.py waits 1 s, then retries


async def wait_until(condition: Callable[[], bool], what: str, within: float = 5.0) -> None:
    """Poll a condition the emulator has no notification for (faults and requests are plain counters)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (nothing to await: the counters have no event)
            await asyncio.sleep(0.005)
    assert condition(), what


def statuses(emulator: DiscordEmulator, route: str) -> list[int]:
    return [r.status for r in emulator.requests(route)]


# --- REST faults on the interaction routes ----------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
async def test_commands_and_buttons_are_answered_through_a_refused_callback(
    watch: WatchEnv, fault: str
) -> None:
    emu, alice = watch.emulator, watch.member("alice")
    inject(emu, fault, CALLBACK)
    card = await alice.slash("fact", fact="unsc-2397")
    assert card.embed["title"].startswith("Resolution 2397")
    assert statuses(emu, CALLBACK)[:2] == [429 if "429" in fault else 500, 200]

    listing = await alice.slash("tests")
    assert "page 1 of" in listing.embeds[0]["footer"]["text"]
    inject(emu, fault, CALLBACK)  # the page turn is an edit through the callback (type 7)
    page2 = await listing.click("›")
    assert page2.type == 7
    assert "page 2 of" in page2.embeds[0]["footer"]["text"]
    assert not card.rejections
    assert not page2.rejections


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_deferred_reply_is_delivered_through_a_refused_follow_up(watch: WatchEnv, fault: str) -> None:
    emu = watch.emulator
    inject(emu, fault, FOLLOWUP)
    export = await watch.moderator().slash("factmod export")
    assert export.attachments
    assert json.loads(export.attachments[0].data)["format"] == "dprk-watch-facts"
    assert statuses(emu, FOLLOWUP) == [429 if "429" in fault else 500, 200]


# --- REST faults on the daily post and its reveal --------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_daily_post_is_retried_through_429s_and_a_500_and_made_once(
    watch: WatchEnv, fault: str
) -> None:
    emu = watch.emulator
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    inject(emu, fault, SEND, times=2 if "429" in fault else 1)
    [outcome] = await tick_at(watch, seoul(1, 9))
    assert outcome.error == ""
    assert len(quiz_messages(watch)) == 1
    await asyncio.gather(tick_at(watch, seoul(1, 9, 1)), poster(watch).tick())
    assert len(quiz_messages(watch)) == 1
    assert statuses(emu, SEND) == ([429, 429, 200] if "429" in fault else [500, 200])


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_reveal_edit_is_retried(watch: WatchEnv, fault: str) -> None:
    emu = watch.emulator
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    await tick_at(watch, seoul(1, 9))
    post = await todays_post(watch, 1)
    watch.clock.set(seoul(1, 9, 2))
    await watch.member("alice").click(quiz_messages(watch)[0], answer_id(post, post.question.correct_index))
    inject(emu, fault, EDIT)
    await tick_at(watch, seoul(2, 9))
    revealed = next(m for m in quiz_messages(watch) if m.id == post.message_id)
    assert revealed.embeds[0]["title"].endswith("· answer")
    assert (await watch.bot.quiz_store.post(post.id)).state is PostState.REVEALED  # type: ignore[union-attr]
    assert statuses(emu, EDIT)[:2] == [429 if "429" in fault else 500, 200]


async def test_a_post_that_could_not_be_made_is_retried_the_same_day_and_never_duplicated(
    watch: WatchEnv,
) -> None:
    emu = watch.emulator
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    emu.faults.fail(SEND, 503, times=None)  # Discord down: surfaces at once, as DiscordServerError
    [failed] = await tick_at(watch, seoul(1, 9))
    assert "503" in failed.error
    assert failed.post is not None
    assert failed.post.state is PostState.FAILED
    await tick_at(watch, seoul(1, 9, 1))
    assert quiz_messages(watch) == []
    emu.faults.clear()
    await watch.restart()  # the retry does not depend on the process that failed
    await asyncio.gather(tick_at(watch, seoul(1, 9, 2)), poster(watch).tick(), poster(watch).tick())
    await tick_at(watch, seoul(1, 20))
    [message] = quiz_messages(watch)
    assert message.embeds[0]["title"] == "Daily quiz · 1 December 2026"
    post = await watch.bot.quiz_store.post_for_day(watch.guild.id, date(2026, 12, 1))
    assert post is not None
    assert post.state is PostState.POSTED
    assert post.message_id == message.id
    assert post.attempts >= 3


def poster(watch: WatchEnv):
    return watch.bot.get_cog("QuizCog").poster  # type: ignore[union-attr]


# --- Gateway drops ------------------------------------------------------------------------------------


@pytest.mark.parametrize("resumable", [True, False], ids=["resumed", "re-identified"])
async def test_every_delivered_interaction_in_a_burst_is_answered_across_a_gateway_drop(
    watch: WatchEnv, resumable: bool
) -> None:
    emu = watch.emulator
    members = [watch.member(f"reader{n}") for n in range(len(BURST))]
    tasks = []
    for n, (member, fact) in enumerate(zip(members, BURST, strict=True)):
        tasks.append(asyncio.create_task(member.slash("fact", fact=fact)))
        if n == len(BURST) // 3:
            await asyncio.sleep(0)  # let the first few reach the bot
            await emu.gateway.drop(resumable=resumable)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await emu.gateway.wait_connected()

    answered = 0
    for fact, result in zip(BURST, results, strict=True):
        if isinstance(result, InteractionNotAnswered):
            # Lost with the session: Discord never delivered it, so the bot never saw it.
            assert not resumable, f"/fact {fact} was lost although the session resumed"
            assert not result.record.rejections
            continue
        assert not isinstance(result, BaseException), repr(result)
        assert not result.rejections
        number = fact.rsplit("-", 1)[1]
        assert result.embed["title"].startswith(
            ("First", "Second", "Third", "Fourth", "Fifth")[int(number) - 1]
        )
        answered += 1
    if resumable:
        assert answered == len(BURST)
        assert (emu.gateway.identify_count, emu.gateway.resume_count) == (1, 1)
    else:
        assert emu.gateway.identify_count == 2
    after = await watch.member("late").slash("fact", fact="unsc-2397")
    assert after.embed["title"].startswith("Resolution 2397")


@pytest.mark.parametrize("resumable", [True, False], ids=["resumed", "re-identified"])
async def test_a_gateway_drop_during_the_daily_post_leaves_exactly_one_post(
    watch: WatchEnv, resumable: bool
) -> None:
    emu = watch.emulator
    watch.clock.set(seoul(1, 8))
    await set_up(watch)
    # The send is held up by a 500 (a one-second retry), so the drop lands while it is in flight.
    held = emu.faults.fail(SEND, 500, times=1)
    ticking = asyncio.create_task(tick_at(watch, seoul(1, 9)))
    await wait_until(lambda: held.hits == 1, "the first send")
    await emu.gateway.drop(resumable=resumable)
    [outcome] = await ticking
    await emu.gateway.wait_connected()
    assert outcome.error == ""
    await asyncio.gather(tick_at(watch, seoul(1, 9, 1)), poster(watch).tick())
    [message] = quiz_messages(watch)
    post = await todays_post(watch, 1)
    assert post.message_id == message.id
    answer = await watch.member("alice").click(message, answer_id(post, post.question.correct_index))
    assert answer.content.startswith("✅ Correct!")
