"""The real `python -m bot` process killed with SIGKILL while moderators edit and players answer, then
restarted: the file is intact, every change acknowledged to a member is there, no revision is half
written, and the instance lock died with the process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import discord
import pytest

from bot.db.instance_lock import instance_lock
from tests.app.test_cli import PROJECT_ROOT
from tests.db.test_reliability_database import assert_revisions_consistent
from tests.emulator.actors import Actor, InteractionNotAnswered
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.messages import Message
from tests.emulator.models import Guild

EDITED_FACTS = ("nuclear-test-1", "nuclear-test-2", "unsc-1718", "unsc-2397")
# Players answer in lanes, one after another, so answers are still arriving when the process dies.
ANSWER_LANES, PLAYERS_PER_LANE = 6, 30
# Kill once this many edits and answers were acknowledged, with more still in flight.
ACKNOWLEDGED_BEFORE_KILL = 20
CHANGE = re.compile(r"^(Retired|Restored): `([a-z0-9-]+)` is now at revision (\d+)\.")


@dataclass
class BotProcess:
    """`python -m bot` against the emulator, its stderr collected (and drained, so it never blocks)."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if "Ready as" in line:
                self.ready.set()

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()  # SIGKILL: no clean-up code runs
        await self.process.wait()
        if self.reader is not None:
            await self.reader


