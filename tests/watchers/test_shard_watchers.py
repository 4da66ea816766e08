"""Feeds belong to no server: with several shard processes only the one running shard 0 watches them."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app.settings import Settings
from bot.core.clock import FixedClock
from bot.core.shards import ShardPlan
from bot.db.database import Database
from bot.watchers.model import load_watch_file
from tests.conftest import WatchBot, WatchEnv
from tests.emulator.emulator import DiscordEmulator
from tests.watchers.conftest import WATCH_FILE, FeedServer, polled_once, watcher_of


async def test_only_the_process_running_shard_0_polls_the_feeds(
    emulator: DiscordEmulator,
    run_bot: Any,
    tmp_path: Path,
    seeded_database_template: Path,
    feed_server: FeedServer,
) -> None:
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    watch_file = tmp_path / "watch.toml"
    watch_file.write_text(WATCH_FILE.format(base=feed_server.base), "utf-8")
    clock = FixedClock(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    envs: dict[int, WatchEnv] = {}
    async with Database.open(database) as first_db, Database.open(database) as second_db:
        for shard, db in ((1, first_db), (0, second_db)):  # shard 1's process starts first
            guild = emulator.add_guild(f"Shard {shard} HQ", shard=(shard, 2))
            settings = Settings(
                discord_token=emulator.token,
                database_path=database,
                discord_api_base=emulator.api_base,
                discord_gateway_url=emulator.gateway_url,
                watch_file=watch_file,
                watch_feeds=load_watch_file(watch_file),
                shard_plan=ShardPlan(2, (shard,)),
            )
            env = WatchEnv(emulator, guild, settings, clock)
            env.runner = await run_bot(
                lambda settings=settings, db=db: WatchBot(settings=settings, db=db, clock=clock)
            )
            envs[shard] = env
        polls = await polled_once(envs[0])
        assert len(polls) == 4
        # Shard 1's process started first and has the same feeds, yet polled none of them.
        assert all(not outcomes for outcomes in watcher_of(envs[1]).outcomes.values())
        for env in envs.values():
            assert env.runner is not None
            await env.runner.stop()
