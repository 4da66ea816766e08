"""Pacing gateway IDENTIFYs as Discord allows: one per bucket every 5 seconds.

Discord puts shard `shard_id % max_concurrency` in a bucket; each bucket may start one session per
5 seconds (`max_concurrency` is in /gateway/bot's session_start_limit: 1 for most bots, more for very
large ones). discord.py's own hook waits 5 seconds before every shard but the first, which is right
for one bucket; with more, shards of different buckets start together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

IDENTIFY_INTERVAL = 5.0


class IdentifyPacer:
    """Waits before an IDENTIFY until its bucket may start another session. Within one process: shards
    of the same bucket in other processes are not seen (run each bucket's shards in one process, or
    start processes 5 seconds apart)."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.max_concurrency = 1
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_start: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def wait(self, shard_id: int | None) -> None:
        """Return when the shard may IDENTIFY; the next of its bucket waits IDENTIFY_INTERVAL more."""
        bucket = (shard_id or 0) % max(1, self.max_concurrency)
        async with self._locks.setdefault(bucket, asyncio.Lock()):
            delay = self._next_start.get(bucket, 0.0) - self._monotonic()
            if delay > 0:
                await self._sleep(delay)
            self._next_start[bucket] = self._monotonic() + IDENTIFY_INTERVAL
