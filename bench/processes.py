"""Figures that need a fresh bot process each time: 5 (memory), 6 (start-up) and 7 (/stats chart).

They run the production entry point, `python -m bot`, configured only by its environment."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.harness import ChildBot, World, copy_for_new_emulator, emulator_world, rss_bytes, seeded_template
from bench.report import FigureResult, percentile
from bench.sizes import Sizes
from bench.store_scale import build_synthetic_store
from tests.emulator.load import dispatch, prepare_slash, wait_acknowledged

MIB = 1024 * 1024
EMPTY_START_S, SEEDED_START_S = 3.0, 1.5
CHART_FIRST_S, CHART_WARM_S = 1.0, 0.3
# discord.py calls on_ready this long after the last GUILD_CREATE; memory is read after it.
GUILD_READY_TIMEOUT = 2.0


async def _start_and_probe(bot: ChildBot, world: World, command: str) -> float:
    """Start `bot`; seconds from process start until it answered `command`."""
    await bot.start()
    await bot.wait_connected()
    if command == "null":  # the raw client registers /null once connected
        # Polled: the emulator signals nothing when commands are registered.
        while world.emulator.state.commands.find("null", world.guild.id) is None:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
    record = await bot.answer_probe(world.member(0), command)
    assert record.acknowledged_at is not None
    return record.acknowledged_at - bot.started_at


async def run_startup(directory: Path) -> FigureResult:
    figure = FigureResult("startup", "6. Start-up: process start to commands ready")
    async with emulator_world(directory, 2) as world:
        raw = ChildBot(world.emulator, directory / "startup-raw.db", module="bench.null_client")
        try:
            reference = await _start_and_probe(raw, world, "null")
        finally:
            await raw.stop()
        database = directory / "startup.db"
        timings: dict[str, float] = {}
        for label in ("empty database (migrate, seed, sync)", "seeded database"):
            bot = ChildBot(world.emulator, database, module="bot")
            try:
                timings[label] = await _start_and_probe(bot, world, "about")
            finally:
                await bot.stop()
    for (label, seconds), target in zip(timings.items(), (EMPTY_START_S, SEEDED_START_S), strict=True):
        figure.add(
            f"start-up, {label}",
            seconds,
            "s",
            reference=reference,
            reference_name="raw client",
            target=f"< {target:g} s",
            met=seconds < target,
        )
    return figure


async def _end_to_end(world: World, index: int, command: str) -> float:
    """Seconds from sending /command to its answer being complete (a deferral's follow-up included)."""
    member = world.member(index)
    response = await member.slash(command, within=30.0)
    return time.perf_counter() - response.record.dispatched_at


# Options that each draw a new picture (the cache keys on them), so "drawn afresh" is never a cache hit.
FRESH_PICTURES: tuple[tuple[str, dict[str, object]], ...] = (
    ("stats", {"category": "tests"}),
    ("stats", {"category": "sanctions"}),
    ("stats", {"category": "talks", "from_year": 2018, "to_year": 2019}),
    ("map", {}),
    ("map", {"from_year": 2017, "to_year": 2017}),
    ("stats", {"from_year": 2016, "to_year": 2017}),
)


async def _end_to_end_with(world: World, index: int, command: str, options: dict[str, object]) -> float:
    member = world.member(index)
    response = await member.slash(command, within=30.0, options=options)
    return time.perf_counter() - response.record.dispatched_at


async def run_chart(sizes: Sizes, directory: Path) -> FigureResult:
    figure = FigureResult("chart", "7. /stats and /map pictures, end to end")
    template = await seeded_template(directory)
    async with emulator_world(directory, 2 + len(FRESH_PICTURES) + sizes.chart_warm_calls * 2) as world:
        bot = ChildBot(world.emulator, copy_for_new_emulator(template, directory / "chart.db"), module="bot")
        try:
            await _start_and_probe(bot, world, "about")
            first = await _end_to_end(world, 1, "stats")
            fresh = [
                await _end_to_end_with(world, 2 + i, command, options)
                for i, (command, options) in enumerate(FRESH_PICTURES)
            ]
            warm = [await _end_to_end(world, 2 + i, "stats") for i in range(sizes.chart_warm_calls)]
            about = [await _end_to_end(world, 2 + i, "about") for i in range(sizes.chart_warm_calls)]
        finally:
            await bot.stop()
    reference = percentile(about, 0.5)
    figure.add(
        "/stats first call after start",
        first,
        "s",
        reference=reference,
        reference_name="/about",
        target=f"< {CHART_FIRST_S:g} s",
        met=first < CHART_FIRST_S,
    )
    slowest_fresh = max(fresh)
    figure.add(
        f"/stats and /map drawn afresh, slowest of {len(fresh)}",
        slowest_fresh,
        "s",
        reference=reference,
        reference_name="/about",
        target=f"< {CHART_FIRST_S:g} s",
        met=slowest_fresh < CHART_FIRST_S,
    )
    warm_p50 = percentile(warm, 0.5)
    figure.add(
        f"/stats remembered p50 ({len(warm)} calls)",
        warm_p50,
        "s",
        reference=reference,
        reference_name="/about",
        target=f"< {CHART_WARM_S * 1000:g} ms",
        met=warm_p50 < CHART_WARM_S,
    )
    figure.details = {
        "fresh_seconds": dict(zip([f"{c} {o}" for c, o in FRESH_PICTURES], fresh, strict=True)),
        "warm_seconds": warm,
        "about_seconds": about,
    }
    return figure


async def _resident(directory: Path, world: World, database: Path, *, search: bool = False) -> int:
    bot = ChildBot(world.emulator, database, module="bot")
    try:
        await _start_and_probe(bot, world, "about")
        if search:  # a search and an autocomplete, so caches that grow with the store are built
            records = [
                prepare_slash(world.member(0), "search", query="sixth nuclear test"),
                prepare_slash(world.member(0), "fact", fact="nuclear-test-6"),
            ]
            dispatch(world.emulator, records)
            await wait_acknowledged(records, 30.0)
        await asyncio.sleep(GUILD_READY_TIMEOUT + 0.5)
        return rss_bytes(bot.pid)
    finally:
        await bot.stop()


async def run_memory(sizes: Sizes, directory: Path) -> FigureResult:
    figure = FigureResult("memory", "5. Resident memory of the bot process after READY")
    template = await seeded_template(directory)
    results: dict[str, float] = {}
    for servers in sizes.memory_servers:
        async with emulator_world(directory, 1, guilds=servers - 1) as world:
            for guild in world.emulator.state.guilds.values():
                for index in range(sizes.memory_members_per_server):
                    world.emulator.member(guild, f"member{index}")
                if len(guild.channels) < 3:
                    guild.add_channel("audit")
            database = copy_for_new_emulator(template, directory / f"memory-{servers}.db")
            results[f"{servers:,} server" + ("s" if servers > 1 else "")] = (
                await _resident(directory, world, database) / MIB
            )
    facts = sizes.synthetic_facts
    async with emulator_world(directory, 1) as world:
        database = copy_for_new_emulator(
            await build_synthetic_store(directory, facts), directory / f"memory-{facts}-facts.db"
        )
        results[f"1 server, {facts:,} facts, after a search"] = (
            await _resident(directory, world, database, search=True) / MIB
        )
    baseline = next(iter(results.values()))
    for index, (label, mib) in enumerate(results.items()):
        figure.add(
            f"RSS, {label}",
            mib,
            "MiB",
            reference=None if index == 0 else baseline,
            reference_name="1 server",
        )
    figure.details["members_per_server"] = sizes.memory_members_per_server
    return figure
