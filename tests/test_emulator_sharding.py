"""The emulator shards like Discord: IDENTIFY with `shard: [id, count]`, each session sent only its
shard's servers and their events (events of no server to shard 0), /gateway/bot's recommended shard
count and session start limit, 4010 for a shard outside its count and 4011 for a session that would
hold more than 2,500 servers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import pytest

from tests.emulator import DiscordEmulator
from tests.emulator.clock import EmulatorClock, Snowflakes
from tests.emulator.gateway import INVALID_SHARD, MAX_GUILDS_PER_SESSION, SHARDING_REQUIRED
from tests.emulator.plugin import RunBot
from tests.emulator.runner import BotRunner
from tests.emulator.sample_bot import SampleBot, make_sample_bot


def test_ids_made_for_a_shard_land_on_it_and_keep_increasing() -> None:
    ids = Snowflakes(EmulatorClock())
    made = [ids.next_on_shard(shard, 4) for shard in (3, 0, 0, 2, 1, 3)] + [ids.next()]
    assert [(snowflake >> 22) % 4 for snowflake in made[:-1]] == [3, 0, 0, 2, 1, 3]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    with pytest.raises(ValueError, match="not one of 4"):
        ids.next_on_shard(4, 4)


async def eventually(condition: Callable[[], Any], what: str, within: float = 5.0) -> None:
    """Poll a condition on a bot's cache (the emulator is not told when the bot has read an event)."""
    try:
        async with asyncio.timeout(within):
            while not condition():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"timed out after {within:g} s waiting for {what}") from None


def recording(bot: SampleBot, seen: list[str]) -> SampleBot:
    """Note the name of every interaction `bot` receives in `seen`."""

    async def on_interaction(interaction: discord.Interaction) -> None:
        seen.append(interaction.guild.name if interaction.guild else "DM")

    bot.add_listener(on_interaction)
    return bot


async def test_each_shard_gets_its_own_servers_events_and_interactions(
    emulator: DiscordEmulator, run_bot: RunBot
) -> None:
    on_0 = [emulator.add_guild(f"zero-{n}", shard=(0, 2)) for n in range(2)]
    on_1 = [emulator.add_guild(f"one-{n}", shard=(1, 2)) for n in range(3)]
    seen: dict[int, list[str]] = {0: [], 1: []}
    runners: dict[int, BotRunner] = {}
    for shard in (0, 1):
        runners[shard] = await run_bot(
            lambda shard=shard: recording(make_sample_bot(shard_id=shard, shard_count=2), seen[shard])
        )
    await emulator.gateway.wait_connected(shards=2)
    assert emulator.gateway.connected_shards() == {(0, 2), (1, 2)}
    bots = {shard: runner.client for shard, runner in runners.items()}
    assert sorted(g.name for g in bots[0].guilds) == sorted(g.name for g in on_0)
    assert sorted(g.name for g in bots[1].guilds) == sorted(g.name for g in on_1)

    # A server's later events go to its shard only.
    on_1[0].add_channel("added")
    await eventually(
        lambda: discord.utils.get(bots[1].get_all_channels(), name="added"), "CHANNEL_CREATE on shard 1"
    )
    assert discord.utils.get(bots[0].get_all_channels(), name="added") is None

    # Interactions go to the shard of their server; a DM's to shard 0.
    await emulator.member(on_1[2], "alice").slash("ping")
    await emulator.member(on_0[1], "bob").slash("ping")
    dora = emulator.user("dora")
    await dora.slash("ping", in_channel=dora.dm())
    assert seen == {0: ["zero-1", "DM"], 1: ["one-2"]}

    # A server added while both run is sent to its shard's session alone.
    later = emulator.add_guild("later", shard=(0, 2))
    await eventually(lambda: bots[0].get_guild(later.id), "GUILD_CREATE on shard 0")
    assert bots[1].get_guild(later.id) is None


async def test_gateway_bot_recommends_shards_and_gives_the_session_start_limit(
    emulator: DiscordEmulator,
) -> None:
    emulator.max_concurrency = 16
    for index in range(2_001):
        emulator.add_guild(f"server {index}")
    headers = {"Authorization": f"Bot {emulator.token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{emulator.api_base}/gateway/bot", headers=headers) as answer,
    ):
        body = await answer.json()
    assert body["url"] == emulator.gateway_url
    assert body["shards"] == 3  # about one per 1,000 servers
    assert body["session_start_limit"] == {
        "total": 1000,
        "remaining": 1000,
        "reset_after": 86_400_000,
        "max_concurrency": 16,
    }


async def test_a_session_over_2500_servers_is_refused_with_4011_and_sharding_fixes_it(
    emulator: DiscordEmulator, run_bot: RunBot
) -> None:
    for index in range(MAX_GUILDS_PER_SESSION + 1):
        emulator.add_guild(f"server {index}", shard=(index % 2, 2))
    with pytest.raises(RuntimeError, match="stopped before it was ready") as refused:
        await run_bot(make_sample_bot)
    assert isinstance(refused.value.__cause__, discord.ConnectionClosed)
    assert refused.value.__cause__.code == SHARDING_REQUIRED
    assert emulator.gateway.refused == [(SHARDING_REQUIRED, None)]

    # Two shards of 1,250 or so each are within the limit.
    for shard in (0, 1):
        await run_bot(lambda shard=shard: make_sample_bot(shard_id=shard, shard_count=2))
    await emulator.gateway.wait_connected(shards=2)
    sessions = [emulator.gateway.live[(shard, 2)] for shard in (0, 1)]
    assert all(session.seq > MAX_GUILDS_PER_SESSION // 2 for session in sessions)  # READY + GUILD_CREATEs


async def test_a_shard_outside_its_count_is_refused_with_4010(
    emulator: DiscordEmulator, run_bot: RunBot
) -> None:
    emulator.add_guild("Test server")
    with pytest.raises(RuntimeError, match="stopped before it was ready") as refused:
        await run_bot(lambda: make_sample_bot(shard_id=2, shard_count=2))
    assert isinstance(refused.value.__cause__, discord.ConnectionClosed)
    assert refused.value.__cause__.code == INVALID_SHARD
    assert emulator.gateway.refused == [(INVALID_SHARD, None)]


async def test_a_dropped_shard_resumes_with_only_its_missed_events(
    emulator: DiscordEmulator, run_bot: RunBot
) -> None:
    zero, one = emulator.add_guild("zero", shard=(0, 2)), emulator.add_guild("one", shard=(1, 2))
    bots = [(await run_bot(lambda s=s: make_sample_bot(shard_id=s, shard_count=2))).client for s in (0, 1)]
    await emulator.gateway.wait_connected(shards=2)
    await emulator.gateway.drop(shard=1)
    one.add_channel("while-away")
    zero.add_channel("meanwhile")
    await emulator.gateway.wait_connected(shards=2)
    await eventually(
        lambda: discord.utils.get(bots[1].get_all_channels(), name="while-away"), "the replayed event"
    )
    assert emulator.gateway.resume_count == 1
    assert discord.utils.get(bots[1].get_all_channels(), name="meanwhile") is None
    assert discord.utils.get(bots[0].get_all_channels(), name="meanwhile") is not None
