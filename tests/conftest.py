"""Shared fixtures: temporary fact stores on real SQLite files, and the Discord emulator plugin."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import hypothesis  # noqa: F401  (imported early: a lazy import at session end trips a CPython 3.11 AST bug)
import pytest

from bot.app.client import DPRKWatch
from bot.app.settings import DEFAULT_DATASET_DIR, Settings
from bot.core.clock import FixedClock
from bot.dataset.loader import load_dataset
from bot.db.database import Database
from bot.facts.service import FactService
from bot.facts.store import FactStore
from tests.emulator.actors import Actor
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.models import Guild
from tests.emulator.runner import BotRunner

pytest_plugins = ["tests.emulator.plugin"]

# The public interface named in the issues: people learn these names, so tests pin them.
PUBLIC_COMMANDS = frozenset(
    {
        "search",
        "fact",
        "tests",
        "sanctions",
        "resolution",
        "talks",
        "timeline",
        "stats",
        "about",
        "chain",
        "onthisday",
    }
)


def fact_record(fact_id: str = "test-fact", **overrides: Any) -> dict[str, Any]:
    """A valid dataset record; override any field."""
    record: dict[str, Any] = {
        "id": fact_id,
        "kind": "summit",
        "title": f"Title of {fact_id}",
        "date": "2018-06-12",
        "summary": "A one-line summary.",
        "body": "A longer body.",
        "aliases": [],
        "tags": [],
        "figures": {"participants": ["US", "DPRK"]},
        "sources": [{"url": "https://example.org/source", "publisher": "Example Publisher"}],
    }
    record.update(overrides)
    return record


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "facts.db") as db:
        yield db


@pytest.fixture
def fact_store(database: Database) -> FactStore:
    return FactStore(database)


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(DEFAULT_DATASET_DIR)


@pytest.fixture
async def seeded_service(fact_store: FactStore, dataset) -> FactService:
    await fact_store.seed(dataset.facts, dataset.version)
    return FactService(fact_store)


# --- The real bot against the emulator -----------------------------------------------------------


@pytest.fixture(scope="session")
def seeded_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database seeded from data/ once per session; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"

    async def seed() -> None:
        async with Database.open(path) as db:
            await FactService(FactStore(db)).seed_from_dataset(DEFAULT_DATASET_DIR)

    asyncio.run(seed())
    return path


class WatchBot(DPRKWatch):
    """The production bot class with two changes for tests: no 5-second pause before a re-IDENTIFY
    (discord.py's, to respect Discord's identify rate limit; it only slows tests down), and no freezing
    of the garbage collector's view of the whole test process at every start."""

    freeze_after_setup = False

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


@dataclass
class WatchEnv:
    """The real bot, on a temporary seeded database, in a server of the emulator."""

    emulator: DiscordEmulator
    guild: Guild
    settings: Settings
    clock: FixedClock
    runner: BotRunner | None = None
    db: Database | None = None
    _db_context: Any = None

    @property
    def bot(self) -> DPRKWatch:
        assert self.runner is not None
        assert isinstance(self.runner.client, DPRKWatch)
        return self.runner.client

    def member(self, name: str, **kwargs: Any) -> Actor:
        return self.emulator.member(self.guild, name, **kwargs)

    def moderator(self, name: str = "mod") -> Actor:
        return self.emulator.member(self.guild, name, permissions=discord.Permissions(manage_guild=True))

    async def make_bot(self) -> DPRKWatch:
        """A fresh bot on a freshly opened database (what a restart of the process does)."""
        await self.close_database()
        self._db_context = Database.open(self.settings.database_path)
        self.db = await self._db_context.__aenter__()
        return WatchBot(settings=self.settings, db=self.db, clock=self.clock)

    async def restart(self) -> None:
        assert self.runner is not None
        await self.runner.restart()

    async def close_database(self) -> None:
        if self._db_context is not None:
            await self._db_context.__aexit__(None, None, None)
            self._db_context = self.db = None


@pytest.fixture
async def watch(
    emulator: DiscordEmulator, run_bot: Any, tmp_path: Path, seeded_database_template: Path
) -> AsyncIterator[WatchEnv]:
    database_path = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database_path)
    guild = emulator.add_guild("DPRK Watch HQ", channels=("general", "quiz", "audit"))
    settings = Settings(
        discord_token=emulator.token,
        database_path=database_path,
        discord_api_base=emulator.api_base,
        discord_gateway_url=emulator.gateway_url,
    )
    env = WatchEnv(emulator, guild, settings, FixedClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC)))
    env.runner = await run_bot(env.make_bot)
    yield env
    await env.runner.stop()
    await env.close_database()
    emulator.assert_no_pings()
