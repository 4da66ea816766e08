"""Starting the bot for real: open resources under `async with`, inject them, run until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

import discord
import yarl

from bot.app.client import DPRKWatch
from bot.app.settings import Settings
from bot.dataset.loader import DatasetError
from bot.db.database import Database, StoreError
from bot.db.instance_lock import instance_lock
from bot.facts.service import FactService
from bot.facts.store import FactStore

log = logging.getLogger(__name__)


def point_discord_at(settings: Settings) -> None:
    """Send discord.py's REST calls and gateway connection where the settings say (tests, proxies)."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


async def serve(settings: Settings) -> None:
    """Open the store, seed it on first start, and run the bot until it is closed."""
    point_discord_at(settings)
    # A second process running the same shards on the same file would double-post the quiz; processes
    # running different shards share the file (WAL lets them read while another writes).
    with instance_lock(settings.database_path, settings.shard_plan):
        async with Database.open(settings.database_path) as db:
            report = await FactService(FactStore(db)).seed_if_empty(settings.dataset_dir)
            if report:
                log.info("First start: loaded %d facts from dataset %s", report.added, report.version)
            async with DPRKWatch(settings=settings, db=db) as bot:
                assert settings.discord_token is not None
                with closing_on_signals(bot):
                    await bot.start(settings.discord_token)
        log.info("Stopped: the database is closed and the instance lock released")


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def closing_on_signals(bot: discord.Client) -> Iterator[None]:
    """SIGTERM (systemd, Docker, Kubernetes) and SIGINT (Ctrl-C) close the bot: `bot.start` returns, and
    the `async with` blocks around it close the database and release the instance lock."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop(signum: int) -> None:
        if closing:
            return  # already closing: a second signal changes nothing
        log.info("Received %s: closing", signal.Signals(signum).name)
        closing.append(loop.create_task(bot.close()))

    installed = []
    for signum in STOP_SIGNALS:
        try:
            loop.add_signal_handler(signum, stop, signum)
        except (NotImplementedError, RuntimeError):  # not the main thread, or no Unix signals
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


# Gateway close codes that no reconnect can fix: the settings must change.
GATEWAY_REFUSALS = {
    4010: "Discord refused the shard (close code 4010, invalid shard): check SHARD_COUNT and SHARD_IDS",
    4011: (
        "Discord requires sharding for this many servers (close code 4011): one shard may hold at most "
        "2,500. Leave SHARD_COUNT unset to use the count Discord recommends, or raise it"
    ),
}


def run_bot(settings: Settings) -> int:
    try:
        asyncio.run(serve(settings))
    except discord.LoginFailure:
        print(
            "error: Discord refused the token in DISCORD_TOKEN; copy it again from the Developer Portal.",
            file=sys.stderr,
        )
        return 1
    except (StoreError, DatasetError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except discord.ConnectionClosed as error:
        if error.code not in GATEWAY_REFUSALS:
            raise
        print(f"error: {GATEWAY_REFUSALS[error.code]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        log.info("Stopped")
    return 0
