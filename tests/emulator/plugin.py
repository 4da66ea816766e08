"""pytest fixtures over the emulator (loaded for every test by `pytest_plugins` in tests/conftest.py).

- `emulator`: a started `DiscordEmulator`, checking every request body against Discord's API description;
  at teardown the test fails if the bot called a route the emulator does not know, broke the gateway
  protocol or sent a body the description refuses.
- `run_bot`: `await run_bot(factory)` starts a client from `factory` against `emulator` and returns its
  `BotRunner` (`.client`, `.stop()`, `.restart()`); every bot started is stopped at teardown.
- `sample_world`: the emulator's own tests' setup (the sample bot in one server, member "alice").

At the end of the session it prints what checking the request bodies cost.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.emulator.actors import Actor
from tests.emulator.emulator import DiscordEmulator
from tests.emulator.models import Guild
from tests.emulator.runner import BotRunner, ClientFactory, start_bot_against
from tests.emulator.sample_bot import SampleBot, make_sample_bot
from tests.emulator.schema import api_description

RunBot = Callable[..., Awaitable[BotRunner]]


@pytest.fixture
async def emulator() -> AsyncIterator[DiscordEmulator]:
    """A started Discord emulator; the test fails at teardown on unknown routes, protocol errors or
    request bodies Discord's API description refuses."""
    emu = DiscordEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
    emu.check()


@pytest.fixture
async def run_bot(emulator: DiscordEmulator) -> AsyncIterator[RunBot]:
    """`await run_bot(factory)` starts a client against `emulator` and returns its ready BotRunner."""
    runners: list[BotRunner] = []

    async def run(factory: ClientFactory, **options: Any) -> BotRunner:
        runner = await start_bot_against(emulator, factory, **options)
        runners.append(runner)
        return runner

    yield run
    for runner in reversed(runners):
        await runner.stop()


@dataclass
class SampleWorld:
    """The emulator's own tests' setup: one server (#general, #quiz), the sample bot, a member."""

    emulator: DiscordEmulator
    guild: Guild
    runner: BotRunner
    alice: Actor

    @property
    def bot(self) -> SampleBot:
        assert isinstance(self.runner.client, SampleBot)
        return self.runner.client


@pytest.fixture
async def sample_world(emulator: DiscordEmulator, run_bot: RunBot) -> SampleWorld:
    """The sample bot, ready, in "Test server" (#general, #quiz), with member alice."""
    guild = emulator.add_guild("Test server", channels=("general", "quiz"))
    alice = emulator.member(guild, "alice")
    runner = await run_bot(make_sample_bot)
    return SampleWorld(emulator, guild, runner, alice)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The cost of checking request bodies against Discord's API description, from this session's traffic."""
    if api_description.cache_info().currsize == 0:
        return
    seconds = sorted(api_description().check_seconds)
    if seconds:
        micro = [1e6 * s for s in seconds]
        terminalreporter.write_line(
            f"request bodies checked against Discord's API description: {len(micro):,}, "
            f"mean {sum(micro) / len(micro):.0f} µs, p50 {micro[len(micro) // 2]:.0f} µs, "
            f"p99 {micro[int(len(micro) * 0.99)]:.0f} µs, max {micro[-1]:.0f} µs"
        )
