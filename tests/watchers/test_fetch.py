"""Fetching limits against the local feed server: redirects only to http(s), a size cap."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web

from bot.watchers.fetch import FetchError, fetch_feed
from bot.watchers.model import Feed, FeedState
from tests.watchers.conftest import FeedServer


def redirect(location: str):
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": location})

    return handler


async def test_redirects_are_followed_only_to_http(feed_server: FeedServer) -> None:
    feed_server.routes["/moved"] = redirect("/news.rss")
    feed_server.routes["/to-file"] = redirect("file:///etc/passwd")
    async with aiohttp.ClientSession() as session:
        moved = await fetch_feed(session, Feed("m", feed_server.url("/moved"), "rss", 60), FeedState("m"))
        assert moved.body is not None
        assert moved.etag == '"news-1"'
        with pytest.raises(FetchError, match="redirect to a file address"):
            await fetch_feed(session, Feed("f", feed_server.url("/to-file"), "rss", 60), FeedState("f"))


async def test_a_body_over_the_cap_is_refused(feed_server: FeedServer) -> None:
    async with aiohttp.ClientSession() as session:
        feed = Feed("n", feed_server.url("/news.rss"), "rss", 60)
        with pytest.raises(FetchError, match="larger than"):
            await fetch_feed(session, feed, FeedState("n"), max_bytes=100)
