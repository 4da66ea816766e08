"""Shards in the real bot, through the emulator, on one database: each bot answers and posts for the
servers of its own shards, the daily quiz and alerts go out exactly once per server, several shards
run in one process as fast as Discord allows, and past 2,500 servers the bot shards as Discord says.

The two bots run in this process on one clock the test moves (the process-level version, with real
subprocesses, is tests/app/test_shards_process.py)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app.client import DPRKWatch
from bot.app.settings import Settings
from bot.core.clock import FixedClock
from bot.core.shards import ShardPlan
from bot.db.database import Database
from tests.conftest import WatchBot
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.models import Guild
from tests.emulator.plugin import RunBot

# 08:00 in Seoul on 1 December 2026; the quiz is set for 09:00 there.
BEFORE_NINE = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
AT_NINE = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
NEXT_DAY_AT_NINE = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


@dataclass
class ShardedWorld:
    """Two servers, one on each of two shards, and one bot per shard on the same database file."""

    emulator: DiscordEmulator
    servers: list[Guild]
    bots: list[DPRKWatch]
    clock: FixedClock
    database: Path
    answered_by: dict[int, list[str]] = field(default_factory=dict)

    def admin(self, shard: int) -> Any:
        return self.emulator.member(
            self.servers[shard], f"admin{shard}", permissions=discord.Permissions(manage_guild=True)
        )

    async def quiz_tick(self, shard: int, moment: datetime) -> list[Any]:
        self.clock.set(moment)
        return await self.bots[shard].get_cog("QuizCog").poster.tick()  # type: ignore[union-attr]

    async def alerts_tick(self, shard: int) -> list[Any]:
        return await self.bots[shard].get_cog("AlertsCog").poster.tick()  # type: ignore[union-attr]

    def quiz_posts(self, shard: int) -> list[Any]:
        return [m for m in self.emulator.messages(self.servers[shard].channel("quiz")) if m.components]

    def alerts(self, shard: int) -> list[Any]:
        channel = self.servers[shard].channel("alerts")
        return [m for m in self.emulator.messages(channel) if m.embeds and "alert" in str(m.embeds[0])]


def settings_for(emulator: DiscordEmulator, database: Path, shards: ShardPlan) -> Settings:
    return Settings(
        discord_token=emulator.token,
        database_path=database,
        discord_api_base=emulator.api_base,
        discord_gateway_url=emulator.gateway_url,
        shard_plan=shards,
    )


@pytest.fixture
async def sharded(
    emulator: DiscordEmulator, run_bot: RunBot, tmp_path: Path, seeded_database_template: Path
) -> AsyncIterator[ShardedWorld]:
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    servers = [
        emulator.add_guild(f"Shard {shard} HQ", channels=("general", "quiz", "alerts"), shard=(shard, 2))
        for shard in (0, 1)
    ]
    clock = FixedClock(BEFORE_NINE)
    world = ShardedWorld(emulator, servers, [], clock, database)
    opened: list[Any] = []
    for shard in (0, 1):
        # Each bot opens the file itself, as a process of its own would.
        context = Database.open(database)
        db = await context.__aenter__()
        opened.append(context)
        settings = settings_for(emulator, database, ShardPlan(2, (shard,)))
        runner = await run_bot(
            lambda settings=settings, db=db: WatchBot(settings=settings, db=db, clock=clock)
        )
        bot = runner.client
        assert isinstance(bot, DPRKWatch)
        world.answered_by[shard] = []

        async def on_interaction(interaction: discord.Interaction, shard: int = shard) -> None:
            world.answered_by[shard].append(interaction.guild.name if interaction.guild else "DM")

        bot.add_listener(on_interaction)
        # The test decides when the schedulers run.
        bot.get_cog("QuizCog").scheduler.cancel()  # type: ignore[union-attr]
        await bot.get_cog("AlertsCog").stop_draining()  # type: ignore[union-attr]
        world.bots.append(bot)
    await emulator.gateway.wait_connected(shards=2)
    yield world
    for bot in world.bots:
        await bot.close()
    for context in opened:
        await context.__aexit__(None, None, None)
    emulator.assert_no_pings()


async def test_each_bot_serves_the_servers_of_its_shard(sharded: ShardedWorld) -> None:
    assert [[g.id for g in bot.guilds] for bot in sharded.bots] == [[s.id] for s in sharded.servers]
    for shard in (0, 1):
        setup = await sharded.admin(shard).slash(
            "quizadmin setup",
            channel=sharded.servers[shard].channel("quiz"),
            time="09:00",
            timezone="Asia/Seoul",
        )
        assert "The daily quiz will be posted" in setup.content
    about = await sharded.emulator.member(sharded.servers[1], "reader").slash("about")
    assert "About DPRK Watch" in about.embeds[0]["title"]
    assert sharded.answered_by == {0: ["Shard 0 HQ"], 1: ["Shard 1 HQ", "Shard 1 HQ"]}


async def test_the_daily_quiz_is_posted_and_revealed_once_per_server_by_its_owner(
    sharded: ShardedWorld,
) -> None:
    for shard in (0, 1):
        await sharded.admin(shard).slash(
            "quizadmin setup",
            channel=sharded.servers[shard].channel("quiz"),
            time="09:00",
            timezone="Asia/Seoul",
        )
    # Shard 0's bot ticks first: it posts in its server and leaves the other to its owner.
    posted = await sharded.quiz_tick(0, AT_NINE)
    assert [outcome.guild_id for outcome in posted] == [sharded.servers[0].id]
    assert len(sharded.quiz_posts(0)) == 1
    assert sharded.quiz_posts(1) == []
    assert await sharded.bots[0].quiz_store.posts_due_for_reveal(NEXT_DAY_AT_NINE) != []
    assert await sharded.bots[1].quiz_store.post_for_day(sharded.servers[1].id, AT_NINE.date()) is None

    posted = await sharded.quiz_tick(1, AT_NINE)
    assert [outcome.guild_id for outcome in posted] == [sharded.servers[1].id]
    for shard in (0, 1):  # ticking again changes nothing
        assert await sharded.quiz_tick(shard, AT_NINE) == []
    assert [len(sharded.quiz_posts(shard)) for shard in (0, 1)] == [1, 1]

    # The next morning each bot reveals its own server's question and posts the next one.
    for shard in (1, 0):
        await sharded.quiz_tick(shard, NEXT_DAY_AT_NINE)
    for shard in (0, 1):
        first = sharded.quiz_posts(shard)[0]
        assert all(button["disabled"] for row in first.components for button in row["components"])
    assert [len(sharded.quiz_posts(shard)) for shard in (0, 1)] == [2, 2]
    assert await sharded.bots[0].quiz_store.posts_due_for_reveal(NEXT_DAY_AT_NINE) == []


async def test_an_alert_reaches_each_server_once_from_its_owner(sharded: ShardedWorld) -> None:
    for shard in (0, 1):
        answer = await sharded.admin(shard).slash(
            "alerts subscribe", channel=sharded.servers[shard].channel("alerts")
        )
        assert "from now on" in answer.content
    change = await sharded.admin(0).slash("factmod retire", fact="unsc-1718", reason="shard test")
    assert change.content.startswith("Retired")
    # Shard 1's bot ticks first: it plans the change for every subscription and posts its own.
    sent = await sharded.alerts_tick(1)
    assert [outcome.sent for outcome in sent] == [True]
    assert [len(sharded.alerts(shard)) for shard in (0, 1)] == [0, 1]
    sent = await sharded.alerts_tick(0)
    assert [outcome.sent for outcome in sent] == [True]
    for shard in (0, 1):
        assert await sharded.alerts_tick(shard) == []
    assert [len(sharded.alerts(shard)) for shard in (0, 1)] == [1, 1]


class PacedBot(DPRKWatch):
    """The production class as it starts shards (no test shortcut in before_identify_hook)."""

    freeze_after_setup = False


async def test_four_shards_in_one_process_start_together_when_discord_allows(
    emulator: DiscordEmulator, run_bot: RunBot, tmp_path: Path, seeded_database_template: Path
) -> None:
    # Four buckets: all four shards may identify at once. With one bucket they would start 5 s apart
    # and miss the runner's 10-second readiness deadline.
    emulator.max_concurrency = 4
    servers = [emulator.add_guild(f"Server {shard}", shard=(shard, 4)) for shard in range(4)]
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    async with Database.open(database) as db:
        settings = settings_for(emulator, database, ShardPlan(4))
        runner = await run_bot(lambda: PacedBot(settings=settings, db=db))
        bot = runner.client
        assert isinstance(bot, PacedBot)
        await emulator.gateway.wait_connected(shards=4)
        assert emulator.gateway.connected_shards() == {(shard, 4) for shard in range(4)}
        assert sorted(bot.shards) == [0, 1, 2, 3]
        assert bot.identify_pacer.max_concurrency == 4
        assert sorted(g.id for g in bot.guilds) == sorted(s.id for s in servers)
        for server in servers:
            about = await emulator.member(server, "reader").slash("about")
            assert "About DPRK Watch" in about.embeds[0]["title"]
        await runner.stop()


async def test_past_2500_servers_the_bot_runs_the_shards_discord_recommends(
    emulator: DiscordEmulator, run_bot: RunBot, tmp_path: Path, seeded_database_template: Path
) -> None:
    for index in range(2_501):
        emulator.add_guild(f"Server {index}")
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    async with Database.open(database) as db:
        settings = settings_for(emulator, database, ShardPlan())  # no SHARD_COUNT
        runner = await run_bot(lambda: WatchBot(settings=settings, db=db), ready_timeout=60)
        await emulator.gateway.wait_connected(shards=3)
        assert emulator.gateway.refused == []
        assert emulator.gateway.connected_shards() == {(0, 3), (1, 3), (2, 3)}
        assert len(runner.client.guilds) == 2_501
        await runner.stop()
