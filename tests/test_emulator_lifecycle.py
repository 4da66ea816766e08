"""Interaction lifetimes as on Discord: the 3-second acknowledgement deadline, a single acknowledgement,
and the 15-minute interaction token, on an emulator clock tests can move."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from tests.emulator import DiscordEmulator, InteractionNotAnswered
from tests.emulator.plugin import SampleWorld


async def callback(
    emu: DiscordEmulator, interaction_id: int, token: str, payload: dict[str, object]
) -> tuple[int, dict]:
    """Answer an interaction over raw HTTP, as a second process holding the same interaction would."""
    url = f"{emu.api_base}/interactions/{interaction_id}/{token}/callback?with_response=true"
    async with aiohttp.ClientSession() as session, session.post(url, json=payload) as answer:
        return answer.status, await answer.json()


def test_the_deadline_is_three_seconds_by_default() -> None:
    assert DiscordEmulator().ack_deadline == 3.0


async def test_an_answer_after_the_deadline_is_unknown_interaction(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    emu.ack_deadline = 0.2  # per test, so lateness is quick to check
    with pytest.raises(InteractionNotAnswered, match=r"/slow was not answered within 0\.2 s") as late:
        await sample_world.alice.slash("slow")
    record = late.value.record
    bot.release.set()
    # The late answer, then the error handler's apology: both refused.
    await record.changes.wait_for(lambda: len(record.rejections) == 2, 5, "the late answers")
    assert [(error.status, error.code) for error in record.rejections] == [(404, 10062)] * 2
    assert not record.acknowledged
    assert any(isinstance(error, discord.NotFound) and error.code == 10062 for error in bot.errors)


async def test_moving_the_clock_past_the_deadline_makes_the_answer_late(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    pending = asyncio.create_task(sample_world.alice.slash("slow"))
    await emu.state.changes.wait_for(lambda: emu.interactions, 5, "the interaction to be sent")
    emu.advance(3.5)
    with pytest.raises(InteractionNotAnswered):
        await pending
    bot.release.set()
    record = emu.interactions[0]
    await record.changes.wait_for(lambda: record.rejections, 5, "the late answer")
    assert record.rejections[0].code == 10062


async def test_a_second_acknowledgement_is_refused_with_40060(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    pending = asyncio.create_task(sample_world.alice.slash("slow"))
    await emu.state.changes.wait_for(lambda: emu.interactions, 5, "the interaction to be sent")
    record = emu.interactions[0]
    status, body = await callback(emu, record.id, record.token, {"type": 8, "data": {"choices": []}})
    assert (status, body["code"]) == (400, 50035)  # autocomplete answers only autocomplete interactions
    status, body = await callback(emu, record.id, record.token, {"type": 4, "data": {"content": "first"}})
    assert status == 200
    assert body["resource"]["message"]["content"] == "first"
    bot.release.set()  # now the bot answers too
    resp = await pending
    assert resp.content == "first"
    assert (await resp.wait_for_rejection()).code == 50035  # refusals come one by one, in order
    assert (await resp.wait_for_rejection()).code == 40060
    assert (await resp.wait_for_rejection()).code == 40060  # its error handler's apology, refused too
    assert any(isinstance(error, discord.HTTPException) and error.code == 40060 for error in bot.errors)


async def test_follow_ups_work_until_the_token_expires_after_15_minutes(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    resp = await sample_world.alice.slash("later", wait=False)
    assert resp.deferred
    assert resp.message is not None
    assert resp.message.loading
    emu.advance(14 * 60)
    bot.release.set()
    await resp.wait_until_complete()
    assert resp.content == "much later"


async def test_an_expired_token_is_unknown_webhook(sample_world: SampleWorld) -> None:
    emu, bot = sample_world.emulator, sample_world.bot
    resp = await sample_world.alice.slash("later", wait=False)
    emu.advance(15 * 60 + 1)
    bot.release.set()
    refused = await resp.wait_for_rejection()
    assert (refused.status, refused.code) == (404, 10015)
    assert (await resp.wait_for_rejection()).code == 10015  # the error handler's apology
    assert resp.message is not None
    assert resp.message.loading
    assert any(isinstance(error, discord.NotFound) and error.code == 10015 for error in bot.errors)
