"""Running a real, unmodified discord.py client against the emulator: point it there, start it, wait
until it is ready (logged in, commands synced in `setup_hook`, gateway READY and every GUILD_CREATE
processed), stop it, restart it on the same emulator state.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import discord
import yarl

from tests.emulator.emulator import DiscordEmulator

ClientFactory = Callable[[], discord.Client | Awaitable[discord.Client]]


def point_discord_at(emulator: DiscordEmulator) -> Callable[[], None]:
    """Send discord.py's REST calls and gateway connection to `emulator`; returns a function undoing it.

    This is exactly what the bot does with its DISCORD_API_BASE and DISCORD_GATEWAY_URL settings.
    """
    old_base, old_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = emulator.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


class BotRunner:
    """Starts `factory()` (a fresh client each time) with `client.start(token)` as a task and waits until
    it is ready; `stop()` closes it; `restart()` does both, keeping the emulator's state.

    `guild_ready_timeout`: discord.py waits this long after the last GUILD_CREATE before `on_ready`
    (2 s by default); the runner sets it on each client (None keeps the factory's value).
    """

    def __init__(
        self,
        emulator: DiscordEmulator,
        factory: ClientFactory,
        *,
        ready_timeout: float = 10.0,
        guild_ready_timeout: float | None = 0.01,
    ) -> None:
        self.emulator = emulator
        self.factory = factory
        self.ready_timeout = ready_timeout
        self.guild_ready_timeout = guild_ready_timeout
        self.client: discord.Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._restore: Callable[[], None] | None = None

    async def start(self) -> discord.Client:
        """Create the client, start it, and return it once ready (or raise what went wrong)."""
        if self.client is not None:
            raise RuntimeError("the bot is already running; use restart()")
        self._restore = point_discord_at(self.emulator)
        made: Any = self.factory()
        client: discord.Client = await made if inspect.isawaitable(made) else made
        if self.guild_ready_timeout is not None:
            # A constructor option (Client(guild_ready_timeout=...)) set after construction.
            client._connection.guild_ready_timeout = self.guild_ready_timeout
        self.client = client
        self._task = asyncio.create_task(client.start(self.emulator.token), name="emulated-bot")
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._task in done:
                error = self._task.exception()
                await self._cleanup()
                raise RuntimeError(f"the bot stopped before it was ready: {error!r}") from error
            await self.stop()
            raise TimeoutError(f"the bot was not ready within {self.ready_timeout:g} s")
        await self.emulator.gateway.wait_connected(self.ready_timeout)
        return client

    async def stop(self) -> None:
        """Close the client and wait for `start()` to return; re-raise anything it raised."""
        client, task = self.client, self._task
        if client is None or task is None:
            return
        try:
            await client.close()
            await asyncio.wait_for(task, self.ready_timeout)
        finally:
            await self._cleanup()

    async def restart(self) -> discord.Client:
        """Stop the bot and start a new client from the factory, on the same emulator state."""
        await self.stop()
        return await self.start()

    async def _cleanup(self) -> None:
        client, task = self.client, self._task
        self.client = self._task = None
        if task is not None and not task.done():
            task.cancel()
        if client is not None and not client.is_closed():
            await client.close()
        if self._restore is not None:
            self._restore()
            self._restore = None


async def start_bot_against(emulator: DiscordEmulator, factory: ClientFactory, **options: Any) -> BotRunner:
    """Start a bot against `emulator`; returns the running `BotRunner` (its `.client` is the bot)."""
    runner = BotRunner(emulator, factory, **options)
    await runner.start()
    return runner
