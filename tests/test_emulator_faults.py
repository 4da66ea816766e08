"""Faults the bot must survive: dropped gateway connections, invalid sessions, 429s (per route and global),
5xx answers, latency, and Discord's rate limits when a test enforces them."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from tests.emulator.plugin import SampleWorld

CALLBACK = "POST /interactions/{webhook_id}/{webhook_token}/callback"
SEND = "POST /channels/{channel_id}/messages"


def text_channel(world: SampleWorld, name: str = "general") -> discord.TextChannel:
    channel = world.bot.get_channel(world.guild.channel(name).id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_a_dropped_connection_resumes_and_replays_missed_events(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await emu.gateway.drop(resumable=True)
    # Sent while the bot is disconnected: Discord keeps it and replays it on RESUME.
    resp = await sample_world.alice.slash("ping")
    assert resp.content == "pong"
    await emu.gateway.wait_connected()
    assert (emu.gateway.identify_count, emu.gateway.resume_count) == (1, 1)
    assert emu.gateway.connections[-1].path == "/resume"  # discord.py used resume_gateway_url
    assert (await sample_world.alice.slash("echo", text="after")).content == "after"
    assert sample_world.bot.ready_count == 1


async def test_a_non_resumable_drop_leads_to_a_fresh_identify(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await emu.gateway.drop(resumable=False)
    await emu.gateway.wait_connected()
    assert emu.gateway.invalid_session_count == 1  # its RESUME was refused
    assert (emu.gateway.identify_count, emu.gateway.resume_count) == (2, 0)
    assert (await sample_world.alice.slash("ping")).content == "pong"


async def test_invalid_session_makes_the_client_identify_again(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await emu.gateway.invalidate_session(resumable=False)
    await emu.gateway.changes.wait_for(lambda: emu.gateway.identify_count == 2, 5, "a new IDENTIFY")
    await emu.gateway.wait_connected()
    assert (await sample_world.alice.slash("ping")).content == "pong"


async def test_reconnect_request_resumes(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    await emu.gateway.reconnect()
    await emu.gateway.changes.wait_for(lambda: emu.gateway.resume_count == 1, 5, "a RESUME")
    assert emu.gateway.identify_count == 1
    assert (await sample_world.alice.slash("ping")).content == "pong"


async def test_a_per_route_429_is_retried(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.rate_limit(CALLBACK, retry_after=0.05)
    emu.faults.rate_limit(SEND, retry_after=0.05, times=2)
    resp = await sample_world.alice.slash("announce", where=sample_world.guild.channel("quiz"), text="hello")
    assert resp.content == "Posted."
    assert [m.content for m in emu.messages(sample_world.guild.channel("quiz"))] == ["hello"]
    assert emu.faults.refused == {CALLBACK: 1, SEND: 2}
    assert [r.status for r in emu.requests(SEND)] == [429, 429, 200]


async def test_a_global_429_is_retried(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.rate_limit(SEND, retry_after=0.05, is_global=True)
    await text_channel(sample_world).send("through")
    assert emu.faults.refused[SEND] == 1
    assert [m.content for m in emu.messages(sample_world.guild.channel("general"))] == ["through"]


async def test_429_answers_carry_discords_headers(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.rate_limit("GET /users/@me", retry_after=1.5)
    emu.faults.rate_limit("GET /users/@me", retry_after=2.0, is_global=True)
    headers = {"Authorization": f"Bot {emu.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(f"{emu.api_base}/users/@me") as route_limited:
            assert route_limited.status == 429
            assert await route_limited.json() == {
                "message": "You are being rate limited.",
                "retry_after": 1.5,
                "global": False,
            }
            h = route_limited.headers
            assert (h["X-RateLimit-Limit"], h["X-RateLimit-Remaining"], h["X-RateLimit-Reset-After"]) == (
                "5",
                "0",
                "1.500",
            )
            assert h["X-RateLimit-Bucket"]
            assert float(h["X-RateLimit-Reset"]) > 0
            assert (h["X-RateLimit-Scope"], h["Retry-After"], h["Via"]) == ("user", "2", "1.1 google")
        async with session.get(f"{emu.api_base}/users/@me") as globally_limited:
            assert (await globally_limited.json())["global"] is True
            assert globally_limited.headers["X-RateLimit-Global"] == "true"
            assert globally_limited.headers["X-RateLimit-Scope"] == "global"


async def test_a_500_is_retried_and_a_persistent_5xx_is_surfaced(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.fail(SEND, 500, times=1)
    await text_channel(sample_world).send("after one 500")  # discord.py waits 1 s and retries
    assert [r.status for r in emu.requests(SEND)] == [500, 200]
    emu.faults.fail(SEND, 503, times=None)
    with pytest.raises(discord.DiscordServerError) as failed:
        await text_channel(sample_world).send("never")
    assert failed.value.status == 503


async def test_latency_is_added_to_a_route(sample_world: SampleWorld) -> None:
    sample_world.emulator.faults.delay(CALLBACK, 0.2)
    resp = await sample_world.alice.slash("ping")
    assert resp.ack_latency is not None
    assert resp.ack_latency >= 0.2


async def test_the_global_rate_limit_when_enforced(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.limit_global(per_second=20)
    channel = text_channel(sample_world)
    await asyncio.gather(*(channel.send(f"m{n}") for n in range(30)))
    assert len(emu.messages(sample_world.guild.channel("general"))) == 30
    assert emu.faults.refused[SEND] >= 1  # discord.py only learns of the global limit from a 429
    # Interaction endpoints are exempt from the global limit, as on Discord.
    assert (await sample_world.alice.slash("ping")).content == "pong"


async def test_a_route_bucket_when_enforced(sample_world: SampleWorld) -> None:
    emu = sample_world.emulator
    emu.faults.limit_route(SEND, limit=2, per=0.2)
    channel = text_channel(sample_world)
    for n in range(5):
        await channel.send(f"m{n}")
    assert len(emu.messages(sample_world.guild.channel("general"))) == 5
    # discord.py read the X-RateLimit headers and waited instead of being refused.
    assert emu.faults.refused[SEND] == 0
