"""Fetching a feed: conditional GETs, a timeout, a size cap, and redirects only to http(s)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp

from bot.watchers.model import Feed, FeedState

MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "DPRK-Watch feed watcher (Discord bot; operator-configured feeds)"


class FetchError(Exception):
    """A feed could not be fetched; the message says why, in a few words."""


@dataclass(frozen=True)
class Fetched:
    """A feed's body (None when the server answered 304 Not Modified) and its new validators."""

    body: bytes | None
    etag: str | None
    last_modified: str | None


async def fetch_feed(
    session: aiohttp.ClientSession, feed: Feed, state: FeedState, *, max_bytes: int = MAX_FEED_BYTES
) -> Fetched:
    """GET the feed, sending its stored ETag and Last-Modified. Raise FetchError on a timeout, an
    error status, a redirect to anything but http(s), or a body over `max_bytes`."""
    headers = {"User-Agent": USER_AGENT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = feed.url
    try:
        async with asyncio.timeout(feed.timeout):
            for _ in range(MAX_REDIRECTS + 1):
                async with session.get(url, headers=headers, allow_redirects=False) as response:
                    if response.status in (301, 302, 303, 307, 308):
                        url = _redirect_target(url, response.headers.get("Location", ""))
                        continue
                    if response.status == 304:
                        return Fetched(None, state.etag, state.last_modified)
                    if response.status != 200:
                        raise FetchError(f"HTTP {response.status}")
                    declared = response.content_length
                    if declared is not None and declared > max_bytes:
                        raise FetchError(f"larger than {max_bytes // (1024 * 1024)} MB")
                    body = await _read_capped(response, max_bytes)
                    return Fetched(body, response.headers.get("ETag"), response.headers.get("Last-Modified"))
            raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    except TimeoutError:
        raise FetchError(f"no answer within {feed.timeout:g} s") from None
    except aiohttp.ClientError as error:
        raise FetchError(f"{type(error).__name__}: {error}"[:200]) from None


def _redirect_target(current: str, location: str) -> str:
    if not location:
        raise FetchError("a redirect without a Location")
    target = urljoin(current, location)
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError(f"a redirect to a {urlsplit(target).scheme or 'relative'} address, refused")
    return target


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"larger than {max_bytes // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)
