"""Figure 4: the daily quiz posted to N servers at once, with the emulator enforcing Discord's global
limit (50 requests per second) and the per-channel message bucket (5 per 5 s)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import ChildBot, copy_for_new_emulator, emulator_world, seeded_template
from bench.report import FigureResult
from bench.sizes import Sizes
from bot.db.database import Database
from bot.quiz.model.schedule import QuizSchedule, parse_post_time
from bot.quiz.store import QuizStore
from tests.emulator.emulator import DiscordEmulator

POST_ROUTE = "POST /channels/{channel_id}/messages"
FLOOR_RATIO = 1.2


async def run(sizes: Sizes, directory: Path, profile: Path | None = None) -> FigureResult:
    servers, per_second = sizes.fanout_servers, sizes.fanout_per_second
    figure = FigureResult("fanout", f"4. Daily quiz fan-out to {servers:,} servers at {per_second}/s")
    template = await seeded_template(directory)
    async with emulator_world(directory, 1, guilds=servers) as world:
        emulator = world.emulator
        fanned = [guild for guild in emulator.state.guilds.values() if guild.id != world.guild.id]
        quiz_channels = {guild.channel("quiz").id for guild in fanned}
        database = copy_for_new_emulator(template, directory / "fanout.db")
        schedule = QuizSchedule(parse_post_time("00:00"), "UTC")  # due from midnight UTC: due now
        async with Database.open(database) as db:
            quiz = QuizStore(db)
            now = datetime.now(UTC)
            for guild in fanned:
                await quiz.configure(guild.id, guild.channel("quiz").id, schedule, now)
        emulator.faults.limit_global(per_second)
        emulator.faults.limit_route(POST_ROUTE, limit=5, per=5.0)
        bot = ChildBot(emulator, database, profile=profile / "fanout.prof" if profile else None)
        await bot.start()
        try:
            await bot.wait_connected()
            floor = max(0, servers - per_second) / per_second
            first, last = await wait_for_posts(world.emulator, quiz_channels, floor * 3 + 30)
        finally:
            await bot.stop()
    posted, refused = post_counts(emulator, quiz_channels)
    add_fan_out_figures(figure, "fan-out", servers, per_second, first, last, posted)
    refused_twice = sum(1 for count in refused.values() if count > 1)
    figure.add(
        "posts refused more than once",
        refused_twice,
        "",
        target="0",
        met=refused_twice == 0,
    )
    figure.details = {
        "servers": servers,
        "global_limit_per_second": per_second,
        "refused_429": sum(refused.values()),
        "posts_refused_at_least_once": len(refused),
        "max_refusals_of_one_post": max(refused.values(), default=0),
        "successful_posts": sum(posted.values()),
    }
    return figure


def post_counts(emulator: DiscordEmulator, channels: set[int]) -> tuple[Counter[str], Counter[str]]:
    """Per channel path: posts accepted, and posts refused with 429, among `channels`."""
    posted: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for request in emulator.requests(POST_ROUTE):
        if int(request.path.split("/")[-2]) not in channels:
            continue
        if request.status == 200:
            posted[request.path] += 1
        elif request.status == 429:
            refused[request.path] += 1
    return posted, refused


def add_fan_out_figures(
    figure: FigureResult,
    what: str,
    servers: int,
    per_second: int,
    first: float | None,
    last: float | None,
    posted: Counter[str],
) -> None:
    """The fan-out's time against Discord's rate-limit floor, and whether each server got one post."""
    floor = max(0, servers - per_second) / per_second
    total = (last - first) if first is not None and last is not None else float("nan")
    figure.add(
        f"{what} total, first post to last ({servers:,} servers)",
        total,
        "s",
        reference=floor,
        reference_name=f"floor at {per_second}/s",
        target=f"ratio ≤ {FLOOR_RATIO:g}",
        met=total <= FLOOR_RATIO * floor if floor else None,
    )
    once = sum(1 for count in posted.values() if count == 1)
    figure.add(
        "servers posted exactly once",
        once,
        "",
        reference=servers,
        reference_name="servers",
        target="all",
        met=once == servers == len(posted),
    )


async def wait_for_posts(
    emulator: DiscordEmulator, channels: set[int], within: float
) -> tuple[float | None, float | None]:
    """Poll the emulator's request log: when the first and the last quiz post were accepted."""
    seen = 0
    first = last = None
    done: set[int] = set()
    deadline = time.perf_counter() + within
    while len(done) < len(channels) and time.perf_counter() < deadline:
        requests = emulator.state.requests
        for request in requests[seen:]:
            if request.route == POST_ROUTE and request.status == 200:
                channel = int(request.path.split("/")[-2])
                if channel in channels:
                    now = time.perf_counter()
                    first = first if first is not None else now
                    last = now
                    done.add(channel)
        seen = len(requests)
        await asyncio.sleep(0.005)
    return first, last
