"""How many interactions per second the emulator and the real client handle together (printed, not
asserted: timing depends on the machine)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.emulator.plugin import SampleWorld

INTERACTIONS = 2000
CONCURRENCY = 20


async def test_interactions_per_second_against_a_null_command(
    sample_world: SampleWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    alice = sample_world.alice
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one() -> str | None:
        async with gate:
            return (await alice.slash("ping")).content

    await asyncio.gather(*(one() for _ in range(50)))  # warm up connections
    started = time.perf_counter()
    answers = await asyncio.gather(*(one() for _ in range(INTERACTIONS)))
    elapsed = time.perf_counter() - started
    assert answers == ["pong"] * INTERACTIONS
    with capsys.disabled():
        rate = INTERACTIONS / elapsed
        print(f"\nemulator: {rate:,.0f} interactions/s ({INTERACTIONS} /ping, {CONCURRENCY} at a time)")
