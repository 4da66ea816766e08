"""Figure 8: 10,000 servers, sharded, as Discord requires past 2,500 servers a session.

The production bot (`python -m bot`) in one world of N servers (3 channels and 11 members each, as
figure 5 had them): one session for all of them is refused with close code 4011 and the process says
so in one line; then SHARD_COUNT shards run in one process; then the same shards split over two
processes on one database (SHARD_IDS), the second started once the first is ready. The emulator gives
max_concurrency 1 in full mode, as Discord gives most bots: one IDENTIFY every 5 seconds, so start-up
is compared with the floor that sets, (shards - 1) × 5 s. Memory is compared with a bot in one server.
"""

from __future__ import annotations

import asyncio
import math
import time
from pathlib import Path

from bench.harness import READY_TIMEOUT, ChildBot, World, copy_for_new_emulator, emulator_world, rss_bytes
from bench.processes import GUILD_READY_TIMEOUT, MIB, _start_and_probe
from bench.report import FigureResult
from bench.sizes import Sizes
from bot.app.identify import IDENTIFY_INTERVAL
from bot.core.shards import format_shard_ids, shard_of
from tests.emulator.gateway import MAX_GUILDS_PER_SESSION
from tests.emulator.load import dispatch, prepare_slash, wait_acknowledged
from tests.emulator.models import Guild


async def run(sizes: Sizes, directory: Path, template: Path) -> FigureResult:
    servers, count = sizes.shard_servers, sizes.shard_count
    figure = FigureResult("shards", f"8. {servers:,} servers, sharded ({count} shards)")
    async with emulator_world(directory, 1) as world:
        one_server = await _resident_one_server(world, copy_for_new_emulator(template, directory / "one.db"))
    async with emulator_world(directory, 1, guilds=servers - 1) as world:
        world.emulator.max_concurrency = sizes.shard_max_concurrency
        for guild in world.emulator.state.guilds.values():
            for index in range(sizes.memory_members_per_server):
                world.emulator.member(guild, f"member{index}")
            if len(guild.channels) < 3:
                guild.add_channel("audit")
        database = copy_for_new_emulator(template, directory / "shards.db")
        probes = _one_server_per_shard(world, count)
        # Shards start in buckets of max_concurrency, one bucket every 5 seconds.
        floor = (math.ceil(count / sizes.shard_max_concurrency) - 1) * IDENTIFY_INTERVAL

        if servers > MAX_GUILDS_PER_SESSION:  # (not in smoke mode: too few servers to be refused)
            refused = await _one_session_is_refused(world, database)
            figure.add(
                f"one session for {servers:,} servers (SHARD_COUNT=1) refused with 4011, in one line",
                1.0 if refused else 0.0,
                "",
                target="1 (refused)",
                met=refused,
            )

        single = ChildBot(world.emulator, database, module="bot", extra_env=_shards(count))
        try:
            started = await _start_sharded(world, single, probes, range(count))
            answered = await _probe(world, probes)
            one_process_start = time.perf_counter() - started
            await asyncio.sleep(GUILD_READY_TIMEOUT + 0.5)
            one_process_rss = rss_bytes(single.pid) / MIB
        finally:
            await single.stop()

        half = count // 2
        first = ChildBot(world.emulator, database, module="bot", extra_env=_shards(count, range(half)))
        second = ChildBot(
            world.emulator, database, module="bot", extra_env=_shards(count, range(half, count))
        )
        try:
            started = await _start_sharded(world, first, probes, range(half))
            await _start_sharded(world, second, probes, range(half, count))
            answered_split = await _probe(world, probes)
            two_process_start = time.perf_counter() - started
            await asyncio.sleep(GUILD_READY_TIMEOUT + 0.5)
            split_rss = [rss_bytes(first.pid) / MIB, rss_bytes(second.pid) / MIB]
        finally:
            await first.stop()
            await second.stop()

    identify_floor = f"identify floor, {floor / IDENTIFY_INTERVAL:g} × {IDENTIFY_INTERVAL:g} s"
    split = f"2 processes × {half} shard{'s' if half > 1 else ''}"
    figure.add(
        f"{count} shards in one process: start to every shard answering",
        one_process_start,
        "s",
        reference=floor,
        reference_name=identify_floor,
    )
    figure.add(
        f"{count} shards in one process: RSS after READY",
        one_process_rss,
        "MiB",
        reference=one_server,
        reference_name="1 server",
    )
    figure.add(
        f"{split}: start to every shard answering",
        two_process_start,
        "s",
        reference=floor,
        reference_name=identify_floor,
    )
    figure.add(
        f"{split}: RSS of the larger",
        max(split_rss),
        "MiB",
        reference=one_server,
        reference_name="1 server",
    )
    figure.add(
        f"{split}: RSS together",
        sum(split_rss),
        "MiB",
        reference=one_process_rss,
        reference_name="one process",
    )
    figure.add(
        "shards answering /about (one process, two processes)",
        answered + answered_split,
        "",
        reference=2 * count,
        reference_name="shards",
        target="all",
        met=answered + answered_split == 2 * count,
    )
    figure.details = {
        "servers": servers,
        "shard_count": count,
        "servers_per_shard": _servers_per_shard(world, count),
        "members_per_server": sizes.memory_members_per_server,
        "max_concurrency": world.emulator.max_concurrency,
        "rss_each_process_mib": split_rss,
    }
    return figure


