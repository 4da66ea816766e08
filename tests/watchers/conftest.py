"""The bot watching feeds served by a local aiohttp server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app.settings import Settings
from bot.core.clock import FixedClock
from bot.watchers.model import load_watch_file
from bot.watchers.poller import FeedWatcher, PollOutcome
from tests.conftest import WatchEnv
from tests.emulator.emulator import DiscordEmulator

DATA = Path(__file__).parent / "data"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class FeedServer:
    """Feeds on 127.0.0.1: `routes` maps a path to a handler; `requests` records (path, headers)."""

    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        handler = self.routes.get(request.path)
        if handler is None:
            return web.Response(status=404)
        return await handler(request)

    def url(self, path: str) -> str:
        return self.base + path


def static(body: bytes, content_type: str, *, etag: str | None = None) -> Handler:
    """A file served with an ETag: a request that sends it back gets 304 Not Modified."""

    async def handler(request: web.Request) -> web.StreamResponse:
        if etag is not None and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag} if etag else {}
        return web.Response(body=body, content_type=content_type, headers=headers)

    return handler


async def never_answers(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(30)
    return web.Response(text="too late")


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    server.routes = {
        "/cns.json": static((DATA / "cns-small.json").read_bytes(), "application/json", etag='"cns-1"'),
        "/news.rss": static((DATA / "news.rss").read_bytes(), "application/rss+xml", etag='"news-1"'),
        "/broken.rss": static(b"<html><body>Not a feed <b>at all", "text/html"),
        "/slow.rss": never_answers,
    }
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.base = f"http://127.0.0.1:{port}"
    yield server
    await runner.cleanup()


WATCH_FILE = """
[[feed]]
name = "CNS"
url = "{base}/cns.json"
format = "cns-json"
every = "1h"

[[feed]]
name = "Test wire"
url = "{base}/news.rss"
format = "rss"
every = "1h"
keywords = ["missile", "ICBM", "sanctions"]

[[feed]]
name = "Broken"
url = "{base}/broken.rss"
format = "rss"
every = "30m"
keywords = ["missile"]

[[feed]]
name = "Slow"
url = "{base}/slow.rss"
format = "rss"
every = "10s"
timeout = "1s"
keywords = ["missile"]
"""


@pytest.fixture
async def watched(
    emulator: DiscordEmulator,
    run_bot: Any,
    tmp_path: Path,
    seeded_database_template: Path,
    feed_server: FeedServer,
) -> AsyncIterator[WatchEnv]:
    """The real bot watching the four test feeds, after each was polled once."""
    database_path = tmp_path / "bot.db"
    shutil.copyfile(seeded_database_template, database_path)
    watch_file = tmp_path / "watch.toml"
    watch_file.write_text(WATCH_FILE.format(base=feed_server.base), "utf-8")
    guild = emulator.add_guild("DPRK Watch HQ", channels=("general", "audit"))
    settings = Settings(
        discord_token=emulator.token,
        database_path=database_path,
        discord_api_base=emulator.api_base,
        discord_gateway_url=emulator.gateway_url,
        watch_file=watch_file,
        watch_feeds=load_watch_file(watch_file),
    )
    env = WatchEnv(emulator, guild, settings, FixedClock(datetime(2026, 12, 7, 12, 0, tzinfo=UTC)))
    env.runner = await run_bot(env.make_bot)
    await polled_once(env)
    yield env
    await env.runner.stop()
    await env.close_database()
    emulator.assert_no_pings()


def watcher_of(env: WatchEnv) -> FeedWatcher:
    cog = env.bot.get_cog("WatchersCog")
    assert cog is not None
    watcher = cog.watcher  # type: ignore[attr-defined]
    assert isinstance(watcher, FeedWatcher)
    return watcher


async def polled_once(env: WatchEnv, within: float = 10.0) -> dict[str, PollOutcome]:
    """Wait until every feed was polled at least once; its first outcome by feed name."""
    watcher = watcher_of(env)
    async with asyncio.timeout(within):
        # The watcher keeps no event to wait on: polling its outcomes is the simplest honest wait.
        while not all(watcher.outcomes.values()):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    return {name: outcomes[0] for name, outcomes in watcher.outcomes.items()}
