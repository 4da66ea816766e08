"""Shards start as fast as Discord allows: one IDENTIFY per bucket (shard_id % max_concurrency) every
5 seconds, on a fake clock."""

from __future__ import annotations

import asyncio

from bot.app.identify import IDENTIFY_INTERVAL, IdentifyPacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def start_times(max_concurrency: int, shards: list[int]) -> list[float]:
    clock = FakeTime()
    pacer = IdentifyPacer(monotonic=clock.monotonic, sleep=clock.sleep)
    pacer.max_concurrency = max_concurrency
    started = []
    for shard in shards:  # discord.py launches shards one after another
        await pacer.wait(shard)
        started.append(clock.now)
    return started


async def test_one_bucket_starts_a_shard_every_five_seconds() -> None:
    assert await start_times(1, [0, 1, 2, 3]) == [0.0, 5.0, 10.0, 15.0]


async def test_shards_of_different_buckets_start_together() -> None:
    # max_concurrency 4: shards 0-3 are four buckets; 4-7 wait for theirs.
    assert await start_times(4, list(range(8))) == [0.0] * 4 + [IDENTIFY_INTERVAL] * 4


async def test_a_reconnecting_shard_waits_only_for_its_own_bucket() -> None:
    clock = FakeTime()
    pacer = IdentifyPacer(monotonic=clock.monotonic, sleep=clock.sleep)
    pacer.max_concurrency = 2
    await asyncio.gather(pacer.wait(0), pacer.wait(1))
    clock.now = 2.0
    await pacer.wait(3)  # bucket 1 started at 0: 3 more seconds
    assert clock.slept == [3.0]
    clock.now = 30.0
    await pacer.wait(0)  # long after: no wait
    assert clock.slept == [3.0]