def _shards(count: int, ids: range | None = None) -> dict[str, str]:
    settings = {"SHARD_COUNT": str(count)}
    if ids is not None:
        settings["SHARD_IDS"] = format_shard_ids(tuple(ids))
    return settings


def _one_server_per_shard(world: World, count: int) -> dict[int, Guild]:
    """A server on each shard, to ask /about in (its shard's session must be up to answer)."""
    found: dict[int, Guild] = {}
    for guild in world.emulator.state.guilds.values():
        found.setdefault(shard_of(guild.id, count), guild)
    missing = set(range(count)) - set(found)
    if missing:
        raise RuntimeError(f"no server on shards {sorted(missing)}: add servers or use fewer shards")
    return found


def _servers_per_shard(world: World, count: int) -> list[int]:
    per_shard = [0] * count
    for guild_id in world.emulator.state.guilds:
        per_shard[shard_of(guild_id, count)] += 1
    return per_shard


async def _resident_one_server(world: World, database: Path) -> float:
    bot = ChildBot(world.emulator, database, module="bot")
    try:
        await _start_and_probe(bot, world, "about")
        await asyncio.sleep(GUILD_READY_TIMEOUT + 0.5)
        return rss_bytes(bot.pid) / MIB
    finally:
        await bot.stop()


async def _one_session_is_refused(world: World, database: Path) -> bool:
    """`python -m bot` with SHARD_COUNT=1: Discord closes the session (4011); the process exits 1 saying why."""
    bot = ChildBot(world.emulator, database, module="bot", extra_env=_shards(1))
    await bot.start()
    assert bot.process is not None
    try:
        status = await asyncio.wait_for(bot.process.wait(), READY_TIMEOUT)
    finally:
        await bot.stop()
    log = bot.log_tail()
    return status == 1 and "close code 4011" in log and "Traceback" not in log


async def _start_sharded(world: World, bot: ChildBot, probes: dict[int, Guild], shards: range) -> float:
    """Start a bot process running `shards`; when it started, once every one of them is connected."""
    count, gateway = len(probes), world.emulator.gateway
    identified_before = len(gateway.identifies)
    await bot.start()
    wanted = {(shard, count) for shard in shards}
    deadline = time.perf_counter() + READY_TIMEOUT + len(shards) * IDENTIFY_INTERVAL * 2

    def connected() -> bool:
        identified = {shard for _, shard in gateway.identifies[identified_before:]}
        return wanted <= identified and wanted <= gateway.connected_shards()

    while not connected():
        if bot.process is not None and bot.process.returncode is not None:
            raise RuntimeError(f"the bot exited with {bot.process.returncode}:\n{bot.log_tail()}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"shards {sorted(shards)} did not connect:\n{bot.log_tail()}")
        await asyncio.sleep(0.01)
    return bot.started_at


async def _probe(world: World, probes: dict[int, Guild]) -> int:
    """Ask /about in a server of every shard at once; how many were answered."""
    records = [prepare_slash(world.emulator.member(guild, "prober"), "about") for guild in probes.values()]
    dispatch(world.emulator, records)
    await wait_acknowledged(records, READY_TIMEOUT)
    return sum(record.acknowledged for record in records)
