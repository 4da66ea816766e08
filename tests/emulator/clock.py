"""Emulator time and ids: a clock tests can move forward, snowflakes, and waiting on conditions."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

T = TypeVar("T")

DISCORD_EPOCH_MS = 1_420_070_400_000


class EmulatorClock:
    """The real clock plus an offset that only grows: `advance(900)` makes 15 minutes pass at once.

    Deadlines the emulator enforces (the 3-second acknowledgement window, the 15-minute interaction
    token) are measured on this clock, so tests can cross them without waiting.
    """

    def __init__(self) -> None:
        self._offset = 0.0

    def monotonic(self) -> float:
        """Seconds on a monotonic scale; differences are what matter."""
        return time.monotonic() + self._offset

    def now(self) -> datetime:
        """The emulated wall-clock time, timezone-aware (UTC)."""
        return datetime.now(UTC) + timedelta(seconds=self._offset)

    def advance(self, seconds: float) -> None:
        """Move emulated time forward by `seconds`."""
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        self._offset += seconds


class Snowflakes:
    """Unique, increasing Discord snowflakes whose timestamps follow the emulator clock."""

    def __init__(self, clock: EmulatorClock) -> None:
        self._clock = clock
        self._last = 0

    def next(self) -> int:
        millis = int(self._clock.now().timestamp() * 1000) - DISCORD_EPOCH_MS
        candidate = millis << 22
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next snowflake whose timestamp puts it on shard `shard_id` of `shard_count` (Discord's rule:
        `(id >> 22) % count`); its millisecond may be up to `shard_count - 1` ahead of the clock."""
        if not 0 <= shard_id < shard_count:
            raise ValueError(f"shard {shard_id} is not one of {shard_count}")
        millis = self.next() >> 22
        millis += (shard_id - millis) % shard_count
        self._last = max(millis << 22, self._last)
        return self._last


def iso(moment: datetime) -> str:
    """Discord's timestamp format (ISO 8601 with microseconds and offset)."""
    return moment.isoformat(timespec="microseconds")


class Changes:
    """A broadcast "something changed" signal to wait on a condition without polling or sleeping."""

    def __init__(self) -> None:
        self._future: asyncio.Future[None] | None = None

    def notify(self) -> None:
        """Wake every waiter; they re-check their condition."""
        future, self._future = self._future, None
        if future is not None and not future.done():
            future.set_result(None)

    async def wait_for(self, condition: Callable[[], T | None], within: float, what: str) -> T:
        """Return `condition()` as soon as it is truthy; raise TimeoutError naming `what` otherwise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            result = condition()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {within:g} s waiting for {what}")
            if self._future is None or self._future.done():
                self._future = loop.create_future()
            try:
                await asyncio.wait_for(asyncio.shield(self._future), remaining)
            except TimeoutError:
                continue
