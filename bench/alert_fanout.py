"""Figure 4b: one alert fanned out to N subscribed servers, under the same emulated rate limits as the
daily quiz's fan-out (Discord's global 50 requests per second, 5 messages per 5 s per channel).

The change is made the way `facts import` makes one: by another process's connection to the database
(here, the benchmark's own), so the bot learns of it from the outbox like any other change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench.fanout import POST_ROUTE, add_fan_out_figures, post_counts, wait_for_posts
from bench.harness import ChildBot, copy_for_new_emulator, emulator_world, seeded_template
from bench.report import FigureResult
from bench.sizes import Sizes
from bot.alerts.model import AlertFilter
from bot.alerts.store import AlertStore
from bot.db.database import Database
from bot.facts.model.fact import parse_fact
from bot.moderation.store.edits import Editor, FactEditStore

# A fact no dataset holds, added once the bot is connected.
NEW_FACT = {
    "id": "bench-alert-summit",
    "kind": "summit",
    "title": "Benchmark summit",
    "date": "2026-12-01",
    "summary": "A summit added to measure the alert fan-out.",
    "body": "Added by the benchmark.",
    "aliases": [],
    "tags": [],
    "figures": {"participants": ["US", "DPRK"]},
    "sources": [{"url": "https://example.org/bench", "publisher": "Benchmark"}],
}


async def run(sizes: Sizes, directory: Path, profile: Path | None = None) -> FigureResult:
    servers, per_second = sizes.fanout_servers, sizes.fanout_per_second
    figure = FigureResult("alerts", f"4b. One alert fanned out to {servers:,} servers at {per_second}/s")
    template = await seeded_template(directory)
    async with emulator_world(directory, 1, guilds=servers) as world:
        emulator = world.emulator
        subscribed = [guild for guild in emulator.state.guilds.values() if guild.id != world.guild.id]
        channels = {guild.channel("quiz").id for guild in subscribed}
        database = copy_for_new_emulator(template, directory / "alerts.db")
        async with Database.open(database) as db:
            alerts = AlertStore(db)
            for guild in subscribed:
                channel = guild.channel("quiz").id
                await alerts.subscribe(
                    guild.id, channel, AlertFilter.EVERYTHING, None, False, datetime.now(UTC)
                )
        emulator.faults.limit_global(per_second)
        emulator.faults.limit_route(POST_ROUTE, limit=5, per=5.0)
        bot = ChildBot(emulator, database, profile=profile / "alerts.prof" if profile else None)
        await bot.start()
        try:
            await bot.wait_connected()
            async with Database.open(database) as db:
                await FactEditStore(db).add_fact(parse_fact(NEW_FACT), Editor(1, "benchmark"))
            floor = max(0, servers - per_second) / per_second
            first, last = await wait_for_posts(emulator, channels, floor * 3 + 30)
        finally:
            await bot.stop()
    posted, _ = post_counts(emulator, channels)
    add_fan_out_figures(figure, "alert fan-out", servers, per_second, first, last, posted)
    figure.details = {
        "servers": servers,
        "global_limit_per_second": per_second,
        "posts": sum(posted.values()),
    }
    return figure
