"""Two real `python -m bot` processes on one database, each running one of two shards: each answers the
commands of its own servers, posts its own servers' daily quiz and alerts exactly once, and a third
process asking for a shard already running is refused in one line."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest

from bot.alerts.model import AlertFilter
from bot.alerts.store import AlertStore
from bot.db.database import Database
from bot.quiz.model.schedule import QuizSchedule, parse_post_time
from bot.quiz.store import QuizStore
from tests.app.test_cli import PROJECT_ROOT, run_cli
from tests.app.test_reliability_process import BotProcess, start_bot_process
from tests.emulator.actors import InteractionNotAnswered
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.gateway import MAX_GUILDS_PER_SESSION, SHARDING_REQUIRED
from tests.emulator.models import Guild

STOPPED_WITHIN = 10.0  # seconds
ALERTED_WITHIN = 30.0  # each process drains the outbox every 5 seconds


def shard_settings(shard: int) -> dict[str, str]:
    return {"SHARD_COUNT": "2", "SHARD_IDS": str(shard)}


@pytest.fixture
async def two_servers(
    emulator: DiscordEmulator, tmp_path: Path, seeded_database_template: Path
) -> AsyncIterator[tuple[list[Guild], Path, list[BotProcess]]]:
    """A server on each of two shards, each with the daily quiz due now (00:00 UTC has passed today)
    and #alerts subscribed; the processes the test starts are killed at the end if still running."""
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    servers = [
        emulator.add_guild(f"Shard {shard} HQ", channels=("general", "quiz", "alerts"), shard=(shard, 2))
        for shard in (0, 1)
    ]
    now = datetime.now(UTC)
    async with Database.open(database) as db:
        for server in servers:
            await QuizStore(db).configure(
                server.id, server.channel("quiz").id, QuizSchedule(parse_post_time("00:00"), "UTC"), now
            )
            await AlertStore(db).subscribe(
                server.id, server.channel("alerts").id, AlertFilter.EVERYTHING, None, False, now
            )
    processes: list[BotProcess] = []
    yield servers, database, processes
    for process in processes:
        await process.kill()


def quiz_posts(emulator: DiscordEmulator, server: Guild) -> list[object]:
    return [m for m in emulator.messages(server.channel("quiz")) if m.components]


async def test_two_processes_each_serve_the_servers_of_their_shard(
    emulator: DiscordEmulator, two_servers: tuple[list[Guild], Path, list[BotProcess]]
) -> None:
    servers, database, processes = two_servers
    readers = [emulator.member(server, f"reader{n}") for n, server in enumerate(servers)]

    # Shard 0's process alone: it answers and posts for its server, and nobody for the other.
    processes.append(await start_bot_process(emulator, database, shard_settings(0)))
    await emulator.wait_for_message(servers[0].channel("quiz"), lambda m: bool(m.components), within=30)
    about = await readers[0].slash("about")
    assert "About DPRK Watch" in about.embeds[0]["title"]
    with pytest.raises(InteractionNotAnswered):
        await readers[1].slash("about")
    assert quiz_posts(emulator, servers[1]) == []

    # A second process for the same shard, or for every shard, is refused in one line.
    environment = {"DATABASE_PATH": str(database), "DISCORD_TOKEN": "not-a-real-token"}
    for settings, refusal in [
        (shard_settings(0), "shard 0 of 2 is already run by another DPRK Watch process"),
        ({}, "DPRK Watch processes running some of the shards are already running"),
    ]:
        refused = run_cli("run", env=environment | settings, cwd=database.parent)
        assert refused.returncode == 1
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert refusal in refused.stderr

    # Shard 1's process joins on the same file and takes over its server.
    processes.append(await start_bot_process(emulator, database, shard_settings(1)))
    await emulator.wait_for_message(servers[1].channel("quiz"), lambda m: bool(m.components), within=30)
    about = await readers[1].slash("about")
    assert "About DPRK Watch" in about.embeds[0]["title"]
    for process, shard in zip(processes, (0, 1), strict=True):
        ready = next(line for line in process.lines if "Ready as" in line)
        assert re.search(rf"in 1 servers \(shard {shard} of 2\)$", ready), ready

    # A change made in one server is announced in both, each by its own process.
    moderator = emulator.member(servers[0], "mod", permissions=discord.Permissions(manage_guild=True))
    retired = await moderator.slash("factmod retire", fact="unsc-1718", reason="two-process test")
    assert retired.content.startswith("Retired")
    for server in servers:
        await emulator.wait_for_message(
            server.channel("alerts"), lambda m: bool(m.embeds), within=ALERTED_WITHIN
        )

    # SIGTERM ends shard 1's process cleanly; shard 0's carries on.
    processes[1].process.send_signal(signal.SIGTERM)
    assert await exit_status(processes[1], STOPPED_WITHIN) == 0
    about = await readers[0].slash("about")
    assert "About DPRK Watch" in about.embeds[0]["title"]
    processes[0].process.send_signal(signal.SIGTERM)
    assert await exit_status(processes[0], STOPPED_WITHIN) == 0

    # Exactly once per server: one quiz post and one alert each, every claim won at the first attempt
    # (a process claiming another's server would have failed it: the channel is not in its cache).
    assert [len(quiz_posts(emulator, server)) for server in servers] == [1, 1]
    assert [len([m for m in emulator.messages(s.channel("alerts")) if m.embeds]) for s in servers] == [1, 1]
    with contextlib.closing(sqlite3.connect(database)) as check:
        posts = check.execute("SELECT guild_id, state, attempts FROM quiz_posts ORDER BY guild_id").fetchall()
        assert posts == [(servers[0].id, "posted", 1), (servers[1].id, "posted", 1)]
        deliveries = check.execute(
            """SELECT s.guild_id, d.state, d.attempts FROM alert_deliveries d
               JOIN alert_subscriptions s ON s.id = d.subscription_id ORDER BY s.guild_id"""
        ).fetchall()
        assert deliveries == [(servers[0].id, "sent", 1), (servers[1].id, "sent", 1)]
    for process in processes:
        assert "Traceback" not in "\n".join(process.lines)


async def exit_status(bot: BotProcess, within: float) -> int | None:
    """The exit status once the process has ended and its output is read."""
    status = await asyncio.wait_for(bot.process.wait(), within)
    if bot.reader is not None:
        await bot.reader
    return status


async def test_too_few_shards_for_the_servers_is_one_clear_line(
    emulator: DiscordEmulator, tmp_path: Path, seeded_database_template: Path
) -> None:
    for index in range(MAX_GUILDS_PER_SESSION + 1):
        emulator.add_guild(f"Server {index}")
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SHARD_"))}
    environment.update(
        DISCORD_TOKEN=emulator.token,
        DISCORD_API_BASE=emulator.api_base,
        DISCORD_GATEWAY_URL=emulator.gateway_url,
        DATABASE_PATH=str(database),
        LOG_LEVEL="ERROR",  # (discord.py warns that voice is not installed)
        PYTHONPATH=str(PROJECT_ROOT),
        SHARD_COUNT="1",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", env=environment, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert stderr.decode().strip().splitlines() == [
        "error: Discord requires sharding for this many servers (close code 4011): one shard may hold at "
        "most 2,500. Leave SHARD_COUNT unset to use the count Discord recommends, or raise it"
    ]
    assert emulator.gateway.refused == [(SHARDING_REQUIRED, (0, 1))]
