"""`python -m bench.child_bot`: the production bot, started as `python -m bot` starts it, plus the
benchmark's null reference command (/null answers a constant), added to the tree before the sync.

`BENCH_PROFILE=path` writes a cProfile of the whole run to `path` when the process is terminated.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import signal

import discord
from discord import app_commands

from bot.app.client import DPRKWatch
from bot.app.runner import point_discord_at
from bot.app.settings import Settings
from bot.db.database import Database
from bot.facts.service import FactService
from bot.facts.store import FactStore


@app_commands.command(name="null", description="Benchmark reference: answers a constant")
async def null_command(interaction: discord.Interaction[DPRKWatch]) -> None:
    await interaction.response.send_message("null")


class BenchBot(DPRKWatch):
    """The production bot with /null added before its commands are synced."""

    async def setup_hook(self) -> None:
        self.tree.add_command(null_command)
        await super().setup_hook()


async def serve(settings: Settings) -> None:
    """What bot.runner.serve does, with BenchBot, closing cleanly on SIGTERM."""
    point_discord_at(settings)
    async with Database.open(settings.database_path) as db:
        await FactService(FactStore(db)).seed_if_empty(settings.dataset_dir)
        async with BenchBot(settings=settings, db=db) as bot:
            loop = asyncio.get_running_loop()
            closing: set[asyncio.Task[None]] = set()
            loop.add_signal_handler(signal.SIGTERM, lambda: closing.add(loop.create_task(bot.close())))
            assert settings.discord_token is not None
            await bot.start(settings.discord_token)


def main() -> None:
    settings = Settings.from_environment(env_file=None)
    settings.configure_logging()
    profile_path = os.environ.get("BENCH_PROFILE")
    if not profile_path:
        asyncio.run(serve(settings))
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        asyncio.run(serve(settings))
    finally:
        profiler.disable()
        profiler.dump_stats(profile_path)


if __name__ == "__main__":
    main()