async def start_bot_process(
    emulator: DiscordEmulator, database: Path, settings: Mapping[str, str] | None = None
) -> BotProcess:
    """`python -m bot` on `database`, ready (all its servers loaded); `settings` adds to its environment."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "SHARD_"))
    }
    environment.update(
        DISCORD_TOKEN=emulator.token,
        DISCORD_API_BASE=emulator.api_base,
        DISCORD_GATEWAY_URL=emulator.gateway_url,
        DATABASE_PATH=str(database),
        LOG_LEVEL="INFO",  # "Ready as ..." tells the test the servers are loaded
        PYTHONPATH=str(PROJECT_ROOT),
    )
    environment.update(settings or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=environment,
        cwd=database.parent,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = BotProcess(process)
    bot.reader = asyncio.create_task(bot.read())
    try:
        waiting = asyncio.create_task(bot.ready.wait())
        await asyncio.wait({waiting, bot.reader}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
        if not bot.ready.is_set():
            waiting.cancel()
            raise AssertionError("the bot process did not get ready:\n" + "\n".join(bot.lines[-30:]))
        await emulator.gateway.wait_connected(30)
    except BaseException:
        await bot.kill()
        raise
    return bot


@pytest.fixture
async def bot_world(
    emulator: DiscordEmulator, tmp_path: Path, seeded_database_template: Path
) -> AsyncIterator[tuple[Guild, Path, list[BotProcess]]]:
    database = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database)
    guild = emulator.add_guild("DPRK Watch HQ", channels=("general", "quiz"))
    processes: list[BotProcess] = []
    yield guild, database, processes
    for process in processes:
        await process.kill()


@dataclass
class Acknowledged:
    """What members were told was saved."""

    revisions: list[tuple[str, int, str]] = field(default_factory=list)  # fact, revision, action
    answers: dict[int, int] = field(default_factory=dict)  # user id -> choice

    @property
    def count(self) -> int:
        return min(len(self.revisions), len(self.answers))


async def keep_editing(moderator: Actor, fact: str, acknowledged: Acknowledged) -> None:
    """Retire and restore one fact over and over, recording each change the bot confirmed."""
    retire = True
    while True:
        with contextlib.suppress(InteractionNotAnswered):
            if retire:
                resp = await moderator.slash("factmod retire", fact=fact, reason="crash test edit")
            else:
                resp = await moderator.slash("factmod restore", fact=fact)
            match = CHANGE.match(resp.content or "")
            assert match, f"unexpected answer {resp.content!r}"
            assert match.group(2) == fact
            acknowledged.revisions.append((fact, int(match.group(3)), "retire" if retire else "restore"))
            retire = not retire


async def keep_answering(
    players: list[Actor], message: Message, post_id: int, acknowledged: Acknowledged
) -> None:
    """Each player answers once, in turn, recording each answer the bot confirmed."""
    for player in players:
        choice = player.id % 4
        with contextlib.suppress(InteractionNotAnswered):
            resp = await player.click(message, f"quiz:daily:{post_id}:{choice}")
            assert resp.content.startswith(("✅", "❌")), resp.content
            acknowledged.answers[player.id] = choice


async def test_sigkill_during_edits_and_answers_loses_nothing_acknowledged(
    emulator: DiscordEmulator, bot_world: tuple[Guild, Path, list[BotProcess]]
) -> None:
    guild, database, processes = bot_world
    processes.append(await start_bot_process(emulator, database))
    admin = emulator.member(guild, "admin", permissions=discord.Permissions(manage_guild=True))
    quiz = guild.channel("quiz")
    # 00:00 UTC has passed today, so the question is due now (the process runs on the real clock).
    setup = await admin.slash("quizadmin setup", channel=quiz, time="00:00", timezone="UTC")
    assert "The daily quiz will be posted" in setup.content
    await admin.slash("quizadmin post")
    message = await emulator.wait_for_message(quiz, lambda m: bool(m.components), within=30)
    custom_id = message.components[0]["components"][0]["custom_id"]
    post_id = int(custom_id.split(":")[2])

    acknowledged = Acknowledged()
    moderators = [
        emulator.member(guild, f"mod{n}", permissions=discord.Permissions(manage_guild=True))
        for n in range(len(EDITED_FACTS))
    ]
    players = [emulator.member(guild, f"player{n}") for n in range(ANSWER_LANES * PLAYERS_PER_LANE)]
    work = [
        asyncio.create_task(keep_editing(mod, fact, acknowledged))
        for mod, fact in zip(moderators, EDITED_FACTS, strict=True)
    ]
    work += [
        asyncio.create_task(keep_answering(players[lane::ANSWER_LANES], message, post_id, acknowledged))
        for lane in range(ANSWER_LANES)
    ]

    async with asyncio.timeout(60):
        while acknowledged.count < ACKNOWLEDGED_BEFORE_KILL:
            done = [task for task in work if task.done() and task.exception() is not None]
            if done:
                raise done[0].exception()  # type: ignore[misc]
            await asyncio.sleep(0.01)
    in_flight = sum(not task.done() for task in work)
    await processes[-1].kill()
    assert in_flight == len(work), "some edits or answers had stopped before the kill"
    for task in work:
        task.cancel()
    await asyncio.gather(*work, return_exceptions=True)
    killed_with = processes[-1].process.returncode
    assert killed_with == -9

    # The kernel dropped the instance lock with the process.
    with instance_lock(database):
        pass
    check = sqlite3.connect(database)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert_revisions_consistent(check)
        for fact, revision, action in acknowledged.revisions:
            row = check.execute(
                "SELECT action FROM fact_revisions WHERE fact_id = ? AND revision = ?", (fact, revision)
            ).fetchone()
            assert row == (action,), f"{fact} revision {revision} ({action}) was acknowledged but is {row}"
        stored = dict(check.execute("SELECT user_id, choice FROM quiz_answers WHERE post_id = ?", (post_id,)))
        for user_id, choice in acknowledged.answers.items():
            assert stored.get(user_id) == choice, f"answer of {user_id} acknowledged but not stored"
        [posts] = check.execute("SELECT count(*) FROM quiz_posts").fetchone()
        assert posts == 1
    finally:
        check.close()
    assert len(acknowledged.revisions) >= ACKNOWLEDGED_BEFORE_KILL
    assert len(acknowledged.answers) >= ACKNOWLEDGED_BEFORE_KILL

    # Restarted on the same file, the bot answers from what was saved and does not post again.
    processes.append(await start_bot_process(emulator, database))
    history = await moderators[0].slash("factmod history", fact=EDITED_FACTS[0])
    assert history.embeds
    again = await players[0].click(message, f"quiz:daily:{post_id}:0")
    if players[0].id in acknowledged.answers:
        assert "You already answered" in again.content
    assert len([m for m in emulator.messages(quiz) if m.components]) == 1
