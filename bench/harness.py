"""The bench's world: the emulator in this process, the bot in a child process of its own.

The bot runs as a separate process (`python -m bot`, or `python -m bench.child_bot` for the same bot
with the null reference command) so that it and the emulator each have a core, and the emulator's work
is not billed to the bot. Latency is timed by the emulator: from sending INTERACTION_CREATE to
receiving the bot's callback, both on this process's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from discord import Permissions

from bot.app.settings import DEFAULT_DATASET_DIR, PROJECT_ROOT
from bot.db.database import Database
from bot.facts.service import FactService
from bot.facts.store import FactStore
from tests.emulator.actors import Actor
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.interactions import InteractionRecord
from tests.emulator.load import dispatch, prepare_slash, wait_acknowledged
from tests.emulator.models import Guild

READY_TIMEOUT = 60.0


async def seeded_template(directory: Path) -> Path:
    """A database migrated and seeded from data/, to copy for each bot."""
    path = directory / "seeded-template.db"
    if not path.exists():
        async with Database.open(path) as db:
            await FactService(FactStore(db)).seed_from_dataset(DEFAULT_DATASET_DIR)
    return path


def copy_for_new_emulator(template: Path, target: Path) -> Path:
    """Copy a database and forget its command-sync marks: a new emulator has no commands registered, so
    the bot must sync again (it skips syncing when the marks say nothing changed)."""
    shutil.copyfile(template, target)
    with contextlib.closing(sqlite3.connect(target)) as connection, connection:
        connection.execute("DELETE FROM store_meta WHERE key LIKE 'synced_commands_hash%'")
    return target


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux: VmRSS in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class ChildBot:
    """A bot process pointed at the emulator. `module` is "bot" (production) or "bench.child_bot"."""

    emulator: DiscordEmulator
    database: Path
    module: str = "bench.child_bot"
    args: Sequence[str] = ()
    profile: Path | None = None
    extra_env: Mapping[str, str] = field(default_factory=dict)  # settings for this run (SEARCH_CACHE_SIZE)
    process: asyncio.subprocess.Process | None = None
    started_at: float = 0.0
    log_path: Path | None = None
    _identifies_before: int = field(default=0, repr=False)

    async def start(self) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD", "HOME_GUILD"))
        }
        env |= {
            "DISCORD_TOKEN": self.emulator.token,
            "DATABASE_PATH": str(self.database),
            "DATASET_DIR": str(DEFAULT_DATASET_DIR),
            "DISCORD_API_BASE": self.emulator.api_base,
            "DISCORD_GATEWAY_URL": self.emulator.gateway_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        env |= self.extra_env
        if self.profile is not None:
            env["BENCH_PROFILE"] = str(self.profile)
        self.log_path = self.database.with_suffix(".log")
        self._identifies_before = self.emulator.gateway.identify_count
        # A working directory without a .env, so only the environment above configures the bot.
        cwd = self.database.parent
        with self.log_path.open("wb") as log:
            self.started_at = time.perf_counter()
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", self.module, *self.args, cwd=cwd, env=env, stdout=log, stderr=log
            )

    async def wait_connected(self) -> None:
        """Until the bot identified and was sent READY and its GUILD_CREATEs (or its process died)."""
        gateway = self.emulator.gateway
        deadline = time.perf_counter() + READY_TIMEOUT
        while not (gateway.identify_count > self._identifies_before and gateway.connected):
            if self.process is not None and self.process.returncode is not None:
                raise RuntimeError(f"the bot exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the bot did not connect within {READY_TIMEOUT:g} s:\n{self.log_tail()}")
            await asyncio.sleep(0.002)

    async def answer_probe(self, actor: Actor, command: str) -> InteractionRecord:
        """Send /command (queued behind READY and every GUILD_CREATE) and wait for its answer."""
        record = prepare_slash(actor, command)
        dispatch(self.emulator, [record])
        await wait_acknowledged([record], READY_TIMEOUT)
        if not record.acknowledged:
            raise RuntimeError(f"/{command} was never answered:\n{self.log_tail()}")
        return record

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self) -> None:
        """SIGTERM (the child bot closes cleanly and writes its profile), then wait."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 20.0)
        except TimeoutError:
            process.kill()
            await process.wait()


@dataclass
class World:
    """An emulator with one bench server, members to act as, and a scratch directory."""

    emulator: DiscordEmulator
    guild: Guild
    members: list[Actor]
    moderator: Actor
    directory: Path

    def member(self, index: int) -> Actor:
        return self.members[index % len(self.members)]


@contextlib.asynccontextmanager
async def scratch_directory() -> AsyncIterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dprk-bench-") as name:
        yield Path(name)


@contextlib.asynccontextmanager
async def emulator_world(directory: Path, members: int, *, guilds: int = 0) -> AsyncIterator[World]:
    """A started emulator with the bench server ("general", "quiz"), `members` members in it and
    `guilds` more servers with a "quiz" channel each (for the fan-out)."""
    # No request body checks against Discord's API description here (every test has them): the check
    # runs before the emulator times an answer, so it would be billed to the bot, and unevenly: about
    # 40 µs for /null's text, up to 0.6 ms for an answer with embeds and buttons.
    emulator = DiscordEmulator(check_request_bodies=False)
    await emulator.start()
    try:
        guild = emulator.add_guild("Bench HQ", channels=("general", "quiz"))
        for index in range(guilds):
            emulator.add_guild(f"Server {index}", channels=("general", "quiz"))
        actors = [emulator.member(guild, f"member{index}") for index in range(members)]
        moderator = emulator.member(guild, "moderator", permissions=Permissions(manage_guild=True))
        yield World(emulator, guild, actors, moderator, directory)
    finally:
        await emulator.stop()
